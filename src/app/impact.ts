import { impactOutcome, type ImpactOutcome } from '../evaluate/impact.js';
import { loadWorkspace } from './load-workspace.js';

/** The `impact` use case: loads a repository's records from disk, then answers the query. */
export function impact(dir: string, id: string): ImpactOutcome {
  return impactOutcome(loadWorkspace(dir), id);
}
