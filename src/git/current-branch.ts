import type { Repository } from './repository.js';

/**
 * The branch HEAD is on, even one without a commit yet (a repository just made with `git init`);
 * undefined when HEAD is detached.
 */
export async function currentBranch(repo: Repository): Promise<string | undefined> {
  try {
    return (await repo.git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}
