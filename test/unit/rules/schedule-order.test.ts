import { describe, expect, it } from 'vitest';
import { scheduleOrderRule } from '../../../src/rules/schedule-order.js';
import { aChange, findingsOf, type Seen } from '../../fixtures/estate.js';

const wrong = (message: string): Seen => ({
  id: 'CHG-0042',
  field: 'schedule.end',
  severity: 'error',
  message,
});
const backwards = wrong(
  'schedule.end (2026-12-02T21:00:00Z) is before schedule.start (2026-12-02T22:00:00Z); the change must end after it starts',
);

describe('schedule-order', () => {
  it.each<[string, Record<string, unknown>, Seen[]]>([
    ['an end after the start passes', {}, []],
    ['an end before the start', { schedule: { end: '2026-12-02T21:00:00Z' } }, [backwards]],
    [
      'an end equal to the start',
      { schedule: { end: '2026-12-02T22:00:00Z' } },
      [
        wrong(
          'schedule.end (2026-12-02T22:00:00Z) is the same as schedule.start (2026-12-02T22:00:00Z); the change must end after it starts',
        ),
      ],
    ],
    [
      'times in other zones are compared as instants',
      { schedule: { end: '2026-12-02T23:30:00+02:00' } },
      [
        wrong(
          'schedule.end (2026-12-02T21:30:00Z) is before schedule.start (2026-12-02T22:00:00Z); the change must end after it starts',
        ),
      ],
    ],
    ['a later end in another zone passes', { schedule: { end: '2026-12-02T23:30:00-01:00' } }, []],
    [
      'a draft is wrong data too',
      { status: 'draft', schedule: { end: '2026-12-02T21:00:00Z' } },
      [backwards],
    ],
    [
      'a closed change is wrong data too',
      { status: 'closed', schedule: { end: '2026-12-02T21:00:00Z' } },
      [backwards],
    ],
    ['no schedule', { schedule: undefined }, []],
  ])('%s', (_name, overrides, expected) => {
    expect(findingsOf(scheduleOrderRule, { changes: [aChange(overrides)] })).toEqual(expected);
  });

  it('leaves an unreadable date to the schema', () => {
    expect(
      findingsOf(scheduleOrderRule, {
        changes: [aChange({ schedule: { end: 'soon' } })],
        invalid: true,
      }),
    ).toEqual([]);
  });

  it('is a warning when the policy says so', () => {
    expect(
      findingsOf(scheduleOrderRule, {
        policy: { rules: { 'schedule-order': 'warning' } },
        changes: [aChange({ schedule: { end: '2026-12-02T21:00:00Z' } })],
      }),
    ).toEqual([{ ...backwards, severity: 'warning' }]);
  });
});
