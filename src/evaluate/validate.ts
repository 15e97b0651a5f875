import {
  countSeverities,
  sortFindings,
  type Finding,
  type SeverityCounts,
} from '../records/finding.js';
import { capFindings } from '../records/finding-cap.js';
import type { LoadResult } from '../records/load.js';

/** The outcome of `validate`: every finding, sorted, and the counts for the summary line. */
export interface ValidateOutcome {
  valid: boolean;
  /** False when changeops.yaml exists but cannot be used: a configuration error. */
  policyUsable: boolean;
  findings: Finding[];
  counts: SeverityCounts;
  files: number;
  records: number;
}

/** Judges loaded records on their own: schemas and integrity, nothing that needs git. */
export function validationOutcome(workspace: LoadResult): ValidateOutcome {
  // Capped per file and per run; the counts stay the totals (countSeverities).
  const findings = sortFindings(capFindings(sortFindings(workspace.findings)));
  const counts = countSeverities(findings);
  return {
    valid: counts.errors === 0,
    policyUsable: workspace.policyUsable,
    findings,
    counts,
    files: workspace.files,
    records: workspace.records,
  };
}
