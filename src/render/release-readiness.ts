import type { ReleaseReadiness } from '../report/readiness.js';
import { escapeText, inlineCode } from './markdown.js';
import { oneLine } from './terminal.js';

/**
 * A release's readiness for a terminal: the summary, every reason, then a line per change with
 * its status on the branch, the pull request that carried it and its checks. Record text is
 * printed with control characters made visible.
 */
export function renderReadinessText(readiness: ReleaseReadiness): string {
  const lines = [oneLine(readiness.summary)];
  for (const reason of readiness.reasons) lines.push(`  - ${oneLine(reason.message)}`);
  if (readiness.changes.length > 0) lines.push('', 'Changes:');
  for (const change of readiness.changes) {
    const status = change.merged ? (change.status ?? '') : `not on ${readiness.branch}`;
    const parts = [
      `${change.ready ? 'ready' : 'not ready'}, ${status}`,
      ...(change.pullRequest ? [`PR #${change.pullRequest}`] : []),
      ...(change.facts
        ? [
            change.facts.checks.length > 0
              ? `checks: ${change.facts.checks.map((check) => check.name).join(', ')}`
              : 'no checks',
          ]
        : []),
    ];
    const title = change.facts?.title !== undefined ? ` ${change.facts.title}` : '';
    lines.push(`  ${oneLine(change.id)}${oneLine(title)} (${oneLine(parts.join('; '))})`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A release's readiness in GitHub-flavoured markdown, for a job summary or a comment: the summary
 * with an icon, and a list of reasons; record text made inert.
 */
export function renderReadinessMarkdown(readiness: ReleaseReadiness): string {
  const lines = [
    `### ${readiness.ready ? '✅' : '⛔'} Release ${inlineCode(readiness.release, { maxLength: 80 })}`,
    '',
    escapeText(readiness.summary, { maxLength: 600 }),
  ];
  if (readiness.reasons.length > 0) {
    lines.push('');
    for (const reason of readiness.reasons)
      lines.push(`- ${escapeText(reason.message, { maxLength: 600 })}`);
  }
  return `${lines.join('\n')}\n`;
}
