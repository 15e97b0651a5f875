import { impactResolver, namedCis } from '../impact/change-impact.js';
import type { Estate } from '../records/estate.js';
import { countSeverities } from '../records/finding.js';
import type { LoadResult } from '../records/load.js';
import type { Change } from '../records/types.generated.js';
import type { ListedIssue } from '../problems/markers.js';
import type { History } from '../report/facts.js';
import { computeKpis, type KpiInputs, type KpiReport, type KpiWindow } from '../report/kpi.js';
import {
  mergeProblemIssues,
  problemIssuesOpenedBy,
  recordedProblemIssues,
} from '../report/problems.js';
import { buildTimelines } from '../report/timeline.js';
import { collidingPairs, collisionRule, type TimedChange } from '../rules/collision.js';
import { ruleSettings } from '../rules/rule.js';
import { overlaps, schedulePeriod } from '../rules/time.js';
import { freezesOf } from './schedule.js';

/** The problem issues GitHub listed (label `problem`), when a token was given, or why not. */
export interface ListedProblemIssues {
  /** The login our problem issues are opened under. */
  botLogin: string;
  issues: readonly ListedIssue[];
  /** GitHub had more than were read. */
  truncated?: boolean;
  /** Why they could not be read (a 403...): only the records' problem issues count then. */
  refused?: string;
}

/** What `report` decides on: the records now, the branch's history, the window, GitHub's issues. */
export interface ReportFacts {
  workspace: LoadResult;
  history: History;
  window: KpiWindow;
  github?: ListedProblemIssues;
}

/** The KPI report, and how far the records behind it can be trusted. */
export interface ReportDecision {
  report: KpiReport;
  /** False when changeops.yaml cannot be used: collisions and freezes are then unknown. */
  policyUsable: boolean;
  recordErrors: number;
  /**
   * The note that says GitHub's problem issues could not be read (among the report's notes),
   * when they could not: a warning in the action, where a token was given to read them.
   */
  githubUnread?: string;
}

// A change that never went ahead cannot collide or need a freeze exception.
const neverWentAhead: ReadonlySet<string> = new Set(['draft', 'rejected', 'cancelled']);

/**
 * The KPIs of a window, decided once: the branch's timelines, the problem issues (those the
 * records hold in `review.problemIssue`, and those GitHub lists when given), and the collisions
 * and freeze exceptions of the records now, found by the evaluation core's own sweep and freezes
 * (see scheduleConflicts). No IO.
 */
export function decideReport(facts: ReportFacts): ReportDecision {
  const { workspace, github } = facts;
  const { estate } = workspace;
  const timelines = buildTimelines(facts.history, { limits: estate.policy.limits });
  const fromGitHub =
    github && !github.refused ? problemIssuesOpenedBy(github.issues, github.botLogin) : [];
  const inputs: KpiInputs = {
    problemIssues: mergeProblemIssues(recordedProblemIssues(timelines), fromGitHub),
    ...(workspace.policyUsable ? scheduleConflicts(estate) : {}),
  };
  const report = computeKpis(timelines, facts.window, inputs);
  const notes: string[] = [];
  const githubUnread = github?.refused
    ? `the problem issues could not be read from GitHub (${github.refused}), so only those the records name (review.problemIssue) are counted`
    : undefined;
  if (githubUnread) notes.push(githubUnread);
  else if (github?.truncated)
    notes.push(
      `GitHub has more problem issues than were read (the newest ${github.issues.length}); older ones count only when the records name them`,
    );
  if (!workspace.policyUsable)
    notes.push(
      'changeops.yaml cannot be used, so collisions and freeze exceptions are not counted',
    );
  // What the numbers lack is said where the history's own notes are, which every face prints.
  if (notes.length > 0)
    report.history = { ...report.history, notes: [...report.history.notes, ...notes] };
  return {
    report,
    policyUsable: workspace.policyUsable,
    recordErrors: countSeverities(workspace.findings).errors,
    ...(githubUnread ? { githubUnread } : {}),
  };
}

/**
 * The collisions and freeze exceptions among the changes of the records now that went ahead or
 * may (every status but draft, rejected and cancelled): pairs whose windows overlap on shared
 * CIs, by the collision rule's sweep under its `scope` parameter (impacted CIs by default), and
 * changes scheduled in a freeze, whether the freeze lets their type through (an exception the
 * policy grants) or not (one that went through anyway). Counted whatever the rules' severities:
 * the report measures what happened, the rules judge a pull request.
 */
export function scheduleConflicts(
  estate: Estate,
): Required<Pick<KpiInputs, 'collisions' | 'freezeExceptions'>> {
  const { parameters } = ruleSettings(collisionRule, estate);
  const direct = parameters.scope === 'direct';
  const changeImpact = direct ? undefined : impactResolver(estate);
  const cisOf = (change: Change): ReadonlySet<string> =>
    new Set(changeImpact ? changeImpact(change).ids : namedCis(change));
  const items: TimedChange[] = [];
  for (const record of estate.changes.values()) {
    if (neverWentAhead.has(String(record.data.status))) continue;
    const period = schedulePeriod(record.data.schedule);
    if (period) items.push({ record, ...period, subject: true });
  }
  const collisions = collidingPairs(items, cisOf).pairs.map(({ a, b }) => ({
    changes: [a.record.id, b.record.id] as const,
  }));
  const freezes = freezesOf(estate);
  const freezeExceptions: Array<{ change: string; freeze: string }> = [];
  for (const item of items)
    for (const freeze of freezes)
      if (overlaps(item, freeze))
        freezeExceptions.push({ change: item.record.id, freeze: freeze.name });
  return { collisions, freezeExceptions };
}
