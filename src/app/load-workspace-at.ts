import { listRecordFilesAt, readFilesAt } from '../git/blobs.js';
import type { Repository } from '../git/repository.js';
import { isPolicyPath } from '../records/layout.js';
import { defaultLimits } from '../records/limits.js';
import { assembleRecords, loadPolicy, parseRecordFiles, type LoadResult } from '../records/load.js';
import { SourceIndex } from '../records/locate.js';

/**
 * Loads the records as they are at a commit, through git (never the working tree): the policy
 * first, whose limits govern how the rest are read, then every record file under changes/ and
 * cmdb/ at that commit. What verify judges and runs is what the pushed commit holds, whatever a
 * step before it left in the checkout.
 */
export async function loadWorkspaceAt(repo: Repository, commit: string): Promise<LoadResult> {
  const paths = await listRecordFilesAt(repo, commit);
  const policyPath = paths.find(isPolicyPath);
  const sources = new SourceIndex();
  const policyRead = policyPath
    ? await readFilesAt(repo, commit, [policyPath], defaultLimits.maxFileBytes)
    : { files: [], findings: [] };
  const policy = loadPolicy(policyRead.files[0], sources);
  policy.findings.unshift(...policyRead.findings);
  if (policyRead.findings.length > 0) policy.usable = false;
  const limits = policy.policy.limits;
  const records = await readFilesAt(
    repo,
    commit,
    paths.filter((path) => !isPolicyPath(path)),
    limits.maxFileBytes,
  );
  const result = assembleRecords(policy, parseRecordFiles(records.files, limits, sources), sources);
  result.findings.push(...records.findings);
  result.files += (policy.file ? 1 : 0) + records.findings.length;
  return result;
}
