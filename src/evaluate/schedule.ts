import { countSeverities, type Finding, type Severity } from '../records/finding.js';
import { unreadRecords } from '../records/layout.js';
import type { LoadResult } from '../records/load.js';
import { renderScheduleIcs } from '../render/schedule-ics.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import type { Change, Release } from '../records/types.generated.js';
import {
  compareEntries,
  type FreezeConflict,
  type Schedule,
  type ScheduleCollision,
  type ScheduledChange,
  type ScheduledFreeze,
  type ScheduleEntry,
} from '../render/schedule-model.js';
import { collidingPairs, collisionRule, type TimedChange } from '../rules/collision.js';
import { freezeRule } from '../rules/freeze.js';
import { ruleSettings } from '../rules/rule.js';
import { changeType, isPending } from '../rules/status.js';
import { overlaps, parseInstant, schedulePeriod, type Period } from '../rules/time.js';
import { impactResolver } from '../impact/change-impact.js';

/** Which part of the estate a schedule shows. */
export interface ScheduleOptions {
  /** Show what overlaps [from, to), epoch milliseconds. */
  from: number;
  /** No end when null or left out. */
  to?: number | null;
  /**
   * Every change and release whatever its status; by default only pending changes (proposed,
   * approved) and releases not yet deployed (planned, testing, approved).
   */
  all?: boolean;
}

// A release still to happen; the others are history.
const pendingReleases: ReadonlySet<string> = new Set(['planned', 'testing', 'approved']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * The collisions of every pending scheduled change, by change id, as the collision rule sees
 * them (the same sweep, `collidingPairs`, under the rule's `scope` parameter); the rule reports a
 * pair once, on one change, while a schedule marks both changes.
 */
function collisionsByChange(estate: Estate): Map<string, ScheduleCollision[]> {
  const found = new Map<string, ScheduleCollision[]>();
  const { severity, parameters } = ruleSettings(collisionRule, estate);
  if (severity === 'off') return found;
  const scope = parameters.scope === 'direct' ? 'direct' : 'impacted';
  const changeImpact = scope === 'impacted' ? impactResolver(estate) : undefined;
  const cisOf = (change: Change): ReadonlySet<string> =>
    new Set(changeImpact ? changeImpact(change).ids : strings(change.cis));
  const items: TimedChange[] = [];
  for (const record of estate.changes.values()) {
    if (!isPending(record.data)) continue;
    const period = schedulePeriod(record.data.schedule);
    if (period) items.push({ record, ...period, subject: true });
  }
  for (const { a, b, shared } of collidingPairs(items, cisOf).pairs) {
    const start = Math.max(a.start, b.start);
    const end = Math.min(a.end, b.end);
    for (const [on, peer] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = found.get(on.record.id) ?? [];
      list.push({
        with: peer.record.id,
        status: text(peer.record.data.status),
        start,
        end,
        shared,
        scope,
        severity,
      });
      found.set(on.record.id, list);
    }
  }
  for (const list of found.values()) {
    list.sort((x, y) => x.start - y.start || (x.with < y.with ? -1 : 1));
  }
  return found;
}

/** The policy's freezes as periods; swapped dates still freeze the time between them. */
export function freezesOf(estate: Estate): ScheduledFreeze[] {
  const freezes: ScheduledFreeze[] = [];
  for (const freeze of estate.policy.freezes) {
    const start = parseInstant(freeze.start);
    const end = parseInstant(freeze.end);
    // Like the freeze rule: a reversed freeze is reported there and must not lift the freeze.
    if (start === undefined || end === undefined || start === end) continue;
    freezes.push({
      kind: 'freeze',
      name: freeze.name,
      start: Math.min(start, end),
      end: Math.max(start, end),
      allow: [...(freeze.allow ?? [])],
    });
  }
  return freezes;
}

/** The freezes a pending change's window overlaps that do not allow its type. */
function freezeConflictsOf(
  change: Change,
  period: Period,
  freezes: readonly ScheduledFreeze[],
  severity: Severity | 'off',
): FreezeConflict[] {
  const type = changeType(change);
  if (severity === 'off' || !type || !isPending(change)) return [];
  return freezes
    .filter((freeze) => !freeze.allow.includes(type) && overlaps(period, freeze))
    .map((freeze) => ({
      freeze: freeze.name,
      start: freeze.start,
      end: freeze.end,
      allow: freeze.allow,
      severity,
    }));
}

function releaseEntry(record: LoadedRecord<Release>, period: Period): ScheduleEntry {
  const release = record.data;
  return {
    kind: 'release',
    id: record.id,
    title: text(release.title),
    type: text(release.type),
    status: text(release.status),
    ...period,
    ...(typeof release.version === 'string' ? { version: release.version } : {}),
    changes: strings(release.changes),
  };
}

/**
 * The forward schedule of change: every change (pending ones unless `all`) and release with a
 * schedule, and every freeze of the policy, that overlaps [from, to), in time order. Each pending
 * change is marked with its collisions and the freezes it breaks, under the policy's settings of
 * the collision and freeze rules (a rule set to off marks nothing). No IO.
 */
export function buildSchedule(
  estate: Estate,
  options: ScheduleOptions & { policyUsable?: boolean },
): Schedule {
  const { from, all = false, policyUsable = true } = options;
  const to = options.to ?? null;
  const inRange = (period: Period) => period.end > from && (to === null || period.start < to);
  const freezes = freezesOf(estate);
  // Under a policy that could not be used the estate holds the defaults: marking collisions by
  // the default settings would claim to know what the repository's policy says.
  const collisions = policyUsable ? collisionsByChange(estate) : new Map<string, never>();
  const freezeSeverity = ruleSettings(freezeRule, estate).severity;
  const entries: ScheduleEntry[] = freezes.filter(inRange);
  const unscheduled: string[] = [];

  for (const record of estate.changes.values()) {
    const change = record.data;
    if (!all && !isPending(change)) continue;
    const period = schedulePeriod(change.schedule);
    if (!period) {
      // Only a change still to happen needs a date; a finished one without is just history.
      if (isPending(change)) unscheduled.push(record.id);
      continue;
    }
    if (!inRange(period)) continue;
    const entry: ScheduledChange = {
      kind: 'change',
      id: record.id,
      title: text(change.title),
      type: text(change.type),
      status: text(change.status),
      ...period,
      cis: strings(change.cis),
      collisions: collisions.get(record.id) ?? [],
      freezeConflicts: freezeConflictsOf(change, period, freezes, freezeSeverity),
    };
    if (typeof change.release === 'string') entry.release = change.release;
    if (typeof change.requester === 'string') entry.requester = change.requester;
    if (typeof change.reason === 'string') entry.reason = change.reason;
    entries.push(entry);
  }
  for (const record of estate.releases.values()) {
    if (!all && !pendingReleases.has(record.data.status)) continue;
    const period = schedulePeriod(record.data.schedule);
    if (period && inRange(period)) entries.push(releaseEntry(record, period));
  }
  return {
    from,
    to,
    entries: entries.sort(compareEntries),
    unscheduled: unscheduled.sort(),
    policyUsable,
  };
}

/** What `schedule` decides on loaded records: the schedule, how far to trust it, the calendar. */
export interface ScheduleDecision {
  schedule: Schedule;
  /** False when changeops.yaml cannot be used: freezes and rule settings are then unknown. */
  policyUsable: boolean;
  /** Error-level findings while loading: the schedule may miss records. */
  recordErrors: number;
  /** YAML that looks like records where changeops does not read them (the layout warnings). */
  unread: Finding[];
  /** The schedule as an iCalendar file, when one was asked for (`calendarStamp` given). */
  calendar?: string;
}

/**
 * The forward schedule of loaded records and, with `calendarStamp` (the DTSTAMP of the events,
 * epoch milliseconds), the same schedule as an iCalendar file whose UIDs name
 * `calendarRepository` (see IcsOptions).
 */
export function decideSchedule(
  workspace: LoadResult,
  options: ScheduleOptions & { calendarStamp?: number; calendarRepository?: string },
): ScheduleDecision {
  const schedule = buildSchedule(workspace.estate, {
    ...options,
    policyUsable: workspace.policyUsable,
  });
  return {
    schedule,
    policyUsable: workspace.policyUsable,
    recordErrors: countSeverities(workspace.findings).errors,
    unread: unreadRecords(workspace.findings),
    ...(options.calendarStamp !== undefined
      ? {
          calendar: renderScheduleIcs(schedule, {
            now: options.calendarStamp,
            ...(options.calendarRepository ? { repository: options.calendarRepository } : {}),
          }),
        }
      : {}),
  };
}
