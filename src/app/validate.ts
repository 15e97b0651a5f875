import { validationOutcome, type ValidateOutcome } from '../evaluate/validate.js';
import { loadWorkspace, loadWorkspaceCached, type SnapshotUse } from './load-workspace.js';

/** The `validate` use case on every file: schemas and integrity of a repository's records, no git. */
export function validate(root: string): ValidateOutcome {
  // Only the findings and counts are read: the records need not keep what no check reads.
  return validationOutcome(loadWorkspace(root, { judged: true }));
}

/**
 * The `validate` use case as the faces run it: inside a git repository through the estate
 * snapshot unless `cache` is false; the outcome is validate's, byte for byte.
 */
export async function validateRepository(
  root: string,
  options: { cache?: boolean; committed?: boolean } = {},
): Promise<ValidateOutcome & { snapshot: SnapshotUse }> {
  const { workspace, snapshot } = await loadWorkspaceCached(root, {
    ...(options.cache === false ? { cache: false } : {}),
    // The action's checkout: its record files are HEAD's (see loadWorkspaceCached).
    ...(options.committed ? { committed: true } : {}),
    // Only the findings and counts are read: the records need not keep what no check reads.
    judged: true,
  });
  return { ...validationOutcome(workspace), snapshot };
}
