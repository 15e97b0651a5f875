import { isPolicyPath, isRecordFilePath, policyFiles } from '../records/layout.js';
import type { SourceText } from '../records/parse-yaml.js';
import { listRecordFilesAt, readFilesAt, type FilesAtRef } from './blobs.js';
import type { Repository } from './repository.js';

/** The record files of one commit as read: the policy file first, then the record files. */
export interface WorkspaceFilesAt {
  /** The commit read. */
  sha: string;
  /** The policy file at the commit (changeops.yaml, else changeops.yml), when there is one. */
  policy?: SourceText;
  /** Why the policy file could not be read, when it could not (over the cap, a link...). */
  policyFindings: FilesAtRef['findings'];
  /** Every record file under changes/ and cmdb/ that could be read, and findings for the rest. */
  records: FilesAtRef;
}

/**
 * Reads the estate's files as they are at a commit (a full sha: resolve a ref with
 * resolveCommit first), the way the loader reads the working tree: the policy file first with
 * the default cap, then every record file with the cap `recordCap` returns for that policy (its
 * limits govern the rest, so the caller parses it). Symbolic links are reported, never followed;
 * files over the cap are never read. Four git processes, however many files.
 */
export async function readWorkspaceFilesAt(
  repo: Repository,
  sha: string,
  policyCap: number,
  recordCap: (policy: SourceText | undefined) => number,
): Promise<WorkspaceFilesAt> {
  const paths = await listRecordFilesAt(repo, sha);
  const policyPath = policyFiles.find((name) => paths.includes(name));
  const policyRead = policyPath
    ? await readFilesAt(repo, sha, [policyPath], policyCap)
    : { files: [], findings: [], missing: [] };
  const policy = policyRead.files[0];
  const records = await readFilesAt(
    repo,
    sha,
    paths.filter((path) => !isPolicyPath(path) && isRecordFilePath(path)),
    recordCap(policy),
  );
  return {
    sha,
    ...(policy ? { policy } : {}),
    policyFindings: policyRead.findings,
    records,
  };
}
