import { impactResolver, type ChangeImpact } from '../impact/change-impact.js';
import { cmdbUnion, type CmdbUnion } from '../impact/cmdb-union.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import type { SourceIndex } from '../records/locate.js';
import { countSeverities } from '../records/finding.js';
import type { Level } from '../records/level.js';
import type { LoadResult } from '../records/load.js';
import type { Change, Release } from '../records/types.generated.js';
import { closest } from '../records/wording.js';
import type { ReadinessView } from '../render/report-view.js';
import type { History } from '../report/facts.js';
import {
  assessRelease,
  type ReadinessConflict,
  type ReleaseReadiness,
} from '../report/readiness.js';
import { releaseNotesOf, type ReleaseNotes } from '../report/release-notes.js';
import { buildTimelines, type Timelines } from '../report/timeline.js';
import { collisionRule } from '../rules/collision.js';
import { freezeRule } from '../rules/freeze.js';
import { riskLevel } from '../rules/risk.js';
import { evaluate, type RuleContext } from '../rules/rule.js';

/** What `release` decides on: the records now, the default branch's history, the release, the clock. */
export interface ReleaseFacts {
  /** The records as they are now (the working tree): the release record and the changes' schedules. */
  workspace: LoadResult;
  /** The default branch's history: a change counts as approved and merged only there. */
  history: History;
  releaseId: string;
  now: Date;
}

/** A release's readiness and notes, or why there is none. */
export type ReleaseDecision =
  | {
      found: true;
      readiness: ReleaseReadiness;
      notes: ReleaseNotes;
      /** False when changeops.yaml cannot be used: collisions and freezes are then unknown. */
      policyUsable: boolean;
      /** Error-level findings while loading the records now. */
      recordErrors: number;
      /** What was read of the branch, and what it lacks (a shallow clone...). */
      history: HistorySummary;
    }
  | {
      found: false;
      id: string;
      /** The id names a change, not a release. */
      change: boolean;
      suggestion?: string;
    };

/**
 * Whether a release is ready and its notes, decided once: the release record as it is now, its
 * changes' statuses as the default branch recorded them (`assessRelease`), their collisions and
 * freeze conflicts as the collision and freeze rules find them on the records now, and each
 * change's risk level from the policy's matrix for the notes. No IO.
 */
export function decideRelease(facts: ReleaseFacts): ReleaseDecision {
  const { workspace, releaseId } = facts;
  const { estate } = workspace;
  const record = estate.releases.get(releaseId);
  if (!record) return unknownRelease(workspace, releaseId)!;
  const timelines = buildTimelines(facts.history, { limits: estate.policy.limits });
  const readiness = readinessOf(judgedAlone(workspace), timelines, record, facts.now);
  const riskLevels = new Map<string, Level>();
  for (const change of readiness.changes) {
    const level = change.facts?.risk ? riskLevel(estate.policy, change.facts.risk) : undefined;
    if (level) riskLevels.set(change.id, level);
  }
  return {
    found: true,
    readiness,
    notes: releaseNotesOf(readiness, { riskLevels }),
    policyUsable: workspace.policyUsable,
    recordErrors: countSeverities(workspace.findings).errors,
    history: historySummary(timelines),
  };
}

/** What was read of a branch's history: how much, and what it lacks. */
export interface HistorySummary {
  ref: string;
  commits: number;
  shallow: boolean;
  skippedVersions: number;
  notes: string[];
}

/** The summary of the history timelines were built from, for a command's output. */
export function historySummary(timelines: Timelines): HistorySummary {
  return {
    ref: timelines.ref,
    commits: timelines.commits,
    shallow: timelines.shallow,
    skippedVersions: timelines.skippedCount,
    notes: [...timelines.notes],
  };
}

/**
 * The answer for a release id the records do not hold (with the closest known one), or
 * undefined when they hold it: a use case asks first, so it reads no history for a typo.
 */
export function unknownRelease(
  workspace: LoadResult,
  releaseId: string,
): Extract<ReleaseDecision, { found: false }> | undefined {
  const { estate } = workspace;
  if (estate.releases.has(releaseId)) return undefined;
  const suggestion = closest(releaseId, [...estate.releases.keys()]);
  return {
    found: false,
    id: releaseId,
    change: estate.changes.has(releaseId),
    ...(suggestion !== undefined ? { suggestion } : {}),
  };
}

/**
 * The records a release is judged on: the records now under the policy in force, and the CMDB
 * the collision rule reads (in a check with a base, the union of the base's and the branch's).
 */
export interface JudgedRecords {
  estate: Estate;
  sources: SourceIndex;
  /** False when the policy in force cannot be used: no rule is asked. */
  policyUsable: boolean;
  cmdb: CmdbUnion;
  changeImpact(change: Change): ChangeImpact;
}

/** The records of the working tree judged on their own: its policy, its CMDB. */
export function judgedAlone(workspace: LoadResult): JudgedRecords {
  const { estate } = workspace;
  const cmdb = cmdbUnion(estate);
  return {
    estate,
    sources: workspace.sources,
    policyUsable: workspace.policyUsable,
    cmdb,
    changeImpact: impactResolver(estate, () => cmdb.graph()),
  };
}

/**
 * The readiness of one release of the records now against the branch's timelines: what
 * `release` prints and what `check` adds to the report of a pull request that edits a release.
 */
export function readinessOf(
  records: JudgedRecords,
  timelines: Timelines,
  release: LoadedRecord<Release>,
  now: Date,
): ReleaseReadiness {
  const ids = Array.isArray(release.data.changes)
    ? release.data.changes.filter((id): id is string => typeof id === 'string')
    : [];
  const here = new Map<string, { status: string }>();
  for (const id of ids) {
    const change = records.estate.changes.get(id);
    if (change && typeof change.data.status === 'string')
      here.set(id, { status: change.data.status });
  }
  return assessRelease({
    release: release.data,
    timelines,
    branch: timelines.ref,
    workspace: here,
    conflicts: releaseConflicts(records, ids, now),
  });
}

/**
 * The readiness of the releases a check evaluates, against the base branch's history (the
 * timelines built once for all of them), by release id.
 */
export function releasesReadiness(
  records: JudgedRecords,
  history: History,
  releases: ReadonlyArray<{ id: string }>,
  now: Date,
): Map<string, ReleaseReadiness> {
  const found = new Map<string, ReleaseReadiness>();
  if (releases.length === 0) return found;
  const timelines = buildTimelines(history, { limits: records.estate.policy.limits });
  for (const { id } of releases) {
    const record = records.estate.releases.get(id);
    if (record) found.set(id, readinessOf(records, timelines, record, now));
  }
  return found;
}

/**
 * The collisions and freeze conflicts of a release's changes: the collision and freeze rules run
 * with those changes under evaluation, at the policy's severities (a rule set to off is not
 * asked), so the sentences are the rules' own. None when the policy cannot be used.
 */
export function releaseConflicts(
  records: JudgedRecords,
  changeIds: readonly string[],
  now: Date,
): ReadinessConflict[] {
  const { estate, sources } = records;
  if (!records.policyUsable) return [];
  const changes: Array<LoadedRecord<Change>> = [];
  for (const id of new Set(changeIds)) {
    const change = estate.changes.get(id);
    if (change) changes.push(change);
  }
  if (changes.length === 0) return [];
  const context: RuleContext = {
    estate,
    sources,
    now,
    changes,
    releases: [],
    cmdb: records.cmdb,
    changeImpact: records.changeImpact,
  };
  const conflicts: ReadinessConflict[] = [];
  for (const finding of evaluate([collisionRule, freezeRule], context))
    if (finding.kind === 'Change' && finding.id !== undefined)
      conflicts.push({ change: finding.id, rule: finding.rule, message: finding.message });
  return conflicts;
}

/** How many reasons a report lists before it says how many more. */
export const maxReasonsShown = 20;

/** The readiness as a report shows it (see ReadinessView). */
export function readinessView(readiness: ReleaseReadiness): ReadinessView {
  return {
    ready: readiness.ready,
    summary: readiness.summary,
    reasons: readiness.reasons.slice(0, maxReasonsShown).map((reason) => reason.message),
    more: Math.max(0, readiness.reasons.length - maxReasonsShown),
  };
}
