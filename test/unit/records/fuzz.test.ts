import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/records/finding.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import {
  changeText,
  ciText,
  fixtureText,
  recordFiles,
  releaseText,
} from '../../fixtures/estate.js';

/**
 * Property-based: whatever bytes a pull request puts in a record file, loading never throws,
 * every finding names a real place, nothing leaks into Object.prototype, and the valid records
 * of the other files are still indexed. fast-check prints the seed and path of any failure;
 * FC_SEED=<seed> replays one.
 */
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
const runs = (numRuns: number) => ({ numRuns, ...seed });

const validTexts = [...recordFiles.map((path) => fixtureText(path)), fixtureText('changeops.yaml')];

/** Pieces of YAML that each stress one part of the loader; files are random mixes of them. */
const fragment: fc.Arbitrary<string> = fc.oneof(
  // Whole valid records, and the records people actually write.
  fc.constantFrom(...validTexts),
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/).map((id) => ciText(id)),
  // Anchors and aliases, a few or very many, nested or not.
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 150 }), fc.boolean())
    .map(([anchors, aliases, nested]) => {
      const lines = Array.from({ length: anchors }, (_, i) =>
        nested && i > 0
          ? `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}]`
          : `a${i}: &a${i} value ${i}`,
      );
      lines.push(
        `refs: [${Array.from({ length: aliases }, (_, i) => `*a${i % anchors}`).join(', ')}]`,
      );
      return `${lines.join('\n')}\n`;
    }),
  // Deep nesting, flow and block, closed or not.
  fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom('[', '{a: ', '- ', '{', 'k:\n'))
    .map(([depth, open]) => `deep: ${open.repeat(depth)}`),
  fc
    .integer({ min: 1, max: 200 })
    .map((depth) => `deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
  // Tags, directives and document markers.
  fc.constantFrom(
    'description: !!js/function "function () {}"\n',
    'description: !!binary aGVsbG8=\n',
    'description: !custom hello\n',
    'description: !<tag:example.com,2000:x> y\n',
    'when: !!timestamp 2026-01-01\n',
    'run: !!python/object/apply:os.system ["ls"]\n',
    '<<: *a0\n',
    '%YAML 1.1\n---\n',
    '%TAG ! tag:example.com,2000:\n---\n',
    '---\n',
    '...\n',
  ),
  // Duplicate keys, and keys that mean something to JavaScript.
  fc.constantFrom(
    'id: twice\nid: twice\n',
    'name: a\nname: b\n',
    '__proto__: { polluted: yes }\n',
    '"__proto__": [polluted]\n',
    'constructor: { prototype: { polluted: yes } }\n',
    'prototype: { polluted: yes }\n',
    '? __proto__\n: { polluted: yes }\n',
    '{ __proto__: { polluted: yes } }: 1\n',
    'toString: polluted\nhasOwnProperty: polluted\nvalueOf: 1\n',
  ),
  // Control characters, byte order marks, lone surrogates, other line breaks.
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u2028',
      '\uFEFF',
      '\uD800',
      '\r',
      '\t',
      '\u00a0',
    ),
    maxLength: 8,
  }),
  // Random Unicode, and random YAML punctuation.
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '? ',
        ': ',
        '- ',
        '&x ',
        '*x',
        '|',
        '>',
        '"',
        "'",
        '#',
        '[',
        ']',
        '{',
        '}',
        ',',
        '\n',
        '  ',
        'a',
        '1.10',
        '@',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
);

/** A valid record with one hostile fragment slipped in at the start of a random line. */
const injected: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...validTexts), fragment, fc.nat())
  .map(([text, extra, at]) => {
    const lines = text.split('\n');
    const index = at % lines.length;
    return [...lines.slice(0, index), extra + (lines[index] ?? ''), ...lines.slice(index + 1)].join(
      '\n',
    );
  });

/** A hostile file: a mix of fragments and tampered records, sometimes cut off at a random point. */
const hostileFile: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof(fragment, injected), { minLength: 1, maxLength: 6 }),
    fc.constantFrom('', '\n', '\n---\n'),
    fc.option(fc.nat()),
  )
  .map(([parts, separator, cut]) => {
    const text = parts.join(separator);
    return cut === null ? text : text.slice(0, cut % (text.length + 1));
  });

const siblings = [
  { path: 'cmdb/sibling.yaml', text: ciText('sibling-ci') },
  { path: 'changes/CHG-0001-sibling.yaml', text: changeText('CHG-0001', '[sibling-ci]') },
];

/** The shape every finding must have, whatever the input. */
function expectWellFormed(finding: Finding, texts: ReadonlyMap<string, string>): void {
  const text = texts.get(finding.file);
  expect(text, `finding names a file that was not loaded: ${finding.file}`).toBeDefined();
  const lineBreaks = text!.match(/\r\n|\r|\n/g)?.length ?? 0;
  expect(Number.isInteger(finding.line) && finding.line >= 1).toBe(true);
  expect(finding.line).toBeLessThanOrEqual(lineBreaks + 2);
  expect(Number.isInteger(finding.column) && finding.column >= 1).toBe(true);
  // js-yaml may mark one past the end of the text (its internal terminator), never further.
  expect(finding.column).toBeLessThanOrEqual(text!.length + 2);
  expect(['error', 'warning', 'notice']).toContain(finding.severity);
  expect(typeof finding.message === 'string' && finding.message.trim().length > 0).toBe(true);
  expect(typeof finding.rule === 'string' && finding.rule.length > 0).toBe(true);
}

const polluted = () =>
  (({}) as Record<string, unknown>).polluted !== undefined ||
  Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted');

describe('loading hostile record files', () => {
  it('never throws, reports well-formed findings and still indexes the valid sibling files', () => {
    fc.assert(
      fc.property(fc.array(hostileFile, { minLength: 1, maxLength: 3 }), (hostile) => {
        const files = [
          ...siblings,
          ...hostile.map((text, i) => ({ path: `cmdb/fuzz-${i}.yaml`, text })),
        ];
        const texts = new Map(files.map((file) => [file.path, file.text]));
        const result = loadRecords(loadPolicy(undefined), files);

        for (const finding of result.findings) expectWellFormed(finding, texts);
        expect(polluted()).toBe(false);
        expect(result.estate.cis.get('sibling-ci')?.source.file).toBe('cmdb/sibling.yaml');
        expect(result.estate.changes.get('CHG-0001')?.source.file).toBe(
          'changes/CHG-0001-sibling.yaml',
        );
        // A clash with a sibling's id is reported on the hostile file, never on the sibling.
        expect(result.findings.filter((f) => !f.file.startsWith('cmdb/fuzz-'))).toEqual([]);
        // Same input, same findings: nothing depends on state left behind by an earlier file.
        expect(loadRecords(loadPolicy(undefined), files).findings).toEqual(result.findings);
      }),
      runs(120),
    );
  });

  it('judged (validate), gives the findings and counts of a full load, in the same order', () => {
    // Records that name each other, rightly and wrongly, so integrity has things to say.
    const referring: fc.Arbitrary<string> = fc
      .tuple(
        fc.constantFrom('sibling-ci', 'fuzz-ci', 'missing-ci', 'Sibling-CI', 'sibling_ci'),
        fc.constantFrom('CHG-0001', 'CHG-0002', 'chg-0002', 'REL-0001', 'rel-0001'),
        fc.nat(3),
      )
      .map(([ci, id, form]) =>
        form === 0
          ? ciText(id.toLowerCase(), `dependsOn: [${ci}, ${ci}]\npartOf: ${ci}\n`)
          : form === 1
            ? changeText(id, `[${ci}, {x: ${ci}}]`, `release: ${id}\ntemplate: ${ci}\n`)
            : form === 2
              ? releaseText(id, `[${id}, CHG-0001]`)
              : ciText(ci, `dependsOn: ${ci}\n`),
      );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(hostileFile, referring), { minLength: 1, maxLength: 5 }),
        (texts) => {
          const files = [
            ...siblings,
            ...texts.map((text, i) => ({
              path: `${i % 2 ? 'changes' : 'cmdb'}/fuzz-${i}.yaml`,
              text,
            })),
          ];
          const full = loadRecords(loadPolicy(undefined), files);
          const judged = loadRecords(loadPolicy(undefined), files, { judged: true });
          expect(judged.findings).toEqual(full.findings);
          expect([judged.files, judged.records]).toEqual([full.files, full.records]);
          for (const kind of ['cis', 'changes', 'releases'] as const)
            expect([...judged.estate[kind].keys()]).toEqual([...full.estate[kind].keys()]);
        },
      ),
      runs(150),
    );
  });

  it('never throws on a hostile changeops.yaml, and never calls a broken one usable', () => {
    fc.assert(
      fc.property(hostileFile, (text) => {
        const texts = new Map([['changeops.yaml', text]]);
        const result = loadPolicy({ path: 'changeops.yaml', text });
        for (const finding of result.findings) expectWellFormed(finding, texts);
        if (result.findings.some((f) => f.severity === 'error')) {
          expect(result.usable).toBe(false);
          expect(result.policy.isDefault).toBe(true);
        }
        expect(polluted()).toBe(false);
        // The records still load under whatever policy came out of it.
        const records = loadRecords(result, siblings);
        expect(records.estate.cis.has('sibling-ci')).toBe(true);
      }),
      runs(100),
    );
  });

  it('loads any number of well-formed CIs in one file without a finding', () => {
    const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(ids, fc.constantFrom('---\n', '\n---\n', '--- # next\n'), (list, separator) => {
        // Quoted: an id such as 0, 1e3 or null is a valid slug that YAML would read as a number.
        const text = list.map((id) => ciText(JSON.stringify(id))).join(separator);
        const result = loadRecords(loadPolicy(undefined), [{ path: 'cmdb/all.yaml', text }]);
        expect(result.findings).toEqual([]);
        expect([...result.estate.cis.keys()]).toEqual(list);
      }),
      runs(100),
    );
  });
});

describe('a judged load (validate)', () => {
  it('keeps of each record its kind, its id and the fields integrity reads, nothing else', () => {
    const files = [
      { path: 'cmdb/a.yaml', text: ciText('a-ci', 'dependsOn: [b-ci]\npartOf: [c-ci]\n') },
      {
        path: 'changes/CHG-0001-x.yaml',
        text: changeText('CHG-0001', '[a-ci, nope-ci]', 'release: REL-0001\n'),
      },
    ];
    const judged = loadRecords(loadPolicy(undefined), files, { judged: true });
    expect(judged.estate.cis.get('a-ci')?.data).toEqual({
      kind: 'ConfigurationItem',
      id: 'a-ci',
      dependsOn: ['b-ci'],
      partOf: ['c-ci'],
    });
    expect(judged.estate.changes.get('CHG-0001')?.data).toEqual({
      kind: 'Change',
      id: 'CHG-0001',
      cis: ['a-ci', 'nope-ci'],
      release: 'REL-0001',
    });
    // b-ci, c-ci, nope-ci and REL-0001 are missing: integrity's findings, the same as a full load's.
    expect(judged.findings.filter((f) => f.rule === 'reference')).toHaveLength(4);
    expect(judged.findings).toEqual(loadRecords(loadPolicy(undefined), files).findings);
  });
});
