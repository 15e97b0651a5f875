import { sortFindings, type Finding } from '../records/finding.js';
import type { LoadResult } from '../records/load.js';
import { loadWorkspace } from './load-workspace.js';

/** The outcome of `validate`: every finding, sorted, and the counts for the summary line. */
export interface ValidateOutcome {
  valid: boolean;
  /** False when changeops.yaml exists but cannot be used: a configuration error. */
  policyUsable: boolean;
  findings: Finding[];
  files: number;
  records: number;
}

/** Validates a repository's records: schemas and integrity, nothing that needs git. */
export function validate(root: string): ValidateOutcome {
  return outcomeOf(loadWorkspace(root));
}

function outcomeOf(workspace: LoadResult): ValidateOutcome {
  const findings = sortFindings(workspace.findings);
  return {
    valid: !findings.some((finding) => finding.severity === 'error'),
    policyUsable: workspace.policyUsable,
    findings,
    files: workspace.files,
    records: workspace.records,
  };
}
