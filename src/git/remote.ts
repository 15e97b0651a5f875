import type { RepositoryRef } from '../github/repository-ref.js';
import type { Repository } from './repository.js';

const remoteUrl =
  /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/git@|git@)[^/:]+[/:]([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?\/?$/;

/**
 * The GitHub repository the `origin` remote points at (`https://github.com/acme/shop.git`,
 * `git@github.com:acme/shop.git`), or undefined when there is no such remote.
 */
export async function originRepository(repo: Repository): Promise<RepositoryRef | undefined> {
  let url = '';
  try {
    url = (await repo.git.raw(['remote', 'get-url', 'origin'])).trim();
  } catch {
    return undefined;
  }
  const match = remoteUrl.exec(url);
  if (!match || match[2] === '.' || match[2] === '..') return undefined;
  return { owner: match[1]!, repo: match[2]! };
}
