import { escapeText, inlineCode } from '../render/markdown.js';
import { problemIssueMarker } from './markers.js';
import type { Assessment } from './outcome.js';
import type { RunFacts } from './problem-issue.js';

/**
 * The hidden first line of verify's note on a change's pull request: one note per change, kept
 * up to date in place (a sticky comment), `<!-- changeops:verify change=CHG-0042 -->`.
 */
export function verifyNoteMarker(changeId: string): string {
  problemIssueMarker(changeId); // validates the id
  return `<!-- changeops:verify change=${changeId} -->`;
}

/** What the note on the change's pull request says. */
export interface VerifyNoteFacts {
  assessment: Assessment;
  run: RunFacts;
  /** The change's open problem issue, when it failed. */
  problemIssue?: number;
}

/**
 * The note verify leaves on the change's pull request: on failure it links the problem issue
 * (our own number, so a live reference that also shows the PR in the issue's timeline); on
 * success (optional, by input) it says the checks passed; a cancelled deploy says it is not
 * verified. Record text (check names in the summary) stays inert.
 */
export function renderVerifyNote(facts: VerifyNoteFacts): string {
  const { assessment, run } = facts;
  const id = inlineCode(assessment.changeId);
  const where = /^https:\/\/[^\s<>()[\]"'`|]+$/.test(run.url)
    ? `[run ${Math.trunc(run.id)}](${run.url})`
    : `run ${Math.trunc(run.id)}`;
  const summary = escapeText(assessment.summary, { maxLength: 2000 });
  const lines = [verifyNoteMarker(assessment.changeId)];
  if (assessment.outcome === 'failure') {
    const reasons = escapeText(assessment.reasons.join('; '), { maxLength: 2000 });
    const issue =
      facts.problemIssue !== undefined
        ? `Problem #${Math.trunc(facts.problemIssue)} tracks it.`
        : 'No problem issue could be opened: see the run.';
    lines.push(`**${id} failed after implementation** (${where}): ${reasons}. ${issue}`);
  } else if (assessment.outcome === 'success') {
    lines.push(`**${id} passed its post-implementation review** (${where}).`, '', summary);
  } else {
    lines.push(`**${id} is not verified** (${where}).`, '', summary);
  }
  return lines.join('\n') + '\n';
}
