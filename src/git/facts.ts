import type { BaseFiles, BaseRevision, ChangedFile } from '../evaluate/facts.js';
import { defaultLimits } from '../records/limits.js';
import { isRecordFilePath, isRecordPath, policyFiles } from '../records/layout.js';
import type { SourceText } from '../records/parse-yaml.js';
import { findMergeBase, resolveBase } from './base.js';
import { openBlobReader } from './blobs.js';
import { belowPrefix, changedFiles } from './diff.js';
import { locateWithBase } from './locate.js';
import { openRepository } from './repository.js';
import type { WorkingTreeStatus } from './status.js';

/** How `readBaseFacts` reads the base. */
export interface BaseFactsOptions {
  /** Fetch a base that is missing locally, and deepen a shallow clone (default true). */
  fetch?: boolean;
  /**
   * Compare the merge base with the working tree (default, because the records are read from
   * disk: uncommitted and untracked files count) or, when false, with the HEAD commit.
   */
  workingTree?: boolean;
  /**
   * Compare the merge base with this commit instead (a full sha): the pull request's head when the
   * workspace is the base checkout (pull_request_target), read as data, never checked out.
   */
  head?: string;
  /**
   * The size cap of the base's record files, from what the base's policy file says (read first,
   * under the default cap): a base file over it is reported, not read.
   */
  maxFileBytes(policy: Pick<BaseFiles, 'policyFile' | 'policyProblem'>): number;
  /**
   * Asks the work tree's status (workingTreeStatus, from the root) for the working-tree diff,
   * when the diff starts, with the repository's `prefix`: the caller hands the one answer on.
   * Unused with `head` or `workingTree: false`.
   */
  status?: (prefix: string) => Promise<WorkingTreeStatus>;
  /**
   * Called once the diff is started, with the merge base: other work (and other git reads of
   * that commit) can use the main thread while git runs.
   */
  whileDiffing?: (mergeBase: string) => void;
  /**
   * Comparing with the working tree (`status`): called, before the work tree's status answers,
   * with the facts as they are if the work tree is HEAD's (the diff from the merge base to HEAD
   * alone), so that a caller can work on them meanwhile. When the status says so, readBaseFacts
   * resolves to that same object; else to facts of their own.
   */
  guess?: (facts: Promise<BaseRevision & BaseFiles>) => void;
}

/**
 * What git says about a branch and its base: the base commit and its policy file (the policy in
 * force), the merge base with HEAD, the files changed since then (code included) and the merge
 * base's text of the changed record files. One `git cat-file --batch` reads every blob: the
 * policy first, then the record files under the cap the policy sets. Throws a GitError
 * (BaseRefError for a base that cannot be used) when git fails.
 */
export async function readBaseFacts(
  dir: string,
  ref: string,
  options: BaseFactsOptions,
): Promise<BaseRevision & BaseFiles> {
  // One rev-parse says where the repository is, which commit the base names and where HEAD
  // left it; whatever it cannot settle is asked step by step (a fetch, a deepened history).
  const located = await locateWithBase(dir, ref, options.head);
  const repo = await openRepository(dir, undefined, located.location);
  const fetch = options.fetch ?? true;
  const resolved = located.base
    ? { ref, sha: located.base.sha, fetched: false }
    : await resolveBase(repo, ref, { fetch });
  const mergeBase =
    located.base?.mergeBase ??
    (await findMergeBase(repo, resolved.sha, {
      fetch,
      ...(options.head ? { head: options.head } : {}),
    }));
  // Once, from the git root: the records are the folder's (dir-relative), the code is the whole
  // repository's, as CI `paths` name it (a monorepo's --dir need not hold the code).
  let guessed:
    { files: readonly ChangedFile[]; facts: Promise<BaseRevision & BaseFiles> } | undefined;
  const toWorkingTree = !options.head && options.workingTree !== false && options.status;
  const onGuess = options.guess;
  const diffing = changedFiles(repo, mergeBase, {
    ...(options.head
      ? { to: options.head }
      : options.workingTree === false
        ? { to: 'HEAD' }
        : options.status
          ? { status: options.status(repo.prefix) }
          : {}),
    fromTop: true,
    ...(toWorkingTree && onGuess
      ? {
          committed(files: readonly ChangedFile[]) {
            guessed = { files, facts: factsOf(files) };
            guessed.facts.catch(() => undefined);
            onGuess(guessed.facts);
          },
        }
      : {}),
  });
  const reader = openBlobReader(repo);
  // The policy of the base commit (the branch's target, not where it left it) is in force:
  // asked of git with the diff, before the main thread is lent to other work.
  const policyRead = reader.readAt(resolved.sha, policyFiles, defaultLimits.maxFileBytes);
  // The base's policy and the cap it sets, worked out once (a guess's facts and the run's share it).
  let policyPart: Promise<{ policy: Pick<BaseFiles, 'policyFile' | 'policyProblem'>; cap: number }>;
  const policyOnce = () =>
    (policyPart ??= policyRead.then((policies) => {
      const policy: Pick<BaseFiles, 'policyFile' | 'policyProblem'> = {};
      const present = policyFiles.find((path) => !policies.missing.includes(path));
      const policyFile: SourceText | undefined = policies.files.find(
        (file) => file.path === present,
      );
      const policyProblem = policies.findings.find((finding) => finding.file === present);
      if (policyFile) policy.policyFile = policyFile;
      else if (policyProblem) policy.policyProblem = policyProblem;
      return { policy, cap: options.maxFileBytes(policy) };
    }));
  async function factsOf(everything: readonly ChangedFile[]): Promise<BaseRevision & BaseFiles> {
    const changed = belowPrefix(everything, repo.prefix);
    const codePaths = [
      ...new Set(everything.flatMap((file) => [file.path, file.previousPath ?? file.path])),
    ].filter(
      (path) => !(path.startsWith(repo.prefix) && isRecordPath(path.slice(repo.prefix.length))),
    );
    const basePaths = changed
      .filter((file) => file.status !== 'added')
      .map((file) => file.previousPath ?? file.path)
      .filter(isRecordFilePath);
    const { policy, cap } = await policyOnce();
    const read = await reader.readAt(mergeBase, [...new Set(basePaths)], cap);
    return {
      ref,
      sha: resolved.sha,
      mergeBase,
      changedFiles: changed,
      codePaths,
      files: read.files,
      unreadable: read.findings.map((finding) => finding.file),
      ...policy,
    };
  }
  try {
    options.whileDiffing?.(mergeBase);
    const everything = await diffing;
    // The work tree is HEAD's where the diff to it is the commit diff: the guess is the answer.
    const guess = guessed;
    if (guess && sameChanges(guess.files, everything)) return await guess.facts;
    return await factsOf(everything);
  } finally {
    // When the diff fails, the policy's read may be under way: it would start cat-file after
    // the close, and that process would keep the run from ever ending.
    await policyRead.catch(() => undefined);
    await guessed?.facts.catch(() => undefined);
    await reader.close();
  }
}

/** Whether two diffs name the same files, with the same statuses, in the same order. */
function sameChanges(a: readonly ChangedFile[], b: readonly ChangedFile[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (file, at) =>
        file.status === b[at]!.status &&
        file.path === b[at]!.path &&
        file.previousPath === b[at]!.previousPath,
    )
  );
}
