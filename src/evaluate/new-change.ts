import { impactResolver } from '../impact/change-impact.js';
import type { Estate } from '../records/estate.js';
import type { Finding } from '../records/finding.js';
import type { LoadResult } from '../records/load.js';
import type { ChangeType } from '../records/policy.js';
import type { Change } from '../records/types.generated.js';
import { collidingPairs, collisionRule, type TimedChange } from '../rules/collision.js';
import { freezeRule } from '../rules/freeze.js';
import { leadTimeRule } from '../rules/lead-time.js';
import { applicableWindows, maintenanceWindowRule } from '../rules/maintenance-window.js';
import { ruleSettings } from '../rules/rule.js';
import { aChangeOfType, isPending } from '../rules/status.js';
import {
  DAY,
  HOUR,
  MINUTE,
  isTimeZone,
  mergePeriods,
  openPeriods,
  schedulePeriod,
  type Period,
} from '../rules/time.js';
import { evaluateCheck } from './check.js';
import { freezesOf } from './schedule.js';

/** What a slot is asked for: the change's type and CIs, how long it lasts, from when. */
export interface SlotRequest {
  type: ChangeType;
  cis: readonly string[];
  /** Milliseconds. */
  duration: number;
  /** Epoch milliseconds: the lead time is counted from here. */
  now: number;
  /** How far ahead to look; 92 days by default. */
  horizon?: number;
}

/** A suggested schedule and the earliest start that was looked from, or why there is none. */
export type SlotSuggestion =
  { period: Period; notBefore: number; constraints: string[] } | { none: string };

/**
 * The earliest slot for a new change that `check` would accept: after the policy's lead time for
 * its type (and a day more, as a pull request's check measures the lead time again when it
 * runs; a quarter of an hour when there is none), inside a maintenance window that applies to it
 * (by type and the environments of its CIs), clear of every freeze that does not allow its type
 * and of every pending change whose window would collide with it (the collision rule's sweep,
 * under its scope). Each constraint counts only when its rule is not off. Starts fall on a
 * quarter of an hour. No IO.
 */
export function suggestSlot(estate: Estate, request: SlotRequest): SlotSuggestion {
  const { type, duration } = request;
  const horizon = request.horizon ?? 92 * DAY;
  const constraints: string[] = [];
  const leadHours = estate.policy.leadTimeHours[type];
  const lead = ruleSettings(leadTimeRule, estate).severity !== 'off' && leadHours > 0;
  if (lead) constraints.push(`${leadHours} hours' lead time`);
  const quarter = 15 * MINUTE;
  const notBefore =
    Math.ceil((request.now + (lead ? leadHours * HOUR + DAY : quarter)) / quarter) * quarter;
  const until = notBefore + horizon;

  let allowed: Period[] = [{ start: notBefore, end: until }];
  const windowRule = ruleSettings(maintenanceWindowRule, estate);
  const exempt = Array.isArray(windowRule.parameters.exempt) ? windowRule.parameters.exempt : [];
  const windows = estate.policy.windows.filter(
    (window) => window.timezone === undefined || isTimeZone(window.timezone),
  );
  if (windowRule.severity !== 'off' && windows.length > 0 && !exempt.includes(type)) {
    const environments = new Set<string>();
    for (const id of request.cis) {
      const environment = estate.cis.get(id)?.data.environment;
      if (typeof environment === 'string') environments.add(environment);
    }
    const applicable = applicableWindows(windows, type, environments);
    if (applicable.length === 0) {
      const on = environments.size ? ` on ${[...environments].sort().join(' and ')} CIs` : '';
      return {
        none: `no maintenance window of the policy applies to ${aChangeOfType(type)}${on}; give --start and --end, or ask for a window that covers it`,
      };
    }
    allowed = openPeriods(applicable, notBefore, until);
    constraints.push(`inside ${applicable.map((window) => window.name).join(' or ')}`);
  }

  const blocked: Period[] = [];
  if (ruleSettings(freezeRule, estate).severity !== 'off') {
    for (const freeze of freezesOf(estate))
      if (!freeze.allow.includes(type) && freeze.end > notBefore && freeze.start < until)
        blocked.push(freeze);
    if (blocked.length > 0) constraints.push('outside the freezes');
  }
  const collision = ruleSettings(collisionRule, estate);
  if (collision.severity !== 'off') {
    const busy = collidingPeriods(estate, request, { start: notBefore, end: until }, collision);
    if (busy.length > 0) constraints.push(`clear of ${busy.length} colliding changes`);
    blocked.push(...busy);
  }

  for (const free of subtract(allowed, mergePeriods(blocked))) {
    const start = Math.ceil(Math.max(free.start, notBefore) / quarter) * quarter;
    if (start + duration <= free.end) {
      return { period: { start, end: start + duration }, notBefore, constraints };
    }
  }
  return {
    none: `no free slot of ${Math.round(duration / MINUTE)} minutes in the ${Math.round(horizon / DAY)} days from ${new Date(notBefore).toISOString()}; give --start and --end`,
  };
}

/**
 * The windows of the pending changes that a change on these CIs would collide with anywhere in
 * `span`: the collision rule's sweep, run once with the new change spanning the whole search.
 */
function collidingPeriods(
  estate: Estate,
  request: SlotRequest,
  span: Period,
  collision: ReturnType<typeof ruleSettings>,
): Period[] {
  const direct = collision.parameters.scope === 'direct';
  const impact = direct ? undefined : impactResolver(estate);
  const cisOf = (change: Change): ReadonlySet<string> =>
    new Set(impact ? impact(change).ids : Array.isArray(change.cis) ? change.cis : []);
  const candidate: TimedChange = {
    record: {
      kind: 'Change',
      id: '',
      data: { cis: [...request.cis] } as Change,
      source: { file: '', doc: 0 },
    },
    ...span,
    subject: true,
  };
  const items: TimedChange[] = [candidate];
  for (const record of estate.changes.values()) {
    if (!isPending(record.data)) continue;
    const period = schedulePeriod(record.data.schedule);
    if (period) items.push({ record, ...period, subject: false });
  }
  const busy: Period[] = [];
  for (const { a, b } of collidingPairs(items, cisOf).pairs) {
    const other = a === candidate ? b : a;
    busy.push({ start: other.start, end: other.end });
  }
  return busy;
}

/** `allowed` less `blocked`, both sorted and merged: the stretches left, in time order. */
function subtract(allowed: readonly Period[], blocked: readonly Period[]): Period[] {
  const free: Period[] = [];
  let next = 0;
  for (const period of allowed) {
    let start = period.start;
    while (next < blocked.length && blocked[next]!.end <= start) next++;
    for (let i = next; i < blocked.length && blocked[i]!.start < period.end; i++) {
      if (blocked[i]!.start > start) free.push({ start, end: blocked[i]!.start });
      start = Math.max(start, blocked[i]!.end);
    }
    if (start < period.end) free.push({ start, end: period.end });
  }
  return free;
}

/**
 * What `check` says about a new change record, judged in the estate it joins: the findings on
 * its file, from the schema to every evaluation rule, with the working tree's policy in force.
 */
export function newChangeFindings(workspace: LoadResult, file: string, now: Date): Finding[] {
  return evaluateCheck({ workspace, now }).findings.filter((finding) => finding.file === file);
}
