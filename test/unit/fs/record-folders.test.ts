import { mkdirSync, symlinkSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validate } from '../../../src/app/validate.js';
import { loadWorkspace } from '../../../src/app/load-workspace.js';
import { listRecordFiles } from '../../../src/fs/read-workspace.js';
import {
  ciText,
  makeWorkspace,
  removeWorkspaces,
  validRecordCount,
} from '../../fixtures/estate.js';

/**
 * A record folder that is a symbolic link is never read: a pull request can add a `cmdb` link to
 * anywhere on the runner, and whatever the loader reads can be quoted in a finding, and so in the
 * pull request comment; a link that stays inside lets it edit records under another path, which
 * the diff does not show as a record's. Real folders and
 * links on disk; skipped on Windows, where making links needs privileges.
 */
afterEach(removeWorkspaces);

const outsideLink = {
  severity: 'error',
  rule: 'symlink',
  line: 1,
  column: 1,
  message:
    'the folder is a symbolic link to a place outside the repository; changeops does not read it',
};

/** A repository with only a policy and the folders the test links in. */
function bareRepository(): string {
  return makeWorkspace(
    { 'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: p\n' },
    false,
  );
}

describe.skipIf(process.platform === 'win32')('record folders that are symbolic links', () => {
  it('refuses a cmdb folder that links outside, without quoting what is there', () => {
    const outside = makeWorkspace(
      { 'secret.yaml': ciText('secret', 'password: hunter2-from-the-runner\n') },
      false,
    );
    const root = bareRepository();
    symlinkSync(outside, join(root, 'cmdb'));
    const outcome = validate(root);
    expect(outcome.findings).toEqual([{ file: 'cmdb', ...outsideLink }]);
    expect(JSON.stringify(outcome)).not.toContain('hunter2');
    expect(outcome.valid).toBe(false);
    expect(outcome.records).toBe(0);
  });

  it('refuses a changes folder that links to a system folder, reading none of its files', () => {
    const root = bareRepository();
    symlinkSync('/etc', join(root, 'changes'));
    const outcome = validate(root);
    expect(outcome.findings).toEqual([{ file: 'changes', ...outsideLink }]);
    expect(outcome.files).toBe(2);
  });

  it('refuses a folder that links to the root of the file system, rather than saying valid', () => {
    const root = bareRepository();
    symlinkSync('/', join(root, 'cmdb'));
    const outcome = validate(root);
    expect(outcome.valid).toBe(false);
    expect(outcome.findings).toEqual([{ file: 'cmdb', ...outsideLink }]);
  });

  it('refuses a sub-folder of cmdb that links outside, and still reads the rest', () => {
    const outside = makeWorkspace({ 'secret.yaml': ciText('secret') }, false);
    const root = makeWorkspace();
    symlinkSync(outside, join(root, 'cmdb/vendor'));
    const workspace = loadWorkspace(root);
    expect(workspace.findings).toEqual([{ file: 'cmdb/vendor', ...outsideLink }]);
    expect(workspace.estate.cis.has('secret')).toBe(false);
    expect(workspace.records).toBe(validRecordCount);
  });

  it('says a record folder that points nowhere is a link that points nowhere', () => {
    const root = bareRepository();
    symlinkSync('missing-folder', join(root, 'cmdb'));
    expect(validate(root).findings).toEqual([
      {
        file: 'cmdb',
        line: 1,
        column: 1,
        severity: 'error',
        rule: 'symlink',
        message: 'the folder is a symbolic link that points nowhere',
      },
    ]);
  });

  const insideLink = {
    severity: 'error',
    rule: 'symlink',
    line: 1,
    column: 1,
    message:
      "the folder is a symbolic link; changeops does not follow folder links, so that every edit of a record shows in the pull request's diff under the record's own path: move the records here, or point --dir at the folder that holds them",
  };

  it('refuses a cmdb folder that links elsewhere inside the repository, so a CMDB edit cannot hide under another path', () => {
    // A policy of its own, so that the defaults' notice (main's part B) is not among the findings.
    const root = makeWorkspace(
      {
        'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: p\n',
        'estate/cmdb/cdn.yaml': ciText('cdn'),
      },
      false,
    );
    symlinkSync('estate/cmdb', join(root, 'cmdb'));
    const workspace = loadWorkspace(root);
    expect(workspace.findings).toEqual([{ file: 'cmdb', ...insideLink }]);
    expect(workspace.estate.cis.has('cdn')).toBe(false);
  });

  it('refuses a sub-folder that links elsewhere inside the repository, and still reads the rest', () => {
    const root = makeWorkspace({ 'shared/cmdb/cdn.yaml': ciText('cdn') });
    symlinkSync('../shared/cmdb', join(root, 'cmdb/shared'));
    const workspace = loadWorkspace(root);
    expect(workspace.findings).toEqual([{ file: 'cmdb/shared', ...insideLink }]);
    expect(workspace.estate.cis.has('cdn')).toBe(false);
    expect(workspace.records).toBe(validRecordCount);
  });

  it('refuses folder links back to a parent, once each, without looping', () => {
    const root = makeWorkspace({ 'cmdb/team/cdn.yaml': ciText('cdn') });
    mkdirSync(join(root, 'cmdb/team/deeper'));
    symlinkSync('..', join(root, 'cmdb/team/deeper/up'));
    symlinkSync('.', join(root, 'cmdb/loop'));
    const workspace = loadWorkspace(root);
    expect(workspace.findings).toEqual([
      { file: 'cmdb/loop', ...insideLink },
      { file: 'cmdb/team/deeper/up', ...insideLink },
    ]);
    expect(workspace.records).toBe(validRecordCount + 1);
  });
});

describe('the order record files are read in', () => {
  // File order decides which of two records with one id comes first; it must not depend on how
  // a file system lists a folder, nor on how folders nest.
  it.skipIf(process.platform === 'win32')(
    'lists files, links and refused folders in the order of their paths',
    () => {
      const root = makeWorkspace(
        {
          'cmdb/a/x.yaml': ciText('x'),
          'cmdb/a-b.yaml': ciText('ab'),
          'cmdb/B.yaml': ciText('upper'),
          'cmdb/a.yaml': ciText('a'),
          'cmdb/é.yaml': ciText('accent'),
          'changes/z.yaml': ciText('z'),
        },
        false,
      );
      symlinkSync('a.yaml', join(root, 'cmdb/a0.yaml'));
      symlinkSync('/', join(root, 'cmdb/a1'));
      expect(listRecordFiles(root)).toEqual([
        { path: 'changes/z.yaml', link: false },
        { path: 'cmdb/B.yaml', link: false },
        { path: 'cmdb/a-b.yaml', link: false },
        { path: 'cmdb/a.yaml', link: false },
        { path: 'cmdb/a/x.yaml', link: false },
        { path: 'cmdb/a0.yaml', link: true },
        { path: 'cmdb/a1', link: true, problem: { rule: 'symlink', message: outsideLink.message } },
        { path: 'cmdb/é.yaml', link: false },
      ]);
    },
  );
});

describe('the order of the record files', () => {
  const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
  // Names around the slash in code-unit order ('-' '.' '/' '0'), case, and a non-ASCII letter.
  const segment = fc
    .string({
      unit: fc.constantFrom('a', 'b', '-', '.', '0', 'A', '_', '~', 'é'),
      minLength: 1,
      maxLength: 3,
    })
    .filter((name) => !/^\.+$/.test(name));
  const recordPath = fc
    .tuple(
      fc.constantFrom('cmdb', 'changes'),
      fc.array(segment, { maxLength: 3 }),
      segment,
      fc.constantFrom('.yaml', '.yml'),
    )
    .map(([folder, folders, name, ext]) => [folder, ...folders, `${name}${ext}`].join('/'));

  it('lists files in the order of their whole paths, however the folders nest', () => {
    fc.assert(
      fc.property(fc.uniqueArray(recordPath, { minLength: 1, maxLength: 25 }), (paths) => {
        // A path cannot be both a file and the folder of another: such pairs are left out.
        const files = paths.filter(
          (path) =>
            !paths.some(
              (other) =>
                other !== path &&
                (other.startsWith(`${path}/`) ||
                  (path.startsWith(`${other}/`) && paths.indexOf(other) < paths.indexOf(path))),
            ),
        );
        const root = makeWorkspace(
          Object.fromEntries(files.map((path) => [path, ciText('x')])),
          false,
        );
        const sorted = [...files].sort();
        expect(listRecordFiles(root).map((entry) => entry.path)).toEqual(sorted);
        removeWorkspaces();
      }),
      { numRuns: 60, ...seed },
    );
  });
});
