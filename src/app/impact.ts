import { impactOutcome, type ImpactOutcome } from '../evaluate/impact.js';
import { loadWorkspaceAt } from './load-workspace-at.js';
import { loadWorkspace } from './load-workspace.js';

/** The `impact` use case: loads a repository's records from disk, then answers the query. */
export function impact(dir: string, id: string): ImpactOutcome {
  return impactOutcome(loadWorkspace(dir), id);
}

/**
 * `impact --at REF`: the same query on the records as they were at a commit, read through git
 * (the CMDB of a past change, not today's). Throws a RefError for a ref that is refused or
 * names no commit.
 */
export async function impactAt(
  dir: string,
  id: string,
  ref: string,
): Promise<ImpactOutcome & { at: { ref: string; sha: string } }> {
  const loaded = await loadWorkspaceAt(dir, ref, '--at');
  return { ...impactOutcome(loaded.workspace, id), at: { ref, sha: loaded.sha } };
}
