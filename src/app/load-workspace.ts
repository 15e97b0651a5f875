import { listRecordFiles, readListedFiles, readPolicyFile } from '../fs/read-workspace.js';
import { defaultLimits } from '../records/limits.js';
import {
  assembleRecords,
  loadPolicy,
  parseRecordFiles,
  type LoadResult,
  type PolicyResult,
} from '../records/load.js';
import { SourceIndex } from '../records/locate.js';

/** The policy first: its limits govern every other file. */
function policyOf(root: string, sources: SourceIndex): PolicyResult {
  const policyFile = readPolicyFile(root, defaultLimits.maxFileBytes);
  const policy = loadPolicy(policyFile.files[0], sources);
  policy.findings = [...policyFile.findings, ...policy.findings];
  if (policyFile.findings.length > 0) policy.usable = false;
  return policy;
}

/**
 * Reads and loads a repository's records from disk: the policy first (its limits govern the
 * rest), then every record file under changes/ and cmdb/.
 */
export function loadWorkspace(root: string): LoadResult {
  const sources = new SourceIndex();
  const policy = policyOf(root, sources);
  const limits = policy.policy.limits;
  const read = readListedFiles(root, listRecordFiles(root), limits.maxFileBytes);
  const result = assembleRecords(policy, parseRecordFiles(read.files, limits, sources), sources);
  for (const finding of read.findings) result.findings.push(finding);
  // The policy file counts as a file read; unreadable record files count too.
  result.files += (policy.file ? 1 : 0) + read.findings.length;
  return result;
}
