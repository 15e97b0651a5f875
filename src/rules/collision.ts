import type { LoadedRecord } from '../records/estate.js';
import { listSome } from '../records/wording.js';
import type { Change } from '../records/types.generated.js';
import type { Rule } from './rule.js';
import { isPending } from './status.js';
import { formatInstant, schedulePeriod } from './time.js';

/** A change placed in time for the collision sweep. */
export interface TimedChange {
  record: LoadedRecord<Change>;
  start: number;
  end: number;
  /** Under evaluation: only pairs with at least one subject are wanted. */
  subject: boolean;
}

/** Two changes whose windows overlap and whose CIs intersect; `a` starts first. */
export interface CollidingPair {
  a: TimedChange;
  b: TimedChange;
  /** The CIs both share, sorted. */
  shared: string[];
}

/**
 * Every pair of changes whose windows overlap (touching is not overlapping) and whose CIs, as
 * `cisOf` gives them, intersect, with at least one of the two a subject. A sweep over the
 * changes sorted by start compares only changes whose windows are still open, never all pairs,
 * and asks `cisOf` once per change at most.
 */
export function collidingPairs(
  changes: readonly TimedChange[],
  cisOf: (change: Change) => ReadonlySet<string>,
): CollidingPair[] {
  const cis = new Map<TimedChange, ReadonlySet<string>>();
  const of = (item: TimedChange) => {
    let set = cis.get(item);
    if (!set) cis.set(item, (set = cisOf(item.record.data)));
    return set;
  };
  const items = [...changes].sort(
    (a, b) => a.start - b.start || (a.record.id < b.record.id ? -1 : 1),
  );
  const pairs: CollidingPair[] = [];
  // Changes whose window is still open at the current start. Those not under evaluation are
  // pruned only when a change under evaluation arrives: nothing else looks at them.
  let openSubjects: TimedChange[] = [];
  let openOthers: TimedChange[] = [];
  for (const item of items) {
    openSubjects = openSubjects.filter((open) => open.end > item.start);
    if (item.subject) openOthers = openOthers.filter((open) => open.end > item.start);
    const candidates = item.subject ? [...openSubjects, ...openOthers] : openSubjects;
    for (const other of candidates) {
      const shared = intersection(of(item), of(other));
      if (shared.length > 0) pairs.push({ a: other, b: item, shared });
    }
    (item.subject ? openSubjects : openOthers).push(item);
  }
  return pairs;
}

/**
 * Collisions: two pending (proposed or approved) changes whose schedules overlap and whose
 * impacted CIs intersect, at least one of them under evaluation. A sweep over the
 * schedules sorted by start compares only changes whose windows overlap, never all pairs.
 */
export const collisionRule: Rule = {
  id: 'collision',
  description:
    'Two changes scheduled in overlapping windows must not touch the same or impacted CIs.',
  defaultSeverity: 'error',
  parameters: {
    scope: {
      description:
        'Which CIs must not be shared: "impacted" (everything either change impacts) or "direct" (the CIs the changes name).',
      default: 'impacted',
      schema: { type: 'string', enum: ['impacted', 'direct'] },
    },
  },
  check(context, report, parameters) {
    const direct = parameters.scope === 'direct';
    const items: TimedChange[] = [];
    const subjects = new Set<string>();
    for (const record of context.changes) {
      if (!isPending(record.data) || subjects.has(record.id)) continue;
      const window = schedulePeriod(record.data.schedule);
      if (!window) continue;
      subjects.add(record.id);
      items.push({ record, ...window, subject: true });
    }
    if (items.length === 0) return;
    for (const record of context.estate.changes.values()) {
      if (subjects.has(record.id) || !isPending(record.data)) continue;
      const window = schedulePeriod(record.data.schedule);
      if (window) items.push({ record, ...window, subject: false });
    }
    const cisOf = (change: Change): ReadonlySet<string> =>
      new Set(
        direct ? (Array.isArray(change.cis) ? change.cis : []) : context.changeImpact(change).ids,
      );
    for (const { a, b, shared } of collidingPairs(items, cisOf)) {
      // When both are under evaluation, the one with the later id (usually the newer change)
      // carries the finding: once per pair, and on the change that should make way.
      const [on, other] = !a.subject || (b.subject && b.record.id > a.record.id) ? [b, a] : [a, b];
      const from = formatInstant(Math.max(a.start, b.start));
      const to = formatInstant(Math.min(a.end, b.end));
      const what = direct ? 'CI' : 'impacted CI';
      report(
        on.record,
        ['schedule'],
        `${on.record.id} and ${other.record.id} (${other.record.data.status}) are both scheduled from ${from} to ${to} and share ${shared.length} ${what}${shared.length === 1 ? '' : 's'}: ${listSome(shared)}; reschedule one of them or combine them into one change`,
      );
    }
  },
};

/** The ids in both sets, sorted; walks the smaller set. */
function intersection(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const shared: string[] = [];
  for (const id of small) if (large.has(id)) shared.push(id);
  return shared.sort();
}
