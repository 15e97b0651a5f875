import { describe, expect, it } from 'vitest';
import { freezeRule } from '../../../src/rules/freeze.js';
import { evaluate } from '../../../src/rules/rule.js';
import {
  aChange,
  findingsOf,
  ruleContext,
  type EstateInput,
  type Seen,
} from '../../fixtures/estate.js';

const freezes = [
  {
    name: 'Black Friday',
    start: '2026-11-26T00:00:00Z',
    end: '2026-12-01T06:00:00Z',
    allow: ['emergency'],
  },
  { name: 'Year end', start: '2026-12-18T00:00:00Z', end: '2027-01-04T06:00:00Z' },
];
const at = (start: string, end: string) => ({ schedule: { start, end } });
const inBlackFriday = at('2026-11-27T22:00:00Z', '2026-11-27T23:00:00Z');
const frozen = (message: string): Seen => ({
  id: 'CHG-0042',
  field: 'schedule',
  severity: 'error',
  message,
});
const blackFriday = (type: string, schedule = '2026-11-27T22:00:00Z to 2026-11-27T23:00:00Z') =>
  frozen(
    `the schedule (${schedule}) overlaps the freeze "Black Friday" (2026-11-26T00:00:00Z to 2026-12-01T06:00:00Z), which allows only emergency changes, not ${type}; schedule it to end by 2026-11-26T00:00:00Z or to start at 2026-12-01T06:00:00Z or later`,
  );
const yearEnd = (schedule: string) =>
  frozen(
    `the schedule (${schedule}) overlaps the freeze "Year end" (2026-12-18T00:00:00Z to 2027-01-04T06:00:00Z), which allows no changes, not a normal change; schedule it to end by 2026-12-18T00:00:00Z or to start at 2027-01-04T06:00:00Z or later`,
  );
const run = (overrides: Record<string, unknown>, input: Partial<EstateInput> = {}) =>
  findingsOf(freezeRule, { policy: { freezes }, changes: [aChange(overrides)], ...input });

describe('freeze', () => {
  it.each<[string, Record<string, unknown>, Seen[]]>([
    ['a change between freezes passes', {}, []],
    ['a normal change in a freeze', inBlackFriday, [blackFriday('a normal change')]],
    [
      'a standard change in a freeze',
      { type: 'standard', ...inBlackFriday },
      [blackFriday('a standard change')],
    ],
    ['an emergency change where the freeze allows it', { type: 'emergency', ...inBlackFriday }, []],
    [
      'a change that only reaches into the freeze',
      at('2026-11-25T23:00:00Z', '2026-11-26T01:00:00Z'),
      [blackFriday('a normal change', '2026-11-25T23:00:00Z to 2026-11-26T01:00:00Z')],
    ],
    [
      'a change that ends as the freeze starts',
      at('2026-11-25T23:00:00Z', '2026-11-26T00:00:00Z'),
      [],
    ],
    [
      'a change that starts as the freeze ends',
      at('2026-12-01T06:00:00Z', '2026-12-01T07:00:00Z'),
      [],
    ],
    [
      'a freeze that allows nothing',
      at('2026-12-24T22:00:00Z', '2026-12-24T23:00:00Z'),
      [yearEnd('2026-12-24T22:00:00Z to 2026-12-24T23:00:00Z')],
    ],
    [
      'a change across two freezes is told about both',
      at('2026-11-30T00:00:00Z', '2026-12-19T00:00:00Z'),
      [
        blackFriday('a normal change', '2026-11-30T00:00:00Z to 2026-12-19T00:00:00Z'),
        yearEnd('2026-11-30T00:00:00Z to 2026-12-19T00:00:00Z'),
      ],
    ],
    ['a draft is not judged yet', { status: 'draft', ...inBlackFriday }, []],
    ['a closed change is history', { status: 'closed', ...inBlackFriday }, []],
  ])('%s', (_name, overrides, expected) => {
    expect(run(overrides)).toEqual(expected);
  });

  it('names every type a freeze allows', () => {
    const allowBoth = [{ ...freezes[0], allow: ['emergency', 'standard'] }];
    expect(run(inBlackFriday, { policy: { freezes: allowBoth } })).toMatchObject([
      {
        message: expect.stringContaining(
          'which allows only emergency and standard changes, not a normal change',
        ),
      },
    ]);
  });

  it('passes everything without freezes', () => {
    expect(run(inBlackFriday, { policy: {} })).toEqual([]);
  });

  // Loading refuses swapped dates (test/unit/records/policy-validation.test.ts); should they reach
  // the rule some other way, they still freeze the time between them.
  it('still freezes the time between swapped dates that got past loading', () => {
    const { context } = ruleContext({ policy: {}, changes: [aChange(inBlackFriday)] });
    context.estate.policy = {
      ...context.estate.policy,
      freezes: [{ name: 'Swapped', start: '2026-12-01T06:00:00Z', end: '2026-11-26T00:00:00Z' }],
    };
    expect(evaluate([freezeRule], context).map((finding) => finding.message)).toEqual([
      'the schedule (2026-11-27T22:00:00Z to 2026-11-27T23:00:00Z) overlaps the freeze "Swapped" (2026-11-26T00:00:00Z to 2026-12-01T06:00:00Z), which allows no changes, not a normal change; schedule it to end by 2026-11-26T00:00:00Z or to start at 2026-12-01T06:00:00Z or later',
    ]);
  });

  it('is a notice when the policy says so', () => {
    expect(run(inBlackFriday, { policy: { freezes, rules: { freeze: 'notice' } } })).toEqual([
      { ...blackFriday('a normal change'), severity: 'notice' },
    ]);
  });
});
