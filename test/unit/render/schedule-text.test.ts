import { describe, expect, it } from 'vitest';
import type {
  Schedule,
  ScheduledChange,
  ScheduledFreeze,
  ScheduledRelease,
} from '../../../src/render/schedule-model.js';
import { renderScheduleText } from '../../../src/render/schedule-text.js';

const at = (iso: string) => Date.parse(iso);

/** A pending normal change with no marks; the fields a test names replace the defaults. */
function change(id: string, overrides: Partial<ScheduledChange> = {}): ScheduledChange {
  return {
    kind: 'change',
    id,
    title: `Change ${id}`,
    type: 'normal',
    status: 'approved',
    start: at('2027-02-09T22:00:00Z'),
    end: at('2027-02-09T23:30:00Z'),
    cis: ['pg-payments'],
    collisions: [],
    freezeConflicts: [],
    ...overrides,
  };
}

const release: ScheduledRelease = {
  kind: 'release',
  id: 'REL-2027.01',
  title: 'Checkout resilience',
  type: 'minor',
  status: 'planned',
  version: '2027.01.0',
  start: at('2027-02-09T22:00:00Z'),
  end: at('2027-02-17T02:00:00Z'),
  changes: ['CHG-0007', 'CHG-0008'],
};

const freeze: ScheduledFreeze = {
  kind: 'freeze',
  name: 'Spring sale',
  start: at('2027-02-15T00:00:00Z'),
  end: at('2027-02-16T06:00:00Z'),
  allow: ['emergency'],
};

/** Two colliding changes, one of them also in the freeze, a release and the freeze. */
function busySchedule(): Schedule {
  const overlap = { start: at('2027-02-15T22:00:00Z'), end: at('2027-02-15T23:00:00Z') };
  return {
    from: at('2027-02-01T00:00:00Z'),
    to: at('2027-03-01T00:00:00Z'),
    entries: [
      release,
      change('CHG-0007', { cis: ['pg-payments', 'payments-api'], release: 'REL-2027.01' }),
      freeze,
      change('CHG-0013', {
        start: at('2027-02-15T21:00:00Z'),
        end: at('2027-02-15T23:00:00Z'),
        cis: ['order-api'],
        collisions: [
          {
            with: 'CHG-0008',
            status: 'proposed',
            ...overlap,
            shared: ['online-shop', 'order-api'],
            scope: 'impacted',
            severity: 'error',
          },
        ],
      }),
      change('CHG-0008', {
        title: 'Stock reservations v2',
        status: 'proposed',
        start: at('2027-02-15T22:00:00Z'),
        end: at('2027-02-16T00:30:00Z'),
        cis: ['order-api'],
        collisions: [
          {
            with: 'CHG-0013',
            status: 'approved',
            ...overlap,
            shared: ['online-shop', 'order-api'],
            scope: 'impacted',
            severity: 'error',
          },
        ],
        freezeConflicts: [
          {
            freeze: 'Spring sale',
            start: freeze.start,
            end: freeze.end,
            allow: ['emergency'],
            severity: 'error',
          },
        ],
      }),
    ],
    unscheduled: ['CHG-0020'],
    policyUsable: true,
  };
}

describe('renderScheduleText', () => {
  it('groups by day and marks collisions and freeze conflicts', () => {
    expect(renderScheduleText(busySchedule())).toBe(
      [
        'Forward schedule of change from 2027-02-01T00:00:00Z to 2027-03-01T00:00:00Z (times in UTC)',
        '',
        'Tue 2027-02-09',
        '  22:00 to Wed 2027-02-17 02:00  REL-2027.01  Checkout resilience',
        '    minor release 2027.01.0, planned · changes: CHG-0007 and CHG-0008',
        '  22:00 to 23:30  CHG-0007  Change CHG-0007',
        '    normal change, approved · CIs: pg-payments and payments-api · release REL-2027.01',
        '',
        'Mon 2027-02-15',
        '  00:00 to Tue 2027-02-16 06:00  Freeze: Spring sale',
        '    allows only emergency changes',
        '  21:00 to 23:00  CHG-0013  Change CHG-0013',
        '    normal change, approved · CIs: order-api',
        '    ✗ collides with CHG-0008 (proposed) from 2027-02-15T22:00:00Z to 2027-02-15T23:00:00Z on 2 impacted CIs: online-shop and order-api',
        '  22:00 to Tue 2027-02-16 00:30  CHG-0008  Stock reservations v2',
        '    normal change, proposed · CIs: order-api',
        '    ✗ collides with CHG-0013 (approved) from 2027-02-15T22:00:00Z to 2027-02-15T23:00:00Z on 2 impacted CIs: online-shop and order-api',
        '    ✗ in the freeze "Spring sale" (2027-02-15T00:00:00Z to 2027-02-16T06:00:00Z), which allows only emergency changes',
        '',
        'Not scheduled: CHG-0020',
        '',
        '✗ 3 changes, 1 release, 1 freeze: 1 collision, 1 freeze conflict',
        '',
      ].join('\n'),
    );
  });

  it('groups by ISO week, naming the day of each start', () => {
    const lines = renderScheduleText(busySchedule(), { group: 'week' }).split('\n');
    expect(lines.filter((line) => /^(Week| {2}\S)/.test(line))).toEqual([
      'Week 2027-W06 (Mon 2027-02-08 to Sun 2027-02-14)',
      '  Tue 2027-02-09 22:00 to Wed 2027-02-17 02:00  REL-2027.01  Checkout resilience',
      '  Tue 2027-02-09 22:00 to 23:30  CHG-0007  Change CHG-0007',
      'Week 2027-W07 (Mon 2027-02-15 to Sun 2027-02-21)',
      '  Mon 2027-02-15 00:00 to Tue 2027-02-16 06:00  Freeze: Spring sale',
      '  Mon 2027-02-15 21:00 to 23:00  CHG-0013  Change CHG-0013',
      '  Mon 2027-02-15 22:00 to Tue 2027-02-16 00:30  CHG-0008  Stock reservations v2',
    ]);
  });

  it.each([
    // 1 January 2027 is a Friday: its week is the last of 2026.
    ['2027-01-01T10:00:00Z', 'Week 2026-W53 (Mon 2026-12-28 to Sun 2027-01-03)'],
    // 31 December 2024 is a Tuesday: its week is the first of 2025.
    ['2024-12-31T10:00:00Z', 'Week 2025-W01 (Mon 2024-12-30 to Sun 2025-01-05)'],
    ['2027-01-04T00:00:00Z', 'Week 2027-W01 (Mon 2027-01-04 to Sun 2027-01-10)'],
  ])('names the ISO week of %s across a year end', (start, heading) => {
    const schedule: Schedule = {
      from: 0,
      to: null,
      entries: [change('CHG-0001', { start: at(start), end: at(start) + 3_600_000 })],
      unscheduled: [],
      policyUsable: true,
    };
    expect(renderScheduleText(schedule, { group: 'week' }).split('\n')[2]).toBe(heading);
  });

  it('says so when nothing is scheduled, and has no end without --to', () => {
    const empty: Schedule = {
      from: at('2027-02-01T00:00:00Z'),
      to: null,
      entries: [],
      unscheduled: [],
      policyUsable: true,
    };
    expect(renderScheduleText(empty)).toBe(
      [
        'Forward schedule of change from 2027-02-01T00:00:00Z, no end (times in UTC)',
        '',
        'Nothing is scheduled in this period.',
        '',
        '✓ 0 changes, 0 releases, 0 freezes: no collisions, no freeze conflicts',
        '',
      ].join('\n'),
    );
  });

  it('signs marks below error severity with ! and passes', () => {
    const schedule: Schedule = {
      from: 0,
      to: null,
      entries: [
        change('CHG-0001', {
          start: at('2027-02-09T22:00:30Z'),
          freezeConflicts: [
            {
              freeze: 'Audit',
              start: 0,
              end: at('2030-01-01T00:00:00Z'),
              allow: [],
              severity: 'warning',
            },
          ],
        }),
      ],
      unscheduled: [],
      policyUsable: true,
    };
    const lines = renderScheduleText(schedule).split('\n');
    expect(lines.slice(3, 6)).toEqual([
      '  22:00:30 to 23:30  CHG-0001  Change CHG-0001',
      '    normal change, approved · CIs: pg-payments',
      '    ! in the freeze "Audit" (1970-01-01T00:00:00Z to 2030-01-01T00:00:00Z), which allows no changes (warning)',
    ]);
    expect(lines.at(-2)).toBe(
      '✓ 1 change, 0 releases, 0 freezes: no collisions, 1 freeze conflict',
    );
  });

  it('prints hostile titles without terminal escapes or forged lines', () => {
    const schedule: Schedule = {
      from: 0,
      to: null,
      entries: [change('CHG-0001', { title: 'Evil\u001b[2J\n✓ all fine', cis: ['a\u202eb'] })],
      unscheduled: [],
      policyUsable: true,
    };
    const text = renderScheduleText(schedule);
    expect(text).toContain('CHG-0001  Evil\\u001b[2J\\u000a✓ all fine\n');
    expect(text).toContain('CIs: a\\u202eb\n');
    expect(text.includes('\u001b')).toBe(false);
  });
});
