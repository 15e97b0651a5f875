import type { LoadedRecord } from '../records/estate.js';
import type { RecordKind } from '../records/kinds.js';
import { StoredData } from '../records/stored-record.js';
import { listSome } from '../records/wording.js';
import type { Change } from '../records/types.generated.js';
import type { Rule } from './rule.js';
import { isPending, isPendingData } from './status.js';
import { formatInstant, schedulePeriod } from './time.js';

/** The CIs of a change as the sweep compares them: a set, or a list without repeats. */
export type CiIds = ReadonlySet<string> | readonly string[];

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

/** What the collision sweep found: the pairs, and per change the pairs beyond the cap. */
export interface CollisionSweep {
  pairs: CollidingPair[];
  /**
   * For a change (the later-starting one of its pairs) that collides with more changes than
   * `maxPerChange`: how many further pairs there are, counted and not listed.
   */
  beyond: Map<TimedChange, number>;
}

/**
 * Every pair of changes whose windows overlap (touching is not overlapping) and whose CIs, as
 * `cisOf` gives them, intersect, with at least one of the two a subject. A sweep over the
 * changes sorted by start keeps, per CI, the changes still open on it, so a change meets only
 * the changes it shares a CI with: the work is the size of the answer, not the number of
 * overlapping windows (5,000 changes in one night on disjoint CIs compare nothing). At most
 * `maxPerChange` pairs are listed per later-starting change; the rest are counted in `beyond`,
 * so a file of thousands of changes on one CI cannot make millions of findings.
 */
export function collidingPairs(
  changes: readonly TimedChange[],
  cisOf: (change: Change) => CiIds,
  maxPerChange = Number.POSITIVE_INFINITY,
): CollisionSweep {
  // A change that is no subject pairs only with a subject whose window overlaps its own: the
  // others are dropped before their CIs are asked (in a pull request, 5,000 pending changes'
  // impacts were worked out to compare with the one or two under evaluation).
  const meets = subjectWindows(changes);
  const items = changes
    .filter((item) => item.subject || meets(item))
    .sort((a, b) => a.start - b.start || (a.record.id < b.record.id ? -1 : 1));
  const pairs: CollidingPair[] = [];
  const beyond = new Map<TimedChange, number>();
  // The changes open on each CI, among those whose CIs were asked; an entry that ended is dropped
  // the next time its CI is visited (starts only grow, so it never comes back).
  const openOn = new Map<string, number[]>();
  // The CIs of each change, asked when it is first compared; and per change the item that met it
  // last as a candidate.
  const cis: Array<CiIds | undefined> = new Array<CiIds | undefined>(items.length);
  const metBy = new Int32Array(items.length).fill(-1);
  // A change is only compared once a later one starts before it ends: until then it waits here,
  // its CIs not asked. Where no two windows overlap (the usual nightly slots), no CI is looked at.
  let waiting: number[] = [];
  let latestEnd = Number.NEGATIVE_INFINITY;
  const index = (position: number): CiIds => {
    const own = cisOf(items[position]!.record.data);
    cis[position] = own;
    const list = Array.isArray(own) ? own : [...own];
    for (let c = 0; c < list.length; c++) {
      const ci = list[c]!;
      const open = openOn.get(ci);
      if (open) open.push(position);
      else openOn.set(ci, [position]);
    }
    return own;
  };
  for (let position = 0; position < items.length; position++) {
    const item = items[position]!;
    const overlapped = latestEnd > item.start;
    if (item.end > latestEnd) latestEnd = item.end;
    if (!overlapped) {
      // Every change before it has ended: none can collide with it or with anything later.
      waiting = [position];
      continue;
    }
    // The waiting changes still open are compared from now on; the others never can be.
    for (let w = 0; w < waiting.length; w++)
      if (items[waiting[w]!]!.end > item.start) index(waiting[w]!);
    waiting = [];
    const candidates: number[] = [];
    const own = cisOf(item.record.data);
    cis[position] = own;
    const list = Array.isArray(own) ? own : [...own];
    for (let c = 0; c < list.length; c++) {
      const ci = list[c]!;
      let open = openOn.get(ci);
      if (!open) openOn.set(ci, (open = []));
      let kept = 0;
      // Indexed, not for-of: a cold run sweeps once, mostly before the optimising compiler
      // steps in, where an iterator per list showed.
      for (let j = 0; j < open.length; j++) {
        const other = open[j]!;
        if (items[other]!.end <= item.start) continue;
        open[kept++] = other;
        // Only pairs with a subject are wanted.
        if (!item.subject && !items[other]!.subject) continue;
        if (metBy[other] !== position) {
          metBy[other] = position;
          candidates.push(other);
        }
      }
      open.length = kept;
      open.push(position);
    }
    // The order the pairs always came in: open subjects first, then the others, each by start.
    if (candidates.length > 1)
      candidates.sort((x, y) => Number(items[y]!.subject) - Number(items[x]!.subject) || x - y);
    const listed = Math.min(candidates.length, maxPerChange);
    for (let k = 0; k < listed; k++) {
      const other = candidates[k]!;
      pairs.push({ a: items[other]!, b: item, shared: intersection(own, cis[other]!) });
    }
    if (candidates.length > listed) beyond.set(item, candidates.length - listed);
  }
  return { pairs, beyond };
}

/**
 * Whether a window overlaps a subject's (touching is not overlapping): the subjects' windows
 * merged into disjoint spans, sorted, so each question is one binary search.
 */
function subjectWindows(changes: readonly TimedChange[]): (item: TimedChange) => boolean {
  const windows = changes
    .filter((item) => item.subject)
    .map(({ start, end }) => ({ start, end }))
    .sort((a, b) => a.start - b.start);
  const spans: Array<{ start: number; end: number }> = [];
  for (const window of windows) {
    const last = spans.at(-1);
    if (last && window.start <= last.end) last.end = Math.max(last.end, window.end);
    else spans.push(window);
  }
  return ({ start, end }) => {
    // The last span starting before the window ends is the only one that can overlap it.
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (spans[middle]!.start < end) low = middle + 1;
      else high = middle;
    }
    return low > 0 && spans[low - 1]!.end > start;
  };
}

/**
 * What the collision rule reads of a change to place it in time, for the snapshot to hold
 * (SnapshotContents.schedule): its schedule's start and end as they are written, when it is
 * pending and both are texts; else none, and the rule passes it by (schedulePeriod gives no
 * period without both texts). The texts, not instants: a date-time without a zone parses in the
 * machine's time zone, which is no part of a snapshot's key.
 */
export function collisionSchedule(
  kind: RecordKind,
  data: unknown,
): readonly [start: string, end: string] | undefined {
  if (kind !== 'Change' || !isPendingData(data)) return undefined;
  const schedule = (data as { schedule?: unknown }).schedule;
  if (typeof schedule !== 'object' || schedule === null) return undefined;
  const { start, end } = schedule as { start?: unknown; end?: unknown };
  return typeof start === 'string' && typeof end === 'string' ? [start, end] : undefined;
}

/** The collisions listed per change; the rest are one finding that counts them. */
const maxListedPerChange = 20;

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
      if (subjects.has(record.id)) continue;
      // A change the snapshot holds is placed from its schedule's texts there, its data unread
      // (5,000 of them parsed in a pull request); else, or when the snapshot has none, its data.
      const stored = record instanceof StoredData ? record.storedSchedule() : undefined;
      const window = stored
        ? schedulePeriod({ start: stored[0], end: stored[1] })
        : isPending(record.data)
          ? schedulePeriod(record.data.schedule)
          : undefined;
      if (window) items.push({ record, ...window, subject: false });
    }
    // An impact's ids are already without repeats: no set made per change.
    const cisOf = (change: Change): CiIds =>
      direct
        ? new Set(Array.isArray(change.cis) ? change.cis : [])
        : context.changeImpact(change).ids;
    const { pairs, beyond } = collidingPairs(items, cisOf, maxListedPerChange);
    for (const { a, b, shared } of pairs) {
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
    for (const [item, more] of beyond) {
      const what = direct ? 'CIs' : 'impacted CIs';
      report(
        item.record,
        ['schedule'],
        `${item.record.id} also collides with ${more.toLocaleString('en-US')} more pending change${more === 1 ? '' : 's'} scheduled in overlapping windows that share its ${what} (the first ${maxListedPerChange} that started before it are listed); reschedule it or combine the changes`,
      );
    }
  },
};

/** The ids in both, sorted; walks the smaller and asks the larger (as a set: pairs are few). */
function intersection(a: CiIds, b: CiIds): string[] {
  const size = (ids: CiIds) =>
    Array.isArray(ids) ? ids.length : (ids as ReadonlySet<string>).size;
  const [small, large] = size(a) <= size(b) ? [a, b] : [b, a];
  const lookup = large instanceof Set ? large : new Set(large);
  const shared: string[] = [];
  for (const id of small) if (lookup.has(id)) shared.push(id);
  return shared.sort();
}
