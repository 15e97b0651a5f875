import { escapeText, inlineCode, tableCell } from '../render/markdown.js';
import {
  describeCheckResult,
  formatBytes,
  formatDuration,
  type NamedCheckResult,
} from './check-result.js';
import { markerName } from './markers.js';
import type { Assessment, VerifyOutcome } from './outcome.js';
import type { RunFacts } from './problem-issue.js';
import type { SkippedChange } from './select.js';
import { bodyLength, cleanOutput, fenceFor, tailThatFits } from './text.js';

/**
 * What a verify run did, as plain data: each change's assessment and what became of it on GitHub
 * (the problem issue, the note on its pull request, the proposed pull requests), rendered here as
 * the job summary, the log lines and the step's failure message.
 */

/** What became of one write: done (and how), not asked for, or not possible and why. */
export type WriteOutcome =
  | {
      action: 'created' | 'exists' | 'updated' | 'unchanged' | 'commented' | 'reported';
      number: number;
    }
  | { action: 'skipped' | 'refused'; reason: string };

/** One verified change and what the run did about it. */
export interface VerifiedChange {
  changeId: string;
  /** The change's title: record text, untrusted. */
  title: string;
  assessment: Assessment;
  /** Names of the record's checks that were not run (run-checks off). */
  notRun: readonly string[];
  /** The problem issue: opened, or the open one that got a comment, or already reported. */
  problemIssue?: WriteOutcome;
  /** The pull request that carried the change, when found. */
  pullRequest?: number;
  /** verify's note on that pull request. */
  note?: WriteOutcome;
  recordUpdate?: WriteOutcome;
  revert?: WriteOutcome;
  /** Problem <-> change sentences ("CHG-0051 remediates #123, opened by the failure of CHG-0042"). */
  links: readonly string[];
}

/** Everything a verify run reports. */
export interface VerifyReport {
  outcome: VerifyOutcome;
  /** The verified commit. */
  commit?: string;
  run?: RunFacts;
  changes: readonly VerifiedChange[];
  /** Changes the push touched that were not verified, and why. */
  skipped: readonly SkippedChange[];
  /** Sentences about the run as a whole (a write GitHub refused, the PR that could not be found). */
  notes: readonly string[];
}

/** The run's outcome from its changes': any failure fails it, then any cancelled deploy. */
export function overallOutcome(assessments: readonly Pick<Assessment, 'outcome'>[]): VerifyOutcome {
  if (assessments.some((a) => a.outcome === 'failure')) return 'failure';
  if (assessments.some((a) => a.outcome === 'cancelled')) return 'cancelled';
  return 'success';
}

const icons: Record<VerifyOutcome, string> = {
  success: '✅',
  failure: '❌',
  cancelled: '⚠️',
};

// The job summary may hold 1 MiB; outputs share at most this much of it (UTF-16 units, each up
// to 3 bytes of UTF-8), the rest is tables and sentences, which are capped.
const outputBudget = 300_000;
const maxOutputShare = 32_000;
const maxOutputsShown = 50;
const maxChangesListed = 200;
const maxChecksListed = 50;

/**
 * The job summary of a verify run: per change its outcome, each check with its result, duration
 * and output tail (in a block it cannot break out of), the problem issue and pull requests. Record
 * text and check output stay inert; the whole stays well under GitHub's 1 MiB.
 */
export function renderVerifySummary(report: VerifyReport): string {
  const lines: string[] = [`## changeops verify: ${icons[report.outcome]} ${report.outcome}`, ''];
  const where: string[] = [];
  if (report.commit) where.push(`commit ${inlineCode(report.commit, { maxLength: 64 })}`);
  if (report.run) where.push(runLink(report.run));
  if (where.length > 0) lines.push(`Verified ${where.join(' in ')}.`, '');
  if (report.changes.length === 0) lines.push('No change was verified.', '');

  const withOutput = report.changes.flatMap((change) => change.assessment.checks);
  const shown = Math.min(withOutput.length, maxOutputsShown);
  const share = shown === 0 ? 0 : Math.min(maxOutputShare, Math.floor(outputBudget / shown));
  let outputs = 0;
  for (const change of report.changes.slice(0, maxChangesListed)) {
    const { assessment } = change;
    lines.push(
      `### ${icons[assessment.outcome]} ${inlineCode(change.changeId)} ${escapeText(change.title, { maxLength: 200 })}`,
      '',
      escapeText(assessment.summary, { maxLength: 2000 }),
      '',
    );
    const checks = assessment.checks;
    if (checks.length > 0) {
      lines.push('| Check | Result | Duration |', '|---|---|---|');
      for (const check of checks.slice(0, maxChecksListed)) {
        lines.push(
          `| ${inlineCode(check.name, { inTable: true, maxLength: 63 })} | ${tableCell(describeCheckResult(check.result))} | ${formatDuration(check.result.durationMs)} |`,
        );
      }
      if (checks.length > maxChecksListed)
        lines.push(`| and ${checks.length - maxChecksListed} more | | |`);
      lines.push('');
    }
    if (change.notRun.length > 0)
      lines.push(
        `Not run (run-checks is off): ${change.notRun
          .slice(0, maxChecksListed)
          .map((name) => inlineCode(name, { maxLength: 63 }))
          .join(', ')}.`,
        '',
      );
    const facts = writeLines(change);
    if (facts.length > 0) lines.push(...facts, '');
    for (const check of checks.slice(0, maxChecksListed)) {
      if (outputs >= maxOutputsShown) break;
      outputs++;
      lines.push(...outputBlock(check, share));
    }
  }
  if (report.changes.length > maxChangesListed)
    lines.push(`And ${report.changes.length - maxChangesListed} more changes.`, '');
  const omitted = withOutput.length - outputs;
  if (omitted > 0)
    lines.push(
      `The output of ${omitted} more checks is not shown: the summary shows ${maxOutputsShown}.`,
      '',
    );
  if (report.skipped.length > 0) {
    lines.push('**Not verified**', '');
    for (const skipped of report.skipped.slice(0, maxChangesListed))
      lines.push(`- ${escapeText(skipped.reason, { maxLength: 300 })}`);
    if (report.skipped.length > maxChangesListed)
      lines.push(`- and ${report.skipped.length - maxChangesListed} more`);
    lines.push('');
  }
  if (report.notes.length > 0) {
    lines.push('**Notes**', '');
    for (const note of report.notes.slice(0, 50))
      lines.push(`- ${escapeText(note, { maxLength: 500 })}`);
    lines.push('');
  }
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

function runLink(run: RunFacts): string {
  const name = `run ${Math.trunc(run.id)}`;
  return /^https:\/\/[^\s<>()[\]"'`|]+$/.test(run.url) ? `[${name}](${run.url})` : name;
}

function writeLines(change: VerifiedChange): string[] {
  const lines: string[] = [];
  const item = (label: string, write: WriteOutcome | undefined, words: Record<string, string>) => {
    if (!write) return;
    if ('number' in write)
      lines.push(`- ${label}: #${Math.trunc(write.number)} ${words[write.action] ?? write.action}`);
    else if (write.action === 'refused')
      lines.push(`- ${label}: not written: ${escapeText(write.reason, { maxLength: 500 })}`);
    else lines.push(`- ${label}: ${escapeText(write.reason, { maxLength: 500 })}`);
  };
  item('Problem issue', change.problemIssue, {
    created: '(opened)',
    commented: '(this failure added as a comment)',
    reported: '(this failure is on it already)',
    exists: '(open)',
  });
  if (change.pullRequest !== undefined)
    lines.push(`- Pull request: #${Math.trunc(change.pullRequest)}`);
  item('Note on the pull request', change.note, {
    created: '(written)',
    updated: '(updated)',
    unchanged: '(unchanged)',
  });
  item('Record update', change.recordUpdate, {
    created: '(opened)',
    exists: '(opened by an earlier run)',
  });
  item('Revert', change.revert, { created: '(opened)', exists: '(opened by an earlier run)' });
  for (const link of change.links.slice(0, 10))
    lines.push(`- ${escapeText(link, { maxLength: 300 })}`);
  return lines;
}

/** A check's output tail in a collapsed block, cut from the front to `budget`, never its last line. */
function outputBlock(check: NamedCheckResult, budget: number): string[] {
  const { result } = check;
  const name = inlineCode(check.name, { maxLength: 63 });
  const { text, fence } = fenceFor(cleanOutput(result.output));
  if (text === '' && !result.truncated) {
    const words =
      result.outputBytes === 0 ? 'printed nothing' : 'printed only blank lines or terminal codes';
    return [`Output of ${name}: it ${words}.`, ''];
  }
  const tail = tailThatFits(text, Math.max(0, budget - 2 * fence.length - 16));
  const cut = tail.cut || result.truncated;
  const about = cut
    ? `last ${tail.lines} line${tail.lines === 1 ? '' : 's'} of ${formatBytes(result.outputBytes)}`
    : `${formatBytes(result.outputBytes)}`;
  return [
    `<details><summary>Output of ${name} (${about})</summary>`,
    '',
    `${fence}text`,
    tail.text,
    fence,
    '',
    '</details>',
    '',
  ];
}

/**
 * Lines for the runner's log, one per change and check. Check names are shown as slugs and no
 * output is printed: nothing a record or a check says can become a workflow command.
 */
export function verifyLogLines(report: VerifyReport): string[] {
  const lines: string[] = [];
  for (const change of report.changes) {
    lines.push(`${change.changeId}: ${change.assessment.outcome}`);
    for (const check of change.assessment.checks)
      lines.push(
        `  ${markerName(check.name)}: ${oneLineWords(describeCheckResult(check.result))} (${formatDuration(check.result.durationMs)})`,
      );
    for (const name of change.notRun) lines.push(`  ${markerName(name)}: not run`);
    const issue = change.problemIssue;
    if (issue && 'number' in issue)
      lines.push(`  problem issue #${issue.number} (${issue.action})`);
  }
  for (const skipped of report.skipped)
    lines.push(
      `not verified: ${/^CHG-[0-9]{1,8}$/.test(skipped.id) ? skipped.id : 'a record whose id is not a change id'}`,
    );
  return lines;
}

/** The step's failure message when the run did not succeed (check names as slugs). */
export function verifyFailureMessage(report: VerifyReport): string | undefined {
  if (report.outcome === 'success') return undefined;
  const parts = report.changes
    .filter((change) => change.assessment.outcome !== 'success')
    .slice(0, 10)
    .map((change) => {
      const a = change.assessment;
      if (a.outcome === 'cancelled')
        return `${a.changeId} is not verified (the deploy was cancelled)`;
      const what = a.failedChecks
        .slice(0, 5)
        .map(
          (check) => `${markerName(check.name)} ${oneLineWords(describeCheckResult(check.result))}`,
        );
      if (a.failedChecks.length > 5) what.push(`${a.failedChecks.length - 5} more checks failed`);
      if (a.deployFailed) what.unshift('the deploy step failed');
      const issue = change.problemIssue;
      const tracked = issue && 'number' in issue ? `; problem issue #${issue.number}` : '';
      return `${a.changeId} failed after implementation (${what.join('; ')})${tracked}`;
    });
  return parts.join('. ') + '.';
}

// Our own phrases, but one may quote a path or an error: keep it on one line, short.
function oneLineWords(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ');
  return bodyLength(flat) > 300 ? `${flat.slice(0, 299)}…` : flat;
}
