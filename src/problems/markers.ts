import type { Assessment } from './outcome.js';

/**
 * Hidden markers: how a later run finds the problem issue it opened, and knows which failures it
 * already reported. Both are HTML comments in the header of a body we wrote (its first lines, all
 * markers); untrusted text comes after the header and never contains `<!--` intact, and a body
 * counts only when the bot wrote it, so neither a quoted marker nor a person's issue is mistaken
 * for ours. Issues are listed, never searched: the search index lags behind writes.
 */

/** The label every problem issue carries. */
export const problemLabel = 'problem';

const changeIdPattern = /^CHG-[0-9]{1,8}$/;

/** The hidden first line of a change's problem issue: `<!-- changeops:problem change=CHG-0042 -->`. */
export function problemIssueMarker(changeId: string): string {
  if (!changeIdPattern.test(changeId))
    throw new RangeError(
      `A problem issue marker needs a change id such as CHG-0042, not ${JSON.stringify(changeId)}`,
    );
  return `<!-- changeops:problem change=${changeId} -->`;
}

/** What a failure is identified by: the change, the workflow run and what failed in it. */
export interface FailureKeyFacts {
  /** The workflow run id: a re-run (a new attempt of the same run) keeps it. */
  runId: number;
  assessment: Pick<Assessment, 'changeId' | 'failedChecks' | 'deployFailed'>;
}

/**
 * The key of one failure, `change=CHG-0042 run=123 checks=db-ping,payments-health deploy=failure`:
 * a re-run of the same failure has the same key (so it never comments twice), a failure in
 * another run, or of other checks, has another.
 */
export function failureKey(facts: FailureKeyFacts): string {
  const { assessment, runId } = facts;
  problemIssueMarker(assessment.changeId); // validates the id
  if (!Number.isSafeInteger(runId) || runId < 0)
    throw new RangeError(`A failure key needs a workflow run id, not ${String(runId)}`);
  const names = [...new Set(assessment.failedChecks.map((check) => markerName(check.name)))].sort();
  const shown = names.slice(0, maxKeyNames);
  if (names.length > maxKeyNames) shown.push(`+${names.length - maxKeyNames}`);
  const parts = [`change=${assessment.changeId}`, `run=${runId}`];
  if (shown.length > 0) parts.push(`checks=${shown.join(',')}`);
  if (assessment.deployFailed) parts.push('deploy=failure');
  return parts.join(' ');
}

// Keys stay one short line; a record may list any number of checks.
const maxKeyNames = 20;

/** The hidden line that records a failure in the issue or a comment: `<!-- changeops:failure … -->`. */
export function failureMarker(key: string): string {
  if (!/^[A-Za-z0-9=,+ :-]{1,2000}$/.test(key) || key.includes('--'))
    throw new RangeError('A failure key is made by failureKey');
  return `<!-- changeops:failure ${key} -->`;
}

/** A check's name as it may appear in a marker or a title: a slug, never an HTML comment's end. */
export function markerName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 63)
    .replace(/-$/, '');
  return slug === '' ? 'check' : slug;
}

/** The hidden lines at the start of a body: every leading line that is a changeops marker. */
export function headerMarkers(body: string | null | undefined): string[] {
  const markers: string[] = [];
  if (!body) return markers;
  let start = 0;
  // Bounded: a header is a few lines; a body that starts with thousands of markers is not ours.
  while (markers.length < 16) {
    const end = body.indexOf('\n', start);
    const line = (end === -1 ? body.slice(start) : body.slice(start, end)).replace(/\r$/, '');
    if (!/^<!-- changeops:[^\n]*? -->$/.test(line)) break;
    markers.push(line);
    if (end === -1) break;
    start = end + 1;
  }
  return markers;
}

/** The author of an issue or comment, as GitHub lists it. */
export interface Author {
  login: string;
  type?: string;
}

/** An issue as `GET /repos/{owner}/{repo}/issues` lists it (pull requests included). */
export interface ListedIssue {
  number: number;
  state: string;
  body?: string | null;
  user: Author | null;
  /** Present when the item is a pull request. */
  pull_request?: unknown;
}

/** A comment as GitHub lists it; an issue itself fits too (its body is its first comment). */
export interface ListedComment {
  body?: string | null;
  user: Author | null;
}

/** The problem issue of a change, and the ones a concurrent run opened too. */
export interface FoundProblemIssue<T extends ListedIssue> {
  /** The oldest open problem issue of the change, ours to comment on. */
  issue: T | undefined;
  /** Newer open ones of the same change (left by a concurrent run): close them. */
  duplicates: T[];
}

/**
 * Finds the open problem issue of a change among listed issues: our marker on its first line AND
 * opened by our bot (a person's issue that quotes the marker is never taken for ours), open, not
 * a pull request; the oldest (lowest number) is the one, the rest are duplicates to close.
 */
export function findProblemIssue<T extends ListedIssue>(
  listed: readonly T[],
  who: { changeId: string; botLogin: string },
): FoundProblemIssue<T> {
  const marker = problemIssueMarker(who.changeId);
  const ours = listed
    .filter(
      (issue) =>
        issue.state === 'open' &&
        issue.pull_request === undefined &&
        byBot(issue.user, who.botLogin) &&
        headerMarkers(issue.body)[0] === marker,
    )
    .sort((a, b) => a.number - b.number);
  return { issue: ours[0], duplicates: ours.slice(1) };
}

/**
 * Whether a failure was already reported: its key marker in the header of the problem issue's
 * body or of one of its comments, written by our bot. Pass the issue itself with its comments.
 */
export function alreadyReported(
  comments: readonly ListedComment[],
  key: string,
  botLogin: string,
): boolean {
  const marker = failureMarker(key);
  return comments.some(
    (comment) => byBot(comment.user, botLogin) && headerMarkers(comment.body).includes(marker),
  );
}

/**
 * Written by our identity. A login is enough: `name[bot]` cannot be a person's login, and a
 * personal token's login is that person's, whose type is User. Logins ignore case on GitHub.
 */
function byBot(user: Author | null, botLogin: string): boolean {
  return user !== null && botLogin !== '' && user.login.toLowerCase() === botLogin.toLowerCase();
}
