import { impactOf } from '../impact/impact.js';
import type { Finding } from '../records/finding.js';
import type { ChangeView, ImpactedCiView, ReportView } from '../render/report-view.js';
import type { CheckOutcome } from './check.js';
import { graphOf } from './evaluate-context.js';
import type { LoadResult } from '../records/load.js';

/** What the report needs beyond the outcome: where it is shown. */
export interface ReportMeta {
  repository?: string;
  headSha?: string;
  runUrl?: string;
  advisory?: boolean;
}

/**
 * Turns a check's outcome into the report's view: each evaluated change with its impacted CIs
 * and the path that explains each one, releases, and the findings that belong to neither.
 */
export function buildReportView(
  outcome: CheckOutcome,
  workspace: LoadResult,
  meta: ReportMeta = {},
): ReportView {
  const { estate } = workspace;
  const graph = outcome.changes.length ? graphOf(estate) : undefined;
  const changes = outcome.changes.map((summary): ChangeView => {
    const record = estate.changes.get(summary.id)?.data;
    const named = Array.isArray(record?.cis)
      ? record.cis.filter((id): id is string => typeof id === 'string')
      : [];
    const impacted: ImpactedCiView[] = graph
      ? impactOf(graph, named).impacted.map((ci) => ({
          id: ci.id,
          name: ci.name,
          criticality: ci.criticality,
          ...(ci.environment ? { environment: ci.environment } : {}),
          depth: ci.depth,
          via: ci.via ?? [ci.id],
          relation: ci.relation,
        }))
      : [];
    return {
      id: summary.id,
      title: summary.title,
      type: summary.type,
      status: summary.status,
      file: summary.file,
      ...(record?.requester ? { requester: record.requester } : {}),
      ...(summary.riskLevel ? { riskLevel: summary.riskLevel } : {}),
      impactLevel: summary.impact.level,
      ...(record?.schedule
        ? { schedule: { start: record.schedule.start, end: record.schedule.end } }
        : {}),
      findings: summary.findings,
      impacted,
    };
  });
  const releases = outcome.releases.map((summary) => ({
    id: summary.id,
    title: summary.title,
    version: String(estate.releases.get(summary.id)?.data.version ?? ''),
    status: summary.status,
    file: summary.file,
    findings: summary.findings,
  }));
  const count = (severity: Finding['severity']) =>
    outcome.findings.filter((f) => f.severity === severity).length;
  return {
    ...(meta.repository ? { repository: meta.repository } : {}),
    ...(meta.headSha ? { headSha: meta.headSha } : {}),
    ...(outcome.base ? { base: outcome.base.ref } : {}),
    counts: { errors: count('error'), warnings: count('warning'), notices: count('notice') },
    changes,
    releases,
    otherFindings: outcome.repository,
    ...(meta.advisory !== undefined ? { advisory: meta.advisory } : {}),
    ...(meta.runUrl ? { runUrl: meta.runUrl } : {}),
  };
}
