import type { ChangedFile, FileChange } from '../evaluate/facts.js';
import type { Repository } from './repository.js';

/**
 * The files changed from `from` (the merge base) to `to`: a commit, or, when `to` is left out,
 * the working tree, which counts committed, staged, unstaged and untracked (not ignored) files,
 * because the records changeops reads are the ones on disk. Renames are detected; paths are
 * relative to the repository's `dir` and files outside it are left out, or, with `fromTop`,
 * relative to the git repository's root, every file included (what CI `paths` are matched on).
 */
export async function changedFiles(
  repo: Repository,
  from: string,
  options: { to?: string; fromTop?: boolean } = {},
): Promise<ChangedFile[]> {
  const fromTop = options.fromTop === true;
  // Both at once: simple-git lingers about 50 ms on a command that prints nothing, which
  // ls-files usually is.
  const [output, untracked] = await Promise.all([
    repo.git.raw([
      '-c',
      'core.quotePath=false',
      'diff',
      '--name-status',
      '-z',
      '-M',
      ...(fromTop ? [] : ['--relative']),
      '--no-ext-diff',
      '--end-of-options',
      from,
      ...(options.to ? [options.to] : []),
      '--',
    ]),
    options.to
      ? Promise.resolve('')
      : repo.git.raw([
          'ls-files',
          '--others',
          '--exclude-standard',
          '-z',
          // From the root: every untracked file of the work tree, named from the root.
          ...(fromTop ? ['--full-name', '--', ':/'] : []),
        ]),
  ]);
  const files = parseNameStatus(output);
  for (const path of untracked.split('\0')) if (path) files.push({ status: 'added', path });
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
