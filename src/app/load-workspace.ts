import type { BaseFiles } from '../evaluate/facts.js';
import { listRecordFiles, readListedFiles, readPolicyFile } from '../fs/read-workspace.js';
import { surveyWorkspace } from '../fs/survey-workspace.js';
import { emptyWorkspaceProblem, layoutFindings } from '../records/layout.js';
import { defaultLimits, type Limits } from '../records/limits.js';
import {
  assembleRecords,
  loadPolicy,
  parseRecordFiles,
  type LoadResult,
  type PolicyResult,
} from '../records/load.js';
import { SourceIndex } from '../records/locate.js';
import { NoRecordsError } from './errors/no-records-error.js';

/** The policy first: its limits govern every other file. */
function policyOf(root: string, sources: SourceIndex): PolicyResult {
  const policyFile = readPolicyFile(root, defaultLimits.maxFileBytes);
  const policy = loadPolicy(policyFile.files[0], sources);
  policy.findings = [...policyFile.findings, ...policy.findings];
  if (policyFile.findings.length > 0) policy.usable = false;
  return policy;
}

/**
 * Reads and loads a repository's records from disk: the policy first, then every record file
 * under changes/ and cmdb/ under the limits of the policy in force: `limits` when given (the
 * base's, in a pull request, so the branch cannot raise its own), else the policy's own. Throws a
 * NoRecordsError when the root holds none of them; YAML changeops would not read (Changes/, a
 * Change at the root) and running on the default policy are findings, so nothing is skipped
 * without a word.
 */
export function loadWorkspace(root: string, options: { limits?: Limits } = {}): LoadResult {
  const layout = surveyWorkspace(root);
  if (layout.policyFile === undefined && layout.recordFolders.length === 0)
    throw new NoRecordsError(emptyWorkspaceProblem(root, layout));
  const sources = new SourceIndex();
  const policy = policyOf(root, sources);
  const limits = options.limits ?? policy.policy.limits;
  const read = readListedFiles(root, listRecordFiles(root), limits.maxFileBytes);
  const result = assembleRecords(policy, parseRecordFiles(read.files, limits, sources), sources);
  for (const finding of read.findings) result.findings.push(finding);
  for (const finding of layoutFindings(layout)) result.findings.push(finding);
  // The policy file counts as a file read; unreadable record files count too.
  result.files += (policy.file ? 1 : 0) + read.findings.length;
  return result;
}

/**
 * Loads the base commit's policy file as git read it: the policy in force in a pull request.
 * No file means the defaults; a file that cannot be read or used is unusable (fail closed). Its
 * positions are those of the base's text, kept in an index of its own.
 */
export function loadBasePolicy(
  base: Pick<BaseFiles, 'policyFile' | 'policyProblem'>,
): PolicyResult {
  if (base.policyProblem) {
    const { policy } = loadPolicy(undefined);
    return { policy, findings: [base.policyProblem], usable: false };
  }
  return loadPolicy(base.policyFile, new SourceIndex());
}
