import { ChangeopsError } from '../../errors/changeops-error.js';

/** A use case cannot start as asked (no repository to ask GitHub about...): a usage error (exit 2). */
export class SetupError extends ChangeopsError {
  override name = 'SetupError';
}
