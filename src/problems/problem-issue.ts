import { escapeText, inlineCode, tableCell } from '../render/markdown.js';
import {
  describeCheckResult,
  formatBytes,
  formatDuration,
  type NamedCheckResult,
} from './check-result.js';
import {
  failureKey,
  failureMarker,
  markerName,
  problemIssueMarker,
  problemLabel,
} from './markers.js';
import type { Assessment } from './outcome.js';
import { bodyLength, bodyLimit, cleanOutput, fenceFor, inertLines, tailThatFits } from './text.js';

/** An impacted CI as the problem issue lists it (an `ImpactedCi` fits). */
export interface ProblemCi {
  id: string;
  name?: string;
  criticality?: number;
  /** Hops from a CI the change names: 0 for those. */
  depth?: number;
  /** The ids from a named CI to this one. */
  via?: readonly string[];
}

/** The workflow run that verified the change. */
export interface RunFacts {
  id: number;
  /** Its page, `https://github.com/<owner>/<repo>/actions/runs/<id>`. */
  url: string;
}

/** What the problem issue says of the change (a `Change` fits). */
export interface ProblemChange {
  id: string;
  title: string;
  plan?: { backout?: string };
  /** The problem the change itself remediates, such as "#123". */
  problem?: string;
}

/** Everything the problem issue is made from. */
export interface ProblemIssueFacts {
  change: ProblemChange;
  assessment: Assessment;
  /** The CIs the change impacts, computed from the CMDB at the verified commit. */
  impacted: readonly ProblemCi[];
  run: RunFacts;
  /** The verified commit. */
  commit?: string;
  /** The pull request that reverts the change, once opened: an executable back-out. */
  revertPullRequest?: number;
  /** The most characters the body may have (default 65,536, GitHub's limit). */
  maxLength?: number;
}

/** A problem issue to open: its title, body and labels, and the key of the failure it reports. */
export interface ProblemIssue {
  title: string;
  body: string;
  labels: string[];
  failureKey: string;
}

/** A comment that reports another failure of the change on its open problem issue. */
export interface FailureComment {
  body: string;
  failureKey: string;
}

// Bounds that keep the fixed part of a body small whatever the record holds, so the output
// always gets most of the room.
const maxCisShown = 50;
const maxChecksListed = 20;
const maxOutputsShown = 5;
const maxViaShown = 6;

/**
 * The title of a change's problem issue: "Problem: CHG-0042 failed payments-health after
 * implementation", "… failed payments-health and 2 more checks after implementation", or
 * "Problem: CHG-0042 failed its deploy step" when only the deploy failed.
 */
export function problemIssueTitle(
  assessment: Pick<Assessment, 'changeId' | 'failedChecks'>,
): string {
  const id = assessment.changeId;
  problemIssueMarker(id); // validates the id: it goes into a title unescaped
  const failed = assessment.failedChecks;
  if (failed.length === 0) return `Problem: ${id} failed its deploy step`;
  const first = markerName(failed[0]!.name);
  const more =
    failed.length > 1 ? ` and ${failed.length - 1} more check${failed.length > 2 ? 's' : ''}` : '';
  return `Problem: ${id} failed ${first}${more} after implementation`;
}

/**
 * The problem issue of a failed change: markers (to find it again, and to know this failure is
 * reported), what failed and where, the impacted CIs, each failed check's output tail, the
 * back-out plan. Pure. Record text is inert (no mentions, links, headings); the body measures at
 * most `maxLength` (see `bodyLength`): the outputs are cut from the front to fit, never their
 * last line.
 */
export function renderProblemIssue(facts: ProblemIssueFacts): ProblemIssue {
  const { change, assessment, run } = facts;
  if (assessment.outcome !== 'failure')
    throw new RangeError(`${assessment.changeId} did not fail: it opens no problem issue`);
  const key = failureKey({ runId: run.id, assessment });
  const head = [
    problemIssueMarker(assessment.changeId),
    failureMarker(key),
    `${inlineCode(change.id)} ${escapeText(change.title, { maxLength: 200 })} failed after implementation. This issue starts problem management for it: find the cause, back the change out or fix forward, then close the issue.`,
    '',
    '| | |',
    '|---|---|',
    `| Change | ${inlineCode(change.id, { inTable: true })} ${tableCell(change.title)} |`,
    `| What failed | ${whatFailed(assessment, true)} |`,
    `| Deploy step | ${deployWords(assessment)} |`,
    `| Run | ${runLink(run)} |`,
    ...(facts.commit
      ? [`| Commit | ${inlineCode(facts.commit, { inTable: true, maxLength: 64 })} |`]
      : []),
    ...(change.problem ? [`| Remediates | ${tableCell(change.problem, { maxLength: 20 })} |`] : []),
    ...(facts.revertPullRequest !== undefined
      ? [`| Revert | #${Math.trunc(facts.revertPullRequest)} reverts the change's merge commit |`]
      : []),
    '',
    ...checksTable(assessment.checks),
    '### Impacted configuration items',
    '',
    ...impactedList(facts.impacted),
    '',
  ];
  const tail = [
    '### Back-out plan',
    '',
    change.plan?.backout?.trim()
      ? inertLines(change.plan.backout)
      : 'The change names no back-out plan (`plan.backout`).',
    '',
    `<sub>Opened by changeops verify. While this issue is open, a later failure of ${change.id} is added to it as a comment.</sub>`,
  ];
  const body = fitted(head, assessment.failedChecks, tail, facts.maxLength ?? bodyLimit);
  return { title: problemIssueTitle(assessment), body, labels: [problemLabel], failureKey: key };
}

/** Facts of a later failure, reported on the open problem issue. */
export interface FailureCommentFacts {
  assessment: Assessment;
  run: RunFacts;
  commit?: string;
  maxLength?: number;
}

/**
 * The comment that reports another failure of a change on its open problem issue: its failure
 * marker first (so a re-run never comments twice), what failed in which run, the output tails.
 */
export function renderFailureComment(facts: FailureCommentFacts): FailureComment {
  const { assessment, run } = facts;
  if (assessment.outcome !== 'failure')
    throw new RangeError(`${assessment.changeId} did not fail: there is no failure to report`);
  const key = failureKey({ runId: run.id, assessment });
  const at = facts.commit ? ` at ${inlineCode(facts.commit, { maxLength: 64 })}` : '';
  const head = [
    failureMarker(key),
    `${inlineCode(assessment.changeId)} failed again in ${runLink(run)}${at}: ${whatFailed(assessment)}.`,
    '',
    ...checksTable(assessment.checks),
  ];
  const body = fitted(head, assessment.failedChecks, [], facts.maxLength ?? bodyLimit);
  return { body, failureKey: key };
}

/** "`payments-health` exited with code 3; the deploy step failed", inert, on one line. */
function whatFailed(assessment: Assessment, inTable = false): string {
  const parts = assessment.failedChecks
    .slice(0, maxChecksListed)
    .map(
      (check) =>
        `${inlineCode(check.name, { inTable, maxLength: 63 })} ${escapeText(describeCheckResult(check.result))}`,
    );
  const more = assessment.failedChecks.length - maxChecksListed;
  if (more > 0) parts.push(`${more} more checks failed`);
  if (assessment.deployFailed) parts.push('the deploy step failed');
  return parts.join('; ');
}

function deployWords(assessment: Assessment): string {
  if (assessment.deploy === 'failure') return 'failed';
  if (assessment.deploy === 'success') return 'succeeded';
  if (assessment.deploy === 'cancelled') return 'was cancelled';
  return 'no outcome given';
}

function runLink(run: RunFacts): string {
  const url = /^https:\/\/[^\s<>()[\]"'`|]+$/.test(run.url) ? run.url : undefined;
  const name = `run ${Math.trunc(run.id)}`;
  return url ? `[${name}](${url})` : name;
}

function checksTable(checks: readonly NamedCheckResult[]): string[] {
  if (checks.length === 0) return [];
  const rows = checks.slice(0, maxChecksListed).map((check) => {
    const result = describeCheckResult(check.result);
    return `| ${inlineCode(check.name, { inTable: true, maxLength: 63 })} | ${tableCell(result)} | ${formatDuration(check.result.durationMs)} |`;
  });
  const more = checks.length - maxChecksListed;
  return [
    '| Check | Result | Duration |',
    '|---|---|---|',
    ...rows,
    ...(more > 0 ? [`| and ${more} more | | |`] : []),
    '',
  ];
}

function impactedList(impacted: readonly ProblemCi[]): string[] {
  if (impacted.length === 0)
    return ['The CMDB at this commit lists no CI that the change impacts.'];
  const lines = impacted.slice(0, maxCisShown).map((ci) => {
    const details: string[] = [];
    if (ci.criticality !== undefined) details.push(`criticality ${Math.trunc(ci.criticality)}`);
    if (ci.depth === 0) details.push('named by the change');
    else if (ci.via && ci.via.length > 1) {
      const path =
        ci.via.length > maxViaShown
          ? [...ci.via.slice(0, maxViaShown - 1), '…', ci.via.at(-1)!]
          : ci.via;
      details.push(`via ${path.map((id) => escapeText(id, { maxLength: 63 })).join(' → ')}`);
    }
    const name = ci.name ? ` ${escapeText(ci.name, { maxLength: 200 })}` : '';
    return `- ${inlineCode(ci.id, { maxLength: 63 })}${name}${details.length ? ` (${details.join(', ')})` : ''}`;
  });
  const more = impacted.length - maxCisShown;
  if (more > 0) lines.push(`- and ${more} more`);
  return lines;
}

/** One failed check's output, cleaned and fenced once, before the budget is shared out. */
interface OutputPart {
  check: NamedCheckResult;
  text: string;
  fence: string;
  cost: number;
}

/**
 * The body with the failed checks' outputs fitted into what the rest leaves of `maxLength`. The
 * room is shared fairly: an output that needs less than its share leaves the rest to the others.
 */
function fitted(
  head: readonly string[],
  failed: readonly NamedCheckResult[],
  tail: readonly string[],
  maxLength: number,
): string {
  const parts: OutputPart[] = failed.slice(0, maxOutputsShown).map((check) => {
    const { text, fence } = fenceFor(cleanOutput(check.result.output));
    return { check, text, fence, cost: bodyLength(text) };
  });
  const omitted = failed.length - parts.length;
  const assemble = (shown: readonly FittedOutput[]) => {
    const sections = shown.flatMap(outputSection);
    if (omitted > 0)
      sections.push(`The output of ${omitted} more failed checks is in the run's log.`, '');
    return [...head, ...sections, ...tail].join('\n').replace(/\n+$/, '') + '\n';
  };
  // The fixed part, measured with every output empty and its note at its longest.
  const fixed = bodyLength(
    assemble(parts.map((part) => ({ ...part, tail: { text: '', cut: true, lines: 999_999_999 } }))),
  );
  let room = maxLength - fixed - 16 * parts.length;
  for (let attempt = 0; attempt < 4; attempt++) {
    const shares = share(
      parts.map((part) => part.cost),
      Math.max(0, room),
    );
    const body = assemble(
      parts.map((part, i) => ({ ...part, tail: tailThatFits(part.text, shares[i]!) })),
    );
    const over = bodyLength(body) - maxLength;
    if (over <= 0) return body;
    room -= over + 64;
  }
  throw new RangeError(
    `A body of at most ${maxLength} characters cannot hold this report; the fixed part alone needs ${fixed}`,
  );
}

interface FittedOutput extends OutputPart {
  tail: { text: string; cut: boolean; lines: number };
}

/** Splits `room` among needs: each gets what it needs, up to an equal share of what is left. */
function share(needs: readonly number[], room: number): number[] {
  const order = needs.map((need, i) => [need, i] as const).sort((a, b) => a[0] - b[0]);
  const given = new Array<number>(needs.length).fill(0);
  let left = room;
  order.forEach(([need, i], k) => {
    const fair = Math.floor(left / (order.length - k));
    given[i] = Math.min(need, fair);
    left -= given[i]!;
  });
  return given;
}

function outputSection(part: FittedOutput): string[] {
  const { check, tail, fence } = part;
  const heading = `### Output of ${inlineCode(check.name, { maxLength: 63 })}`;
  if (part.text === '' && !check.result.truncated) {
    const words =
      check.result.outputBytes === 0
        ? 'It printed nothing.'
        : 'It printed only blank lines or terminal codes.';
    return [heading, '', words, ''];
  }
  const cut = tail.cut || check.result.truncated;
  const note = cut
    ? [
        `Its last ${tail.lines} line${tail.lines === 1 ? ' is' : 's are'} shown; it printed ${formatBytes(check.result.outputBytes)} in all.`,
        '',
      ]
    : [];
  return [heading, '', ...note, `${fence}text`, tail.text, fence, ''];
}
