import type { RecordKind } from './kinds.js';

/** How much a finding matters: errors fail the run, warnings and notices inform. */
export type Severity = 'error' | 'warning' | 'notice';

/** A place in a record file: 1-based line and column, repository-relative POSIX path. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/**
 * One thing wrong with (or worth saying about) the records: what validation, integrity checks
 * and evaluation rules produce. Plain data, so every face (CLI, action, JSON) can print it.
 */
export interface Finding extends SourcePosition {
  severity: Severity;
  /** The rule that produced it, such as `schema`, `unique-id` or `backout-plan`. */
  rule: string;
  /** A sentence a change initiator understands: what is wrong and what is expected. */
  message: string;
  /** The field concerned, as a dotted path (`plan.backout`, `cis[1]`), when there is one. */
  field?: string;
  /** The record concerned, when there is one. */
  kind?: RecordKind;
  id?: string;
  /**
   * Set on the one finding that stands for the findings not listed (rule `too-many-findings`,
   * see finding-cap.ts): how many of each severity it stands for, which is what it counts as.
   */
  omitted?: SeverityCounts;
}

/** How many findings there are of each severity: what every face's summary line counts. */
export interface SeverityCounts {
  errors: number;
  warnings: number;
  notices: number;
}

/**
 * Counts findings by severity, in one pass; a finding that stands for findings not listed
 * counts as the findings it stands for, so the counts are the totals whatever the caps.
 */
export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { errors: 0, warnings: 0, notices: 0 };
  for (const finding of findings) {
    if (finding.omitted) {
      counts.errors += finding.omitted.errors;
      counts.warnings += finding.omitted.warnings;
      counts.notices += finding.omitted.notices;
    } else if (finding.severity === 'error') counts.errors++;
    else if (finding.severity === 'warning') counts.warnings++;
    else if (finding.severity === 'notice') counts.notices++;
  }
  return counts;
}

const order: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** Sorts findings by file, line, column, then severity: the order a compiler prints them in. */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      order[a.severity] - order[b.severity] ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
