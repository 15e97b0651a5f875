import type { Finding } from '../records/finding.js';
import type { LoadResult, PolicyResult } from '../records/load.js';
import type { SourceText } from '../records/parse-yaml.js';
import type { History } from '../report/facts.js';

/** How a file changed between two revisions. */
export type FileChange = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

/** One file changed since the base: its path now, and for renames and copies its path before. */
export interface ChangedFile {
  status: FileChange;
  /** The path at the head (for a deleted file: the path it had). */
  path: string;
  /** The path at the base, for renamed and copied files. */
  previousPath?: string;
}

/** Where the branch left the base: the ref as given, the commit it names, and the merge base. */
export interface BaseRevision {
  ref: string;
  sha: string;
  mergeBase: string;
}

/** What the base looked like, as an edge read it. */
export interface BaseFiles {
  /** The files changed since the merge base below the records' folder, relative to it, code included. */
  changedFiles: readonly ChangedFile[];
  /**
   * Every code path the branch changed in the whole repository (both sides of a rename), relative
   * to the git root as CI `paths` are; the records' folder's own record files and policy left
   * out. Absent when only `changedFiles` are known (taken to be from the root).
   */
  codePaths?: readonly string[];
  /**
   * The text at the merge base of each changed record file that existed there, by its path at
   * the base (for a renamed file, the previous path).
   */
  files: readonly SourceText[];
  /** Record files at the base (by path there) whose text could not be read. */
  unreadable?: readonly string[];
  /**
   * The policy file (changeops.yaml or changeops.yml) as it is at the base commit, the policy in
   * force; absent when the base has none (the defaults are then in force).
   */
  policyFile?: SourceText;
  /** Why the base commit's policy file could not be read (a symbolic link, over the cap, not UTF-8). */
  policyProblem?: Finding;
}

/** The base as a check judges by it: what git read, and the base's policy loaded. */
export interface BaseFacts extends BaseRevision, BaseFiles {
  /**
   * The base commit's policy, loaded (parsed and validated): the policy in force, whose limits
   * read every record file of the branch. Unusable when it cannot be read or does not validate:
   * a configuration error, never the defaults.
   */
  policy: PolicyResult;
}

/**
 * Everything a check decides on, gathered by the edges first: the records now (from disk) and,
 * with a base, what git says changed, the base's policy and the base's text of the changed record
 * files. Plain data, so the evaluation itself does no IO; `check`, the gate, verify,
 * release and report, start from it.
 */
export interface CheckFacts {
  /**
   * The records now (the working tree, or the pull request's head), read under the limits of the
   * policy in force. Its policy is the one the branch proposes; with a base it is not in force.
   */
  workspace: LoadResult;
  /** The evaluation time; lead times and schedules are measured from it. */
  now: Date;
  /**
   * The base to compare with and judge by (its policy, its CMDB merged with the head's); without
   * it every pending change and open release is evaluated under the working tree's policy.
   */
  base?: BaseFacts;
  /**
   * The records' history on the base branch (its `ref` the branch's name), read when a release
   * is under evaluation: each such release's readiness is decided against it.
   */
  branchHistory?: History;
}
