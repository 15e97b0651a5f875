import { describe, expect, it } from 'vitest';
import { leadTimeRule } from '../../../src/rules/lead-time.js';
import { aChange, findingsOf, type EstateInput, type Seen } from '../../fixtures/estate.js';

// The evaluation time of build-context: Monday 2 November 2026, 12:00 UTC.
const at = (start: string, end = '2026-11-10T00:00:00Z') => ({ schedule: { start, end } });
const tooSoon = (message: string): Seen => ({
  id: 'CHG-0042',
  field: 'schedule.start',
  severity: 'error',
  message,
});

describe('lead-time', () => {
  it.each<[string, Record<string, unknown>, Seen[]]>([
    ['a normal change a month ahead passes', {}, []],
    ['exactly the 48 hours a normal change needs', at('2026-11-04T12:00:00Z'), []],
    [
      'a normal change 34 hours ahead',
      at('2026-11-03T22:00:00Z'),
      [
        tooSoon(
          'schedule.start is 2026-11-03T22:00:00Z, 34 hours from now, but a normal change needs at least 48 hours of lead time; the earliest allowed start is 2026-11-04T12:00:00Z',
        ),
      ],
    ],
    [
      'half an hour short',
      at('2026-11-04T11:30:00Z'),
      [
        tooSoon(
          'schedule.start is 2026-11-04T11:30:00Z, 47.5 hours from now, but a normal change needs at least 48 hours of lead time; the earliest allowed start is 2026-11-04T12:00:00Z',
        ),
      ],
    ],
    [
      'a start that has passed',
      at('2026-11-02T07:00:00Z'),
      [
        tooSoon(
          'schedule.start is 2026-11-02T07:00:00Z, 5 hours ago, but a normal change needs at least 48 hours of lead time; the earliest allowed start is 2026-11-04T12:00:00Z',
        ),
      ],
    ],
    [
      'an emergency change needs no lead time',
      { type: 'emergency', ...at('2026-11-02T13:00:00Z') },
      [],
    ],
    [
      'a standard change needs no lead time',
      { type: 'standard', ...at('2026-11-02T13:00:00Z') },
      [],
    ],
    ['a draft is not measured', { status: 'draft', ...at('2026-11-02T13:00:00Z') }, []],
    [
      'an implemented change is history',
      { status: 'implemented', ...at('2026-11-02T13:00:00Z') },
      [],
    ],
    [
      'without a base, an approved change met its lead time when approved',
      { status: 'approved', ...at('2026-11-02T13:00:00Z') },
      [],
    ],
    ['a change without a schedule: required-content speaks', { schedule: undefined }, []],
  ])('%s', (_name, overrides, expected) => {
    expect(findingsOf(leadTimeRule, { changes: [aChange(overrides)] })).toEqual(expected);
  });

  describe('against the base revision', () => {
    const soon = aChange({ status: 'approved', ...at('2026-11-03T22:00:00Z') });
    const run = (change: Record<string, unknown>, base: Array<Record<string, unknown>>) =>
      findingsOf(leadTimeRule, { changes: [change], base });

    it.each<[string, Record<string, unknown>, Array<Record<string, unknown>>, number]>([
      [
        'already pending with the same start: measured when proposed',
        soon,
        [aChange({ ...at('2026-11-03T22:00:00Z') })],
        0,
      ],
      [
        'the same start written in another zone',
        soon,
        [aChange({ ...at('2026-11-03T23:00:00+01:00') })],
        0,
      ],
      [
        'proposed, with only its text edited',
        aChange({ ...at('2026-11-03T22:00:00Z') }),
        [aChange({ ...at('2026-11-03T22:00:00Z'), reason: 'Older text of the reason.' })],
        0,
      ],
      ['moved to an earlier start', soon, [aChange({ status: 'approved' })], 1],
      [
        'a draft proposed now',
        aChange({ ...at('2026-11-03T22:00:00Z') }),
        [aChange({ status: 'draft', ...at('2026-11-03T22:00:00Z') })],
        1,
      ],
      ['new in this pull request, even as approved', soon, [], 1],
    ])('%s', (_name, change, base, count) => {
      expect(run(change, base)).toHaveLength(count);
    });
  });

  it.each<[string, EstateInput['policy'], Record<string, unknown>, Seen[]]>([
    [
      "the policy's lead time for normal changes",
      { leadTimeHours: { normal: 72 } },
      at('2026-11-04T12:00:00Z'),
      [
        tooSoon(
          'schedule.start is 2026-11-04T12:00:00Z, 48 hours from now, but a normal change needs at least 72 hours of lead time; the earliest allowed start is 2026-11-05T12:00:00Z',
        ),
      ],
    ],
    [
      "the policy's lead time for emergencies",
      { leadTimeHours: { emergency: 2 } },
      { type: 'emergency', ...at('2026-11-02T13:00:00Z') },
      [
        tooSoon(
          'schedule.start is 2026-11-02T13:00:00Z, 1 hour from now, but an emergency change needs at least 2 hours of lead time; the earliest allowed start is 2026-11-02T14:00:00Z',
        ),
      ],
    ],
    [
      'no lead time for normal changes',
      { leadTimeHours: { normal: 0 } },
      at('2026-11-02T13:00:00Z'),
      [],
    ],
    [
      'a warning, as the policy sets it',
      { rules: { 'lead-time': 'warning' } },
      at('2026-11-03T22:00:00Z'),
      [
        {
          ...tooSoon(
            'schedule.start is 2026-11-03T22:00:00Z, 34 hours from now, but a normal change needs at least 48 hours of lead time; the earliest allowed start is 2026-11-04T12:00:00Z',
          ),
          severity: 'warning',
        },
      ],
    ],
    [
      'off, as the policy sets it',
      { rules: { 'lead-time': 'off' } },
      at('2026-11-03T22:00:00Z'),
      [],
    ],
  ])('%s', (_name, policy, overrides, expected) => {
    expect(findingsOf(leadTimeRule, { policy, changes: [aChange(overrides)] })).toEqual(expected);
  });

  it('rounds the earliest start up to a whole minute', () => {
    expect(
      findingsOf(leadTimeRule, {
        now: '2026-11-02T12:00:30Z',
        changes: [aChange(at('2026-11-03T22:00:00Z'))],
      }),
    ).toMatchObject([
      { message: expect.stringContaining('the earliest allowed start is 2026-11-04T12:01:00Z') },
    ]);
  });

  it('leaves an unreadable start to the schema', () => {
    expect(
      findingsOf(leadTimeRule, { changes: [aChange(at('next tuesday'))], invalid: true }),
    ).toEqual([]);
  });
});
