import type { ChangedFile, FileChange } from '../evaluate/facts.js';
import type { Repository } from './repository.js';
import { gitOutput, workingTreeStatus, type WorkingTreeStatus } from './status.js';

/**
 * The files changed from `from` (the merge base) to `to`: a commit, or, when `to` is left out,
 * the working tree, which counts committed, staged, unstaged and untracked (not ignored) files,
 * because the records changeops reads are the ones on disk. Renames are detected; paths are
 * relative to the repository's `dir` and files outside it are left out, or, with `fromTop`,
 * relative to the git repository's root, every file included (what CI `paths` are matched on).
 * `status` is the work tree's status when it was asked already (workingTreeStatus).
 */
export async function changedFiles(
  repo: Repository,
  from: string,
  options: {
    to?: string;
    fromTop?: boolean;
    status?: Promise<WorkingTreeStatus>;
    /**
     * To the working tree: called with the diff from `from` to HEAD (named as the result is)
     * as soon as git gives it, while the status may still walk the work tree. It is the answer
     * when the work tree is HEAD's.
     */
    committed?: (files: readonly ChangedFile[]) => void;
  } = {},
): Promise<ChangedFile[]> {
  const fromTop = options.fromTop === true;
  if (options.to !== undefined) {
    const output = await gitOutput(repo.dir, [
      ...nameStatusDiff,
      ...(fromTop ? [] : ['--relative']),
      '--end-of-options',
      from,
      options.to,
      '--',
    ]);
    return parseNameStatus(output);
  }
  const named = (files: readonly ChangedFile[]) =>
    fromTop ? [...files] : belowPrefix(files, repo.prefix);
  const onCommitted = options.committed;
  const files = await workingTreeChanges(
    repo,
    from,
    options.status,
    onCommitted && ((committed) => onCommitted(named(committed))),
  );
  return named(files);
}

/** `git diff` as changedFiles asks it: names and statuses, NUL-separated, renames found. */
const nameStatusDiff = [
  '-c',
  'core.quotePath=false',
  'diff',
  '--name-status',
  '-z',
  '-M',
  '--no-ext-diff',
];

/**
 * More changed paths than this, in all, are diffed with the whole work tree rather than named
 * one by one: a command line has a limit (32,767 characters on Windows), and a pull request
 * chooses its file names.
 */
const maxPathspecChars = 16_000;

/**
 * The files changed from a commit to the work tree, named from the root: one `git status` (one
 * walk of the work tree, which a diff against it and an untracked listing would each make)
 * and a commit-to-commit diff up to HEAD. A tracked file can differ from `from` only where one
 * of the two says so, so when the work tree is HEAD's the commit diff is the answer, and else
 * git diffs the work tree at those paths alone: the same statuses and renames as a diff of the
 * whole work tree, without its `lstat` of every file.
 */
async function workingTreeChanges(
  repo: Repository,
  from: string,
  started?: Promise<WorkingTreeStatus>,
  onCommitted?: (files: readonly ChangedFile[]) => void,
): Promise<ChangedFile[]> {
  const committedDiff = gitOutput(repo.top, [
    ...nameStatusDiff,
    '--end-of-options',
    from,
    'HEAD',
    '--',
  ]).then(parseNameStatus);
  // Before the status answers (a walk of every file): what follows from it can start meanwhile.
  if (onCommitted) committedDiff.then(onCommitted).catch(() => undefined);
  const [status, committed] = await Promise.all([
    started ?? workingTreeStatus(repo.dir, undefined, repo.prefix),
    committedDiff,
  ]);
  let files = [...committed];
  if (status.dirty.length > 0) {
    const paths = new Set<string>();
    for (const file of [...files, ...status.dirty]) {
      paths.add(file.path);
      if (file.previousPath !== undefined) paths.add(file.previousPath);
    }
    const named = [...paths];
    const chars = named.reduce((sum, path) => sum + path.length + 1, 0);
    // A name that is not UTF-8 came back with U+FFFD in it: as a pathspec it would name no file.
    const whole = chars > maxPathspecChars || named.some((path) => path.includes('\uFFFD'));
    files = parseNameStatus(
      await gitOutput(repo.top, [
        '--literal-pathspecs',
        ...nameStatusDiff,
        '--end-of-options',
        from,
        '--',
        ...(whole ? [] : named),
      ]),
    );
  }
  for (const path of status.untracked) files.push({ status: 'added', path });
  return files;
}

/**
 * The changed files (paths from the git root) that lie below the folder at `prefix` (as
 * `Repository.prefix` gives it: `teams/payments/`, or '' for the root), with paths relative to
 * it: a file renamed into the folder from outside is added there, one renamed out of it deleted.
 */
export function belowPrefix(files: readonly ChangedFile[], prefix: string): ChangedFile[] {
  if (prefix === '') return [...files];
  const inside = (path: string) => path.startsWith(prefix);
  const below: ChangedFile[] = [];
  for (const file of files) {
    const path = file.path.slice(prefix.length);
    const was = file.previousPath;
    if (was === undefined) {
      if (inside(file.path)) below.push({ status: file.status, path });
    } else if (inside(file.path) && inside(was))
      below.push({ status: file.status, path, previousPath: was.slice(prefix.length) });
    else if (inside(file.path)) below.push({ status: 'added', path });
    else if (inside(was) && file.status === 'renamed')
      below.push({ status: 'deleted', path: was.slice(prefix.length) });
  }
  return below;
}

/** Parses `git diff --name-status -z` output: a status, then one path, or two for R and C. */
export function parseNameStatus(output: string): ChangedFile[] {
  const parts = output.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length;) {
    const code = parts[i++] ?? '';
    if (!code) continue;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const previousPath = parts[i++] ?? '';
      const path = parts[i++] ?? '';
      files.push({ status: letter === 'R' ? 'renamed' : 'copied', path, previousPath });
      continue;
    }
    const path = parts[i++] ?? '';
    const status: FileChange =
      letter === 'A'
        ? 'added'
        : letter === 'D'
          ? 'deleted'
          : letter === 'T'
            ? 'type-changed'
            : 'modified';
    files.push({ status, path });
  }
  return files;
}
