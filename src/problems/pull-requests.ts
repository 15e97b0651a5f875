import { escapeText, inlineCode } from '../render/markdown.js';
import { problemIssueMarker } from './markers.js';
import type { RunFacts } from './problem-issue.js';
import type { ChangeReview } from './record-update.js';

/**
 * The pull requests verify proposes, the GitOps way (never a push to a protected branch): the
 * record update (status implemented or failed, with the review) and, on failure, the revert of
 * the change's merge commit. Each has a branch named after the change and the outcome, so a
 * re-run finds the one it opened instead of opening another.
 */

/** A pull request to open: its branch, title, body and the message of its one commit. */
export interface ProposedPullRequest {
  branch: string;
  title: string;
  body: string;
  commitMessage: string;
}

/** The branch of a change's record update: `changeops/verify/CHG-0042-failed`. */
export function recordUpdateBranch(changeId: string, status: 'implemented' | 'failed'): string {
  problemIssueMarker(changeId); // validates the id: it goes into a ref name
  return `changeops/verify/${changeId}-${status}`;
}

/** The branch of a change's revert: `changeops/revert/CHG-0042`. */
export function revertBranch(changeId: string): string {
  problemIssueMarker(changeId);
  return `changeops/revert/${changeId}`;
}

/** The hidden first line of a pull request body verify wrote. */
export function proposalMarker(kind: 'record-update' | 'revert', changeId: string): string {
  problemIssueMarker(changeId);
  return `<!-- changeops:${kind} change=${changeId} -->`;
}

function runLink(run: RunFacts): string {
  const name = `run ${Math.trunc(run.id)}`;
  return /^https:\/\/[^\s<>()[\]"'`|]+$/.test(run.url) ? `[${name}](${run.url})` : name;
}

/** What the record update pull request is made from. */
export interface RecordUpdateFacts {
  changeId: string;
  /** The change's title: record text, untrusted. */
  title: string;
  /** The record file, from the repository's root. */
  file: string;
  from: string;
  to: 'implemented' | 'failed';
  review: ChangeReview;
  run: RunFacts;
}

/**
 * The pull request that moves a change record to `implemented` or `failed` and records the
 * post-implementation review. Record text (the title) stays inert; the problem issue is a live
 * reference, ours.
 */
export function renderRecordUpdatePullRequest(facts: RecordUpdateFacts): ProposedPullRequest {
  const { changeId, review } = facts;
  const issue = review.problemIssue ? ` ${review.problemIssue}` : '';
  const lines = [
    proposalMarker('record-update', changeId),
    `Moves ${inlineCode(changeId)} ${escapeText(facts.title, { maxLength: 200 })} from **${facts.from}** to **${facts.to}**, as changeops verify found in ${runLink(facts.run)}.`,
    '',
    `- outcome: ${review.outcome}`,
    `- verified: ${escapeText(review.date, { maxLength: 40 })}`,
    ...(review.problemIssue ? [`- problem issue:${issue}`] : []),
    `- file: ${inlineCode(facts.file, { maxLength: 300 })}`,
    '',
    'Merging it records the post-implementation review in Git, where the change history is kept. changeops opened it once; it does not update or reopen it.',
  ];
  return {
    branch: recordUpdateBranch(changeId, facts.to),
    title: `${changeId}: record the post-implementation review (${facts.to})`,
    body: lines.join('\n') + '\n',
    commitMessage: `${changeId}: ${facts.to} after implementation${issue ? ` (problem${issue})` : ''}\n\nRecorded by changeops verify, run ${Math.trunc(facts.run.id)}.`,
  };
}

/** What the revert pull request is made from. */
export interface RevertFacts {
  changeId: string;
  title: string;
  /** The commit that merged the change, the one reverted. */
  mergeCommit: string;
  /** The pull request that carried the change, when known. */
  pullRequest?: number;
  run: RunFacts;
  /** What failed, as phrases; check names are record text. */
  reasons: readonly string[];
  /** Files the merge changed that the revert leaves as they are (the change records). */
  kept: readonly string[];
  /** The open problem issue, when an earlier failure opened it (a new one links the revert). */
  problemIssue?: number;
}

/**
 * The pull request that reverts a failed change's merge commit: an executable back-out, to be
 * reviewed and merged like any change. The change records are left as they are (the record
 * update moves the change to failed); the problem issue links this pull request.
 */
export function renderRevertPullRequest(facts: RevertFacts): ProposedPullRequest {
  const { changeId } = facts;
  const short = facts.mergeCommit.slice(0, 12);
  const carried =
    facts.pullRequest !== undefined ? ` (merged in #${Math.trunc(facts.pullRequest)})` : '';
  const kept =
    facts.kept.length > 0
      ? [
          '',
          `The change records the merge touched are left as they are (${facts.kept
            .slice(0, 10)
            .map((file) => inlineCode(file, { maxLength: 200 }))
            .join(
              ', ',
            )}${facts.kept.length > 10 ? `, and ${facts.kept.length - 10} more` : ''}): the history of a change is kept, and its status is moved by the record update.`,
        ]
      : [];
  const lines = [
    proposalMarker('revert', changeId),
    `Reverts ${inlineCode(short)}${carried}, which implemented ${inlineCode(changeId)} ${escapeText(facts.title, { maxLength: 200 })}.`,
    '',
    `${inlineCode(changeId)} failed after implementation in ${runLink(facts.run)}: ${escapeText(facts.reasons.join('; '), { maxLength: 1000 })}.${facts.problemIssue !== undefined ? ` Problem #${Math.trunc(facts.problemIssue)} tracks it.` : ''}`,
    ...kept,
    '',
    'This is the executable back-out of the change: review it like any other change before merging. changeops opened it once; it does not update or reopen it.',
  ];
  return {
    branch: revertBranch(changeId),
    title: `Revert ${changeId}: back out the change that failed after implementation`,
    body: lines.join('\n') + '\n',
    commitMessage: `Revert ${changeId} (${short})\n\nThis reverts commit ${facts.mergeCommit}${facts.pullRequest !== undefined ? ` of #${Math.trunc(facts.pullRequest)}` : ''}, which failed its post-implementation checks in run ${Math.trunc(facts.run.id)}.`,
  };
}
