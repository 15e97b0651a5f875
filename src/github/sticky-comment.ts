import { RequestError } from '@octokit/request-error';
import type { GitHubClient } from './octokit.js';
import { noRetry } from './requests.js';

/** Where the comment goes: a pull request (or issue) of a repository. */
export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** What to write, and how to recognise our earlier comment. */
export interface StickyComment {
  /** The hidden marker that names the comment, e.g. `<!-- changeops:report -->`; the body's first line. */
  marker: string;
  /** The body, starting with the marker line. */
  body: string;
  /** The login our comments are made under (`github-actions[bot]`, `<app-slug>[bot]`). */
  botLogin: string;
  /** The workflow run id: a comment written by a later run is never overwritten by an earlier one. */
  runId: number;
  /**
   * Look again after creating the comment, to collapse one a concurrent run created at the same
   * time (default true). The gate, whose job runs one at a time in its concurrency group, saves
   * the request: a duplicate left by a race is collapsed by the next run, which keeps the oldest.
   */
  confirmCreate?: boolean;
}

/** What happened to the comment. */
export type StickyOutcome =
  | {
      action: 'created' | 'updated' | 'unchanged' | 'skipped-newer';
      commentId: number;
      /** Duplicates (left by concurrent runs) that were deleted. */
      deleted: number;
    }
  | {
      /**
       * GitHub refused: the token may not read or write the comments (403), or cannot see the
       * pull request (404). A fork's pull_request token is read-only, so this is expected there.
       */
      action: 'refused';
      status: 403 | 404;
      /** GitHub's own words. */
      message: string;
    };

interface ListedComment {
  id: number;
  body?: string | null;
  user: { login: string; type: string } | null;
}

const metaPattern = /^<!-- changeops:meta run=(\d+) nonce=([a-z0-9]+) -->$/m;

/**
 * Creates or updates the one sticky comment: found by its marker AND by our bot identity (a
 * human's comment that merely contains the marker is never touched), updated in place, left alone
 * when the content is unchanged, never overwritten by an older run. Safe against concurrent runs
 * (duplicates are collapsed to the oldest) and against a failure reported after a create
 * succeeded (looked up by a nonce before trying again). A 403 or 404 from GitHub is an outcome,
 * `refused`, not an error: the caller decides what to tell the user; anything else throws.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  target: CommentTarget,
  comment: StickyComment,
): Promise<StickyOutcome> {
  try {
    return await upsert(client, target, comment);
  } catch (error) {
    if (error instanceof RequestError && (error.status === 403 || error.status === 404))
      return { action: 'refused', status: error.status, message: error.message };
    throw error;
  }
}

async function upsert(
  client: GitHubClient,
  target: CommentTarget,
  comment: StickyComment,
): Promise<StickyOutcome> {
  const nonce = Math.random().toString(36).slice(2, 12);
  const body = withMeta(comment, nonce);
  let ours = await listOurs(client, target, comment);
  if (ours.length === 0) {
    const created = await createOnce(client, target, comment, body, nonce);
    if (comment.confirmCreate === false)
      return { action: 'created', commentId: created, deleted: 0 };
    // A concurrent run may have created one too: look again, keep the oldest, delete the rest.
    ours = await listOurs(client, target, comment);
    const deleted = await deleteDuplicates(client, target, ours);
    const keeper = ours[0]!;
    if (content(keeper.body ?? '') !== content(body)) {
      await update(client, target, keeper.id, body);
      return { action: 'updated', commentId: keeper.id, deleted };
    }
    return { action: 'created', commentId: keeper.id, deleted };
  }
  const deleted = await deleteDuplicates(client, target, ours);
  const keeper = ours[0]!;
  const previous = keeper.body ?? '';
  const previousRun = Number(metaPattern.exec(previous)?.[1] ?? 0);
  if (previousRun > comment.runId)
    return { action: 'skipped-newer', commentId: keeper.id, deleted };
  if (content(previous) === content(body))
    return { action: 'unchanged', commentId: keeper.id, deleted };
  await update(client, target, keeper.id, body);
  return { action: 'updated', commentId: keeper.id, deleted };
}

/** The body with a hidden line that records the run (for ordering) and a nonce (for lookups). */
function withMeta(comment: StickyComment, nonce: string): string {
  const lines = comment.body.split('\n');
  const rest = lines[0] === comment.marker ? lines.slice(1) : lines;
  return [
    comment.marker,
    `<!-- changeops:meta run=${comment.runId} nonce=${nonce} -->`,
    ...rest,
  ].join('\n');
}

/**
 * The body without what changes on every run (the meta line, the link to the run): what
 * "unchanged" compares. A new run of the same content leaves the comment, and its link to the
 * earlier run (whose summary holds the same report), alone.
 */
function content(body: string): string {
  return body
    .replace(metaPattern, '')
    .replace(/\/actions\/runs\/\d+(\/attempts\/\d+)?/g, '/actions/runs/*');
}

async function listOurs(
  client: GitHubClient,
  target: CommentTarget,
  comment: StickyComment,
): Promise<ListedComment[]> {
  const all = (await client.paginate(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  })) as ListedComment[];
  return all
    .filter(
      (c) =>
        c.user?.type === 'Bot' &&
        c.user.login === comment.botLogin &&
        (c.body ?? '').split('\n', 1)[0] === comment.marker,
    )
    .sort((a, b) => a.id - b.id);
}

async function createOnce(
  client: GitHubClient,
  target: CommentTarget,
  comment: StickyComment,
  body: string,
  nonce: string,
): Promise<number> {
  const create = async () =>
    (
      await client.rest.issues.createComment({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        body,
        ...noRetry,
      })
    ).data.id;
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof RequestError) || error.status < 500) throw error;
    // The create may have happened before the error: look for our nonce before trying again.
    const ours = await listOurs(client, target, comment);
    const stored = ours.find((c) => (c.body ?? '').includes(`nonce=${nonce} -->`));
    return stored ? stored.id : await create();
  }
}

async function update(
  client: GitHubClient,
  target: CommentTarget,
  commentId: number,
  body: string,
): Promise<void> {
  // An update is idempotent: the client's retries are safe here.
  await client.rest.issues.updateComment({
    owner: target.owner,
    repo: target.repo,
    comment_id: commentId,
    body,
  });
}

async function deleteDuplicates(
  client: GitHubClient,
  target: CommentTarget,
  ours: ListedComment[],
): Promise<number> {
  let deleted = 0;
  for (const duplicate of ours.slice(1)) {
    try {
      await client.rest.issues.deleteComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: duplicate.id,
      });
      deleted++;
    } catch (error) {
      // Another run deleted it first: that is the outcome we wanted.
      if (!(error instanceof RequestError) || error.status !== 404) throw error;
    }
  }
  return deleted;
}
