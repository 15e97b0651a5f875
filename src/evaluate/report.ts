import { renderComment, reportDir, reportMarkerFor } from '../render/comment.js';
import type { ChangeView, ReleaseView, ReportView } from '../render/report-view.js';
import { renderSummary } from '../render/summary.js';
import type { ReleaseReadiness } from '../report/readiness.js';
import type { CheckOutcome } from './check.js';
import { readinessView } from './release.js';

/** Where the report is shown, beyond the outcome: the repository, the commit, the run. */
export interface ReportMeta {
  /** `owner/name`. */
  repository?: string;
  headSha?: string;
  runUrl?: string;
  /** Where file links point; default `https://github.com` (GitHub Enterprise Server differs). */
  serverUrl?: string;
  /**
   * The folder the report is about, relative to the workspace (the action's `dir`): named in the
   * comment's heading and its marker, so each folder checked on a pull request keeps its report.
   */
  dir?: string;
  /**
   * The pull request's head: its repository (a fork's, for a pull request from a fork), branch
   * and author, where the comment's link to GitHub's editor adds a missing change record.
   */
  head?: { repository?: string | undefined; branch: string; author: string };
}

/**
 * Turns a check's outcome into the report's view: each evaluated change with the impact the
 * evaluation computed, releases, and the findings that belong to neither. Needs nothing but
 * the outcome: the summaries carry what the report shows.
 */
export function buildReportView(
  outcome: CheckOutcome,
  meta: ReportMeta = {},
  readiness?: ReadonlyMap<string, ReleaseReadiness>,
): ReportView {
  const changes = outcome.changes.map((summary): ChangeView => ({
    id: summary.id,
    title: summary.title,
    type: summary.type,
    status: summary.status,
    file: summary.file,
    ...(summary.requester ? { requester: summary.requester } : {}),
    ...(summary.riskLevel ? { riskLevel: summary.riskLevel } : {}),
    impactLevel: summary.impact.level,
    ...(summary.schedule ? { schedule: summary.schedule } : {}),
    findings: summary.findings,
    impact: summary.impact.reached,
    ...(summary.problemLinks ? { problemLinks: summary.problemLinks } : {}),
  }));
  const releases = outcome.releases.map((summary): ReleaseView => ({
    id: summary.id,
    title: summary.title,
    version: summary.version,
    status: summary.status,
    file: summary.file,
    findings: summary.findings,
    ...(readiness?.has(summary.id) ? { readiness: readinessView(readiness.get(summary.id)!) } : {}),
  }));
  const dir = reportDir(meta.dir);
  return {
    ...(meta.repository ? { repository: meta.repository } : {}),
    ...(meta.headSha ? { headSha: meta.headSha } : {}),
    ...(dir ? { dir } : {}),
    ...(outcome.base ? { base: outcome.base.ref } : {}),
    counts: outcome.counts,
    changes,
    releases,
    otherFindings: outcome.otherFindings,
    ...(outcome.missingChange
      ? {
          missingChange: {
            ...outcome.missingChange,
            ...(meta.head ? { head: meta.head } : {}),
            ...(dir ? { dir } : {}),
          },
        }
      : {}),
    ...(meta.runUrl ? { runUrl: meta.runUrl } : {}),
  };
}

/** The report of a check as a pull request shows it: the view, the job summary, the comment body. */
export interface CheckReport {
  view: ReportView;
  summary: string;
  comment: string;
  /** The comment's first line, which finds it again (see reportMarkerFor). */
  marker: string;
}

/**
 * Renders a check's report for a pull request: the job summary and the sticky comment's body.
 * The gate adds its approval checklist and, without an App identity, the advisory warning.
 */
export function renderCheckReport(
  outcome: CheckOutcome,
  meta: ReportMeta = {},
  readiness?: ReadonlyMap<string, ReleaseReadiness>,
  gate: Pick<ReportView, 'approvals' | 'advisory'> = {},
): CheckReport {
  const view = { ...buildReportView(outcome, meta, readiness), ...gate };
  const marker = reportMarkerFor(meta.dir);
  return {
    view,
    summary: renderSummary(view),
    comment: renderComment(view, {
      marker,
      ...(meta.serverUrl ? { serverUrl: meta.serverUrl } : {}),
    }),
    marker,
  };
}
