import type { Impact } from '../impact/impact.js';
import type { Finding, SeverityCounts } from '../records/finding.js';
import type { Level } from '../records/level.js';
import type { RenderedChecklist } from './approvals.js';
import type { MissingChangeView } from './missing-change.js';

/** One change as the report shows it. */
export interface ChangeView {
  id: string;
  title: string;
  type: 'standard' | 'normal' | 'emergency';
  status: string;
  file: string;
  requester?: string;
  riskLevel?: Level;
  impactLevel?: Level;
  schedule?: { start: string; end: string };
  findings: readonly Finding[];
  /**
   * The CIs the change impacts, by depth then id, with the parent links that explain each: the
   * one impact the evaluation computed, drawn as the mermaid graph and listed in the CI table.
   */
  impact: Impact;
  /** Problem <-> change sentences (plain text from the records: escaped when rendered). */
  problemLinks?: readonly string[];
}

/** One release as the report shows it. */
export interface ReleaseView {
  id: string;
  title: string;
  version: string;
  status: string;
  file: string;
  findings: readonly Finding[];
  /** Whether it is ready to ship, against the base branch's history, when that was read. */
  readiness?: ReadinessView;
}

/** A release's readiness as a report shows it: the verdict, the summary, the first reasons. */
export interface ReadinessView {
  ready: boolean;
  summary: string;
  /** The first reasons' sentences (record text: untrusted). */
  reasons: string[];
  /** How many more reasons there are. */
  more: number;
}

/**
 * Everything the PR comment and the job summary show, as plain data. The core builds it from
 * a check's outcome; the renderers turn it into markdown. Every string in it that came from a
 * record (titles, ids, messages quoting values) is untrusted and escaped by the renderer.
 */
export interface ReportView {
  /** The repository, `owner/name`, for links to files at the head commit. */
  repository?: string;
  /** The commit the report is about (the PR head). */
  headSha?: string;
  /** The base the change was evaluated against. */
  base?: string;
  /** The folder the report is about, when it is not the workspace root (the action's `dir`). */
  dir?: string;
  counts: SeverityCounts;
  changes: readonly ChangeView[];
  releases: readonly ReleaseView[];
  /** The change record the branch lacks (rogue code changes): the report says how to add it. */
  missingChange?: MissingChangeView;
  /** Findings that belong to no change or release under evaluation (CMDB, rogue code changes, policy). */
  otherFindings: readonly Finding[];
  /**
   * Set when a commit status this run posts only advises: it runs without a GitHub App identity,
   * so any workflow of the repository could post the same context. The report warns under the
   * outcome that the status named here can be forged.
   */
  advisory?: { statusContext: string };
  /** A link to the workflow run, whose job summary holds the full report. */
  runUrl?: string;
  /** The gate's approval checklist, rendered (and made inert) by `renderedChecklist`. */
  approvals?: RenderedChecklist;
}
