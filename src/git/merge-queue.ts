import { GitError } from './errors/git-error.js';
import { defaultRemote, firstLine, type Repository } from './repository.js';

/** A merge group as the merge_group event gives it. */
export interface MergeGroupRef {
  /** `refs/heads/gh-readonly-queue/<base>/pr-<N>-<sha>`. */
  headRef: string;
  headSha: string;
  baseSha: string;
}

const queueRef = /^(?:refs\/heads\/)?gh-readonly-queue\/(.+)\/pr-(\d+)-([0-9a-f]{40})$/;
const fullSha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The base branch and the pull request a queue ref names; undefined when it is not one. */
export function parseQueueRef(ref: string): { base: string; number: number } | undefined {
  const match = queueRef.exec(ref);
  if (!match) return undefined;
  const number = Number(match[2]);
  return Number.isSafeInteger(number) && number > 0 ? { base: match[1]!, number } : undefined;
}

/**
 * Every pull request of a merge group, oldest first. The event names only the last one (its head
 * ref, `gh-readonly-queue/<base>/pr-<N>-<sha>`); GitHub keeps one such branch per entry of the
 * queue, each at the commit that entry adds on top of the ones before it. So the group is read
 * from git, with no API request: the queue's branches (`git ls-remote`), matched against the
 * first-parent line from the group's head back to its base; every commit on that line belongs to
 * the first entry at or above it. Throws a GitError when the group cannot be read whole.
 */
export async function mergeGroupPullRequests(
  repo: Repository,
  group: MergeGroupRef,
): Promise<number[]> {
  const own = parseQueueRef(group.headRef);
  if (!own)
    throw new GitError(
      `the merge group's ref ${JSON.stringify(group.headRef.slice(0, 200))} is not a gh-readonly-queue ref`,
    );
  if (!fullSha.test(group.headSha) || !fullSha.test(group.baseSha))
    throw new GitError('the merge group event names no head or base commit');
  const remote = await defaultRemote(repo);
  if (!remote) throw new GitError('the clone has no remote to list the merge queue from');
  let listing: string;
  try {
    listing = await repo.git.raw([
      'ls-remote',
      '--heads',
      remote,
      `refs/heads/gh-readonly-queue/${own.base}/*`,
    ]);
  } catch (error) {
    throw new GitError(
      `cannot list the merge queue's branches on ${remote} (${firstLine(error)})`,
      {
        cause: error,
      },
    );
  }
  const tips = new Map<string, number>();
  for (const line of listing.split('\n')) {
    const [sha = '', ref = ''] = line.trim().split('\t');
    const entry = parseQueueRef(ref);
    if (entry && entry.base === own.base && fullSha.test(sha)) tips.set(sha, entry.number);
  }
  // The event's own entry, even when its branch is gone from the listing already.
  tips.set(group.headSha, own.number);
  let line: string[];
  try {
    line = (
      await repo.git.raw([
        'rev-list',
        '--first-parent',
        '--end-of-options',
        `${group.baseSha}..${group.headSha}`,
      ])
    )
      .split('\n')
      .filter(Boolean);
  } catch (error) {
    throw new GitError(
      `cannot walk the merge group from ${group.baseSha.slice(0, 12)} to ${group.headSha.slice(0, 12)} (${firstLine(error)}); check out with fetch-depth: 0`,
      { cause: error },
    );
  }
  if (line[0] !== group.headSha)
    throw new GitError(`the merge group's head ${group.headSha.slice(0, 12)} is not in this clone`);
  const numbers: number[] = [];
  for (const sha of line) {
    const number = tips.get(sha);
    if (number !== undefined && !numbers.includes(number)) numbers.push(number);
  }
  return numbers.reverse();
}
