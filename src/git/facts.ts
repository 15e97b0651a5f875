import type { BaseFiles, BaseRevision } from '../evaluate/facts.js';
import { isRecordFilePath } from '../records/layout.js';
import { findMergeBase, resolveBase } from './base.js';
import { readFilesAt } from './blobs.js';
import { changedFiles } from './diff.js';
import { openRepository } from './repository.js';

/** How `readBaseFacts` reads the base. */
export interface BaseFactsOptions {
  /** Fetch a base that is missing locally, and deepen a shallow clone (default true). */
  fetch?: boolean;
  /**
   * Compare the merge base with the working tree (default, because the records are read from
   * disk: uncommitted and untracked files count) or, when false, with the HEAD commit.
   */
  workingTree?: boolean;
  /** The loader's size cap: a base file over it is reported, not read. */
  maxFileBytes: number;
}

/**
 * What git says about a branch and its base: the base commit, the merge base with HEAD, the
 * files changed since then (code included) and the merge base's text of the changed record
 * files. Throws a GitError (BaseRefError for a base that cannot be used) when git fails.
 */
export async function readBaseFacts(
  dir: string,
  ref: string,
  options: BaseFactsOptions,
): Promise<BaseRevision & BaseFiles> {
  const repo = await openRepository(dir);
  const fetch = options.fetch ?? true;
  const resolved = await resolveBase(repo, ref, { fetch });
  const mergeBase = await findMergeBase(repo, resolved.sha, { fetch });
  const changed = await changedFiles(
    repo,
    mergeBase,
    options.workingTree === false ? { to: 'HEAD' } : {},
  );
  // The policy is read from the working tree; only the records' history matters here.
  const basePaths = changed
    .filter((file) => file.status !== 'added')
    .map((file) => file.previousPath ?? file.path)
    .filter(isRecordFilePath);
  const read = await readFilesAt(repo, mergeBase, [...new Set(basePaths)], options.maxFileBytes);
  return {
    ref,
    sha: resolved.sha,
    mergeBase,
    changedFiles: changed,
    files: read.files,
    unreadable: read.findings.map((finding) => finding.file),
  };
}
