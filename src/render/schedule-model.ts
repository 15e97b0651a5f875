import type { Severity } from '../records/finding.js';

/** A collision of a scheduled change with another pending change: both windows and CIs overlap. */
export interface ScheduleCollision {
  /** The other change. */
  with: string;
  /** The other change's status. */
  status: string;
  /** The overlap of the two windows, epoch milliseconds. */
  start: number;
  end: number;
  /** The CIs both touch, ascending: named ones (scope direct) or impacted ones (scope impacted). */
  shared: string[];
  scope: 'direct' | 'impacted';
  /** The collision rule's severity under the policy. */
  severity: Severity;
}

/** A scheduled change overlapping a freeze that does not allow its type. */
export interface FreezeConflict {
  freeze: string;
  start: number;
  end: number;
  /** The change types the freeze allows. */
  allow: string[];
  /** The freeze rule's severity under the policy. */
  severity: Severity;
}

/** A change on the schedule, with its marks. */
export interface ScheduledChange {
  kind: 'change';
  id: string;
  title: string;
  type: string;
  status: string;
  start: number;
  end: number;
  cis: string[];
  release?: string;
  requester?: string;
  reason?: string;
  collisions: ScheduleCollision[];
  freezeConflicts: FreezeConflict[];
}

/** A release on the schedule. */
export interface ScheduledRelease {
  kind: 'release';
  id: string;
  title: string;
  type: string;
  status: string;
  start: number;
  end: number;
  version?: string;
  changes: string[];
}

/** A freeze of the policy, shown as a period. */
export interface ScheduledFreeze {
  kind: 'freeze';
  name: string;
  start: number;
  end: number;
  allow: string[];
}

/** One item of the forward schedule. */
export type ScheduleEntry = ScheduledChange | ScheduledRelease | ScheduledFreeze;

/** The forward schedule of change: what is scheduled in [from, to), in time order. */
export interface Schedule {
  /** Epoch milliseconds. */
  from: number;
  /** Epoch milliseconds, or null for no end. */
  to: number | null;
  /** By start, then freezes before releases before changes, then end, then id or name. */
  entries: ScheduleEntry[];
  /** Changes of the statuses shown that have no usable schedule, ascending. */
  unscheduled: string[];
  /**
   * False when changeops.yaml could not be used: its freezes and rule settings are unknown, so
   * nothing is marked and the schedule says that it cannot tell, rather than "no conflicts".
   */
  policyUsable: boolean;
}

/** How the text schedule groups its entries: by UTC day or by ISO week (Monday to Sunday). */
export type ScheduleGrouping = 'day' | 'week';

const kindOrder: Record<ScheduleEntry['kind'], number> = { freeze: 0, release: 1, change: 2 };

/** The schedule's order: by start, freezes first (they frame the rest), then end, then name. */
export function compareEntries(a: ScheduleEntry, b: ScheduleEntry): number {
  const key = (entry: ScheduleEntry) => (entry.kind === 'freeze' ? entry.name : entry.id);
  return (
    a.start - b.start ||
    kindOrder[a.kind] - kindOrder[b.kind] ||
    a.end - b.end ||
    (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)
  );
}

/** Whether any mark of the schedule is at error severity: what makes `schedule` exit 1. */
export function hasErrorMarks(schedule: Schedule): boolean {
  return schedule.entries.some(
    (entry) =>
      entry.kind === 'change' &&
      (entry.collisions.some((mark) => mark.severity === 'error') ||
        entry.freezeConflicts.some((mark) => mark.severity === 'error')),
  );
}

/** The distinct collision pairs among the shown changes (a pair shown on both counts once). */
export function collisionPairs(schedule: Schedule): number {
  const pairs = new Set<string>();
  for (const entry of schedule.entries) {
    if (entry.kind !== 'change') continue;
    for (const mark of entry.collisions)
      pairs.add(entry.id < mark.with ? `${entry.id}\n${mark.with}` : `${mark.with}\n${entry.id}`);
  }
  return pairs.size;
}

/** How many freeze conflicts the shown changes have. */
export function freezeConflictCount(schedule: Schedule): number {
  let count = 0;
  for (const entry of schedule.entries)
    if (entry.kind === 'change') count += entry.freezeConflicts.length;
  return count;
}

/** "only emergency changes", "only standard and emergency changes", "no changes". */
export function allowedChanges(allow: readonly string[]): string {
  return allow.length > 0 ? `only ${allow.join(' and ')} changes` : 'no changes';
}
