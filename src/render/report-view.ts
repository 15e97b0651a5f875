import type { Finding } from '../records/finding.js';
import type { Level } from '../records/policy.js';

/** One impacted CI as the report shows it. */
export interface ImpactedCiView {
  id: string;
  name: string;
  criticality: number;
  environment?: string;
  depth: number;
  /** The chain from a CI the change names to this one (first element is the named CI). */
  via: readonly string[];
  /** The relation of the last hop: the change names it, something depends on it, or it is part of something. */
  relation: 'direct' | 'dependsOn' | 'partOf';
}

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
  impacted: readonly ImpactedCiView[];
}

/** One release as the report shows it. */
export interface ReleaseView {
  id: string;
  title: string;
  version: string;
  status: string;
  file: string;
  findings: readonly Finding[];
}

/** One required approval as the gate reports it (the gate fills these in later). */
export interface ApprovalItemView {
  name: string;
  /** A sentence such as "Approved by alice; missing 1 of @acme/cab". */
  explanation: string;
  state: 'satisfied' | 'pending' | 'blocked' | 'skipped';
}

/**
 * Everything the PR comment and the job summary show, as plain data. The use case builds it from
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
  counts: { errors: number; warnings: number; notices: number };
  changes: readonly ChangeView[];
  releases: readonly ReleaseView[];
  /** Findings that belong to no change or release under evaluation (CMDB, rogue code changes, policy). */
  otherFindings: readonly Finding[];
  /** The approval checklist; absent until the gate has run. */
  approvals?: {
    state: 'approved' | 'pending' | 'blocked' | 'advisory';
    items: readonly ApprovalItemView[];
  };
  /** True when the gate runs without a GitHub App identity: its status can be forged, so it only advises. */
  advisory?: boolean;
  /** A link to the workflow run, whose job summary holds the full report. */
  runUrl?: string;
}
