import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadWorkspace } from '../../../src/app/load-workspace.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { validate } from '../../../src/app/validate.js';
import { readPolicyFile, readRecordFiles } from '../../../src/fs/read-workspace.js';
import type { Finding } from '../../../src/records/finding.js';
import {
  ciText,
  fixtureText,
  makeWorkspace,
  removeWorkspaces,
  replaceOnce,
  validRecordCount,
} from '../../fixtures/estate.js';

/**
 * SPEC section 6: every malformed, hostile or oversized file gets a clear error naming file and
 * line, fast, and the run goes on to report everything else. Each case is one hostile file
 * dropped into the valid example estate on disk; the valid records must all still load. No
 * wall-clock assertions: vitest's timeout is the guard against a case that hangs.
 */
afterEach(removeWorkspaces);

/** Validates the valid estate plus the given files, as `changeops validate` would. */
function validateWith(files: Record<string, string | Uint8Array | null>) {
  return validate(makeWorkspace(files));
}

const error = (file: string, line: number, column: number, rule: string, message: string) =>
  ({ file, line, column, severity: 'error', rule, message }) satisfies Finding;

const unknownCiField = (name: string) =>
  `a ConfigurationItem has no field "${name}"; the fields are: apiVersion, kind, id, name, description, class, owner, criticality, environment, dependsOn, partOf, paths`;

const tooDeep = 'the data nests more than 64 levels deep';
const tooManyAliases =
  'the file expands YAML aliases (*name) more than 100 times; records do not need aliases, write the values out';

/** The classic "billion laughs": nine levels of nine aliases, 9^9 strings if expanded. */
function billionLaughs(): string {
  const out = ['apiVersion: changeops/v1', 'kind: ConfigurationItem', 'l0: &l0 "lol"'];
  for (let level = 1; level <= 9; level++) {
    out.push(
      `l${level}: &l${level} [${Array(9)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** A CI whose `paths` lists the anchored description `count` times. */
function ciWithAliases(id: string, count: number): string {
  return ciText(id, `description: &d Runs the nightly jobs.\npaths:\n${'  - *d\n'.repeat(count)}`);
}

/** A CI with a `notes` field nesting block mappings until the record is `depth` levels deep. */
function ciNestedBlock(id: string, depth: number, anchor = false): string {
  let nested = '';
  for (let level = 1; level <= depth; level++) nested += `${' '.repeat(level - 1)}notes:\n`;
  nested = nested.replace(/\n$/, ' deep\n');
  return ciText(id, anchor ? `description: &d Anchored.\n${nested}` : nested);
}

/** A CI whose `notes` is `lists` nested flow lists, the innermost holding one value. */
function ciNestedFlow(id: string, lists: number, anchor = false): string {
  const extra = `notes: ${'['.repeat(lists)}x${']'.repeat(lists)}\n`;
  return ciText(id, anchor ? `description: &d Anchored.\n${extra}` : extra);
}

describe('alias bombs and aliases', () => {
  it('refuses an alias bomb (billion laughs) and still loads every other file', () => {
    const outcome = validateWith({ 'cmdb/bomb.yaml': billionLaughs() });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/bomb.yaml',
      severity: 'error',
      rule: 'yaml-aliases',
      message: tooManyAliases,
    });
    expect(outcome.records).toBe(validRecordCount);
  });

  // The finding stands at the alias where the file's expansion passes the cap: l1 expands 9,
  // l2 90 more (99), and the first *l2 of line 6 adds 91.
  it('refuses an alias bomb at the alias where the expansion passes the cap, not at line 1', () => {
    const outcome = validateWith({ 'cmdb/bomb.yaml': billionLaughs() });
    expect(outcome.findings[0]).toMatchObject({ file: 'cmdb/bomb.yaml', line: 6, column: 10 });
  });

  it('refuses a record with 101 aliases', () => {
    const outcome = validateWith({ 'cmdb/jobs.yaml': ciWithAliases('jobs', 101) });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/jobs.yaml',
      rule: 'yaml-aliases',
      message: tooManyAliases,
    });
    expect(outcome.records).toBe(validRecordCount);
  });

  it('loads a record that uses a few aliases', () => {
    const outcome = validateWith({ 'cmdb/jobs.yaml': ciWithAliases('jobs', 3) });
    expect(outcome.findings).toEqual([]);
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  // SPEC section 6 allows 100 aliases a file: the anchored node itself does not count.
  it('accepts a record with exactly 100 aliases', () => {
    const outcome = validateWith({ 'cmdb/jobs.yaml': ciWithAliases('jobs', 100) });
    expect(outcome.findings).toEqual([]);
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  // SPEC section 6 counts the aliases of a file, not of each anchor.
  it('counts the aliases of the whole file, not of each anchor', () => {
    const text = ciText(
      'jobs',
      `description: &d Runs the nightly jobs.\nenvironment: &e production\npaths: [${[
        ...Array(60).fill('*d'),
        ...Array(60).fill('*e'),
      ].join(', ')}]\n`,
    );
    const outcome = validateWith({ 'cmdb/jobs.yaml': text });
    expect(outcome.findings).toMatchObject([{ file: 'cmdb/jobs.yaml', rule: 'yaml-aliases' }]);
  });
});

describe('deep nesting', () => {
  it('refuses 10,000 nested brackets where the nesting passes 64, without a stack overflow', () => {
    const outcome = validateWith({ 'cmdb/deep.yaml': ciNestedFlow('deep', 10_000) });
    expect(outcome.findings).toEqual([error('cmdb/deep.yaml', 8, 71, 'yaml-depth', tooDeep)]);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('refuses 10,000 unclosed brackets the same way', () => {
    const outcome = validateWith({
      'cmdb/deep.yaml': ciText('deep', `notes: ${'['.repeat(10_000)}\n`),
    });
    expect(outcome.findings).toEqual([error('cmdb/deep.yaml', 8, 71, 'yaml-depth', tooDeep)]);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('refuses 10,000 nested block lists on one line (- - - ...) without a stack overflow', () => {
    const outcome = validateWith({
      'cmdb/deep.yaml': ciText('deep', `notes:\n${'- '.repeat(10_000)}x\n`),
    });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/deep.yaml',
      line: 9,
      rule: 'yaml-depth',
      message: tooDeep,
    });
    expect(outcome.records).toBe(validRecordCount);
  });

  it('refuses 1,000 levels of indented block mappings at the line that passes 64', () => {
    const outcome = validateWith({ 'cmdb/deep.yaml': ciNestedBlock('deep', 1_000) });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/deep.yaml',
      line: 72,
      rule: 'yaml-depth',
      message: tooDeep,
    });
    expect(outcome.records).toBe(validRecordCount);
  });

  it('refuses 10,000 nested brackets in a file with anchors without crashing', () => {
    const outcome = validateWith({ 'cmdb/deep.yaml': ciNestedFlow('deep', 10_000, true) });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({ file: 'cmdb/deep.yaml', severity: 'error' });
    expect(outcome.records).toBe(validRecordCount);
  });

  // With an anchor the file goes through the `yaml` package, whose own stack must not decide.
  it('says a file with anchors and 10,000 nested brackets nests too deeply', () => {
    const outcome = validateWith({ 'cmdb/deep.yaml': ciNestedFlow('deep', 10_000, true) });
    expect(outcome.findings).toMatchObject([
      { file: 'cmdb/deep.yaml', line: 9, rule: 'yaml-depth', message: tooDeep },
    ]);
  });

  it.each([
    ['block mappings', () => ciNestedBlock('deep', 64)],
    ['flow lists', () => ciNestedFlow('deep', 63)],
    ['block mappings in a file with anchors', () => ciNestedBlock('deep', 64, true)],
    ['flow lists in a file with anchors', () => ciNestedFlow('deep', 63, true)],
  ])('accepts exactly 64 levels of %s', (_, text) => {
    const outcome = validateWith({ 'cmdb/deep.yaml': text() });
    // The record parses; its only fault is the made-up field that holds the nesting.
    expect(outcome.findings).toEqual(
      [
        error(
          'cmdb/deep.yaml',
          text().includes('&d') ? 9 : 8,
          1,
          'schema',
          unknownCiField('notes'),
        ),
      ].map((f) => ({ ...f, field: 'notes', kind: 'ConfigurationItem', id: 'deep' })),
    );
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  it.each([
    ['block mappings', () => ciNestedBlock('deep', 65)],
    ['flow lists', () => ciNestedFlow('deep', 64)],
    ['block mappings in a file with anchors', () => ciNestedBlock('deep', 65, true)],
    ['flow lists in a file with anchors', () => ciNestedFlow('deep', 64, true)],
  ])('refuses 65 levels of %s', (_, text) => {
    const outcome = validateWith({ 'cmdb/deep.yaml': text() });
    expect(outcome.findings).toMatchObject([
      { file: 'cmdb/deep.yaml', severity: 'error', rule: 'yaml-depth', message: tooDeep },
    ]);
    expect(outcome.records).toBe(validRecordCount);
  });

  // The depth counts collections, not nodes: an empty deepest list still counts as a level.
  it('refuses 65 levels when the deepest list is empty', () => {
    const outcome = validateWith({
      'cmdb/deep.yaml': ciText('deep', `notes: ${'['.repeat(64)}${']'.repeat(64)}\n`),
    });
    expect(outcome.findings).toMatchObject([{ file: 'cmdb/deep.yaml', rule: 'yaml-depth' }]);
  });

  // The cap does not depend on the syntax: block lists nest as deep as flow lists.
  it('accepts exactly 64 levels of block lists', () => {
    let nested = 'notes:\n';
    for (let level = 0; level < 63; level++) nested += `${'  '.repeat(level)}-\n`;
    nested = nested.replace(/\n$/, ' x\n');
    const outcome = validateWith({ 'cmdb/deep.yaml': ciText('deep', nested) });
    expect(outcome.findings).toMatchObject([{ rule: 'schema', field: 'notes' }]);
  });
});

describe('keys that YAML or JavaScript treat specially', () => {
  it('refuses a key written twice, at the second one', () => {
    const outcome = validateWith({ 'cmdb/dup.yaml': ciText('dup', 'name: Another name\n') });
    expect(outcome.findings).toEqual([
      error(
        'cmdb/dup.yaml',
        8,
        1,
        'yaml-duplicate-key',
        'a key appears twice in the same mapping; keep one (YAML would silently drop the other)',
      ),
    ]);
    expect(outcome.records).toBe(validRecordCount);
  });

  // The same problem gets the same rule whichever parser reads the file.
  it('refuses a key written twice under the same rule in a file with anchors', () => {
    const outcome = validateWith({
      'cmdb/dup.yaml': ciText('dup', 'description: &d Text.\nname: Another name\n'),
    });
    expect(outcome.findings).toMatchObject([
      { file: 'cmdb/dup.yaml', line: 9, column: 1, rule: 'yaml-duplicate-key' },
    ]);
  });

  it('reports a __proto__ key as an unknown field and leaves Object.prototype alone', () => {
    const outcome = validateWith({
      'cmdb/proto.yaml': ciText('proto', '__proto__: { polluted: yes }\n'),
    });
    expect(outcome.findings).toEqual([
      {
        ...error('cmdb/proto.yaml', 8, 1, 'schema', unknownCiField('__proto__')),
        field: '__proto__',
        kind: 'ConfigurationItem',
        id: 'proto',
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  // Long texts are copied out of the file's text after parsing, in place: the copy must land in
  // the own __proto__ property, never become the record's prototype.
  it('keeps a __proto__ key holding a long text as data when its text is copied', () => {
    const text = ciText('proto-text', '__proto__: a long piece of text that is not a prototype\n');
    const loaded = loadRecords(loadPolicy(undefined), [{ path: 'cmdb/proto-text.yaml', text }]);
    const data: object = loaded.estate.cis.get('proto-text')!.data;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe(
      'a long piece of text that is not a prototype',
    );
  });

  it('reports a __proto__ key set through an alias without polluting Object.prototype', () => {
    const workspace = loadWorkspace(
      makeWorkspace({
        'cmdb/proto.yaml': ciText(
          'proto',
          'description: &p Polluted.\n__proto__: { polluted: *p }\n',
        ),
      }),
    );
    expect(workspace.findings.map((f) => [f.file, f.line, f.column, f.field])).toEqual([
      ['cmdb/proto.yaml', 9, 1, '__proto__'],
    ]);
    const record = workspace.estate.cis.get('proto');
    expect(Object.getPrototypeOf(record?.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // A mapping used as a key is refused at its position, and no Node warning reaches stderr.
  it('refuses a mapping used as a key without printing a Node warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const outcome = validateWith({
        'cmdb/key.yaml': ciText('key', 'description: &d Text.\n{ a: 1 }: 2\n'),
      });
      expect(warn).not.toHaveBeenCalled();
      expect(outcome.findings).toMatchObject([{ file: 'cmdb/key.yaml', line: 9, column: 1 }]);
    } finally {
      warn.mockRestore();
    }
  });

  it('reports constructor and prototype keys as unknown fields without polluting anything', () => {
    const outcome = validateWith({
      'cmdb/ctor.yaml': ciText('ctor', 'constructor:\n  prototype:\n    polluted: yes\n'),
    });
    expect(outcome.findings).toEqual([
      {
        ...error('cmdb/ctor.yaml', 8, 1, 'schema', unknownCiField('constructor')),
        field: 'constructor',
        kind: 'ConfigurationItem',
        id: 'ctor',
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('YAML tags', () => {
  it.each([
    // js-yaml marks the end of the tagged value, not the tag: right line, late column.
    ['!!js/function "function () { return 1; }"', 55, '!!js/function'],
    ['!!binary aGVsbG8=', 31, '!!binary'],
    ['!custom hello', 27, '!custom'],
    ['!!timestamp 2026-01-01', 36, '!!timestamp'],
  ])('refuses the tag in description: %s', (value, column, tag) => {
    const outcome = validateWith({
      'cmdb/tagged.yaml': ciText('tagged', `description: ${value}\n`),
    });
    expect(outcome.findings).toEqual([
      error(
        'cmdb/tagged.yaml',
        8,
        column,
        'yaml-tag',
        `the YAML tag ${tag} is not allowed; records hold plain text, numbers, lists and mappings`,
      ),
    ]);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('refuses a custom tag in a file with anchors too', () => {
    const outcome = validateWith({
      'cmdb/tagged.yaml': ciText('tagged', 'description: &d !custom hello\n'),
    });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/tagged.yaml',
      line: 8,
      message:
        'the YAML tag !custom is not allowed; records hold plain text, numbers, lists and mappings',
    });
    expect(outcome.records).toBe(validRecordCount);
  });
});

describe('values YAML might read as something else', () => {
  it('keeps unquoted dates and date-times as text', () => {
    const workspace = loadWorkspace(
      makeWorkspace({ 'cmdb/dated.yaml': ciText('dated', 'description: 2026-01-01\n') }),
    );
    expect(workspace.findings).toEqual([]);
    expect(workspace.estate.cis.get('dated')?.data.description).toBe('2026-01-01');
    expect(workspace.estate.changes.get('CHG-0042')?.data.schedule).toEqual({
      start: '2026-12-02T22:00:00Z',
      end: '2026-12-02T23:30:00Z',
    });
  });

  it('keeps yes, no, on and off as text, as YAML 1.2 does', () => {
    const workspace = loadWorkspace(
      makeWorkspace({
        'cmdb/yes.yaml': ciText('yes', 'environment: on\npaths: [yes, no, off, Y, N]\n'),
      }),
    );
    expect(workspace.findings).toEqual([]);
    expect(workspace.estate.cis.get('yes')?.data).toMatchObject({
      environment: 'on',
      paths: ['yes', 'no', 'off', 'Y', 'N'],
    });
  });

  it('reads version: 1.10 as the number 1.1 and asks for quotes', () => {
    const release = replaceOnce(
      fixtureText('changes/REL-2026.12-december.yaml'),
      'version: "2026.12.0"',
      'version: 1.10',
    );
    const outcome = validateWith({ 'changes/REL-2026.12-december.yaml': release });
    expect(outcome.findings).toEqual([
      {
        ...error(
          'changes/REL-2026.12-december.yaml',
          6,
          10,
          'schema',
          '"version" must be text, not the number 1.1; put it in quotes so YAML keeps it as text: version: "1.10"',
        ),
        field: 'version',
        kind: 'Release',
        id: 'REL-2026.12',
      },
    ]);
  });

  it('reports a CI id with a Cyrillic а as a look-alike, and the genuine CI still loads', () => {
    const lookalike = 'p\u0430yments-api';
    const outcome = validateWith({ 'cmdb/lookalike.yaml': ciText(lookalike) });
    expect(outcome.findings).toEqual([
      {
        ...error(
          'cmdb/lookalike.yaml',
          3,
          5,
          'schema',
          `"id" is "${lookalike}", which contains the non-ASCII character "\u0430" (U+0430), which may look like a Latin letter; ids must be plain ASCII: a configuration item id: lowercase letters, digits and dashes, starting with a letter or digit (a slug), at most 63 characters`,
        ),
        field: 'id',
        kind: 'ConfigurationItem',
        id: lookalike,
      },
    ]);
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  it('reports a Change touching a CI spelt with a Greek omicron', () => {
    const change = replaceOnce(
      fixtureText('changes/CHG-0042-upgrade-pg.yaml'),
      'cis: [pg-payments]',
      'cis: [pg-payments, payments-\u03bfpi]',
    );
    const outcome = validateWith({ 'changes/CHG-0042-upgrade-pg.yaml': change });
    expect(outcome.findings.map((f) => [f.line, f.column, f.rule, f.field])).toEqual([
      [10, 20, 'schema', 'cis[1]'],
      [10, 20, 'reference', 'cis[1]'],
    ]);
    expect(outcome.findings[0]?.message).toContain('"\u03bf" (U+03BF)');
  });
});

describe('files that are too big, elsewhere, or not text', () => {
  /** A file just over 1 MiB that would be a YAML error at line 1 if it were ever parsed. */
  const oversized = `notes: [[[\n${'# padding\n'.repeat(104_858)}`;

  it('refuses a file over 1 MiB before parsing it', () => {
    const root = makeWorkspace({ 'cmdb/huge.yaml': oversized });
    const read = readRecordFiles(root, 1024 * 1024);
    expect(read.findings).toEqual([
      error(
        'cmdb/huge.yaml',
        1,
        1,
        'file-size',
        `the file is ${oversized.length} bytes, over the limit of 1048576; split it, or raise limits.maxFileBytes in the base branch's changeops.yaml (a pull request's own policy takes effect after merge)`,
      ),
    ]);
    expect(read.files.map((file) => file.path)).not.toContain('cmdb/huge.yaml');
    const outcome = validate(root);
    expect(outcome.findings).toEqual(read.findings);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('admits a file over 1 MiB when the policy raises limits.maxFileBytes', () => {
    const cis = Array.from({ length: 6_000 }, (_, i) =>
      ciText(`batch-${i}`, 'description: One of the batch workers of the nightly reporting run.\n'),
    ).join('---\n');
    expect(cis.length).toBeGreaterThan(1024 * 1024);
    const policy = replaceOnce(
      fixtureText('changeops.yaml'),
      '  maxFileBytes: 1048576',
      '  maxFileBytes: 2097152',
    );
    const outcome = validateWith({ 'changeops.yaml': policy, 'cmdb/batch.yaml': cis });
    expect(outcome.findings).toEqual([]);
    expect(outcome.records).toBe(validRecordCount + 6_000);
  });

  // The cap is enforced by reading at most one byte past it, not by asking each file's size first.
  it('reads a file of exactly the cap, and refuses one a byte over it with its size', () => {
    const root = makeWorkspace({}, false);
    mkdirSync(join(root, 'cmdb'));
    const atCap = ciText('at-cap');
    writeFileSync(join(root, 'cmdb/at-cap.yaml'), atCap);
    writeFileSync(join(root, 'cmdb/over-cap.yaml'), `${atCap}#`);
    const read = readRecordFiles(root, atCap.length);
    expect(read.files).toEqual([{ path: 'cmdb/at-cap.yaml', text: atCap, onDisk: true }]);
    expect(read.findings).toEqual([
      error(
        'cmdb/over-cap.yaml',
        1,
        1,
        'file-size',
        `the file is ${atCap.length + 1} bytes, over the limit of ${atCap.length}; split it, or raise limits.maxFileBytes in the base branch's changeops.yaml (a pull request's own policy takes effect after merge)`,
      ),
    ]);
  });

  it('reads a small file whole after a large one', () => {
    const large = `${ciText('large')}description: ${'x'.repeat(200_000)}\n`;
    const root = makeWorkspace(
      { 'cmdb/a-large.yaml': large, 'cmdb/b-small.yaml': ciText('small') },
      false,
    );
    const read = readRecordFiles(root, 1024 * 1024);
    expect(read.files).toEqual([
      { path: 'cmdb/a-large.yaml', text: large, onDisk: true },
      { path: 'cmdb/b-small.yaml', text: ciText('small'), onDisk: true },
    ]);
  });

  const notAFile =
    'the file is not a regular file (a named pipe, a device or a socket); changeops reads only regular files';

  it.skipIf(process.platform === 'win32')(
    'reports a changeops.yaml that is a named pipe, without waiting for a writer',
    () => {
      const root = makeWorkspace();
      rmSync(join(root, 'changeops.yaml'));
      execFileSync('mkfifo', [join(root, 'changeops.yaml')]);
      expect(readPolicyFile(root, 1024 * 1024)).toEqual({
        files: [],
        findings: [error('changeops.yaml', 1, 1, 'read', notAFile)],
      });
      expect(validate(root).findings).toContainEqual(
        error('changeops.yaml', 1, 1, 'read', notAFile),
      );
    },
  );

  it.skipIf(process.platform === 'win32')(
    'reports a changeops.yaml that links to a named pipe inside the repository, without waiting',
    () => {
      const root = makeWorkspace();
      rmSync(join(root, 'changeops.yaml'));
      execFileSync('mkfifo', [join(root, 'pipe')]);
      symlinkSync('pipe', join(root, 'changeops.yaml'));
      expect(readPolicyFile(root, 1024 * 1024).findings).toEqual([
        error('changeops.yaml', 1, 1, 'read', notAFile),
      ]);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'passes over a named pipe named like a record file, without waiting for a writer',
    () => {
      const root = makeWorkspace();
      execFileSync('mkfifo', [join(root, 'cmdb/pipe.yaml')]);
      const outcome = validate(root);
      expect(outcome.findings).toEqual([]);
      expect(outcome.records).toBe(validRecordCount);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'refuses a symlink to a file outside the repository, and does not read it',
    () => {
      const outside = makeWorkspace({ 'secret.yaml': ciText('secret') }, false);
      const root = makeWorkspace();
      symlinkSync(join(outside, 'secret.yaml'), join(root, 'cmdb/secret.yaml'));
      const outcome = validate(root);
      expect(outcome.findings).toEqual([
        error(
          'cmdb/secret.yaml',
          1,
          1,
          'symlink',
          'the file is a symbolic link to a place outside the repository; changeops does not follow it',
        ),
      ]);
      expect(outcome.records).toBe(validRecordCount);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'refuses a record file that is a symlink even inside the repository, so editing its target cannot escape the diff',
    () => {
      const root = makeWorkspace({ 'shared/cdn.yaml': ciText('cdn') });
      symlinkSync('../shared/cdn.yaml', join(root, 'cmdb/cdn.yaml'));
      const workspace = loadWorkspace(root);
      expect(workspace.findings).toEqual([
        error(
          'cmdb/cdn.yaml',
          1,
          1,
          'symlink',
          "the file is a symbolic link; a record file must be a regular file, so that every edit of the record shows in the pull request's diff",
        ),
      ]);
      expect(workspace.estate.cis.has('cdn')).toBe(false);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'reports a symlink that points nowhere and goes on',
    () => {
      const root = makeWorkspace();
      symlinkSync('missing.yaml', join(root, 'cmdb/gone.yaml'));
      const outcome = validate(root);
      expect(outcome.findings).toEqual([
        error('cmdb/gone.yaml', 1, 1, 'symlink', 'the file is a symbolic link that points nowhere'),
      ]);
      expect(outcome.records).toBe(validRecordCount);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'reports a symlink to a folder named like a record file and still loads the rest',
    () => {
      const root = makeWorkspace();
      mkdirSync(join(root, 'docs'));
      symlinkSync('../docs', join(root, 'cmdb/docs.yaml'));
      const outcome = validate(root);
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]).toMatchObject({
        file: 'cmdb/docs.yaml',
        line: 1,
        column: 1,
        severity: 'error',
      });
      expect(outcome.records).toBe(validRecordCount);
    },
  );

  const png = Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  ]);

  it('refuses a PNG image saved as .yaml', () => {
    const outcome = validateWith({ 'cmdb/diagram.yaml': png });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/diagram.yaml',
      line: 1,
      column: 1,
      severity: 'error',
    });
    expect(outcome.records).toBe(validRecordCount);
  });

  // Bytes that are not UTF-8 but hold a NUL are binary data, not a text in the wrong encoding.
  it('calls a PNG image binary data, not a text in the wrong encoding', () => {
    const outcome = validateWith({ 'cmdb/diagram.yaml': png });
    expect(outcome.findings).toEqual([
      error(
        'cmdb/diagram.yaml',
        1,
        1,
        'binary',
        'the file holds binary data (a NUL byte), not YAML text',
      ),
    ]);
  });

  it('refuses a text file with a NUL byte in it', () => {
    const outcome = validateWith({ 'cmdb/nul.yaml': `${ciText('nul')}description: a\u0000b\n` });
    expect(outcome.findings).toEqual([
      error(
        'cmdb/nul.yaml',
        1,
        1,
        'binary',
        'the file holds binary data (a NUL byte), not YAML text',
      ),
    ]);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('refuses a Latin-1 file and asks for UTF-8', () => {
    const latin1 = Buffer.from(ciText('cafe', 'description: Caf\u00e9 ordering.\n'), 'latin1');
    const outcome = validateWith({ 'cmdb/cafe.yaml': latin1 });
    expect(outcome.findings).toEqual([
      error('cmdb/cafe.yaml', 1, 1, 'encoding', 'the file is not UTF-8 text; save it as UTF-8'),
    ]);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('refuses a UTF-16 file (as Windows Notepad saves "Unicode")', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(ciText('notepad'), 'utf16le'),
    ]);
    const outcome = validateWith({ 'cmdb/notepad.yaml': utf16 });
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/notepad.yaml',
      line: 1,
      column: 1,
      severity: 'error',
    });
    expect(outcome.records).toBe(validRecordCount);
  });

  it('reads a UTF-8 file that starts with a byte order mark, with positions unshifted', () => {
    const text = `\uFEFF${ciText('bom').replace('criticality: 3', 'criticality: 9')}`;
    const outcome = validateWith({ 'cmdb/bom.yaml': text });
    expect(outcome.findings).toEqual([
      {
        ...error('cmdb/bom.yaml', 7, 14, 'schema', '"criticality" is 9, which must be at most 4'),
        field: 'criticality',
        kind: 'ConfigurationItem',
        id: 'bom',
      },
    ]);
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  it('reads Windows line endings with the right positions', () => {
    const text = ciText('crlf').replace('criticality: 3', 'criticality: 9').replace(/\n/g, '\r\n');
    const outcome = validateWith({ 'cmdb/crlf.yaml': text });
    expect(outcome.findings.map((f) => [f.file, f.line, f.column, f.field])).toEqual([
      ['cmdb/crlf.yaml', 7, 14, 'criticality'],
    ]);
  });
});

describe('text that merely looks hostile', () => {
  it('loads a name with an ampersand and a quoted "&x" in prose', () => {
    const outcome = validateWith({
      'cmdb/rnd.yaml': ciText('rnd').replace('name: The rnd service', 'name: R & D "&x"'),
    });
    expect(outcome.findings).toEqual([]);
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  it('loads prose with an anchor-like &word, which takes the guarded parser', () => {
    const workspace = loadWorkspace(
      makeWorkspace({
        'cmdb/rnd.yaml': ciText('rnd', 'description: Owned by Research &development, see &x.\n'),
      }),
    );
    expect(workspace.findings).toEqual([]);
    expect(workspace.estate.cis.get('rnd')?.data.description).toBe(
      'Owned by Research &development, see &x.',
    );
  });

  // js-yaml marks the end of the scalar holding the character (column 27), not the character.
  it('refuses a raw control character with its line', () => {
    const outcome = validateWith({
      'cmdb/bell.yaml': ciText('bell', 'description: ring\u0007the bell\n'),
    });
    expect(outcome.findings).toEqual([
      error(
        'cmdb/bell.yaml',
        8,
        27,
        'yaml',
        'the file is not valid YAML: the stream contains non-printable characters',
      ),
    ]);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('reports every hostile file of one run, and loads all the valid ones', () => {
    const outcome = validateWith({
      'cmdb/bomb.yaml': billionLaughs(),
      'cmdb/deep.yaml': ciNestedFlow('deep', 10_000),
      'cmdb/dup.yaml': ciText('dup', 'name: Again\n'),
      'cmdb/tagged.yaml': ciText('tagged', 'description: !!binary aGVsbG8=\n'),
      'cmdb/nul.yaml': `${ciText('nul')}\u0000`,
      'cmdb/fine.yaml': ciText('fine'),
    });
    expect(outcome.findings.map((f) => [f.file, f.rule])).toEqual([
      ['cmdb/bomb.yaml', 'yaml-aliases'],
      ['cmdb/deep.yaml', 'yaml-depth'],
      ['cmdb/dup.yaml', 'yaml-duplicate-key'],
      ['cmdb/nul.yaml', 'binary'],
      ['cmdb/tagged.yaml', 'yaml-tag'],
    ]);
    expect(outcome.records).toBe(validRecordCount + 1);
  });
});
