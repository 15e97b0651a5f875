import * as YAML from 'yaml';
import type { EvidencePack } from '../report/evidence.js';
import { escapeText, inlineCode, tableCell } from './markdown.js';

/**
 * An evidence pack as a markdown file an auditor can take away: the change and its digest, the
 * status history with commits and dates, the impact at approval, the approvals counted, the
 * checks and their outcomes, the problem issues, and the record as it stood at each status.
 * Every string from a record, a commit or GitHub is made inert; the records are shown as YAML in
 * code blocks whose fence no record text can close.
 */
export function renderEvidenceMarkdown(pack: EvidencePack): string {
  const { change } = pack;
  const cell = (value: unknown) => {
    const text = tableCell(value, { maxLength: 300 });
    return text === '' ? '—' : text;
  };
  const sha = (value: string | null | undefined) =>
    value ? inlineCode(value.slice(0, 12), { inTable: true }) : '—';
  const pr = (value: number | undefined) => (value ? `#${value}` : '—');
  const who = (author: { name: string; login?: string }) => cell(author.login ?? author.name);
  const lines: string[] = [
    `# Evidence: ${inlineCode(change.id, { maxLength: 80 })}${change.title !== undefined ? ` ${escapeText(change.title, { maxLength: 200 })}` : ''}`,
    '',
    escapeText(
      `${/^[aeiou]/.test(change.type) ? 'An' : 'A'} ${change.type} change, ${change.status}, as recorded on ${pack.branch}.`,
      { maxLength: 400 },
    ),
    '',
    '| | |',
    '|---|---|',
    `| requested by | ${cell(pack.requested.by ?? 'no requester recorded')} |`,
    `| first recorded | ${cell(pack.requested.at)} in ${sha(pack.requested.sha)} by ${who(pack.requested.committedBy)}${pack.requested.pullRequest ? ` (${pr(pack.requested.pullRequest)})` : ''}${pack.requested.knownSince ? ', the first commit in this history (it was added before)' : ''} |`,
    `| outcome | ${cell(pack.outcome.outcome)} since ${cell(pack.outcome.at)} in ${sha(pack.outcome.sha)} |`,
    `| pull requests | ${pack.pullRequests.length > 0 ? pack.pullRequests.map((n) => `#${n}`).join(', ') : '—'} |`,
    `| digest | ${inlineCode(pack.digest, { inTable: true })} |`,
    '',
    '## Status history',
    '',
    '| status | from | date | commit | pull request | committed by |',
    '|---|---|---|---|---|---|',
    ...pack.statuses.map(
      (s) =>
        `| ${cell(s.status)}${s.knownSince ? ' (known since)' : ''} | ${cell(s.from)} | ${cell(s.at)} | ${sha(s.sha)} | ${pr(s.pullRequest)} | ${who(s.author)} |`,
    ),
    ...pack.removals.map(
      (r) => `| removed from the branch | — | ${cell(r.at)} | ${sha(r.sha)} | — | — |`,
    ),
    '',
    '## Impact at approval',
    '',
  ];
  if (pack.impact.commit === null || pack.impact.cis.length === 0) {
    lines.push(escapeText(sentence(pack.impact.note ?? 'no CI is impacted'), { maxLength: 400 }));
  } else {
    lines.push(
      `Computed from the CMDB at ${inlineCode(pack.impact.commit.slice(0, 12))}.`,
      '',
      '| CI | name | depth | via | criticality | environment |',
      '|---|---|---|---|---|---|',
      ...pack.impact.cis.map(
        (ci) =>
          `| ${inlineCode(ci.id, { inTable: true, maxLength: 80 })} | ${cell(ci.name)} | ${ci.depth} | ${ci.via.map((id) => inlineCode(id, { inTable: true, maxLength: 80 })).join(' → ') || '—'} | ${cell(ci.criticality)} | ${cell(ci.environment)} |`,
      ),
    );
  }
  lines.push(
    '',
    '## Approvals',
    '',
    `${escapeText(pack.approvals.source === 'github' ? 'Read from GitHub' : 'From git alone', { maxLength: 40 })}: ${escapeText(pack.approvals.note, { maxLength: 600 })}.`,
    '',
  );
  if (pack.approvals.approvers.length === 0) {
    lines.push('No approval is recorded.');
  } else {
    lines.push(
      '| approver | date | commit | requirement | pull request |',
      '|---|---|---|---|---|',
      ...pack.approvals.approvers.map(
        (a) =>
          `| ${cell(a.login)} | ${cell(a.at)} | ${sha(a.commit)} | ${cell(a.satisfies)} | ${pr(a.pullRequest)} |`,
      ),
    );
  }
  lines.push('', '## Post-implementation checks', '');
  if (pack.checks.length === 0) {
    lines.push('The change lists no checks.');
  } else {
    lines.push(
      '| check | command | outcome | date | detail |',
      '|---|---|---|---|---|',
      ...pack.checks.map(
        (c) =>
          `| ${cell(c.name)}${c.listed ? '' : ' (no longer listed)'} | ${c.run !== undefined ? inlineCode(c.run, { inTable: true, maxLength: 200 }) : '—'} | ${cell(c.outcome)} | ${cell(c.at)} | ${cell(c.detail ?? c.runUrl)} |`,
      ),
    );
  }
  const review = pack.verification;
  lines.push(
    '',
    review
      ? `${escapeText(
          `The post-implementation review recorded ${review.outcome}${review.date !== undefined ? ` on ${review.date}` : ''}${review.problemIssue !== undefined ? `, problem issue ${review.problemIssue}` : ''}${review.run !== undefined ? `, run ${review.run}` : ''}`,
          { maxLength: 900 },
        )}; recorded in ${inlineCode(review.recordedIn.sha.slice(0, 12))} on ${escapeText(review.recordedIn.date, { maxLength: 40 })}${review.recordedIn.pullRequest ? ` (#${review.recordedIn.pullRequest})` : ''}.`
      : 'No post-implementation review is recorded (verify writes one into the record).',
  );
  lines.push(
    '',
    '## Problems',
    '',
    `- Opened by this change: ${pack.problem.opened.length > 0 ? pack.problem.opened.map((issue) => escapeText(issue, { maxLength: 200 })).join(', ') : 'none recorded'}.`,
    `- Remediates: ${pack.problem.remediates !== undefined ? escapeText(pack.problem.remediates, { maxLength: 200 }) : 'no problem'}.`,
    '',
    '## The record at each status',
  );
  for (const status of pack.statuses) {
    // The commit is in the status table; a sha in escaped text would be cut by invisible spaces.
    const summary = escapeText(`${status.status} on ${status.at}, ${status.path}`, {
      maxLength: 400,
    });
    lines.push(
      '',
      `<details><summary>${summary}</summary>`,
      '',
      fenced(recordYaml(status.record)),
      '',
      '</details>',
    );
  }
  if (pack.notes.length > 0) {
    lines.push('', '## Notes', '');
    for (const note of pack.notes)
      lines.push(`- ${escapeText(sentence(note), { maxLength: 600 })}`);
  }
  lines.push(
    '',
    '## Checking this pack',
    '',
    'The digest is `sha256:` and the SHA-256 of the JSON form of this pack (`changeops evidence --json`) without its `digest` field, written canonically: keys sorted, no whitespace (the form of RFC 8785). Built again from the same history and inputs it is the same; any later edit gives another.',
  );
  return `${lines.join('\n')}\n`;
}

// Controls and bidirectional overrides, which could make the YAML read differently from what it
// is, are shown as escapes; tabs and newlines stay.
const hidden =
  // eslint-disable-next-line no-control-regex -- showing control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** A phrase as a sentence: a capital first letter and a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/\.$/, '');
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.`;
}

function recordYaml(record: unknown): string {
  return YAML.stringify(record, { lineWidth: 0 }).replace(
    hidden,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A yaml code block fenced by more backticks than any run inside, so the text cannot close it. */
function fenced(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}yaml\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}
