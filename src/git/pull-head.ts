import { GitError } from './errors/git-error.js';
import { defaultRemote, firstLine, verifyCommit, type Repository } from './repository.js';

const fullSha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Makes a pull request's head commit available as DATA: when the clone lacks it, fetches
 * `refs/pull/<n>/head` from the remote into a ref of our own (`refs/changeops/pull/<n>/head`).
 * Nothing is checked out, no file of the head reaches the work tree, and no hook or filter of the
 * head runs: its files are read later as blobs (`git cat-file`). Throws a GitError when the head
 * cannot be had, or when what was fetched is not the commit the event named (the PR moved on:
 * the run of the newer push evaluates that one).
 */
export async function fetchPullHead(
  repo: Repository,
  number: number,
  headSha: string,
): Promise<void> {
  if (!Number.isSafeInteger(number) || number <= 0)
    throw new GitError(`the pull request number ${String(number)} is not a number`);
  if (!fullSha.test(headSha))
    throw new GitError(
      `the pull request head ${JSON.stringify(headSha.slice(0, 80))} is not a commit sha`,
    );
  if (await verifyCommit(repo, headSha)) return;
  const remote = await defaultRemote(repo);
  if (!remote)
    throw new GitError(
      `the head ${headSha.slice(0, 12)} of #${number} is not in this clone and there is no remote to fetch it from`,
    );
  const local = `refs/changeops/pull/${number}/head`;
  try {
    await repo.git.raw([
      'fetch',
      '--no-tags',
      '--quiet',
      remote,
      `+refs/pull/${number}/head:${local}`,
    ]);
  } catch (error) {
    throw new GitError(
      `cannot fetch the head of #${number} (refs/pull/${number}/head) from ${remote} (${firstLine(error)}); the gate reads it as data, so the checkout needs git credentials (actions/checkout's default persist-credentials: true)`,
      { cause: error },
    );
  }
  if (!(await verifyCommit(repo, headSha)))
    throw new GitError(
      `#${number}'s head is no longer ${headSha.slice(0, 12)} (it was pushed to since this run started); the run of the newer push evaluates it`,
    );
}
