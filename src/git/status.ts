import { execFile } from 'node:child_process';
import type { ChangedFile } from '../evaluate/facts.js';
import { gitBinary } from './binary.js';
import { GitError } from './errors/git-error.js';
import { firstLine } from './repository.js';

/**
 * What one `git status` says about a work tree: the tracked files that differ from HEAD
 * (staged or not), the untracked files, and the ignored ones. Paths are from the git root.
 */
export interface WorkingTreeStatus {
  /** The folder asked about, relative to the root, with a trailing slash ('' at the root). */
  prefix: string;
  /** HEAD's commit, as git status read it; undefined before the first commit. */
  head?: string;
  /**
   * Tracked files whose index or working tree differs from HEAD: a rename git status pairs
   * (a staged one) names both paths.
   */
  dirty: ChangedFile[];
  /** Untracked files git does not ignore, each one (no folder is folded). */
  untracked: string[];
  /**
   * What git ignores: files, and folders (ending in `/`) that git did not walk because a
   * pattern ignores them whole.
   */
  ignored: string[];
}

/**
 * Asks git once about the work tree that holds `dir`: one walk of it (one `lstat` per tracked
 * file, one listing per folder), where a diff against the work tree and an untracked listing
 * would walk it twice, and a separate listing of ignored files a third time. `scope`, paths
 * relative to `dir`, limits it to those folders; by default the whole work tree is asked, every
 * path named from the root. Optional locks are off, so the index of a user's work tree is never
 * rewritten under a git command of theirs. `prefix` is `dir`'s from the root when known
 * (Repository.prefix). Rejects with a GitError when git fails.
 */
export function workingTreeStatus(
  dir: string,
  scope?: readonly string[],
  prefix?: string,
): Promise<WorkingTreeStatus> {
  const args = [
    '--no-optional-locks',
    '-c',
    'core.quotePath=false',
    'status',
    '--porcelain=v2',
    '-z',
    // HEAD's commit, to tell the diff it is from; counting commits ahead of upstream is not asked.
    '--branch',
    '--no-ahead-behind',
    '--untracked-files=all',
    // Matching: an ignored folder (node_modules/) is one entry, not walked.
    '--ignored=matching',
    ...(scope ? ['--', ...scope] : []),
  ];
  // Else the prefix from a process of its own, at the same time: status names paths from the
  // root, its callers from `dir`.
  return Promise.all([
    prefix ?? gitOutput(dir, ['rev-parse', '--show-prefix']).then((out) => out.trim()),
    gitOutput(dir, args),
  ]).then(([at, output]) => ({ ...parseStatus(output), prefix: at }));
}

/**
 * Runs git in `cwd` and gives its output; unlike Repository.git.raw, any exit but 0 fails, with
 * a GitError that names what git said (a status or a diff that fails must not read as empty).
 */
export function gitOutput(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      gitBinary(),
      args,
      { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(firstLine(stderr || error)));
        else resolve(stdout);
      },
    );
  });
}

/** Fields before the path of an entry of `git status --porcelain=v2`, by its first letter. */
const fieldsBefore: Record<string, number> = { '1': 8, '2': 9, u: 10 };

/** Parses `git status --porcelain=v2 -z` output (see git-status(1), "Porcelain Format Version 2"). */
export function parseStatus(output: string): Omit<WorkingTreeStatus, 'prefix'> {
  const status: Omit<WorkingTreeStatus, 'prefix'> = { dirty: [], untracked: [], ignored: [] };
  const parts = output.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    const kind = entry[0];
    if (kind === '#') {
      const head = /^# branch\.oid ([0-9a-f]{40,64})$/.exec(entry);
      if (head) status.head = head[1]!;
    } else if (kind === '?') status.untracked.push(entry.slice(2));
    else if (kind === '!') status.ignored.push(entry.slice(2));
    else if (kind !== undefined && kind in fieldsBefore) {
      let at = 0;
      for (let field = 0; field < fieldsBefore[kind]!; field++) at = entry.indexOf(' ', at) + 1;
      const path = entry.slice(at);
      // XY: the index against HEAD, then the work tree against the index.
      const [x, y] = [entry[2], entry[3]];
      if (kind === '2')
        status.dirty.push({
          status: x === 'C' || y === 'C' ? 'copied' : 'renamed',
          path,
          previousPath: parts[++i] ?? '',
        });
      else
        status.dirty.push({
          path,
          status:
            kind === 'u'
              ? 'modified'
              : x === 'A'
                ? 'added'
                : x === 'D' || y === 'D'
                  ? 'deleted'
                  : x === 'T' || y === 'T'
                    ? 'type-changed'
                    : 'modified',
        });
    }
  }
  return status;
}
