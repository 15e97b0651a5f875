import { ChangeopsError } from '../errors/changeops-error.js';

/** A wrong command line: printed with the usage, exit 2. */
export class UsageError extends ChangeopsError {
  override name = 'UsageError';
}
