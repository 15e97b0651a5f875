import { GitError } from './errors/git-error.js';
import type { Repository } from './repository.js';
import { firstLine } from './repository.js';

/**
 * Whether a ref given by a person (or a record, or an event) is safe to hand to git as one
 * revision: not an option (leading dash), a range or exclusion (`a..b`, `^a`), a path
 * (`a:b`), a reflog or upstream form (`@{...}`), nor holding spaces or control characters. Git
 * is also given `--end-of-options` before it wherever it takes one.
 */
export function isSafeRef(ref: string): boolean {
  return !(
    ref === '' ||
    ref.length > 1000 ||
    ref.startsWith('-') ||
    ref.startsWith('^') ||
    ref.includes('..') ||
    ref.includes(':') ||
    ref.includes('@{') ||
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    /[\s\u0000-\u001f\u007f]/.test(ref)
  );
}

/** A ref that is not a commit here, or that is refused before git sees it: a usage error. */
export class RefError extends GitError {
  override name = 'RefError';
}

/**
 * The commit a ref names (a branch, a tag, a sha, `HEAD~3`), as a full sha. `what` names the
 * option in messages (`--at`). Throws a RefError that says what is wrong.
 */
export async function resolveCommit(repo: Repository, ref: string, what: string): Promise<string> {
  if (!isSafeRef(ref))
    throw new RefError(
      `${what} ${JSON.stringify(ref.slice(0, 200))} is not a valid git ref (no leading "-" or "^", "..", ":", "@{", spaces or control characters)`,
    );
  let sha = '';
  try {
    sha = (
      await repo.git.raw([
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${ref}^{commit}`,
      ])
    ).trim();
  } catch (error) {
    // --quiet makes a missing ref exit 1 without a word; anything else is worth saying.
    const reason = firstLine(error);
    if (reason !== 'unknown error' && !/^fatal: Needed a single revision$/.test(reason))
      throw new RefError(`${what} ${JSON.stringify(ref)} cannot be read: ${reason}`, {
        cause: error,
      });
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha))
    throw new RefError(
      `${what} ${JSON.stringify(ref)} is not a commit in this repository (a shallow clone may lack it: fetch it, or check out with fetch-depth: 0)`,
    );
  return sha;
}

/** The branch whose history is the record of what was approved and merged, and its name. */
export interface BranchRef {
  /** The ref to read (`origin/main`, `main`, `HEAD`). */
  ref: string;
  /** The name sentences use: `main`. */
  name: string;
}

/**
 * The default branch, as well as a clone knows it: the remote's HEAD (`origin/HEAD`, which
 * `git clone` sets), else a local `main`, else `master`, else the checked-out HEAD.
 */
export async function defaultBranch(repo: Repository): Promise<BranchRef> {
  try {
    const remoteHead = (
      await repo.git.raw(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])
    ).trim();
    if (remoteHead && isSafeRef(remoteHead))
      return { ref: remoteHead, name: remoteHead.replace(/^origin\//, '') };
  } catch {
    // No remote HEAD: a local clone, or actions/checkout, which does not set it.
  }
  for (const name of ['main', 'master']) {
    try {
      const sha = (
        await repo.git.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${name}^{commit}`])
      ).trim();
      if (sha) return { ref: `refs/heads/${name}`, name };
    } catch {
      // Not this one.
    }
  }
  return { ref: 'HEAD', name: 'HEAD' };
}

/** The branch named by a person (`--branch`), checked; the name is the ref without `refs/heads/`. */
export async function namedBranch(repo: Repository, ref: string, what: string): Promise<BranchRef> {
  await resolveCommit(repo, ref, what);
  return { ref, name: ref.replace(/^refs\/(heads|remotes)\//, '') };
}
