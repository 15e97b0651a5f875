import { RequestError } from '@octokit/request-error';
import {
  alreadyReported,
  findProblemIssue,
  problemLabel,
  type ListedIssue,
} from '../problems/markers.js';
import type { FailureComment, ProblemIssue } from '../problems/problem-issue.js';
import type { GitHubClient } from './octokit.js';
import { noRetry } from './requests.js';
import type { RepositoryRef } from './repository-ref.js';

/** An issue as listed, with what the problem issue code reads. */
export interface ListedProblemIssue extends ListedIssue {
  title: string;
}

/** What became of a change's failure on GitHub. */
export type ProblemOutcome =
  | {
      /** `created`: a new issue; `commented`: the failure added to the open one; `reported`: it was there already. */
      action: 'created' | 'commented' | 'reported';
      number: number;
      /** Newer issues of the same change, left by concurrent runs, closed as duplicates. */
      closedDuplicates: number[];
    }
  | { action: 'refused'; status: 403 | 404 | 410; message: string };

/** What a change's failure needs on GitHub. */
export interface ProblemRequest {
  changeId: string;
  /** The login our issues and comments are made under. */
  botLogin: string;
  /** The issue to open when the change has none open. */
  issue: ProblemIssue;
  /** The comment that reports this failure on an open issue. */
  comment: FailureComment;
}

/** The color and description of the `problem` label when verify creates it. */
const labelSpec = {
  color: 'b60205',
  description: 'A change failed after implementation: problem management (changeops verify)',
};

/**
 * The open issues labelled `problem`, every page (100 a page), oldest first. Listed, never
 * searched: the search index lags behind writes, so an issue opened a moment ago would be missed.
 * Not filtered by creator in the query: the identity is checked on each issue (findProblemIssue).
 */
export async function listOpenProblemIssues(
  client: GitHubClient,
  target: RepositoryRef,
): Promise<ListedProblemIssue[]> {
  const listed = (await client.paginate(client.rest.issues.listForRepo, {
    owner: target.owner,
    repo: target.repo,
    labels: problemLabel,
    state: 'open',
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  })) as ListedProblemIssue[];
  return listed;
}

/**
 * Opens the change's one problem issue, or reports this failure on the open one, so that a
 * re-run, a concurrent run or a retried request never opens a second: the open issue is found
 * by its marker and our identity among `listed` (the run's one listing); a failure already on
 * it (same failure key, in its body or a comment of ours) is not added again; a create that
 * fails with a 5xx or no answer is looked up before it is tried again; after creating, the
 * issues are listed again, and when a concurrent run opened one first, ours is closed as its
 * duplicate and the failure goes onto the oldest as a comment. 403, 404 and 410 (no
 * `issues: write`, issues turned off) come back as `refused`; anything else throws.
 */
export async function recordProblem(
  client: GitHubClient,
  target: RepositoryRef,
  listed: readonly ListedProblemIssue[],
  request: ProblemRequest,
): Promise<ProblemOutcome> {
  try {
    return await record(client, target, listed, request);
  } catch (error) {
    if (
      error instanceof RequestError &&
      (error.status === 403 || error.status === 404 || error.status === 410)
    )
      return { action: 'refused', status: error.status, message: error.message };
    throw error;
  }
}

async function record(
  client: GitHubClient,
  target: RepositoryRef,
  listed: readonly ListedProblemIssue[],
  request: ProblemRequest,
): Promise<ProblemOutcome> {
  const who = { changeId: request.changeId, botLogin: request.botLogin };
  const found = findProblemIssue(listed, who);
  if (found.issue) {
    // Left by an earlier concurrent run that did not get to close its own.
    const closed = await closeDuplicates(client, target, found.duplicates, found.issue.number);
    const action = await reportOn(client, target, found.issue, request);
    return { action, number: found.issue.number, closedDuplicates: closed };
  }

  await ensureLabel(client, target);
  const attempt = await createIssue(client, target, request, who);
  const again = findProblemIssue(
    attempt.listing ?? (await listOpenProblemIssues(client, target)),
    who,
  );
  const all = again.issue ? [again.issue, ...again.duplicates] : [];
  const oldest = all[0] ?? attempt.created;
  if (!oldest)
    throw new Error(`the problem issue of ${request.changeId} was created but cannot be found`);
  // Ours is the one we created, or (when the answer was lost) the one with our failure's key.
  const key = request.comment.failureKey;
  const mine =
    attempt.created ?? all.find((issue) => alreadyReported([issue], key, request.botLogin));
  if (mine && mine.number === oldest.number)
    return { action: 'created', number: oldest.number, closedDuplicates: [] };
  // A concurrent run opened one first. Each run closes only the duplicate it opened itself, so
  // two runs never close the same one; this run's failure then goes onto the oldest.
  const closed = mine ? await closeDuplicates(client, target, [mine], oldest.number) : [];
  const action = await reportOn(client, target, oldest, request);
  return { action, number: oldest.number, closedDuplicates: closed };
}

/** Creates the label with our color and words; a label that exists (any case) is left as it is. */
async function ensureLabel(client: GitHubClient, target: RepositoryRef): Promise<void> {
  try {
    await client.rest.issues.getLabel({ ...target, name: problemLabel });
    return;
  } catch (error) {
    if (!(error instanceof RequestError) || error.status !== 404) throw error;
  }
  try {
    await client.rest.issues.createLabel({
      ...target,
      name: problemLabel,
      ...labelSpec,
      ...noRetry,
    });
  } catch (error) {
    // 422 already_exists: a concurrent run made it. A 5xx: creating the issue makes it anyway.
    if (!(error instanceof RequestError) || (error.status !== 422 && error.status < 500))
      throw error;
  }
}

/**
 * Creates the issue once. A 5xx (or a lost answer) may come after GitHub stored it: the issues
 * are listed first, and only when none of ours is there is the create tried again. Returns the
 * created issue when the answer said so, and the listing when one was made.
 */
async function createIssue(
  client: GitHubClient,
  target: RepositoryRef,
  request: ProblemRequest,
  who: { changeId: string; botLogin: string },
): Promise<{ created?: ListedProblemIssue; listing?: ListedProblemIssue[] }> {
  const create = async () =>
    (
      await client.rest.issues.create({
        ...target,
        title: request.issue.title,
        body: request.issue.body,
        labels: request.issue.labels,
        ...noRetry,
      })
    ).data as ListedProblemIssue;
  try {
    return { created: await create() };
  } catch (error) {
    if (error instanceof RequestError && error.status < 500) throw error;
    const listing = await listOpenProblemIssues(client, target);
    if (findProblemIssue(listing, who).issue) return { listing };
    return { created: await create() };
  }
}

/** Adds the failure to the open issue unless its key is there already (body or our comments). */
async function reportOn(
  client: GitHubClient,
  target: RepositoryRef,
  issue: ListedProblemIssue,
  request: ProblemRequest,
): Promise<'commented' | 'reported'> {
  const key = request.comment.failureKey;
  if (alreadyReported([issue], key, request.botLogin)) return 'reported';
  const listComments = async () =>
    (await client.paginate(client.rest.issues.listComments, {
      ...target,
      issue_number: issue.number,
      per_page: 100,
    })) as Array<{ body?: string | null; user: { login: string; type?: string } | null }>;
  if (alreadyReported(await listComments(), key, request.botLogin)) return 'reported';
  const post = () =>
    client.rest.issues.createComment({
      ...target,
      issue_number: issue.number,
      body: request.comment.body,
      ...noRetry,
    });
  try {
    await post();
  } catch (error) {
    if (error instanceof RequestError && error.status < 500) throw error;
    // The comment may have been stored before the error: its key marker says so.
    if (alreadyReported(await listComments(), key, request.botLogin)) return 'commented';
    await post();
  }
  return 'commented';
}

/** Closes issues as duplicates of the one kept, each with a comment that links it. */
async function closeDuplicates(
  client: GitHubClient,
  target: RepositoryRef,
  duplicates: readonly ListedProblemIssue[],
  kept: number,
): Promise<number[]> {
  const closed: number[] = [];
  for (const duplicate of duplicates) {
    await client.rest.issues.createComment({
      ...target,
      issue_number: duplicate.number,
      body: `<!-- changeops:duplicate of=${kept} -->\nDuplicate of #${kept}: two runs of changeops verify opened an issue for the same change at the same time; #${kept} is the one that tracks it.`,
      ...noRetry,
    });
    await client.rest.issues.update({
      ...target,
      issue_number: duplicate.number,
      state: 'closed',
      state_reason: 'duplicate',
    });
    closed.push(duplicate.number);
  }
  return closed;
}
