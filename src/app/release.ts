import { decideRelease, unknownRelease, type ReleaseDecision } from '../evaluate/release.js';
import { readBranchHistory } from './branch-history.js';
import { loadWorkspace } from './load-workspace.js';

/** What `release` is asked: a repository, a release id, the branch that counts. */
export interface ReleaseRequest {
  root: string;
  id: string;
  /** The branch whose history says what was approved and merged; the default branch when left out. */
  branch?: string;
  now?: Date;
}

/**
 * The `release` use case: loads the records on disk (the release, its changes' schedules), reads
 * the default branch's history of the records through git (two processes), and decides the
 * release's readiness and notes once. A release id the records do not hold is answered without
 * git. Throws a GitError when the history cannot be read.
 */
export async function release(request: ReleaseRequest): Promise<ReleaseDecision> {
  const workspace = loadWorkspace(request.root);
  const unknown = unknownRelease(workspace, request.id);
  if (unknown) return unknown;
  const { history } = await readBranchHistory(request.root, {
    ...(request.branch !== undefined ? { branch: request.branch } : {}),
    limits: workspace.estate.policy.limits,
  });
  return decideRelease({
    workspace,
    history,
    releaseId: request.id,
    now: request.now ?? new Date(),
  });
}
