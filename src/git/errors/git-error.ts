import { ChangeopsError } from '../../errors/changeops-error.js';

/** Something git could not do: not a repository, a command that failed. */
export class GitError extends ChangeopsError {
  override name = 'GitError';
}
