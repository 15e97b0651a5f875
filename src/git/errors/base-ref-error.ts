import { GitError } from './git-error.js';

/** The base ref cannot be resolved, or has no merge base with HEAD: a usage error (exit 2). */
export class BaseRefError extends GitError {
  override name = 'BaseRefError';
}
