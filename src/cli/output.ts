import type { Finding, SeverityCounts } from '../records/finding.js';
import { oneLine } from '../render/terminal.js';

/** Exit codes of every subcommand (SPEC section 5). */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** A finding the way compilers print one: `file:line:col: error: message [rule]`. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.severity}: ${oneLine(finding.message)} [${finding.rule}]`;
}

/** Severity counts in words, as `2 errors, 1 warning` (errors always, the others when any). */
export function countSummary(counts: SeverityCounts): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(counts.errors, 'error')];
  if (counts.warnings) parts.push(plural(counts.warnings, 'warning'));
  if (counts.notices) parts.push(plural(counts.notices, 'notice'));
  return parts.join(', ');
}

/** The streams a command writes to; tests pass their own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /**
   * Asks a person a question and resolves to the answer (trimmed); there only when standard input
   * and output are a terminal, so a script or CI is never asked anything. `completions` are
   * offered on Tab, for the last item of a comma-separated answer.
   */
  ask?: (question: string, completions?: readonly string[]) => Promise<string>;
}

/**
 * A finding as --json gives it (schemas/output/common.schema.json#/$defs/finding): every key
 * always there, null when it does not apply, so scripts never test for a missing key.
 */
export function findingJson(finding: Finding) {
  return {
    file: finding.file,
    line: finding.line,
    column: finding.column,
    severity: finding.severity,
    rule: finding.rule,
    message: finding.message,
    field: finding.field ?? null,
    kind: finding.kind ?? null,
    id: finding.id ?? null,
    // The one finding that stands for those a file or run does not list counts them here.
    omitted: finding.omitted ?? null,
  };
}

/** Prints one JSON document (what --json gives), indented for people who read it too. */
export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
