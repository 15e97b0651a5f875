import { readPolicyFile, readRecordFiles } from '../fs/read-workspace.js';
import { defaultLimits } from '../records/limits.js';
import { loadPolicy, loadRecords, type LoadResult, type PolicyResult } from '../records/load.js';
import { SourceIndex } from '../records/locate.js';

/** A loaded workspace, with whether its policy could be used. */
export interface Workspace extends LoadResult {
  policyUsable: boolean;
}

/**
 * Reads and loads a repository's records from disk: the policy first (its limits govern the
 * rest), then every record file under changes/ and cmdb/.
 */
export function loadWorkspace(root: string): Workspace {
  const sources = new SourceIndex();
  const policyFile = readPolicyFile(root, defaultLimits.maxFileBytes);
  const policy: PolicyResult = loadPolicy(policyFile.files[0], sources);
  policy.findings.unshift(...policyFile.findings);
  if (policyFile.findings.length > 0) policy.usable = false;
  const records = readRecordFiles(root, policy.policy.limits.maxFileBytes);
  const result = loadRecords(policy, records.files, { sources });
  result.findings.push(...records.findings);
  result.files += policyFile.files.length + records.findings.length;
  return { ...result, policyUsable: policy.usable };
}
