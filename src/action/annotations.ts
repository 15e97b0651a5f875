import type { Finding } from '../records/finding.js';

/** GitHub shows at most 10 annotations of each level from one step; the rest are dropped silently. */
export const annotationsPerLevel = 10;

/** The findings to annotate, most relevant first, and how many of each level are left out. */
export function pickAnnotations(
  findings: readonly Finding[],
  relevant: (finding: Finding) => boolean = () => true,
): { shown: Finding[]; hidden: number } {
  const shown: Finding[] = [];
  let hidden = 0;
  for (const severity of ['error', 'warning', 'notice'] as const) {
    const ofLevel = findings.filter((f) => f.severity === severity);
    // Findings on what the pull request touches come before the rest of the estate's.
    const ordered = [...ofLevel.filter(relevant), ...ofLevel.filter((f) => !relevant(f))];
    shown.push(...ordered.slice(0, annotationsPerLevel));
    hidden += Math.max(0, ordered.length - annotationsPerLevel);
  }
  return { shown, hidden };
}
