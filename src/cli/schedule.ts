import { schedule } from '../app/schedule.js';
import { show } from '../records/wording.js';
import {
  collisionPairs,
  freezeConflictCount,
  hasErrorMarks,
  type Schedule,
  type ScheduleGrouping,
} from '../render/schedule-model.js';
import { renderScheduleText } from '../render/schedule-text.js';
import { formatInstant } from '../rules/time.js';
import { parseDate } from './dates.js';
import type { Command } from './command.js';
import { exitCodes, formatFinding, printJson, type Io } from './output.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops schedule`. */
export const scheduleHelp = `Usage: changeops schedule [--from DATE] [--to DATE] [--group day|week] [--all] [--ics FILE]
                          [--dir DIR] [--json]

The forward schedule of change: every pending (proposed or approved) change and every release
not yet deployed (planned, testing, approved) that has a schedule, and the policy's freezes, in
time order, grouped by the UTC day (or ISO week) they start on. Each change shows its type,
status, window, CIs and release, and is marked with:
  collisions       another pending change in an overlapping window touches the same CIs (or
                   impacted CIs: the collision rule's scope parameter in changeops.yaml)
  freeze conflicts its window overlaps a freeze that does not allow its type
Marks follow the policy's severity of the collision and freeze rules: ✗ for error, ! for
warning or notice, none when the rule is off. Pending changes without a schedule are listed.

Options:
  --from DATE  show what ends after DATE (default: now), so changes under way are shown
  --to DATE    show what starts before DATE (default: no end)
               DATE is a date (2027-02-01, UTC) or an RFC 3339 date-time with a zone
               (2027-02-01T08:00:00+01:00); a date alone means the start of that day for
               --from and the end of it for --to, so --to 2027-02-28 includes 28 February
  --group G    day (default) or week (ISO weeks, Monday to Sunday)
  --all        also changes and releases of any other status (drafts, finished, cancelled);
               only pending changes are marked, as changeops check judges only those
  --ics FILE   also write the schedule as an iCalendar file (RFC 5545; FILE relative to the
               current directory): one event per change, release and freeze, with a UID that
               names the record and the repository (CHG-0042@acme/shop.changeops: from
               GITHUB_REPOSITORY or the origin remote, else a digest of DIR), so a calendar that
               imports it again updates the events in place and two repositories' events never
               overwrite each other; the schedule is still printed on stdout, and a confirmation
               line goes to stderr
  --dir DIR    the repository root (default: the current directory)
  --json       print {"ok", "from", "to", "entries": [...], "unscheduled", "collisions",
               "freezeConflicts", "policyUsable"}, times as RFC 3339 UTC
               (schemas/output/schedule.schema.json)

Notes go to stderr: records with errors (the schedule may miss some), and YAML that looks like
records where changeops does not read it (Changes/, a change file at the root).

Exit codes: 0 nothing shown collides or breaks a freeze at error severity, 1 a change shown
has such a collision or freeze conflict (so a scheduled job can alert on it), 2 a bad date or
option, DIR holds no changeops.yaml, changes/ or cmdb/, or changeops.yaml cannot be used (the
freezes and rule settings are then unknown: the schedule is still printed, unmarked, and says
so instead of "no freeze conflicts").`;

/** The options `schedule` adds to the common ones. */
export const scheduleOptions = {
  from: { type: 'string' },
  to: { type: 'string' },
  group: { type: 'string' },
  all: { type: 'boolean', default: false },
  ics: { type: 'string' },
} as const;

/** The `schedule` entry of the CLI's command table. */
export const scheduleCommand: Command = {
  help: scheduleHelp,
  options: scheduleOptions,
  run: ({ values, positionals, dir }, io) => {
    if (positionals.length > 0)
      throw new UsageError(`schedule takes no arguments, not ${positionals.join(' ')}`);
    const group = values.group ?? 'day';
    if (group !== 'day' && group !== 'week')
      throw new UsageError(`--group is ${show(group)}; use day or week`);
    const now = new Date();
    const from =
      typeof values.from === 'string' ? parseDate('--from', values.from, 'start') : now.getTime();
    const to = typeof values.to === 'string' ? parseDate('--to', values.to, 'end') : null;
    if (to !== null && to <= from)
      throw new UsageError(
        `--to (${formatInstant(to)}) is not after --from (${formatInstant(from)})`,
      );
    if (values.ics === '') throw new UsageError('--ics needs a file name');
    return runSchedule(
      {
        dir,
        from,
        to,
        all: values.all === true,
        group,
        json: values.json === true,
        now,
        ...(typeof values.ics === 'string' ? { ics: values.ics } : {}),
      },
      io,
    );
  },
};

/** Runs `changeops schedule`: prints the schedule (or JSON), writes the calendar, returns the exit code. */
export async function runSchedule(
  options: {
    dir: string;
    from: number;
    to: number | null;
    all: boolean;
    group: ScheduleGrouping;
    json: boolean;
    now: Date;
    ics?: string;
  },
  io: Io,
): Promise<number> {
  const outcome = await schedule(options.dir, options);
  // Notes go to stderr, so that stdout stays the schedule alone (JSON stays parseable).
  if (!outcome.policyUsable)
    io.err(
      'note: changeops.yaml cannot be used, so its freezes and rule settings are unknown (run changeops validate)',
    );
  else if (outcome.recordErrors > 0)
    io.err(
      `note: the records have ${outcome.recordErrors} error${outcome.recordErrors === 1 ? '' : 's'}, so the schedule may be incomplete (run changeops validate)`,
    );
  for (const finding of outcome.unread) io.err(`note: ${formatFinding(finding)}`);
  if (options.json) printJson(io, toJson(outcome.schedule));
  else io.out(renderScheduleText(outcome.schedule, { group: options.group }).trimEnd());
  if (outcome.ics) {
    const n = outcome.ics.events;
    io.err(`wrote ${n} event${n === 1 ? '' : 's'} to ${outcome.ics.path}`);
  }
  if (!outcome.policyUsable) return exitCodes.usage;
  return hasErrorMarks(outcome.schedule) ? exitCodes.failed : exitCodes.ok;
}

/** The --json shape (schemas/output/schedule.schema.json): every key there, times in UTC. */
function toJson(built: Schedule) {
  const at = formatInstant;
  const entries = built.entries.map((entry) => {
    if (entry.kind === 'freeze')
      return {
        kind: entry.kind,
        name: entry.name,
        start: at(entry.start),
        end: at(entry.end),
        allow: entry.allow,
      };
    if (entry.kind === 'release')
      return {
        kind: entry.kind,
        id: entry.id,
        title: entry.title,
        type: entry.type,
        status: entry.status,
        start: at(entry.start),
        end: at(entry.end),
        version: entry.version ?? null,
        changes: entry.changes,
      };
    return {
      kind: entry.kind,
      id: entry.id,
      title: entry.title,
      type: entry.type,
      status: entry.status,
      start: at(entry.start),
      end: at(entry.end),
      cis: entry.cis,
      release: entry.release ?? null,
      requester: entry.requester ?? null,
      reason: entry.reason ?? null,
      collisions: entry.collisions.map((mark) => ({
        ...mark,
        start: at(mark.start),
        end: at(mark.end),
      })),
      freezeConflicts: entry.freezeConflicts.map((mark) => ({
        ...mark,
        start: at(mark.start),
        end: at(mark.end),
      })),
    };
  });
  return {
    ok: built.policyUsable && !hasErrorMarks(built),
    from: at(built.from),
    to: built.to === null ? null : at(built.to),
    entries,
    unscheduled: built.unscheduled,
    // Pairs, as the text's summary counts them: a collision is marked on both of its changes.
    collisions: collisionPairs(built),
    freezeConflicts: freezeConflictCount(built),
    policyUsable: built.policyUsable,
  };
}
