import { describe, expect, it } from 'vitest';
import {
  firstFit,
  formatDuration,
  formatHours,
  formatInstant,
  insideWindows,
  isTimeZone,
  mergePeriods,
  occurrences,
  parseInstant,
  schedulePeriod,
  zonedTime,
  type WeeklyWindow,
} from '../../../src/rules/time.js';
import { expectRatioBelow } from '../../fixtures/timing.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => formatInstant(ms);
const shown = (periods: Array<{ start: number; end: number }>) =>
  periods.map((period) => `${iso(period.start)} to ${iso(period.end)}`);

describe('zonedTime', () => {
  it.each([
    [
      'winter time in Berlin is UTC+1',
      'Europe/Berlin',
      [2026, 1, 15, 12, 0],
      '2026-01-15T11:00:00Z',
    ],
    [
      'summer time in Berlin is UTC+2',
      'Europe/Berlin',
      [2026, 7, 15, 12, 0],
      '2026-07-15T10:00:00Z',
    ],
    [
      'a time the clocks skip moves forward by the gap',
      'Europe/Berlin',
      [2026, 3, 29, 2, 30],
      '2026-03-29T01:30:00Z',
    ],
    [
      'the first moment after the spring gap',
      'Europe/Berlin',
      [2026, 3, 29, 3, 0],
      '2026-03-29T01:00:00Z',
    ],
    [
      'a time that happens twice is the earlier',
      'Europe/Berlin',
      [2026, 10, 25, 2, 30],
      '2026-10-25T00:30:00Z',
    ],
    [
      'the hour after the autumn repeat',
      'Europe/Berlin',
      [2026, 10, 25, 3, 0],
      '2026-10-25T02:00:00Z',
    ],
    [
      'southern hemisphere autumn repeat',
      'Australia/Sydney',
      [2026, 4, 5, 2, 30],
      '2026-04-04T15:30:00Z',
    ],
    ['UTC is itself', 'UTC', [2026, 11, 2, 22, 0], '2026-11-02T22:00:00Z'],
    ['years below 100 are not read as 19xx', 'UTC', [50, 1, 1, 0, 0], '0050-01-01T00:00:00Z'],
  ] as const)('%s', (_name, zone, [year, month, day, hour, minute], expected) => {
    expect(iso(zonedTime(zone, { year, month, day }, hour, minute))).toBe(expected);
  });
});

describe('occurrences', () => {
  const saturdayNight: WeeklyWindow = {
    days: ['sat'],
    from: '22:00',
    to: '06:00',
    timezone: 'Europe/Berlin',
  };

  it.each([
    [
      'the spring DST night is an hour shorter',
      saturdayNight,
      ['2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z'],
      ['2026-03-28T21:00:00Z to 2026-03-29T04:00:00Z'],
    ],
    [
      'the autumn DST night is an hour longer',
      saturdayNight,
      ['2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z'],
      ['2026-10-24T20:00:00Z to 2026-10-25T05:00:00Z'],
    ],
    [
      'a window the spring gap swallows does not occur',
      { days: ['sun'], from: '02:00', to: '03:00', timezone: 'Europe/Berlin' },
      ['2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z'],
      [],
    ],
    [
      'a window past midnight belongs to the day it opens',
      { days: ['mon'], from: '22:00', to: '02:00' },
      ['2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z'],
      ['2026-11-02T22:00:00Z to 2026-11-03T02:00:00Z'],
    ],
    [
      '24:00 closes at the next midnight',
      { days: ['fri'], from: '20:00', to: '24:00' },
      ['2026-11-06T00:00:00Z', '2026-11-08T00:00:00Z'],
      ['2026-11-06T20:00:00Z to 2026-11-07T00:00:00Z'],
    ],
    [
      'the same from and to is a whole day',
      { days: ['sat'], from: '06:00', to: '06:00' },
      ['2026-11-07T00:00:00Z', '2026-11-09T00:00:00Z'],
      ['2026-11-07T06:00:00Z to 2026-11-08T06:00:00Z'],
    ],
    [
      'a window that opened the day before still counts',
      { days: ['sun'], from: '22:00', to: '04:00' },
      ['2026-11-02T01:00:00Z', '2026-11-02T02:00:00Z'],
      ['2026-11-01T22:00:00Z to 2026-11-02T04:00:00Z'],
    ],
  ] as const)('%s', (_name, window, [from, to], expected) => {
    expect(shown(occurrences(window, t(from), t(to)))).toEqual(expected);
  });

  it('finds nothing in an empty or inverted range', () => {
    const any: WeeklyWindow = { days: ['mon'], from: '00:00', to: '24:00' };
    expect(occurrences(any, t('2026-11-03T00:00:00Z'), t('2026-11-02T00:00:00Z'))).toEqual([]);
  });
});

describe('insideWindows', () => {
  const weeknights: WeeklyWindow = {
    days: ['mon', 'tue', 'wed', 'thu'],
    from: '22:00',
    to: '02:00',
  };
  const allDay: WeeklyWindow = {
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    from: '00:00',
    to: '24:00',
  };
  const berlinNight: WeeklyWindow = {
    days: ['sat'],
    from: '22:00',
    to: '06:00',
    timezone: 'Europe/Berlin',
  };

  it.each([
    [
      'inside the evening part of a night',
      [weeknights],
      '2026-11-02T22:30:00Z',
      '2026-11-02T23:30:00Z',
      true,
    ],
    [
      'across midnight inside one night',
      [weeknights],
      '2026-11-02T23:00:00Z',
      '2026-11-03T01:30:00Z',
      true,
    ],
    [
      'after midnight, in the night that opened the day before',
      [weeknights],
      '2026-11-03T01:00:00Z',
      '2026-11-03T01:30:00Z',
      true,
    ],
    ['exactly the whole night', [weeknights], '2026-11-02T22:00:00Z', '2026-11-03T02:00:00Z', true],
    [
      'starting before the window opens',
      [weeknights],
      '2026-11-02T21:30:00Z',
      '2026-11-02T23:00:00Z',
      false,
    ],
    [
      'running past the window closing',
      [weeknights],
      '2026-11-03T01:00:00Z',
      '2026-11-03T02:30:00Z',
      false,
    ],
    [
      'spanning two nights and the day between',
      [weeknights],
      '2026-11-02T23:00:00Z',
      '2026-11-03T23:00:00Z',
      false,
    ],
    [
      'on a night the window does not open (friday)',
      [weeknights],
      '2026-11-06T22:30:00Z',
      '2026-11-06T23:00:00Z',
      false,
    ],
    [
      'after midnight of a night that does not open (monday 01:00)',
      [weeknights],
      '2026-11-02T01:00:00Z',
      '2026-11-02T01:30:00Z',
      false,
    ],
    [
      'across midnight in a window open around the clock',
      [allDay],
      '2026-11-02T23:00:00Z',
      '2026-11-03T01:00:00Z',
      true,
    ],
    [
      'across two back-to-back windows',
      [
        { days: ['sat'], from: '00:00', to: '24:00' },
        { days: ['sun'], from: '00:00', to: '24:00' },
      ],
      '2026-11-07T23:00:00Z',
      '2026-11-08T01:00:00Z',
      true,
    ],
    [
      'the last hour of the shortened spring night',
      [berlinNight],
      '2026-03-29T03:00:00Z',
      '2026-03-29T04:00:00Z',
      true,
    ],
    [
      'past the end of the shortened spring night',
      [berlinNight],
      '2026-03-29T03:30:00Z',
      '2026-03-29T04:30:00Z',
      false,
    ],
    [
      'the extra hour of the long autumn night',
      [berlinNight],
      '2026-10-25T04:00:00Z',
      '2026-10-25T05:00:00Z',
      true,
    ],
    [
      'longer than a year, even around the clock',
      [allDay],
      '2026-01-01T00:00:00Z',
      '2027-06-01T00:00:00Z',
      false,
    ],
  ] as const)('%s: %s', (_name, windows, start, end, expected) => {
    expect(insideWindows({ start: t(start), end: t(end) }, windows)).toBe(expected);
  });

  it('gives up on a hostile schedule from year 1 to 9999 no slower than on one week', () => {
    const hostile = { start: t('0001-01-01T00:00:00Z'), end: t('9999-01-01T00:00:00Z') };
    const week = { start: t('2026-01-05T00:00:00Z'), end: t('2026-01-12T00:00:00Z') };
    expect(insideWindows(hostile, [allDay])).toBe(false);
    // Walking 8,000 years of days would be 400,000 times a week's work.
    expectRatioBelow(
      'a schedule of 8,000 years vs one week',
      () => {
        for (let i = 0; i < 100; i++) insideWindows(hostile, [allDay]);
      },
      () => {
        for (let i = 0; i < 100; i++) insideWindows(week, [allDay]);
      },
      10,
    );
  });
});

describe('firstFit', () => {
  const weeknights: WeeklyWindow = {
    days: ['mon', 'tue', 'wed', 'thu'],
    from: '22:00',
    to: '02:00',
  };

  it('finds the next night long enough, after a weekend', () => {
    const fit = firstFit([weeknights], 2 * 3_600_000, t('2026-11-06T10:00:00Z'));
    expect(fit && shown([fit])).toEqual(['2026-11-09T22:00:00Z to 2026-11-10T00:00:00Z']);
  });

  it('starts at the given time when it already fits there', () => {
    const fit = firstFit([weeknights], 3_600_000, t('2026-11-02T23:00:00Z'));
    expect(fit && shown([fit])).toEqual(['2026-11-02T23:00:00Z to 2026-11-03T00:00:00Z']);
  });

  it('finds nothing for a change longer than any window', () => {
    expect(firstFit([weeknights], 5 * 3_600_000, t('2026-11-02T12:00:00Z'))).toBeUndefined();
  });
});

describe('helpers', () => {
  it('merges touching and overlapping periods, in order', () => {
    expect(
      mergePeriods([
        { start: 5, end: 6 },
        { start: 1, end: 2 },
        { start: 2, end: 3 },
        { start: 2.5, end: 4 },
      ]),
    ).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 6 },
    ]);
  });

  it.each([
    ['2026-12-02T22:00:00Z', t('2026-12-02T22:00:00Z')],
    ['2026-12-02T23:00:00+01:00', t('2026-12-02T22:00:00Z')],
    ['tomorrow', undefined],
    ['2026-12-02', undefined],
    [42, undefined],
    [undefined, undefined],
  ])('parses %s', (value, expected) => {
    expect(parseInstant(value)).toBe(expected);
  });

  it.each([
    [{ start: '2026-12-02T22:00:00Z', end: '2026-12-02T23:00:00Z' }, true],
    [{ start: '2026-12-02T22:00:00Z', end: '2026-12-02T22:00:00Z' }, false],
    [{ start: '2026-12-02T22:00:00Z' }, false],
    ['2026-12-02T22:00:00Z', false],
    [null, false],
  ])('reads the schedule %j as a period: %s', (schedule, expected) => {
    expect(schedulePeriod(schedule) !== undefined).toBe(expected);
  });

  it.each([
    [0, '0 minutes', '0 hours'],
    [60_000, '1 minute', '0 hours'],
    [45 * 60_000, '45 minutes', '0.7 hours'],
    [3_600_000, '1 hour', '1 hour'],
    [30.55 * 3_600_000, '30.5 hours', '30.5 hours'],
    [72 * 3_600_000, '3 days', '72 hours'],
  ])('shows %i ms as %s and %s', (ms, duration, hours) => {
    expect(formatDuration(ms)).toBe(duration);
    expect(formatHours(ms)).toBe(hours);
  });

  it('shows instants in UTC without milliseconds', () => {
    expect(formatInstant(t('2026-12-02T23:00:00.400+01:00'))).toBe('2026-12-02T22:00:00Z');
  });

  it('knows IANA time zones and rejects typos', () => {
    expect([isTimeZone('Europe/Berlin'), isTimeZone('UTC'), isTimeZone('Europe/Berln')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
