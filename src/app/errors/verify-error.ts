import { ChangeopsError } from '../../errors/changeops-error.js';

/** verify cannot run as asked: the wrong branch or commit, unknown changes, nothing to verify. */
export class VerifyError extends ChangeopsError {
  override name = 'VerifyError';
}
