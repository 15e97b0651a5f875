import { ChangeopsError } from '../../errors/changeops-error.js';

/** A file a use case was asked to write cannot be written (a folder, no permission): exit 2. */
export class WriteError extends ChangeopsError {
  override name = 'WriteError';
}
