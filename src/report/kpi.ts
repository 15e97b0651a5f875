import type { ChangeType } from '../records/policy.js';
import { DAY, HOUR } from '../rules/time.js';
import { spreadOf, type Spread } from './percentile.js';
import type { ReleaseStatus } from './record-facts.js';
import { changeOutcomes, standingOf, type ChangeOutcome, type Standing } from './standing.js';
import {
  removedBefore,
  statusesBefore,
  versionBefore,
  type ChangeTimeline,
  type Timelines,
} from './timeline.js';

/** The half-open window [since, until) a report covers, in epoch milliseconds; open ends when left out. */
export interface KpiWindow {
  since?: number;
  until?: number;
}

/**
 * What the report takes from the caller rather than computing again: the problem issues that
 * failed changes opened (from verify's records or the problem issues' markers), and the
 * collisions and freeze exceptions that the evaluation core found.
 */
export interface KpiInputs {
  /** Problem issues opened by a change's failure: the change's id and the issue ("#77"). */
  problemIssues?: ReadonlyArray<{ change: string; issue: string }>;
  /** Pairs of changes that collide (overlapping windows on shared or impacted CIs). */
  collisions?: ReadonlyArray<{ changes: readonly [string, string] }>;
  /** Changes scheduled in a freeze that let them through (by type), or approved past it. */
  freezeExceptions?: ReadonlyArray<{ change: string; freeze?: string }>;
}

/** The KPI report: `changeops report --json` prints exactly this. */
export interface KpiReport {
  since: string | null;
  until: string | null;
  changes: {
    total: number;
    byType: Record<ChangeType, number>;
    byOutcome: Record<ChangeOutcome, number>;
  };
  /** implemented / (implemented + failed + backed-out); null when none of those. */
  successRate: number | null;
  /** Emergency changes / all changes counted; null when none. */
  emergencyRatio: number | null;
  leadTimeHours: { proposedToApproved: Spread; approvedToImplemented: Spread };
  problems: {
    /** Changes counted that opened a problem issue. */
    ledToProblems: number;
    /** ledToProblems / (implemented + failed + backed-out); null when none of those. */
    rate: number | null;
    changes: Array<{ change: string; issues: string[] }>;
    /** Changes counted that remediate a problem (their `problem` field), with the changes that opened it. */
    remediations: Array<{ change: string; problem: string; causedBy: string[] }>;
  };
  releases: {
    total: number;
    /** The mean number of changes a release counted bundles; null when none. */
    changesPerRelease: number | null;
    byRelease: Array<{ id: string; status: ReleaseStatus; changes: number }>;
  };
  collisions: { count: number; pairs: Array<[string, string]> };
  freezeExceptions: { count: number; changes: string[] };
  /** Changes counted per week (weeks start on Monday, UTC), oldest first, at most 520 weeks. */
  perWeek: Array<{ week: string; changes: number }>;
  history: {
    ref: string;
    commits: number;
    shallow: boolean;
    skippedVersions: number;
    notes: string[];
  };
}

/** The most weeks `perWeek` lists; the latest are kept. */
export const maxWeeks = 520;

const changeTypes: readonly ChangeType[] = ['standard', 'normal', 'emergency'];

/**
 * The KPIs of a window, from the branch's timelines. Each change is counted at most once, in the
 * window where its standing was decided (see `standingOf`): its last outcome (implemented,
 * failed, backed-out), else its last status move, else its removal, as the branch said just
 * before `until`. Lead times are counted in the window where they end (the approval, the
 * implementation); releases like changes, by their last status move. The collisions, freeze
 * exceptions and problem issues given count when a change they name is counted.
 */
export function computeKpis(
  timelines: Timelines,
  window: KpiWindow = {},
  inputs: KpiInputs = {},
): KpiReport {
  const since = window.since ?? Number.NEGATIVE_INFINITY;
  const until = window.until ?? Number.POSITIVE_INFINITY;
  if (!(since < until)) throw new RangeError('the report window must end after it starts');
  const inWindow = (at: number) => at >= since && at < until;

  const counted = new Map<string, Standing>();
  const proposedToApproved: number[] = [];
  const approvedToImplemented: number[] = [];
  for (const timeline of [...timelines.changes.values()].sort(byId)) {
    const standing = standingOf(timeline, until);
    if (standing && inWindow(standing.decidedBy.at)) counted.set(timeline.id, standing);
    leadTimes(timeline, until, inWindow, proposedToApproved, approvedToImplemented);
  }

  const byType = Object.fromEntries(changeTypes.map((type) => [type, 0])) as Record<
    ChangeType,
    number
  >;
  const byOutcome = Object.fromEntries(changeOutcomes.map((outcome) => [outcome, 0])) as Record<
    ChangeOutcome,
    number
  >;
  for (const standing of counted.values()) {
    byType[standing.version.facts.type]++;
    byOutcome[standing.outcome]++;
  }
  const total = counted.size;
  const finished = byOutcome.implemented + byOutcome.failed + byOutcome['backed-out'];
  const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

  // Problems: the issues each counted change opened, and who opened the issues remediated.
  const issuesBy = new Map<string, Set<string>>();
  const openers = new Map<string, Set<string>>();
  for (const { change, issue } of inputs.problemIssues ?? []) {
    const key = issueKey(issue);
    add(issuesBy, change, key);
    add(openers, key, change);
  }
  const problemChanges: KpiReport['problems']['changes'] = [];
  const remediations: KpiReport['problems']['remediations'] = [];
  for (const [id, standing] of counted) {
    const issues = issuesBy.get(id);
    if (issues && issues.size > 0) problemChanges.push({ change: id, issues: [...issues].sort() });
    const problem = standing.version.facts.problem;
    if (problem !== undefined)
      remediations.push({
        change: id,
        problem,
        causedBy: [...(openers.get(issueKey(problem)) ?? [])].filter((c) => c !== id).sort(),
      });
  }

  const byRelease: KpiReport['releases']['byRelease'] = [];
  for (const timeline of [...timelines.releases.values()].sort(byId)) {
    const version = versionBefore(timeline, until);
    const removed = removedBefore(timeline, until);
    const last = statusesBefore(timeline, until).at(-1);
    if (!version || !last) continue;
    const decided = removed ?? last;
    if (!inWindow(decided.commit.at)) continue;
    byRelease.push({ id: timeline.id, status: last.status, changes: version.facts.changes.length });
  }
  const bundled = byRelease.reduce((sum, release) => sum + release.changes, 0);

  const pairs = new Map<string, [string, string]>();
  for (const { changes } of inputs.collisions ?? []) {
    const [a, b] = [...changes].sort() as [string, string];
    if (counted.has(a) || counted.has(b)) pairs.set(`${a}\0${b}`, [a, b]);
  }
  const frozen = new Set<string>();
  for (const { change } of inputs.freezeExceptions ?? [])
    if (counted.has(change)) frozen.add(change);

  return {
    since: Number.isFinite(since) ? iso(since) : null,
    until: Number.isFinite(until) ? iso(until) : null,
    changes: { total, byType, byOutcome },
    successRate: ratio(byOutcome.implemented, finished),
    emergencyRatio: ratio(byType.emergency, total),
    leadTimeHours: {
      proposedToApproved: spreadOf(proposedToApproved),
      approvedToImplemented: spreadOf(approvedToImplemented),
    },
    problems: {
      ledToProblems: problemChanges.length,
      rate: ratio(problemChanges.length, finished),
      changes: problemChanges,
      remediations,
    },
    releases: {
      total: byRelease.length,
      changesPerRelease: byRelease.length === 0 ? null : round(bundled / byRelease.length),
      byRelease,
    },
    collisions: { count: pairs.size, pairs: [...pairs.values()].sort(byPair) },
    freezeExceptions: { count: frozen.size, changes: [...frozen].sort() },
    perWeek: perWeek(
      [...counted.values()].map((s) => s.decidedBy.at),
      since,
      until,
    ),
    history: {
      ref: timelines.ref,
      commits: timelines.commits,
      shallow: timelines.shallow,
      skippedVersions: timelines.skippedCount,
      notes: timelines.notes,
    },
  };
}

/**
 * A change's lead times that end in the window: from its first move to proposed to the first
 * approval after it, and from the last approval before its first implementation to that
 * implementation. A status the history only knows since its start (shallow clone, `since`) has
 * no known start, so it gives no lead time; nor does a negative span (clock skew).
 */
function leadTimes(
  timeline: ChangeTimeline,
  until: number,
  inWindow: (at: number) => boolean,
  proposedToApproved: number[],
  approvedToImplemented: number[],
): void {
  const events = statusesBefore(timeline, until);
  const proposed = events.findIndex((event) => event.status === 'proposed');
  if (proposed >= 0 && !events[proposed]!.knownSince) {
    const approved = events.slice(proposed + 1).find((event) => event.status === 'approved');
    if (approved && inWindow(approved.commit.at)) {
      const span = approved.commit.at - events[proposed]!.commit.at;
      if (span >= 0) proposedToApproved.push(span / HOUR);
    }
  }
  const implemented = events.findIndex((event) => event.status === 'implemented');
  if (implemented > 0 && inWindow(events[implemented]!.commit.at)) {
    const approved = events.slice(0, implemented).findLast((event) => event.status === 'approved');
    if (approved && !approved.knownSince) {
      const span = events[implemented]!.commit.at - approved.commit.at;
      if (span >= 0) approvedToImplemented.push(span / HOUR);
    }
  }
}

/** Counts per week from the first counted week to the last (or the window's ends when finite). */
function perWeek(instants: number[], since: number, until: number): KpiReport['perWeek'] {
  if (instants.length === 0) return [];
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for (const at of instants) {
    if (at < earliest) earliest = at;
    if (at > latest) latest = at;
  }
  const firstWeek = weekStart(Number.isFinite(since) ? since : earliest);
  let lastWeek = weekStart(Number.isFinite(until) ? until - 1 : latest);
  // A window far wider than the data ends the weeks at the data, so the cap keeps what happened.
  if (lastWeek - firstWeek >= maxWeeks * 7 * DAY) lastWeek = Math.max(firstWeek, weekStart(latest));
  const first = Math.max(firstWeek, lastWeek - (maxWeeks - 1) * 7 * DAY);
  const counts = new Map<number, number>();
  for (const at of instants) {
    const week = weekStart(at);
    if (week >= first) counts.set(week, (counts.get(week) ?? 0) + 1);
  }
  const weeks: KpiReport['perWeek'] = [];
  for (let week = first; week <= lastWeek; week += 7 * DAY)
    weeks.push({ week: iso(week).slice(0, 10), changes: counts.get(week) ?? 0 });
  return weeks;
}

/** The Monday 00:00 UTC that starts the week of an instant. */
function weekStart(at: number): number {
  const day = Math.floor(at / DAY);
  // Day 0, 1970-01-01, was a Thursday: three days after a Monday.
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY;
}

/** "#77", "77" and " #77 " are the same issue; anything else (a URL) is kept as written. */
function issueKey(issue: string): string {
  const number = /^#?(\d{1,9})$/.exec(issue.trim());
  return number ? `#${Number(number[1])}` : issue.trim();
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byPair(a: [string, string], b: [string, string]): number {
  return byId({ id: `${a[0]}\0${a[1]}` }, { id: `${b[0]}\0${b[1]}` });
}
