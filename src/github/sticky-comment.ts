import { RequestError } from '@octokit/request-error';
import type { CommentAuthor } from './identity.js';
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
  /**
   * Who our comments are made under: read from the token, or assumed from bot-login for an
   * installation token (`github-actions[bot]`, `<app-slug>[bot]`), which cannot say.
   */
  author: CommentAuthor;
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
      /**
       * The login the comment is really under, when the author was assumed (bot-login) and
       * GitHub shows another: the token is not bot-login's, and bot-login should say this one.
       */
      actualLogin?: string;
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

// `as` is the author the run took itself to be: a comment that an installation token made under
// another login than bot-login said is still found by the next run that says the same.
const metaPattern =
  /^<!-- changeops:meta run=(\d+) nonce=([a-z0-9]+)(?: as=([A-Za-z0-9-]+(?:\[bot\])?))? -->$/m;

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
      return withAuthor({ action: 'created', commentId: created.id, deleted: 0 }, created, comment);
    // A concurrent run may have created one too: look again, keep the oldest, delete the rest.
    ours = await listOurs(client, target, comment);
    // The list does not show the comment just created (it lags behind, or the comment is not
    // under the author the run took itself to be): report that comment rather than fail.
    if (ours.length === 0)
      return withAuthor({ action: 'created', commentId: created.id, deleted: 0 }, created, comment);
    const deleted = await deleteDuplicates(client, target, ours);
    const keeper = ours[0]!;
    if (content(keeper.body ?? '') !== content(body)) {
      await update(client, target, keeper.id, body);
      return withAuthor({ action: 'updated', commentId: keeper.id, deleted }, keeper, comment);
    }
    return withAuthor({ action: 'created', commentId: keeper.id, deleted }, keeper, comment);
  }
  const deleted = await deleteDuplicates(client, target, ours);
  const keeper = ours[0]!;
  const previous = keeper.body ?? '';
  const previousRun = Number(metaPattern.exec(previous)?.[1] ?? 0);
  if (previousRun > comment.runId)
    return withAuthor({ action: 'skipped-newer', commentId: keeper.id, deleted }, keeper, comment);
  if (content(previous) === content(body))
    return withAuthor({ action: 'unchanged', commentId: keeper.id, deleted }, keeper, comment);
  await update(client, target, keeper.id, body);
  return withAuthor({ action: 'updated', commentId: keeper.id, deleted }, keeper, comment);
}

/** The outcome, saying the comment's real login when it is not the one the run assumed. */
function withAuthor(
  outcome: Extract<StickyOutcome, { commentId: number }>,
  kept: { user: ListedComment['user'] },
  comment: StickyComment,
): StickyOutcome {
  const login = kept.user?.login;
  return login && login !== comment.author.login ? { ...outcome, actualLogin: login } : outcome;
}

/** The body with a hidden line that records the run (for ordering) and a nonce (for lookups). */
function withMeta(comment: StickyComment, nonce: string): string {
  const lines = comment.body.split('\n');
  const rest = lines[0] === comment.marker ? lines.slice(1) : lines;
  return [
    comment.marker,
    `<!-- changeops:meta run=${comment.runId} nonce=${nonce} as=${comment.author.login} -->`,
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
  const { author } = comment;
  return all
    .filter((c) => {
      if (!c.user || (c.body ?? '').split('\n', 1)[0] !== comment.marker) return false;
      if (c.user.login === author.login) return c.user.type === author.type;
      // A bot comment of a run that took itself to be the same bot-login, made by a token that
      // is not that bot's (an App token with the default bot-login): ours, whatever login it
      // ended up under. Never a person's comment, whatever it says.
      return (
        author.source === 'bot-login' &&
        c.user.type === 'Bot' &&
        metaPattern.exec(c.body ?? '')?.[3] === author.login
      );
    })
    .sort((a, b) => a.id - b.id);
}

/** Creates the comment once, even when GitHub answers 5xx after storing it; returns it. */
async function createOnce(
  client: GitHubClient,
  target: CommentTarget,
  comment: StickyComment,
  body: string,
  nonce: string,
): Promise<ListedComment> {
  const create = async (): Promise<ListedComment> =>
    (
      await client.rest.issues.createComment({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        body,
        ...noRetry,
      })
    ).data;
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof RequestError) || error.status < 500) throw error;
    // The create may have happened before the error: look for our nonce before trying again.
    const ours = await listOurs(client, target, comment);
    const stored = ours.find((c) => (c.body ?? '').includes(`nonce=${nonce} `));
    return stored ?? (await create());
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
