import type { Finding } from '../records/finding.js';
import { oneLine } from '../render/terminal.js';

/** Exit codes of every subcommand (SPEC section 5). */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** A finding the way compilers print one: `file:line:col: error: message [rule]`. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.severity}: ${oneLine(finding.message)} [${finding.rule}]`;
}

/** Counts findings by severity, as `2 errors, 1 warning`. */
export function countSummary(findings: readonly Finding[]): string {
  const count = (severity: Finding['severity']) =>
    findings.filter((f) => f.severity === severity).length;
  const parts: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  parts.push(plural(count('error'), 'error'));
  const warnings = count('warning');
  if (warnings) parts.push(plural(warnings, 'warning'));
  const notices = count('notice');
  if (notices) parts.push(plural(notices, 'notice'));
  return parts.join(', ');
}

/** Thrown for a wrong command line: printed with the usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The streams a command writes to; tests pass their own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}
