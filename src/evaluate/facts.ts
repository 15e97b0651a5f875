import type { LoadResult } from '../records/load.js';
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
  /** The files changed since the merge base, code included. */
  changedFiles: readonly ChangedFile[];
  /**
   * The text at the merge base of each changed record file that existed there, by its path at
   * the base (for a renamed file, the previous path).
   */
  files: readonly SourceText[];
  /** Record files at the base (by path there) whose text could not be read. */
  unreadable?: readonly string[];
}

/**
 * Everything a check decides on, gathered by the edges first: the records now (from disk) and,
 * with a base, what git says changed and the base's text of the changed record files. Plain
 * data, so the evaluation itself does no IO; `check`, and next the gate, verify, release and
 * report, start from it.
 */
export interface CheckFacts {
  /** The records now (the working tree, or the pull request's head). */
  workspace: LoadResult;
  /** The evaluation time; lead times and schedules are measured from it. */
  now: Date;
  /** The base to compare with; without it every pending change and open release is evaluated. */
  base?: BaseRevision & BaseFiles;
  /**
   * The records' history on the base branch (its `ref` the branch's name), read when a release
   * is under evaluation: each such release's readiness is decided against it.
   */
  branchHistory?: History;
}
