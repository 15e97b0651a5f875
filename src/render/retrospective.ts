/**
 * The retrospective-review issue of an emergency change: opened by the gate when the pull request
 * that the ECAB approved merges, found again by its hidden marker (and our identity), and closed
 * by a member of the CAB as its sign-off. Pure: the issue's title and body from the change, its
 * record and the gate's result tree; every value from a record is made inert.
 */
import type { ChangeFacts } from '../approvals/facts.js';
import type { GateResult } from '../approvals/result.js';
import { listUpTo } from '../approvals/wording.js';
import type { Change } from '../records/types.generated.js';
import { escapeText } from './markdown.js';

/** One retrospective-review issue, ready to create. */
export interface RetrospectiveIssue {
  /** The emergency change it reviews. */
  change: string;
  /** The hidden first line that names it; one issue per change, whichever PR merges it. */
  marker: string;
  title: string;
  body: string;
  labels: string[];
}

/** The label a retrospective-review issue gets (informative: it is found by marker, not label). */
export const retrospectiveLabel = 'changeops:retrospective';

/** The hidden marker of the retrospective of a change: a single-line HTML comment. */
export function retrospectiveMarker(change: string): string {
  // The id is the record's: keep it to the characters an id has, so it cannot end the comment.
  return `<!-- changeops:retrospective change=${change.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)} -->`;
}

/** What the issue is made from. */
export interface RetrospectiveInput {
  change: ChangeFacts;
  record: Change | undefined;
  result: GateResult;
  pullRequest: number;
  pullRequestUrl?: string;
}

/**
 * The retrospective-review issue of an emergency change: who in the ECAB approved it (the
 * approvers of every requirement it needed), its impact, its back-out plan, and what signs it off.
 */
export function retrospectiveIssue(input: RetrospectiveInput): RetrospectiveIssue {
  const { change, record, result } = input;
  const t = (value: unknown, maxLength = 500) => escapeText(value, { maxLength });
  const approvers: string[] = [];
  for (const node of result.children) {
    if (node.kind !== 'requirement' || !node.changes.includes(change.id)) continue;
    for (const approver of node.approvedBy)
      approvers.push(`${t(approver.login, 60)} (${t(node.label, 80)})`);
  }
  const title = typeof record?.title === 'string' ? record.title : '';
  const impacted = change.impacted.map((ci) => ci.id);
  const backout = typeof record?.plan?.backout === 'string' ? record.plan.backout.trim() : '';
  const pr = input.pullRequestUrl
    ? `[#${input.pullRequest}](${input.pullRequestUrl})`
    : `#${input.pullRequest}`;
  const lines = [
    retrospectiveMarker(change.id),
    `The emergency change **${t(change.id, 100)}**${title ? ` (${t(title, 200)})` : ''} merged with ${pr} on the ECAB's approval. The CAB reviews it after the fact.`,
    '',
    `- **ECAB approvers**: ${approvers.length > 0 ? approvers.join(', ') : 'none recorded (the gate did not count an approval)'}`,
    `- **Impact**: ${impacted.length === 0 ? 'no CI of the CMDB' : t(listUpTo(impacted, 20), 2000)}`,
    `- **Named CIs**: ${change.cis.length === 0 ? 'none' : t(listUpTo(change.cis, 20), 1000)}`,
    `- **Requester**: ${change.requester ? t(change.requester, 60) : 'not given'}`,
    '',
    '**Back-out plan**',
    '',
    backout ? t(backout, 4000) : '_No back-out plan was recorded._',
    '',
    '**Sign-off**: this issue stays open until a member of the CAB reviews the change and closes it as completed; that close is the sign-off. Record what was learned in a comment first.',
  ];
  return {
    change: change.id,
    marker: retrospectiveMarker(change.id),
    title: `Retrospective review of emergency change ${change.id.slice(0, 100)}${title ? `: ${title.replace(/\s+/g, ' ').slice(0, 120)}` : ''}`,
    body: `${lines.join('\n')}\n`,
    labels: [retrospectiveLabel],
  };
}
