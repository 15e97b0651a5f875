import { ChangeopsError } from '../../errors/changeops-error.js';

/** The run's event or environment is not one the command can work with. */
export class EventError extends ChangeopsError {
  override name = 'EventError';
}
