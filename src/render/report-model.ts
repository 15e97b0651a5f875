import { elided, shortPaths, type Impact, type ImpactedCi } from '../impact/impact.js';
import { sortFindings, type Finding, type Severity } from '../records/finding.js';
import { safeUrl, type Linker } from './links.js';
import { missingChangeModel, type MissingChangeModel } from './missing-change.js';
import type { ChangeView, ReleaseView, ReportView } from './report-view.js';

/**
 * The models the report's templates read, built from the view for one level of detail.
 * Untrusted strings stay raw here and are escaped by the template helpers.
 */

/** How much one rendering shows; renderers step down through a list of these until it fits. */
export interface Detail {
  /** The collapsible table of impacted CIs under each change. */
  ciTables: boolean;
  /** The mermaid graph of impacted CIs under each change. */
  graphs: boolean;
  /** How many findings each change, release and "other findings" list shows (Infinity: all). */
  findings: number;
}

/** What a rendering leaves out beyond its detail: nothing, change sections, all but the outcome. */
export type Cut = 'none' | 'changes' | 'sections';

interface FindingModel {
  severity: Severity;
  location: string;
  url?: string;
  message: string;
  rule: string;
}

/** A list of findings as the findings partial shows it. */
export interface FindingsModel {
  findings: FindingModel[];
  moreFindings: number;
  inComment: boolean;
}

/**
 * The chain of CIs that explains an impacted CI, without the CI itself: all of it when it is
 * short, else its first two and last three (`tail`), which is all the table shows.
 */
export interface Route {
  head: readonly string[];
  tail?: readonly string[];
}

/** One change section. */
export interface ChangeModel extends FindingsModel {
  change: ChangeView;
  worst: Severity | 'ok';
  schedule?: string;
  impactedCount: number;
  graph?: Impact;
  table?: { ci: ImpactedCi; route: Route }[];
  /** Impacted CIs the table does not list (past `ciTableCap`). */
  tableMore?: number;
}

interface ReleaseModel extends FindingsModel {
  release: ReleaseView;
  worst: Severity | 'ok';
}

/** The whole report. */
export interface ReportModel {
  marker?: string;
  counts: ReportView['counts'];
  changeCount: number;
  releaseCount: number;
  base?: string;
  /** The folder the report is about, when not the workspace root. */
  dir?: string;
  /** The commit status context that only advises, when the report must warn about it. */
  advisory?: string;
  /** The gate's approval checklist, when the gate wrote the report. */
  approvals?: ReportView['approvals'];
  changes: ChangeModel[];
  releases: ReleaseModel[];
  others?: FindingsModel;
  /** How to add the change record the branch lacks: the command, and the editor link. */
  missing?: MissingChangeModel;
  bare: boolean;
  runUrl?: string;
  truncated: boolean;
  omittedChanges: number;
  omittedSections: boolean;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** The report's model at one level of detail, with the change sections already built. */
export function reportModel(
  view: ReportView,
  detail: Detail,
  link: Linker,
  layout: {
    kind: 'comment' | 'summary';
    marker?: string | undefined;
    serverUrl?: string | undefined;
  },
  changes: ChangeModel[],
  cut: Cut,
  reduced: boolean,
): ReportModel {
  const inComment = layout.kind === 'comment';
  const bare = cut === 'sections';
  const others = bare ? [] : view.otherFindings;
  const missing =
    bare || !view.missingChange
      ? undefined
      : missingChangeModel(view.missingChange, layout.serverUrl);
  return {
    ...(layout.marker ? { marker: layout.marker } : {}),
    counts: view.counts,
    changeCount: view.changes.length,
    releaseCount: view.releases.length,
    ...(view.base ? { base: view.base } : {}),
    ...(view.dir ? { dir: view.dir } : {}),
    ...(view.advisory ? { advisory: view.advisory.statusContext } : {}),
    ...(view.approvals ? { approvals: view.approvals } : {}),
    changes,
    releases: bare
      ? []
      : view.releases.map((release) => ({
          release,
          worst: worst(release.findings),
          ...findingsModel(release.findings, detail, link, inComment),
        })),
    ...(others.length > 0 ? { others: findingsModel(others, detail, link, inComment) } : {}),
    ...(missing ? { missing } : {}),
    bare,
    ...(safeUrl(view.runUrl) ? { runUrl: view.runUrl } : {}),
    truncated: reduced || cut !== 'none',
    omittedChanges: view.changes.length - changes.length,
    omittedSections: bare,
  };
}

/** One change section at one level of detail. */
export function changeModel(
  change: ChangeView,
  detail: Detail,
  link: Linker,
  kind: 'comment' | 'summary',
): ChangeModel {
  const { impact } = change;
  const count = impact.impacted.length;
  return {
    change,
    worst: worst(change.findings),
    ...(change.schedule ? { schedule: `${change.schedule.start} → ${change.schedule.end}` } : {}),
    ...findingsModel(change.findings, detail, link, kind === 'comment'),
    impactedCount: count,
    ...(detail.graphs && count > 0 ? { graph: impact } : {}),
    ...(detail.ciTables && count > 0 ? { table: tableRows(impact) } : {}),
    ...(detail.ciTables && count > ciTableCap ? { tableMore: count - ciTableCap } : {}),
  };
}

/**
 * How many rows a change's CI table lists, the nearest CIs first; a line under it says how many
 * more there are. A table is a place to look things up, not the CMDB.
 */
export const ciTableCap = 100;

/**
 * The CI table's rows, the nearest `ciTableCap` CIs: each CI with its route, derived from the
 * parent links (shortPaths: the path to the CI, its first two and last four CIs when longer than
 * seven), so a 20,000-CI chain costs a few steps a row, not the 200 million its paths would.
 */
function tableRows(impact: Impact): { ci: ImpactedCi; route: Route }[] {
  const pathOf = shortPaths(impact, { head: 2, tail: 4 });
  return impact.impacted.slice(0, ciTableCap).map((ci, p) => {
    // The route explains the CI: its path without the CI itself.
    const path = pathOf(p).slice(0, -1);
    const cut = path.indexOf(elided);
    return {
      ci,
      route: cut < 0 ? { head: path } : { head: path.slice(0, cut), tail: path.slice(cut + 1) },
    };
  });
}

/** Errors first, then the order a compiler prints them in; at most `detail.findings` of them. */
function findingsModel(
  all: readonly Finding[],
  detail: Detail,
  link: Linker,
  inComment: boolean,
): FindingsModel {
  const sorted = sortFindings(all).sort(
    (a, b) => severityRank[a.severity] - severityRank[b.severity],
  );
  const shown = sorted.slice(0, detail.findings);
  return {
    findings: shown.map((f) => {
      const url = link(f);
      return {
        severity: f.severity,
        location: f.line >= 1 ? `${f.file}:${f.line}` : f.file,
        ...(url ? { url } : {}),
        message: f.message,
        rule: f.rule,
      };
    }),
    moreFindings: all.length - shown.length,
    inComment,
  };
}

function worst(findings: readonly Finding[]): Severity | 'ok' {
  let best: Severity | 'ok' = 'ok';
  for (const f of findings) {
    if (f.severity === 'error') return 'error';
    if (f.severity === 'warning' || best === 'ok') best = f.severity;
  }
  return best;
}
