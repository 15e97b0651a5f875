import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSeverities } from '../../../src/records/finding.js';
import type { ChangeImpact } from '../../../src/impact/change-impact.js';
import {
  collidingPairs,
  collisionRule,
  collisionSchedule,
  type TimedChange,
} from '../../../src/rules/collision.js';
import { isPending } from '../../../src/rules/status.js';
import { schedulePeriod } from '../../../src/rules/time.js';
import type { Change } from '../../../src/records/types.generated.js';
import type { RuleContext } from '../../../src/rules/rule.js';
import { evaluate } from '../../../src/rules/rule.js';
import {
  changeYaml,
  crossContext,
  files,
  run,
  stubImpact,
  seen,
  type Seen,
} from '../../fixtures/estate.js';

const at = (start: string, end: string) => ({ schedule: { start, end } });
const tenPm = at('2027-03-10T22:00:00Z', '2027-03-10T23:00:00Z');
const halfPast = at('2027-03-10T22:30:00Z', '2027-03-10T23:30:00Z');
const elevenPm = at('2027-03-10T23:00:00Z', '2027-03-11T00:00:00Z');

const pair = (shared: string, count = 1, other = 'CHG-0001 (approved)') =>
  `CHG-0002 and ${other} are both scheduled from 2027-03-10T22:30:00Z to 2027-03-10T23:00:00Z and share ${count} impacted CI${count === 1 ? '' : 's'}: ${shared}; reschedule one of them or combine them into one change`;

describe('collision', () => {
  const cases: Array<{
    name: string;
    existing: Record<string, unknown>;
    mine: Record<string, unknown>;
    impact?: Record<string, string[]>;
    policy?: string;
    expected: Seen[];
  }> = [
    {
      name: 'reports a change that overlaps an approved change on the same CI',
      existing: { status: 'approved', ...tenPm },
      mine: halfPast,
      expected: [
        { id: 'CHG-0002', field: 'schedule', severity: 'error', message: pair('pg-payments') },
      ],
    },
    {
      name: 'counts a proposed change in the estate too',
      existing: { status: 'proposed', ...tenPm },
      mine: halfPast,
      expected: [
        {
          id: 'CHG-0002',
          field: 'schedule',
          severity: 'error',
          message: pair('pg-payments', 1, 'CHG-0001 (proposed)'),
        },
      ],
    },
    {
      name: 'passes windows that only touch (one ends when the other starts)',
      existing: { status: 'approved', ...tenPm },
      mine: elevenPm,
      expected: [],
    },
    {
      name: 'passes overlapping changes that share no CI',
      existing: { status: 'approved', cis: ['kafka'], ...tenPm },
      mine: halfPast,
      expected: [],
    },
    {
      name: 'ignores a draft in the estate: nobody has planned it yet',
      existing: { status: 'draft', ...tenPm },
      mine: halfPast,
      expected: [],
    },
    {
      name: 'ignores changes that are history (implemented, closed, cancelled)',
      existing: { status: 'implemented', ...tenPm },
      mine: halfPast,
      expected: [],
    },
    {
      name: 'does not judge a draft under evaluation',
      existing: { status: 'approved', ...tenPm },
      mine: { status: 'draft', ...halfPast },
      expected: [],
    },
    {
      name: 'finds CIs shared only through the impact graph',
      existing: { status: 'approved', cis: ['pg-payments'], ...tenPm },
      mine: { cis: ['payments-api'], ...halfPast },
      impact: {
        'CHG-0001': ['pg-payments', 'payments-api', 'checkout-api'],
        'CHG-0002': ['payments-api', 'checkout-api'],
      },
      expected: [
        {
          id: 'CHG-0002',
          field: 'schedule',
          severity: 'error',
          message: pair('checkout-api and payments-api', 2),
        },
      ],
    },
    {
      name: 'lists the first five shared CIs and counts the rest',
      existing: { status: 'approved', ...tenPm },
      mine: halfPast,
      impact: {
        'CHG-0001': ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
        'CHG-0002': ['g', 'f', 'e', 'd', 'c', 'b', 'a', 'z'],
      },
      expected: [
        {
          id: 'CHG-0002',
          field: 'schedule',
          severity: 'error',
          message: pair('a, b, c, d, e and 2 more', 7),
        },
      ],
    },
    {
      name: 'with scope: direct, compares only the CIs the changes name',
      existing: { status: 'approved', cis: ['pg-payments'], ...tenPm },
      mine: { cis: ['payments-api'], ...halfPast },
      impact: { 'CHG-0001': ['pg-payments', 'payments-api'], 'CHG-0002': ['payments-api'] },
      policy:
        'apiVersion: changeops/v1\nkind: Policy\nid: t\nrules:\n  collision: {scope: direct}\n',
      expected: [],
    },
    {
      name: 'takes its severity from the policy',
      existing: { status: 'approved', ...tenPm },
      mine: halfPast,
      policy: 'apiVersion: changeops/v1\nkind: Policy\nid: t\nrules:\n  collision: warning\n',
      expected: [
        { id: 'CHG-0002', field: 'schedule', severity: 'warning', message: pair('pg-payments') },
      ],
    },
  ];

  it.each(cases)('$name', ({ existing, mine, impact, policy, expected }) => {
    expect(
      seen(collisionRule, {
        files: files(changeYaml('CHG-0001', existing), changeYaml('CHG-0002', mine)),
        evaluate: ['CHG-0002'],
        ...(impact ? { impact } : {}),
        ...(policy ? { policy } : {}),
      }),
    ).toEqual(expected);
  });

  it('reports a pair of changes under evaluation once, on the later id', () => {
    expect(
      seen(collisionRule, {
        files: files(changeYaml('CHG-0001', tenPm), changeYaml('CHG-0002', halfPast)),
      }),
    ).toEqual([
      {
        id: 'CHG-0002',
        field: 'schedule',
        severity: 'error',
        message: pair('pg-payments', 1, 'CHG-0001 (proposed)'),
      },
    ]);
  });

  it('reports the same pair once even when the later id starts first', () => {
    expect(
      seen(collisionRule, {
        files: files(changeYaml('CHG-0001', halfPast), changeYaml('CHG-0002', tenPm)),
      }).map((finding) => finding.id),
    ).toEqual(['CHG-0002']);
  });

  it('reports each change an evaluated change collides with', () => {
    const found = seen(collisionRule, {
      files: files(
        changeYaml('CHG-0001', { status: 'approved', ...tenPm }),
        changeYaml('CHG-0002', at('2027-03-10T21:00:00Z', '2027-03-11T01:00:00Z')),
        changeYaml('CHG-0003', { status: 'approved', ...elevenPm }),
      ),
      evaluate: ['CHG-0002'],
    });
    expect(found.map((finding) => finding.message.slice(0, 33))).toEqual([
      'CHG-0002 and CHG-0001 (approved) ',
      'CHG-0002 and CHG-0003 (approved) ',
    ]);
  });

  it('points at the schedule of the change under evaluation', () => {
    const [finding] = run(collisionRule, {
      files: files(
        changeYaml('CHG-0001', { status: 'approved', ...tenPm }),
        changeYaml('CHG-0002', halfPast),
      ),
      evaluate: ['CHG-0002'],
    });
    expect(finding).toMatchObject({ file: 'changes/CHG-0002.yaml', line: 18, column: 3 });
  });

  it('skips changes without a usable schedule', () => {
    expect(
      seen(collisionRule, {
        files: files(
          changeYaml('CHG-0001', { status: 'approved', schedule: undefined }),
          changeYaml('CHG-0002', halfPast),
        ),
        evaluate: ['CHG-0002'],
      }),
    ).toEqual([]);
  });

  it('sweeps 5,000 changes without comparing every pair', () => {
    // Each change overlaps only the next one; every tenth shares a CI with it. The records are
    // cloned from one loaded change: parsing 5,000 files is not what this test measures.
    const { context: one } = crossContext({ files: files(changeYaml('CHG-0001')) });
    const template = one.changes[0]!;
    const estate = { ...one.estate, changes: new Map<string, typeof template>() };
    const impact = new Map<string, ChangeImpact>();
    const hour = 3_600_000;
    const origin = Date.parse('2027-04-01T00:00:00Z');
    for (let i = 0; i < 5000; i++) {
      const start = origin + i * hour;
      const id = `CHG-${String(i).padStart(5, '0')}`;
      impact.set(id, stubImpact(i % 10 === 0 ? [`ci-${i}`, `ci-${i + 1}`] : [`ci-${i}`], 'low'));
      const schedule = {
        start: new Date(start).toISOString(),
        end: new Date(start + 1.5 * hour).toISOString(),
      };
      estate.changes.set(id, { ...template, id, data: { ...template.data, id, schedule } });
    }
    const context: RuleContext = {
      ...one,
      estate,
      changes: [...estate.changes.values()],
      changeImpact: (data) => impact.get(data.id)!,
    };
    let lookups = 0;
    const counting: RuleContext = {
      ...context,
      changeImpact: (data) => {
        lookups++;
        return context.changeImpact(data);
      },
    };
    const found = evaluate([collisionRule], counting);
    // Every change here stands in one file, whose findings are listed up to the cap and counted.
    expect(countSeverities(found).errors).toBe(500);
    expect(lookups).toBeLessThanOrEqual(5000);
  });
  it('works out the impact of no pending change whose window meets no change under evaluation', () => {
    // A pull request's one change against 5,000 pending ones in their own two-hour slots: only
    // the changes whose windows overlap its window can collide, so only theirs are asked.
    const { context: one } = crossContext({ files: files(changeYaml('CHG-0001')) });
    const template = one.changes[0]!;
    const estate = { ...one.estate, changes: new Map<string, typeof template>() };
    const hour = 3_600_000;
    const origin = Date.parse('2027-04-01T00:00:00Z');
    for (let i = 0; i < 5000; i++) {
      const id = `CHG-${String(i).padStart(5, '0')}`;
      const start = origin + i * 2 * hour;
      const schedule = {
        start: new Date(start).toISOString(),
        end: new Date(start + 2 * hour).toISOString(),
      };
      estate.changes.set(id, { ...template, id, data: { ...template.data, id, schedule } });
    }
    // Under evaluation: one change from the middle of slot 100 to the middle of slot 101.
    const subject = estate.changes.get('CHG-00100')!;
    const start = origin + 201 * hour;
    const schedule = {
      start: new Date(start).toISOString(),
      end: new Date(start + 2 * hour).toISOString(),
    };
    const mine = { ...subject, data: { ...subject.data, schedule } };
    estate.changes.set(mine.id, mine);
    const asked: string[] = [];
    const context: RuleContext = {
      ...one,
      estate,
      changes: [mine],
      changeImpact: (data) => {
        asked.push(data.id);
        return stubImpact(['pg-payments'], 'low');
      },
    };
    const found = evaluate([collisionRule], context);
    expect(asked.sort()).toEqual(['CHG-00100', 'CHG-00101']);
    expect(found.map((finding) => finding.message)).toEqual([
      'CHG-00100 and CHG-00101 (proposed) are both scheduled from 2027-04-09T10:00:00Z to 2027-04-09T11:00:00Z and share 1 impacted CI: pg-payments; reschedule one of them or combine them into one change',
    ]);
  });

  it('finds exactly the pairs a comparison of every pair finds (property)', () => {
    const window = fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 }))
      .map(([start, length]) => ({ start, end: start + length }));
    const change = fc.record({
      window,
      subject: fc.boolean(),
      cis: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 25 }), (changes) => {
        const items: TimedChange[] = changes.map(({ window, subject, cis }, index) => ({
          record: {
            kind: 'Change',
            id: `CHG-${String(index).padStart(4, '0')}`,
            data: { id: `CHG-${index}`, cis } as never,
            source: { file: 'x.yaml', doc: 0 },
          },
          ...window,
          subject,
        }));
        const cisOf = (data: { cis?: unknown }) => new Set(data.cis as string[]);
        const expected: string[] = [];
        for (const a of items)
          for (const b of items) {
            if (a.record.id >= b.record.id || (!a.subject && !b.subject)) continue;
            if (Math.max(a.start, b.start) >= Math.min(a.end, b.end)) continue;
            const shared = [...cisOf(a.record.data)].filter((ci) => cisOf(b.record.data).has(ci));
            if (shared.length) expected.push(`${a.record.id}+${b.record.id}:${shared.sort()}`);
          }
        const found = collidingPairs(items, cisOf).pairs.map(({ a, b, shared }) =>
          a.record.id < b.record.id
            ? `${a.record.id}+${b.record.id}:${shared}`
            : `${b.record.id}+${a.record.id}:${shared}`,
        );
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('lists the pairs in the order of the later change, open subjects first, and counts past the cap (property)', () => {
    const window = fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 }))
      .map(([start, length]) => ({ start, end: start + length }));
    const change = fc.record({
      window,
      subject: fc.boolean(),
      cis: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 25 }),
        fc.integer({ min: 1, max: 4 }),
        (changes, cap) => {
          const items: TimedChange[] = changes.map(({ window, subject, cis }, index) => ({
            record: {
              kind: 'Change',
              id: `CHG-${String(index).padStart(4, '0')}`,
              data: { id: `CHG-${index}`, cis } as never,
              source: { file: 'x.yaml', doc: 0 },
            },
            ...window,
            subject,
          }));
          const cisOf = (data: { cis?: unknown }) => data.cis as string[];
          // Every pair worked out by comparing every two changes, in the documented order.
          const order = [...items].sort(
            (a, b) => a.start - b.start || (a.record.id < b.record.id ? -1 : 1),
          );
          const expected: string[] = [];
          for (const [later, b] of order.entries()) {
            const met = order
              .slice(0, later)
              .filter((a) => a.end > b.start && (a.subject || b.subject))
              .filter((a) => cisOf(a.record.data).some((ci) => cisOf(b.record.data).includes(ci)))
              .sort(
                (x, y) =>
                  Number(y.subject) - Number(x.subject) || order.indexOf(x) - order.indexOf(y),
              );
            for (const a of met.slice(0, cap)) expected.push(`${a.record.id}+${b.record.id}`);
            if (met.length > cap) expected.push(`${b.record.id} beyond ${met.length - cap}`);
          }
          const { pairs, beyond } = collidingPairs(items, cisOf, cap);
          const found: string[] = [];
          for (const { a, b } of pairs) {
            found.push(`${a.record.id}+${b.record.id}`);
            const more = beyond.get(b);
            if (more !== undefined && pairs.filter((p) => p.b === b).at(-1)?.a === a)
              found.push(`${b.record.id} beyond ${more}`);
          }
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('asks no change for its CIs when no two windows overlap', () => {
    const items: TimedChange[] = [0, 2, 4, 4, 9].map((start, index) => ({
      record: {
        kind: 'Change',
        id: `CHG-${index}`,
        data: { id: `CHG-${index}`, cis: ['a'] } as never,
        source: { file: 'x.yaml', doc: 0 },
      },
      start,
      end: start + (index === 2 ? 0 : 2),
      subject: true,
    }));
    const asked: string[] = [];
    const cisOf = (data: { id?: unknown; cis?: unknown }) => {
      asked.push(String(data.id));
      return data.cis as string[];
    };
    expect(collidingPairs(items, cisOf).pairs).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('asks a change for its CIs once a later window overlaps it, and only once', () => {
    const items: TimedChange[] = [0, 1, 2, 10].map((start, index) => ({
      record: {
        kind: 'Change',
        id: `CHG-${index}`,
        data: { id: `CHG-${index}`, cis: ['a'] } as never,
        source: { file: 'x.yaml', doc: 0 },
      },
      start,
      end: start + 2,
      subject: true,
    }));
    const asked: string[] = [];
    const cisOf = (data: { id?: unknown; cis?: unknown }) => {
      asked.push(String(data.id));
      return data.cis as string[];
    };
    const found = collidingPairs(items, cisOf).pairs.map(
      ({ a, b }) => `${a.record.id}+${b.record.id}`,
    );
    expect(found).toEqual(['CHG-0+CHG-1', 'CHG-1+CHG-2']);
    expect(asked).toEqual(['CHG-0', 'CHG-1', 'CHG-2']);
  });

  it('lists at most 20 collisions per change and counts the rest, for 2,000 changes on one CI in one night', () => {
    // 2,000 pending changes, all on pg-payments, all from 22:00 to 23:00: 1,999,000 colliding
    // pairs. Listed one finding each, they took seconds and gigabytes; listed 20 per change and
    // counted, the findings are 20 per change at most and one that says how many more.
    const { context: one } = crossContext({ files: files(changeYaml('CHG-0001')) });
    const template = one.changes[0]!;
    const estate = { ...one.estate, changes: new Map<string, typeof template>() };
    const shared = stubImpact(['pg-payments'], 'low');
    for (let i = 0; i < 2000; i++) {
      const id = `CHG-${String(i).padStart(5, '0')}`;
      const data = { ...template.data, id, ...tenPm };
      estate.changes.set(id, { ...template, id, data });
    }
    const context: RuleContext = {
      ...one,
      estate,
      changes: [...estate.changes.values()],
      changeImpact: () => shared,
    };
    const found: Array<{ id: string; message: string }> = [];
    collisionRule.check(
      context,
      (record, _field, message) => found.push({ id: record.id, message }),
      { scope: 'impacted' },
    );
    const last = found.filter((finding) => finding.id === 'CHG-01999');
    // Its first 20 pairs, with the 20 earliest changes, then the count of the 1,979 others.
    expect(last).toHaveLength(21);
    expect(last[0]!.message).toBe(
      'CHG-01999 and CHG-00000 (proposed) are both scheduled from 2027-03-10T22:00:00Z to 2027-03-10T23:00:00Z and share 1 impacted CI: pg-payments; reschedule one of them or combine them into one change',
    );
    expect(last[20]!.message).toBe(
      'CHG-01999 also collides with 1,979 more pending changes scheduled in overlapping windows that share its impacted CIs (the first 20 that started before it are listed); reschedule it or combine the changes',
    );
    // 20 pairs for every change but the first 20 (which have fewer before them), and a count
    // for every change that has more than 20 before it.
    expect(found).toHaveLength(20 * 1980 + (19 * 20) / 2 + 1979);
  });
});

describe('collisionSchedule (what a snapshot holds of a change for the collision rule)', () => {
  // The rule places a stored change from these texts as it would from the change's data.
  const placed = (data: unknown) => {
    const texts = collisionSchedule('Change', data);
    return texts ? schedulePeriod({ start: texts[0], end: texts[1] }) : undefined;
  };
  const fromData = (data: { status?: unknown; schedule?: unknown }) =>
    isPending(data as Change) ? schedulePeriod(data.schedule) : undefined;
  it.each<[string, { status?: unknown; schedule?: unknown }]>([
    ['a proposed change', { status: 'proposed', ...tenPm }],
    ['an approved change', { status: 'approved', ...halfPast }],
    ['a draft', { status: 'draft', ...tenPm }],
    ['a status that is no text', { status: ['proposed'], ...tenPm }],
    ['no schedule', { status: 'proposed' }],
    ['a schedule that is a list', { status: 'proposed', schedule: ['2027-03-10T22:00:00Z'] }],
    ['a start that is no text', { status: 'proposed', schedule: { start: 5, end: 'x' } }],
    [
      'an end before its start',
      { status: 'proposed', ...at('2027-03-10T23:00:00Z', '2027-03-10T22:00:00Z') },
    ],
    ['empty texts', { status: 'proposed', schedule: { start: '', end: '' } }],
    [
      'a date-time without a zone',
      { status: 'proposed', ...at('2027-03-10T22:00', '2027-03-11T01:00') },
    ],
  ])('places %s as its data does', (_what, data) => {
    expect(placed(data)).toEqual(fromData(data));
  });

  it('holds texts, never instants (a zone-less time parses in the machine zone), and nothing of a release', () => {
    const data = { status: 'proposed', ...at('2027-03-10T22:00', '2027-03-11T01:00') };
    expect(collisionSchedule('Change', data)).toEqual(['2027-03-10T22:00', '2027-03-11T01:00']);
    expect(collisionSchedule('Release', data)).toBeUndefined();
  });
});
