import fc from 'fast-check';
import * as YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { validate } from '../../../src/app/validate.js';
import { countSeverities } from '../../../src/records/finding.js';
import { parseYamlFile } from '../../../src/records/parse-yaml.js';
import { defaultLimits } from '../../../src/records/limits.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { closest } from '../../../src/records/wording.js';
import {
  ciText,
  makeWorkspace,
  removeWorkspaces,
  validRecordCount,
} from '../../fixtures/estate.js';

/**
 * One hostile file: each of these took seconds to minutes, or crashed the whole run, before
 * the loader worked in one pass. Here each must give findings that name the file and line, at
 * most 100 of them listed and one that says how many more, and the rest of the estate must
 * still load. The time they take is asserted as a ratio in limits.test.ts.
 */
afterEach(removeWorkspaces);

const validateWith = (files: Record<string, string>) => validate(makeWorkspace(files));
const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: v`).join('\n');

describe('a self-referencing alias', () => {
  it.each([
    ['a flow list', 'notes: &a [*a]\n', 8, 12],
    ['a block mapping', 'notes: &a\n  again: *a\n', 9, 10],
    ['a nested list', 'notes: &a [1, [2, *a]]\n', 8, 19],
  ])('is one finding at its line in %s, and the run goes on', (_, extra, line, column) => {
    const outcome = validateWith({
      'cmdb/loop.yaml': ciText('loop', extra),
      'cmdb/ok.yaml': ciText('ok'),
    });
    expect(outcome.findings).toEqual([
      {
        file: 'cmdb/loop.yaml',
        line,
        column,
        severity: 'error',
        rule: 'yaml-aliases',
        message:
          'the alias *a stands inside the value it names (&a), which would make the data contain itself; write the values out',
      },
    ]);
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  it('is not an alias to an anchor of the same name defined earlier', () => {
    const outcome = validateWith({
      'cmdb/twice.yaml': ciText('twice', 'description: &a Text.\npaths: [*a]\n'),
    });
    expect(outcome.findings).toEqual([]);
  });
});

describe('aliases that stand for too much', () => {
  it('refuses 100 aliases of a 150,000-item list at the alias that passes 10,000 values', () => {
    const list = Array.from({ length: 150_000 }, (_, i) => i).join(',');
    const outcome = validateWith({
      'cmdb/wide.yaml': ciText(
        'wide',
        `notes: &l [${list}]\nmore: [${Array(100).fill('*l').join(', ')}]\n`,
      ),
    });
    expect(outcome.findings).toEqual([
      {
        file: 'cmdb/wide.yaml',
        line: 9,
        column: 8,
        severity: 'error',
        rule: 'yaml-aliases',
        message:
          "the file's YAML aliases (*name) stand for more than 10000 values; records do not need aliases, write the values out",
      },
    ]);
    expect(outcome.records).toBe(validRecordCount);
  });

  it('accepts 100 aliases of a 99-item list, 9,900 values', () => {
    const list = Array.from({ length: 99 }, (_, i) => `p${i}`).join(', ');
    const text = ciText('fine', `description: &d [${list}]\n`).replace('description', 'x-list');
    const parsed = parseYamlFile(
      { path: 'cmdb/fine.yaml', text: `${text}y: [${Array(100).fill('*d').join(', ')}]\n` },
      defaultLimits,
    );
    expect(parsed.findings).toEqual([]);
  });
});

describe('a file with very many findings', () => {
  it('lists 100 of 10,000 unknown fields and says how many more, at the first not listed', () => {
    const outcome = validateWith({ 'cmdb/keys.yaml': ciText('keys', `${keys(10_000)}\n`) });
    expect(outcome.findings).toHaveLength(101);
    expect(outcome.findings.slice(0, 100).every((f) => f.rule === 'schema')).toBe(true);
    expect(outcome.findings[99]).toMatchObject({ line: 107, field: 'k99' });
    expect(outcome.findings[100]).toEqual({
      file: 'cmdb/keys.yaml',
      line: 108,
      column: 1,
      severity: 'error',
      rule: 'too-many-findings',
      message:
        '9,900 more findings in this file are not listed (9,900 errors): changeops lists at most 100 a file; fix the ones listed and run it again',
      omitted: { errors: 9_900, warnings: 0, notices: 0 },
    });
    // The counts are the totals, listed or not: the summary line says 10,000 errors.
    expect(outcome.counts).toEqual({ errors: 10_000, warnings: 0, notices: 0 });
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  it('reports 130,000 schema errors in one file without overflowing the stack', () => {
    const items = Array(130_000).fill('1').join(',');
    const outcome = validateWith({ 'cmdb/many.yaml': ciText('many', `dependsOn: [${items}]\n`) });
    expect(outcome.findings).toHaveLength(101);
    expect(outcome.findings[0]).toMatchObject({
      file: 'cmdb/many.yaml',
      line: 8,
      rule: 'schema',
      message:
        '"dependsOn[0]" must be text, not the number 1; put it in quotes so YAML keeps it as text: "1"',
    });
    expect(outcome.findings[100]).toMatchObject({ rule: 'too-many-findings', severity: 'error' });
    expect(countSeverities(outcome.findings).errors).toBe(130_000);
    expect(outcome.records).toBe(validRecordCount + 1);
  });

  it('lists 100 of 60,000 dangling references of one CI, each did-you-mean costing little', () => {
    const refs = Array.from({ length: 60_000 }, (_, i) => `gone-${i}`).join(', ');
    const outcome = validateWith({ 'cmdb/refs.yaml': ciText('refs', `dependsOn: [${refs}]\n`) });
    expect(outcome.findings).toHaveLength(101);
    expect(outcome.findings[0]).toMatchObject({ rule: 'reference', field: 'dependsOn[0]' });
    expect(outcome.counts.errors).toBe(60_000);
  });

  it('finds a duplicate among 105,000 keys of a file with anchors, at the second one', () => {
    const text = ciText('dup', `description: &d Text.\n${keys(105_000)}\nk104999: again\n`);
    const outcome = validateWith({ 'cmdb/dup.yaml': text });
    expect(outcome.findings).toEqual([
      expect.objectContaining({ line: 105_009, column: 1, rule: 'yaml-duplicate-key' }),
    ]);
  });
});

describe('a 1 MB unknown key', () => {
  it('is named in 60 characters, with no did-you-mean to compute', () => {
    const key = 'x'.repeat(1_000_000);
    const outcome = validateWith({ 'cmdb/big.yaml': ciText('big', `${key}: 1\n`) });
    expect(outcome.findings).toHaveLength(1);
    const finding = outcome.findings[0]!;
    expect(finding.message.length).toBeLessThan(300);
    expect(finding.message).toContain(`has no field "${'x'.repeat(57)}..."`);
    expect(finding.field).toBe(`${'x'.repeat(57)}...`);
  });
});

describe('the guarded parser', () => {
  // The loader builds values itself in one pass rather than with the yaml package's toJS, whose
  // alias lookup searches the document from the start for every alias: the data must not differ.
  it('gives the same data as the yaml package for any file with anchors and aliases', () => {
    const scalar = fc.constantFrom(
      'a',
      '1',
      '1.10',
      '~',
      'true',
      '"x y"',
      "''",
      '-1',
      '0x1f',
      '.inf',
    );
    const key = fc.constantFrom('a', 'b', '"1"', '1', '__proto__', 'null', '~', 'constructor');
    const value = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
        fc
          .uniqueArray(fc.tuple(key, tie('node')), { maxLength: 3, selector: ([k]) => k })
          .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      ),
    })).node;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.nat(), (values, pick) => {
        // Anchor every value; each later one may alias any earlier one.
        const lines = values.map((v, i) =>
          i > 0 && pick % (i + 1) === 0 ? `k${i}: [*a${pick % i}, ${v}]` : `k${i}: &a${i} ${v}`,
        );
        const text = `${lines.join('\n')}\n`;
        const parsed = parseYamlFile({ path: 'x.yaml', text }, defaultLimits);
        const doc = YAML.parseDocument(text, { schema: 'core', merge: false, uniqueKeys: false });
        if (parsed.findings.length > 0 || doc.errors.length > 0) return;
        expect(parsed.documents[0]?.data).toEqual(doc.toJS({ maxAliasCount: -1 }));
      }),
      { numRuns: 500 },
    );
  });
});

describe('did you mean', () => {
  // The reference: the plain optimal-string-alignment distance over every candidate. The loader's
  // version skips candidates by length and stops an alignment once it cannot be close enough.
  function reference(word: string, candidates: readonly string[]): string | undefined {
    const distance = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(
            d[i - 1]![j]! + 1,
            d[i]![j - 1]! + 1,
            d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      return d[a.length]![b.length]!;
    };
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const c of candidates) {
      const d = distance(word.toLowerCase(), c.toLowerCase());
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    if (
      best !== undefined &&
      bestDistance <= Math.max(1, Math.floor(word.length / 3)) &&
      bestDistance < word.length
    )
      return best;
    const prefixed = candidates.filter(
      (c) => word.length >= 3 && c.toLowerCase().startsWith(word.toLowerCase()),
    );
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }

  it('suggests what a full edit distance over every candidate would', () => {
    const word = fc.stringMatching(/^[a-dA-D-]{0,9}$/);
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 8 }), (typo, candidates) => {
        expect(closest(typo, candidates)).toBe(reference(typo, candidates));
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('positions in a large file', () => {
  // Positions in a large file are looked for in its first 64 KiB first: whatever is found there
  // must be where it is in the whole file, and what is not must still be found.
  it('are the same as in each of its records on its own', () => {
    const faults = [
      '',
      'partOf: [Not-A-Slug]\n',
      'colour: red\n',
      'dependsOn: [1, gone]\n',
      'environment:\n',
      'paths: "services/**"\n',
    ];
    fc.assert(
      fc.property(
        // Every record past the clean ones has a fault, so there is always something to find.
        fc.array(fc.integer({ min: 1, max: faults.length - 1 }), {
          minLength: 1_100,
          maxLength: 1_100,
        }),
        fc.constantFrom(0, 700),
        (picks, clean) => {
          // With the first 700 records clean, every finding stands past the first 64 KiB.
          const docs = picks.map((pick, i) =>
            ciText(`ci-${i}`, `description: ${'x'.repeat(100)}\n${i < clean ? '' : faults[pick]}`),
          );
          const whole = docs.join('---\n');
          expect(whole.length).toBeGreaterThan(128 * 1024);
          const spots = (texts: Array<{ path: string; text: string }>, shift: number[]) =>
            loadRecords(loadPolicy(undefined), texts, {
              limits: { ...defaultLimits, maxFileBytes: 1 << 22 },
            })
              .findings.filter((f) => f.rule === 'schema' || f.rule === 'reference')
              .map((f) => `${f.line + (shift[Number(f.file)] ?? 0)}:${f.column} ${f.message}`);
          const inWhole = loadRecords(loadPolicy(undefined), [{ path: '0', text: whole }], {
            limits: { ...defaultLimits, maxFileBytes: 1 << 22 },
          }).findings;
          // The cap lists 100 a file: compare those, each record alone, shifted to its line.
          const listed = inWhole
            .filter((f) => f.rule === 'schema')
            .map((f) => `${f.line}:${f.column} ${f.message}`);
          const starts: number[] = [];
          let line = 0;
          for (const doc of docs) {
            starts.push(line);
            line += doc.split('\n').length;
          }
          const alone = spots(
            docs.map((text, i) => ({ path: String(i), text })),
            starts,
          );
          for (const spot of listed) expect(alone).toContain(spot);
          expect(listed.length).toBeGreaterThan(0);
        },
      ),
      // A failure is reported as found: shrinking 1,100 records would take minutes.
      { numRuns: 4, endOnFailure: true },
    );
  });
});
