import { GitError } from './errors/git-error.js';
import type { Repository } from './repository.js';
import { firstLine, revParseCommit } from './repository.js';

/**
 * The one check of a ref given by a person, a record or an event, before git sees it: the rules
 * of `git check-ref-format --allow-onelevel`, and no part starting with "-", no ":" and no "+",
 * so a ref can never be read as an option (`--upl=...` is git's abbreviation of --upload-pack,
 * which runs a command), a refspec that writes a local branch (`+theirs:refs/heads/ours`), a
 * range or exclusion (`a..b`, `^a`), a path (`a:b`) or a reflog or upstream form (`@{...}`).
 * A commit sha passes; so do the revision suffixes `~N` and `^N` (HEAD~1). Git is also given
 * `--end-of-options` before a ref wherever it takes one.
 */

/** Why `ref` is not a ref changeops passes to git, or undefined when it is one. */
export function refProblem(ref: string): string | undefined {
  if (ref.length > 1000) return 'it is longer than 1,000 characters';
  const name = ref.replace(/(?:[~^][0-9]*)+$/, '');
  if (name === '') return 'it is empty';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name.includes('+')) return 'it holds "+"';
  if (name.includes(':')) return 'it holds ":"';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u0020\u007f]/.test(name)) return 'it holds a space or a control character';
  if (/[~^]/.test(name)) return 'it holds "~" or "^" other than at its end (HEAD~1)';
  if (/[?*[]/.test(name)) return 'it holds "*", "?" or "["';
  if (name.includes('\\')) return 'it holds "\\"';
  if (name.includes('..')) return 'it holds ".."';
  if (name.includes('@{')) return 'it holds "@{"';
  if (name === '@') return 'it is "@"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'it starts or ends with "/", or holds "//"';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('-')) return 'a part of it starts with "-"';
    if (part.startsWith('.')) return 'a part of it starts with "."';
    if (part.endsWith('.lock')) return 'a part of it ends with ".lock"';
  }
  return undefined;
}

/** Whether `ref` passes refProblem: safe to hand to git as one revision. */
export function isSafeRef(ref: string): boolean {
  return refProblem(ref) === undefined;
}

// What most refused refs break, said in one sentence; a ref refused by one of git's rarer rules
// ("*", ".lock", "+", a leading "/") gets refProblem's own reason instead.
const commonRules = '(no leading "-" or "^", "..", ":", "@{", spaces or control characters)';
const commonProblems = new Set([
  'it is empty',
  'it is longer than 1,000 characters',
  'it starts with "-"',
  'it holds ":"',
  'it holds a space or a control character',
  'it holds "~" or "^" other than at its end (HEAD~1)',
  'it holds ".."',
  'it holds "@{"',
]);

/** A ref that is not a commit here, or that is refused before git sees it: a usage error. */
export class RefError extends GitError {
  override name = 'RefError';
}

/**
 * The commit a ref names (a branch, a tag, a sha, `HEAD~3`), as a full sha. `what` names the
 * option in messages (`--at`). Throws a RefError that says what is wrong.
 */
export async function resolveCommit(repo: Repository, ref: string, what: string): Promise<string> {
  const problem = refProblem(ref);
  if (problem)
    throw new RefError(
      `${what} ${JSON.stringify(ref.slice(0, 200))} is not a valid git ref${commonProblems.has(problem) ? ` ${commonRules}` : `: ${problem}`}`,
    );
  let sha: string;
  try {
    sha = await revParseCommit(repo, ref);
  } catch (error) {
    throw new RefError(`${what} ${JSON.stringify(ref)} cannot be read: ${firstLine(error)}`, {
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
