import type { Severity } from '../records/finding.js';
import { listSome } from '../records/wording.js';
import { DAY, formatInstant } from '../rules/time.js';
import { printable } from './terminal.js';
import {
  allowedChanges,
  collisionPairs,
  freezeConflictCount,
  hasErrorMarks,
  type Schedule,
  type ScheduleEntry,
  type ScheduleGrouping,
  type ScheduledChange,
} from './schedule-model.js';

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** The UTC day an instant falls on, counted from 1970-01-01. */
function dayNumber(ms: number): number {
  return Math.floor(ms / DAY);
}

/** "Tue 2027-02-09": the UTC date of a day number. */
function dateOfDay(day: number): string {
  const date = new Date(day * DAY);
  return `${weekdays[date.getUTCDay()]} ${date.toISOString().slice(0, 10)}`;
}

/** "22:00", or "22:00:30" when the seconds are not zero, so the text never rounds a time. */
function clock(ms: number): string {
  const time = formatInstant(ms).slice(11, 19);
  return time.endsWith(':00') ? time.slice(0, 5) : time;
}

/** The Monday (day number) of the ISO week of a day; 1970-01-01 was a Thursday. */
function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** "2027-W06": the ISO 8601 week of a Monday, whose year is the year of its Thursday. */
function isoWeek(monday: number): string {
  const thursday = new Date((monday + 3) * DAY);
  const year = thursday.getUTCFullYear();
  const january1 = new Date(0);
  january1.setUTCFullYear(year, 0, 1);
  const week = Math.floor((monday + 3 - dayNumber(january1.getTime())) / 7) + 1;
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The heading of the group a day belongs to. */
function groupHeading(day: number, grouping: ScheduleGrouping): string {
  if (grouping === 'day') return dateOfDay(day);
  const monday = mondayOf(day);
  return `Week ${isoWeek(monday)} (${dateOfDay(monday)} to ${dateOfDay(monday + 6)})`;
}

/**
 * When an entry happens, as read under its group heading: the day heading already says the date,
 * a week heading does not; the end names its date only when it is another day than the start.
 */
function span(entry: ScheduleEntry, grouping: ScheduleGrouping): string {
  const startDay = dayNumber(entry.start);
  const start =
    grouping === 'day' ? clock(entry.start) : `${dateOfDay(startDay)} ${clock(entry.start)}`;
  const endDay = dayNumber(entry.end);
  // A window that ends at midnight names the next day too: "22:00 to 00:00" would read backwards.
  const end = endDay === startDay ? clock(entry.end) : `${dateOfDay(endDay)} ${clock(entry.end)}`;
  return `${start} to ${end}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A mark's sign: a cross for what fails the run, an exclamation mark for what only informs. */
function marked(severity: Severity, text: string): string {
  return severity === 'error' ? `✗ ${text}` : `! ${text} (${severity})`;
}

/** The sentences of a change's collision and freeze marks, each signed with its severity. */
export function changeMarks(change: ScheduledChange): string[] {
  const lines: string[] = [];
  for (const mark of change.collisions) {
    const what = mark.scope === 'direct' ? 'CI' : 'impacted CI';
    lines.push(
      marked(
        mark.severity,
        `collides with ${printable(mark.with)} (${printable(mark.status)}) from ${formatInstant(mark.start)} to ${formatInstant(mark.end)} on ${plural(mark.shared.length, what)}: ${printable(listSome(mark.shared))}`,
      ),
    );
  }
  for (const mark of change.freezeConflicts) {
    lines.push(
      marked(
        mark.severity,
        `in the freeze "${printable(mark.freeze)}" (${formatInstant(mark.start)} to ${formatInstant(mark.end)}), which allows ${allowedChanges(mark.allow)}`,
      ),
    );
  }
  return lines;
}

/** The lines of one entry: what and when, then the details, then its marks. */
function entryLines(entry: ScheduleEntry, grouping: ScheduleGrouping): string[] {
  const when = span(entry, grouping);
  switch (entry.kind) {
    case 'freeze':
      return [
        `  ${when}  Freeze: ${printable(entry.name)}`,
        `    allows ${allowedChanges(entry.allow)}`,
      ];
    case 'release': {
      const version = entry.version ? ` ${printable(entry.version)}` : '';
      const changes = entry.changes.length
        ? ` · changes: ${printable(listSome(entry.changes, 10))}`
        : '';
      return [
        `  ${when}  ${printable(entry.id)}  ${printable(entry.title)}`,
        `    ${printable(entry.type)} release${version}, ${printable(entry.status)}${changes}`,
      ];
    }
    case 'change': {
      const release = entry.release ? ` · release ${printable(entry.release)}` : '';
      return [
        `  ${when}  ${printable(entry.id)}  ${printable(entry.title)}`,
        `    ${printable(entry.type)} change, ${printable(entry.status)} · CIs: ${printable(listSome(entry.cis, 10))}${release}`,
        ...changeMarks(entry).map((line) => `    ${line}`),
      ];
    }
  }
}

/**
 * Renders the forward schedule of change as text: a heading, the entries grouped by the UTC day
 * (or ISO week) they start on, each with its window, what it is and its collision and freeze
 * marks, the pending changes without a schedule, and a summary line that starts with ✓ or ✗
 * (✗ too when the policy could not be used, and the marks are unknown).
 */
export function renderScheduleText(
  schedule: Schedule,
  options: { group?: ScheduleGrouping } = {},
): string {
  const grouping = options.group ?? 'day';
  const until = schedule.to === null ? ', no end' : ` to ${formatInstant(schedule.to)}`;
  const lines = [
    `Forward schedule of change from ${formatInstant(schedule.from)}${until} (times in UTC)`,
  ];
  let heading: string | undefined;
  for (const entry of schedule.entries) {
    const group = groupHeading(dayNumber(entry.start), grouping);
    if (group !== heading) {
      lines.push('', group);
      heading = group;
    }
    lines.push(...entryLines(entry, grouping));
  }
  if (schedule.entries.length === 0) lines.push('', 'Nothing is scheduled in this period.');
  if (schedule.unscheduled.length > 0)
    lines.push('', `Not scheduled: ${printable(listSome(schedule.unscheduled, 10))}`);

  const count = (kind: ScheduleEntry['kind']) =>
    schedule.entries.filter((entry) => entry.kind === kind).length;
  const collisions = collisionPairs(schedule);
  const conflicts = freezeConflictCount(schedule);
  const shown = `${plural(count('change'), 'change')}, ${plural(count('release'), 'release')}, ${plural(count('freeze'), 'freeze')}`;
  if (!schedule.policyUsable) {
    // Never "no freeze conflicts" when the freezes could not be read.
    lines.push(
      '',
      `✗ ${shown}: collisions and freeze conflicts unknown, because changeops.yaml cannot be used (run changeops validate)`,
    );
    return `${lines.join('\n')}\n`;
  }
  const marks = `${collisions ? plural(collisions, 'collision') : 'no collisions'}, ${conflicts ? plural(conflicts, 'freeze conflict') : 'no freeze conflicts'}`;
  lines.push('', `${hasErrorMarks(schedule) ? '✗' : '✓'} ${shown}: ${marks}`);
  return `${lines.join('\n')}\n`;
}
