import { describe, expect, it } from 'vitest';
import { schedulePastRule } from '../../../src/rules/schedule-past.js';
import { aChange, findingsOf, type Seen } from '../../fixtures/estate.js';

// The evaluation time of build-context: Monday 2 November 2026, 12:00 UTC.
const yesterday = { schedule: { start: '2026-11-01T10:00:00Z', end: '2026-11-01T11:00:00Z' } };
const stale = (message: string): Seen => ({
  id: 'CHG-0042',
  field: 'schedule.end',
  severity: 'warning',
  message,
});

describe('schedule-past', () => {
  it.each<[string, Record<string, unknown>, Seen[]]>([
    ['a schedule ahead passes', {}, []],
    [
      'a proposed change scheduled yesterday',
      yesterday,
      [
        stale(
          'schedule.end is 2026-11-01T11:00:00Z, 25 hours ago, but the change is still proposed; move the schedule to when it will be carried out',
        ),
      ],
    ],
    [
      'an approved change whose schedule is over',
      {
        status: 'approved',
        schedule: { start: '2026-10-20T22:00:00Z', end: '2026-10-20T23:00:00Z' },
      },
      [
        stale(
          'schedule.end is 2026-10-20T23:00:00Z, 12 days ago, but the change is still approved; if it was carried out, set status to implemented, failed or backed-out; otherwise move the schedule to when it will be',
        ),
      ],
    ],
    [
      'a schedule that ends right now',
      { schedule: { start: '2026-11-02T11:00:00Z', end: '2026-11-02T12:00:00Z' } },
      [
        stale(
          'schedule.end is 2026-11-02T12:00:00Z, 0 minutes ago, but the change is still proposed; move the schedule to when it will be carried out',
        ),
      ],
    ],
    [
      'a change under way',
      { schedule: { start: '2026-11-02T11:00:00Z', end: '2026-11-02T13:00:00Z' } },
      [],
    ],
    ['an implemented change is history', { status: 'implemented', ...yesterday }, []],
    ['a draft is not judged yet', { status: 'draft', ...yesterday }, []],
    [
      'a backwards schedule: schedule-order speaks',
      { schedule: { start: '2026-11-01T10:00:00Z', end: '2026-11-01T09:00:00Z' } },
      [],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(findingsOf(schedulePastRule, { changes: [aChange(overrides)] })).toEqual(expected);
  });

  it('is an error when the policy says so', () => {
    expect(
      findingsOf(schedulePastRule, {
        policy: { rules: { 'schedule-past': 'error' } },
        changes: [aChange(yesterday)],
      }),
    ).toMatchObject([{ severity: 'error', field: 'schedule.end' }]);
  });
});
