/**
 * The git history of the records as plain data: what the history edge (src/git/history.ts)
 * reads in one `git log` and one `git cat-file`, and what the report core builds timelines from.
 * Defined here, in the core, so the edge produces the core's shape and not the other way round.
 */

/** Who made a commit, as git records it, with the GitHub login when the email gives it away. */
export interface CommitAuthor {
  name: string;
  email: string;
  /**
   * The GitHub login, read from a GitHub no-reply address (`12345+octocat@users.noreply.github.com`
   * or `octocat@users.noreply.github.com`); absent for any other address, which proves nothing.
   */
  login?: string;
}

/** How a file changed in a commit, against the commit's first parent. */
export type HistoryFileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'type-changed';

/** One record file (a change or release file, or the policy) as a commit left it. */
export interface HistoryFile {
  status: HistoryFileStatus;
  /** The path after the commit (for a deleted file, the path it had), relative to the records' root. */
  path: string;
  /** The path before, for a renamed file. */
  previousPath?: string;
  /** The text the commit left; absent for a deleted file and for one that could not be read. */
  text?: string;
  /**
   * Why the text could not be read: over the size cap, a symbolic link, binary data, not UTF-8,
   * or an object missing from the clone. Such a version is skipped, like a broken one.
   */
  unreadable?: string;
}

/** One commit of the branch that touched record files, oldest first. */
export interface HistoryCommit {
  sha: string;
  parents: string[];
  /** When the commit landed on the branch: the committer date, as UTC ISO 8601. */
  date: string;
  /** `date` in epoch milliseconds. */
  at: number;
  /** The author date (a rebased or squashed commit keeps its author's), UTC ISO 8601. */
  authorDate: string;
  author: CommitAuthor;
  /** The first line of the message. */
  subject: string;
  /**
   * The pull request the subject names: a merge ("Merge pull request #12 from ...") or a squash
   * ("Title (#12)"). What the subject says, which is what GitHub wrote; unverified.
   */
  pullRequest?: number;
  /**
   * The commit is a shallow clone's boundary: its parents are not in the clone, so files it lists
   * as added may be far older. Timelines date such records "known since", not "added".
   */
  boundary: boolean;
  files: HistoryFile[];
}

/** What the history edge read: the branch's commits that touched records, oldest first. */
export interface History {
  /** The ref the history was read from, as given (a branch, `HEAD`, a sha). */
  ref: string;
  commits: HistoryCommit[];
  /** The clone is shallow: history before the boundary commits is missing. */
  shallow: boolean;
  /** The history was cut at these dates (ISO), as asked. */
  since?: string;
  until?: string;
  /** Sentences that say what the history lacks and what that means for the numbers. */
  notes: string[];
}

const mergeSubject = /^Merge pull request #(\d{1,9}) from \S/;
const squashSubject = /\(#(\d{1,9})\)$/;

/**
 * The pull request number a commit subject names: GitHub's merge commit ("Merge pull request
 * #12 from owner/branch") or squash commit ("Title (#12)"); undefined otherwise.
 */
export function pullRequestOf(subject: string): number | undefined {
  const match = mergeSubject.exec(subject) ?? squashSubject.exec(subject.trimEnd());
  if (!match) return undefined;
  const number = Number(match[1]);
  return number > 0 ? number : undefined;
}

// A login: alphanumerics and single inner hyphens, at most 39; an App's bot adds `[bot]`.
const noReply =
  /^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?)@users\.noreply\.github\.com$/i;

/** The GitHub login a no-reply commit email names, or undefined for any other email. */
export function loginOf(email: string): string | undefined {
  return noReply.exec(email.trim())?.[1];
}
