import { openRepository } from '../git/repository.js';
import { resolveCommit } from '../git/ref.js';
import { readWorkspaceFilesAt } from '../git/workspace-at.js';
import type { Repository } from '../git/repository.js';
import { defaultLimits, type Limits } from '../records/limits.js';
import { assembleRecords, loadPolicy, parseRecordFiles, type LoadResult } from '../records/load.js';
import { SourceIndex } from '../records/locate.js';

/** An estate loaded from a commit: the ref asked for, the commit it names, the records there. */
export interface WorkspaceAtCommit {
  ref: string;
  sha: string;
  workspace: LoadResult;
}

/**
 * Loads the records as they were at a commit, through git and the pure loader, exactly as
 * `loadWorkspace` loads the working tree: the policy first (its limits govern the rest), then
 * every record file under changes/ and cmdb/. What `impact --at` and `evidence` read the CMDB
 * "at the time" from. `what` names the option in messages (`--at`). Throws a RefError for a ref
 * that is refused or names no commit.
 */
export async function loadWorkspaceAt(
  root: string,
  ref: string,
  what: string,
): Promise<WorkspaceAtCommit> {
  const repo = await openRepository(root, `${what} reads the records from git`);
  const sha = await resolveCommit(repo, ref, what);
  return { ref, sha, workspace: await loadWorkspaceAtCommit(repo, sha) };
}

/**
 * Loads the records at a commit (a full sha) of an open repository; see loadWorkspaceAt. With
 * `limits` (the base policy's, when the commit is a pull request's head read as data by the
 * gate), the records are read under those, whatever the commit's own policy says; nothing is
 * checked out, and no file of the commit runs.
 */
export async function loadWorkspaceAtCommit(
  repo: Repository,
  sha: string,
  options: { limits?: Limits } = {},
): Promise<LoadResult> {
  const sources = new SourceIndex();
  let policy: ReturnType<typeof loadPolicy> | undefined;
  const read = await readWorkspaceFilesAt(repo, sha, defaultLimits.maxFileBytes, (file) => {
    policy = loadPolicy(file, sources);
    return (options.limits ?? policy.policy.limits).maxFileBytes;
  });
  const loaded = policy ?? loadPolicy(undefined, sources);
  // At most one finding (the policy file's): no spread of a long list.
  loaded.findings.unshift(...read.policyFindings);
  if (read.policyFindings.length > 0) loaded.usable = false;
  const limits = options.limits ?? loaded.policy.limits;
  const result = assembleRecords(
    loaded,
    parseRecordFiles(read.records.files, limits, sources),
    sources,
  );
  for (const finding of read.records.findings) result.findings.push(finding);
  result.files += (loaded.file ? 1 : 0) + read.records.findings.length;
  return result;
}
