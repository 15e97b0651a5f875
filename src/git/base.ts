import { BaseRefError } from './errors/base-ref-error.js';
import { refProblem } from './ref.js';
import {
  defaultRemote,
  firstLine,
  isShallow,
  short,
  verifyCommit,
  type Repository,
} from './repository.js';

/** A base ref resolved to a commit, and whether it had to be fetched first. */
export interface ResolvedBase {
  ref: string;
  sha: string;
  fetched: boolean;
}

const shallowHint =
  'the checkout is shallow: use `fetch-depth: 0` with actions/checkout, or pass --base a commit that is in the fetched history';

// The deepening steps tried when a shallow clone lacks the merge base: enough for ordinary
// pull requests without turning into a full clone of a large repository.
const deepenSteps = [50, 200, 1000];

/**
 * Resolves a base ref (a branch, a tag, a sha, `origin/main`) to a commit. When it is not in the
 * local repository, as in a shallow or single-branch checkout, it is fetched from the remote
 * (at depth 1 when the clone is shallow, so a fetch never deepens more than needed). Throws a
 * BaseRefError that says what to do when that fails too.
 */
export async function resolveBase(
  repo: Repository,
  ref: string,
  options: { fetch?: boolean } = {},
): Promise<ResolvedBase> {
  // Checked before git sees it: no option, no refspec, nothing but a ref (ref.ts).
  const problem = refProblem(ref);
  if (problem)
    throw new BaseRefError(
      `--base ${JSON.stringify(ref)} is not a valid git ref: ${problem}; give a branch, tag or commit sha`,
    );
  const local = await verifyCommit(repo, ref);
  if (local) return { ref, sha: local, fetched: false };
  const remote = await defaultRemote(repo);
  // actions/checkout creates no local branch but the one checked out: `main` is then only
  // there as origin/main.
  const tracking = remote && (await verifyCommit(repo, `refs/remotes/${remote}/${ref}`));
  if (tracking) return { ref, sha: tracking, fetched: false };
  const notFound = `the base ref "${ref}" is not a commit in this repository`;
  if (!remote || options.fetch === false)
    throw new BaseRefError(`${notFound}; fetch it first, or pass another --base`);
  const shallow = await isShallow(repo);
  const remoteRef = ref.startsWith(`${remote}/`) ? ref.slice(remote.length + 1) : ref;
  try {
    await repo.git.raw([
      'fetch',
      '--no-tags',
      '--quiet',
      ...(shallow ? ['--depth=1'] : []),
      '--end-of-options',
      remote,
      remoteRef,
    ]);
  } catch (error) {
    throw new BaseRefError(
      `${notFound}, and fetching "${remoteRef}" from ${remote} failed (${firstLine(error)}); ${shallow ? shallowHint : 'pass a --base that exists'}`,
      { cause: error },
    );
  }
  const fetched = await verifyCommit(repo, 'FETCH_HEAD');
  if (!fetched)
    throw new BaseRefError(`${notFound}, and fetching it from ${remote} gave no commit`);
  return { ref, sha: fetched, fetched: true };
}

/**
 * The merge base of the base commit and the head (HEAD by default): the point the branch left
 * the base, so changes merged into the base since then are not counted as the branch's. In a
 * shallow clone the history is deepened step by step until the merge base appears.
 */
export async function findMergeBase(
  repo: Repository,
  base: string,
  options: { head?: string; fetch?: boolean } = {},
): Promise<string> {
  const head = options.head ?? 'HEAD';
  const found = await mergeBaseOf(repo, base, head);
  if (found) return found;
  const remote = options.fetch === false ? undefined : await defaultRemote(repo);
  if (remote && (await isShallow(repo))) {
    for (const depth of deepenSteps) {
      try {
        await repo.git.raw([
          'fetch',
          '--no-tags',
          '--quiet',
          `--deepen=${depth}`,
          '--end-of-options',
          remote,
          base,
        ]);
      } catch (error) {
        throw new BaseRefError(
          `cannot deepen the shallow history to find where HEAD left ${short(base)} (${firstLine(error)}); ${shallowHint}`,
          { cause: error },
        );
      }
      const deeper = await mergeBaseOf(repo, base, head);
      if (deeper) return deeper;
      if (!(await isShallow(repo))) break;
    }
  }
  throw new BaseRefError(
    (await isShallow(repo))
      ? `HEAD and the base ${short(base)} have no common commit in the fetched history; ${shallowHint}`
      : `HEAD and the base ${short(base)} share no history; pass a --base that HEAD was branched from`,
  );
}

async function mergeBaseOf(repo: Repository, a: string, b: string): Promise<string | undefined> {
  try {
    // Exit 1 with no output means "no common ancestor"; Repository.git.raw then resolves with ''.
    const sha = (await repo.git.raw(['merge-base', '--end-of-options', a, b])).trim();
    return sha || undefined;
  } catch {
    return undefined;
  }
}
