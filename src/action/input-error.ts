import { ChangeopsError } from '../errors/changeops-error.js';

/** An input the action cannot work with: reported with setFailed, no stack. */
export class InputError extends ChangeopsError {
  override name = 'InputError';
}
