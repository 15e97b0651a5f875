import { validationOutcome, type ValidateOutcome } from '../evaluate/validate.js';
import { loadWorkspace } from './load-workspace.js';

/** The `validate` use case: schemas and integrity of a repository's records, no git. */
export function validate(root: string): ValidateOutcome {
  return validationOutcome(loadWorkspace(root));
}
