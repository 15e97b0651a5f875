/** One minute in milliseconds. */
export const MINUTE = 60_000;
/** One hour in milliseconds. */
export const HOUR = 60 * MINUTE;
/** One day (of 24 hours) in milliseconds. */
export const DAY = 24 * HOUR;

/** A day of the week as the policy writes it. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A weekly maintenance window: the days it opens on, local opening and closing times, a zone. */
export interface WeeklyWindow {
  days: readonly Weekday[];
  /** HH:MM, local time in `timezone`. */
  from: string;
  /** HH:MM or 24:00; not after `from` means the window closes on the next day. */
  to: string;
  /** An IANA time zone; UTC when left out. */
  timezone?: string | undefined;
}

/** A half-open span of time [start, end), in epoch milliseconds. */
export interface Period {
  start: number;
  end: number;
}

/** A calendar date, month 1 to 12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

// Index = Date#getUTCDay() of the civil date.
const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Instants parsed, by their text: bounded, as instantOf's, for a long-lived process. */
const parsedInstants = new Map<string, number | undefined>();

/**
 * The instant an RFC 3339 date-time names, or undefined for anything else. Records that failed
 * their schema reach the rules too, so a bad value must not become NaN arithmetic.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  // Six rules read each schedule (lead time, windows, freezes, collisions, order, the past):
  // a date is parsed once, not once per rule.
  const known = parsedInstants.get(value);
  if (known !== undefined || parsedInstants.has(value)) return known;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  const instant = Number.isFinite(ms) ? ms : undefined;
  if (parsedInstants.size >= 100_000) parsedInstants.clear();
  parsedInstants.set(value, instant);
  return instant;
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const zonedDateTime =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;

/**
 * A bound of a period given by a person, as epoch milliseconds: a date alone is a whole UTC day,
 * its start for the `start` edge and its end (the next midnight) for `end`; a date-time must
 * carry its zone, or it would depend on the machine's time zone. Undefined for anything else,
 * a date that is not in the calendar (2027-02-30) included.
 */
export function parseDateBound(value: string, edge: 'start' | 'end'): number | undefined {
  const day = dateOnly.exec(value) ?? zonedDateTime.exec(value);
  if (!day) return undefined;
  const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, date);
  // Date rolls 2027-02-30 over to 2 March: a date that is not in the calendar is a typo.
  if (midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== date) return undefined;
  if (day.length === 4) return midnight.getTime() + (edge === 'end' ? DAY : 0);
  const ms = Date.parse(value.toUpperCase());
  return Number.isFinite(ms) ? ms : undefined;
}

/** An instant as people read it in messages: UTC, to the second, without milliseconds. */
export function formatInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A length of time in hours, cut to one decimal: "1 hour", "30.5 hours", "0.2 hours". */
export function formatHours(ms: number): string {
  const hours = Math.trunc((ms / HOUR) * 10) / 10;
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** A length of time in the largest unit that reads well: "45 minutes", "5 hours", "3 days". */
export function formatDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), 'minute');
  if (ms < 2 * DAY) return formatHours(ms);
  return plural(Math.floor(ms / DAY), 'day');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the IANA time zone; loading the policy checks every window's zone with it. */
export { isTimeZone } from '../records/time-zone.js';

/** The wall-clock time in a zone at an instant, expressed as if that wall clock were UTC. */
function wallClock(timeZone: string, ms: number): number {
  // UTC is most windows' zone and needs no Intl round trip, which is the slow part.
  if (timeZone === 'UTC') return Math.floor(ms / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return utc(parts.year!, parts.month!, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
}

// Date.UTC reads years 0 to 99 as 1900 to 1999; setUTCFullYear does not.
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function offsetAt(timeZone: string, ms: number): number {
  return wallClock(timeZone, ms) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall-clock time in a zone names, resolved like Temporal's "compatible":
 * a time the clocks skip (spring forward) moves forward by the gap, as a clock would show it; a
 * time that happens twice (fall back) is the earlier of the two.
 */
export function zonedTime(timeZone: string, date: CivilDate, hour: number, minute: number): number {
  return instantOf(timeZone, utc(date.year, date.month, date.day, hour, minute));
}

const instants = new Map<string, number>();

/** {@link zonedTime} of a local time given as milliseconds since the local 1970-01-01 00:00. */
function instantOf(timeZone: string, local: number): number {
  if (timeZone === 'UTC') return local;
  // Windows open at the same few local times on the same few dates for every change: remember.
  const key = `${timeZone} ${local}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  // Zones change offset at most once within a day either side, so these two bound the answer.
  const before = offsetAt(timeZone, local - DAY);
  const after = offsetAt(timeZone, local + DAY);
  const candidates = [local - before, local - after]
    .filter((ms) => wallClock(timeZone, ms) === local)
    .sort((a, b) => a - b);
  const instant = candidates[0] ?? local - before;
  if (instants.size >= 100_000) instants.clear();
  instants.set(key, instant);
  return instant;
}

function minutesOf(text: string): number {
  const [hour, minute] = text.split(':').map(Number);
  return (hour ?? 0) * HOUR + (minute ?? 0) * MINUTE;
}

/**
 * Every occurrence of a weekly window that overlaps [from, to), in time order. An occurrence
 * opens on a day the window names at `from` local time and closes at `to` on the same day, or
 * on the next day when `to` is not after `from` (a window past midnight); 24:00 is the next
 * midnight. Local times are converted with the zone's rules of that very date, so DST is handled;
 * an occurrence that DST leaves empty is dropped. The work grows with the days in the range.
 */
export function occurrences(window: WeeklyWindow, from: number, to: number): Period[] {
  const found: Period[] = [];
  if (!(to > from)) return found;
  const timeZone = window.timezone ?? 'UTC';
  const days = new Set(window.days);
  const open = minutesOf(window.from);
  const close =
    minutesOf(window.to) + (window.to !== '24:00' && window.to <= window.from ? DAY : 0);
  // Local dates are within a day of UTC ones (offsets stay under 15 hours), and an occurrence
  // lasts at most a day: two days of margin before, one after, catch every occurrence.
  const last = Math.floor(to / DAY) + 1;
  for (let day = Math.floor(from / DAY) - 2; day <= last; day++) {
    // Day 0, 1970-01-01, was a Thursday.
    if (!days.has(weekdays[(((day + 4) % 7) + 7) % 7]!)) continue;
    const start = instantOf(timeZone, day * DAY + open);
    const end = instantOf(timeZone, day * DAY + close);
    if (end > start && end > from && start < to) found.push({ start, end });
  }
  return found;
}

/**
 * Periods sorted and joined where they touch or overlap: a window open every day from 00:00 to
 * 24:00, or two windows back to back, is one continuous stretch of allowed time.
 */
export function mergePeriods(periods: readonly Period[]): Period[] {
  const sorted = [...periods].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Period[] = [];
  for (const period of sorted) {
    const last = merged[merged.length - 1];
    if (last && period.start <= last.end) last.end = Math.max(last.end, period.end);
    else merged.push({ ...period });
  }
  return merged;
}

/** Whether two half-open periods share any moment. */
export function overlaps(a: Period, b: Period): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The continuous stretches of time the windows are open, merged, that overlap [from, to). */
export function openPeriods(windows: readonly WeeklyWindow[], from: number, to: number): Period[] {
  return mergePeriods(windows.flatMap((window) => occurrences(window, from, to)));
}

/** The longest period {@link insideWindows} looks at; anything longer never fits. */
export const MAX_WINDOW_CHECK = 366 * DAY;

/**
 * Whether the whole period lies inside one continuous stretch during which a window is open. A
 * period longer than {@link MAX_WINDOW_CHECK} never does: it keeps a hostile schedule (year 1 to
 * 9999) from walking millions of days.
 */
export function insideWindows(period: Period, windows: readonly WeeklyWindow[]): boolean {
  if (period.end - period.start > MAX_WINDOW_CHECK) return false;
  return openPeriods(windows, period.start, period.end).some(
    (open) => open.start <= period.start && period.end <= open.end,
  );
}

/**
 * The earliest period of the given length, starting at or after `notBefore` and within
 * `horizon` of it, that lies inside the windows; undefined when none does.
 */
export function firstFit(
  windows: readonly WeeklyWindow[],
  duration: number,
  notBefore: number,
  horizon = 15 * DAY,
): Period | undefined {
  for (const open of openPeriods(windows, notBefore, notBefore + horizon)) {
    const start = Math.max(open.start, notBefore);
    if (start + duration <= open.end) return { start, end: start + duration };
  }
  return undefined;
}

/**
 * A record's schedule as a period, or undefined when it is missing, a date does not parse, or it
 * does not end after it starts (those are reported elsewhere: schema, schedule-order).
 */
export function schedulePeriod(schedule: unknown): Period | undefined {
  if (typeof schedule !== 'object' || schedule === null) return undefined;
  const start = parseInstant((schedule as { start?: unknown }).start);
  const end = parseInstant((schedule as { end?: unknown }).end);
  if (start === undefined || end === undefined || end <= start) return undefined;
  return { start, end };
}
