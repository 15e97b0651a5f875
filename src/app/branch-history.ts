import { readHistory } from '../git/history.js';
import { defaultBranch, namedBranch, resolveCommit, type BranchRef } from '../git/ref.js';
import { openRepository, type Repository } from '../git/repository.js';
import type { Limits } from '../records/limits.js';
import type { History } from '../report/facts.js';

/** The history of the records on the branch that counts. */
export interface BranchHistory {
  repo: Repository;
  branch: BranchRef;
  /** Its `ref` is the branch's name, as sentences say it ("main"). */
  history: History;
}

/**
 * Reads the records' history on a branch (the one named, or a ref with the name sentences use,
 * else the default branch: see defaultBranch) in two git processes, with the loader's size cap. `what` names the option
 * that named the branch, for messages.
 */
export async function readBranchHistory(
  root: string,
  options: { branch?: string | BranchRef; what?: string; limits: Limits },
): Promise<BranchHistory> {
  const repo = await openRepository(root, "the records' history is read from git");
  const what = options.what ?? '--branch';
  const branch =
    options.branch === undefined
      ? await defaultBranch(repo)
      : typeof options.branch === 'string'
        ? await namedBranch(repo, options.branch, what)
        : await checked(repo, options.branch, what);
  const history = await readHistory(repo, {
    ref: branch.ref,
    maxFileBytes: options.limits.maxFileBytes,
  });
  // Sentences say "on main", not "on refs/heads/main".
  return { repo, branch, history: { ...history, ref: branch.name } };
}

/** A ref given with its name, once git says it is a commit. */
async function checked(repo: Repository, branch: BranchRef, what: string): Promise<BranchRef> {
  await resolveCommit(repo, branch.ref, what);
  return branch;
}
