import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ChangedFile } from '../evaluate/facts.js';
import { recordFolders } from '../records/layout.js';
import { snapshotFormat } from '../records/snapshot.js';
import { belowPrefix, parseNameStatus } from './diff.js';
import { locateRepository } from './repository.js';
import { gitOutput, workingTreeStatus, type WorkingTreeStatus } from './status.js';

/**
 * node:crypto's createHash, the module loaded on the first hash: it takes milliseconds to load,
 * and a run that uses no snapshot (a cold one) never hashes.
 */
const createHash = (algorithm: string) =>
  process.getBuiltinModule('node:crypto').createHash(algorithm);

/** The length of a snapshot's first line (`crc32:` and the header line's CRC-32 in hex). */
const digestLength = 'crc32:'.length + 8;

/** The first few KiB of a file, as Latin-1 text (enough for a snapshot's digest and header). */
function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    return buffer.subarray(0, readSync(fd, buffer, 0, 8192, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** Snapshots kept per repository: the newest few, so a branch switch back finds its own. */
const kept = 4;

/** Runs git in `dir` and gives its output; undefined when git fails (the caller falls back). */
function git(dir: string, args: readonly string[]): Promise<string | undefined> {
  return gitOutput(dir, args).catch(() => undefined);
}

/**
 * Where a repository keeps its snapshots: .git/changeops/ (shared by its worktrees); undefined
 * outside a work tree, or for a folder the repository ignores.
 */
export async function snapshotFolder(dir: string): Promise<string | undefined> {
  // Outside any work tree (no .git above, no GIT_DIR) git is not asked: a cold run pays nothing.
  if (process.env.GIT_DIR === undefined && !insideWorkTree(dir)) return undefined;
  // An ignored folder (generated records, a scratch copy) has no committed records to snapshot:
  // without this, every run would diff and list the enclosing repository for nothing. The
  // location is the base's rev-parse when one is on its way (locateRepository); a folder is never
  // in the index, so check-ignore need not read it (10 MB at 100k files).
  const [location, ignored] = await Promise.all([
    locateRepository(dir),
    git(dir, ['check-ignore', '--no-index', '--quiet', '--', '.']),
  ]);
  if (!location || ignored !== undefined) return undefined;
  const common = location.commonDir;
  return join(isAbsolute(common) ? common : join(dir, common), 'changeops');
}

/** Whether `dir` or a folder above it holds a .git entry (a folder, or a worktree's file). */
function insideWorkTree(dir: string): boolean {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}

/** A commit's full sha, or undefined when `ref` names none (an empty repository's HEAD). */
export async function commitOf(dir: string, ref: string): Promise<string | undefined> {
  const out = await git(dir, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`,
  ]);
  const sha = out?.trim();
  return sha && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}

/** The git trees of changes/ and cmdb/ at a commit, `none` for a folder it lacks. */
export async function recordTreesAt(
  dir: string,
  commit: string,
): Promise<{ changes: string; cmdb: string } | undefined> {
  const out = await git(dir, ['ls-tree', '-z', '--end-of-options', commit, '--', ...recordFolders]);
  if (out === undefined) return undefined;
  const trees: Record<string, string> = { changes: 'none', cmdb: 'none' };
  for (const entry of out.split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match) continue;
    // A record folder that is a link or a submodule is not a tree a diff can follow.
    if (match[2] !== 'tree') return undefined;
    trees[match[4]!] = match[3]!;
  }
  return { changes: trees.changes!, cmdb: trees.cmdb! };
}

/**
 * Whether the record files on disk are exactly the regular files git has under changes/ and
 * cmdb/ at `commit` (no link, no submodule, nothing git does not track): only then does a diff
 * from that commit tell every file that differs. `listed` are the paths the loader listed.
 */
export async function recordFilesTracked(
  dir: string,
  commit: string,
  listed: readonly string[],
  isRecordPath: (path: string) => boolean,
): Promise<boolean> {
  const out = await git(dir, [
    'ls-tree',
    '-r',
    '-z',
    '--end-of-options',
    commit,
    '--',
    ...recordFolders,
  ]);
  if (out === undefined) return false;
  const tracked = new Set<string>();
  for (const entry of out.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const mode = entry.slice(0, 6);
    const path = entry.slice(tab + 1);
    if (mode !== '100644' && mode !== '100755') return false;
    if (isRecordPath(path)) tracked.add(path);
  }
  if (tracked.size !== listed.length) return false;
  return listed.every((path) => tracked.has(path));
}

/** `git diff` as the commit diff asks it: names and statuses, NUL-separated, paths below `dir`. */
const nameStatusDiff = [
  '-c',
  'core.quotePath=false',
  'diff',
  '--name-status',
  '-z',
  '--no-renames',
  '--relative',
  '--no-ext-diff',
  '--end-of-options',
];

/**
 * Asks git status about the record folders of `dir` (one walk of them), for workingTreeDiff
 * and untrackedRecordFiles; undefined when git fails (the caller falls back).
 */
export function recordFoldersStatus(dir: string): Promise<WorkingTreeStatus | undefined> {
  return workingTreeStatus(dir, recordFolders).catch(() => undefined);
}

/**
 * The files that differ between HEAD (`from`, its commit) and the working tree, from the work
 * tree's status: committed, staged, unstaged, and under the record folders every untracked
 * file, ignored ones too (`untracked`, from untrackedRecordFiles). Paths relative to `dir`;
 * undefined when git could not tell, or HEAD is no longer `from`.
 */
export async function workingTreeDiff(
  from: string,
  status: Promise<WorkingTreeStatus | undefined>,
  untrackedFiles: Promise<string[] | undefined>,
): Promise<{ changed: ChangedFile[] } | undefined> {
  const [tree, untracked] = await Promise.all([status, untrackedFiles]);
  if (tree === undefined || untracked === undefined || tree.head !== from) return undefined;
  const changed = belowPrefix(tree.dirty, tree.prefix);
  for (const path of untracked) changed.push({ status: 'added', path });
  return { changed };
}

/**
 * Every file under the record folders git does not track, ignored ones included (the loader
 * reads those too), relative to `dir`, from the work tree's status. A folder git ignores whole
 * (and so did not walk) at, in or above a record folder is listed on its own, which is rare.
 */
export async function untrackedRecordFiles(
  dir: string,
  status: WorkingTreeStatus,
): Promise<string[] | undefined> {
  const folders = recordFolders.map((folder) => `${status.prefix}${folder}/`);
  const inRecords = (path: string) => folders.some((folder) => path.startsWith(folder));
  const files: string[] = [];
  for (const list of [status.untracked, status.ignored])
    for (const path of list) {
      if (!path.endsWith('/')) {
        if (inRecords(path)) files.push(path.slice(status.prefix.length));
      } else if (inRecords(path) || folders.some((folder) => folder.startsWith(path))) {
        const out = await git(dir, ['ls-files', '--others', '-z', '--', ...recordFolders]);
        return out?.split('\0').filter((file) => file !== '');
      }
    }
  return files;
}

/** The files that differ between two commits (paths relative to `dir`). */
export async function commitDiff(
  dir: string,
  from: string,
  to: string,
): Promise<ChangedFile[] | undefined> {
  const out = await git(dir, [...nameStatusDiff, from, to, '--', ...recordFolders]);
  return out === undefined ? undefined : parseNameStatus(out);
}

/** The git blob id of a text, as `git hash-object` gives it: the policy's part of a key. */
export function blobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The file name of a key: a hash of every part, so a name says nothing a file could fake. */
export function fileOf(folder: string, key: object): string {
  return join(folder, `${createHash('sha256').update(JSON.stringify(key)).digest('hex')}.snapshot`);
}

/** The snapshot file of a key, as bytes; undefined when there is none (decodeSnapshot checks it). */
export function readSnapshotBytes(folder: string, key: object): Buffer | undefined {
  return readSnapshotFile(fileOf(folder, key));
}

/** A snapshot file's bytes; undefined when it cannot be read (decodeSnapshot checks them). */
export function readSnapshotFile(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The other snapshots of the folder, newest first, as their header lines say (read only as far as
 * the first line): a run finds the nearest when its own commit has none.
 */
export function listSnapshots(folder: string): Array<{ file: string; header: string }> {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.snapshot'));
  } catch {
    return [];
  }
  const found: Array<{ file: string; header: string; mtime: number }> = [];
  for (const name of names) {
    const file = join(folder, name);
    try {
      const text = readHead(file);
      const start = text.indexOf('\n') + 1;
      const end = text.indexOf('\n', start);
      if (
        start !== digestLength + 1 ||
        end < 0 ||
        !text.startsWith(`{"format":"${snapshotFormat}"`, start)
      )
        continue;
      found.push({ file, header: text.slice(start, end), mtime: statSync(file).mtimeMs });
    } catch {
      continue;
    }
  }
  return found.sort((a, b) => b.mtime - a.mtime).map(({ file, header }) => ({ file, header }));
}

/**
 * Writes a snapshot atomically (a temporary file renamed over the name: a reader sees the old
 * file or the new, never half of one) and keeps the newest few. Never throws: a snapshot that
 * cannot be written only means the next run parses everything.
 */
export function writeSnapshotFile(folder: string, key: object, bytes: Uint8Array): boolean {
  const file = fileOf(folder, key);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
    return false;
  }
  try {
    const all = readdirSync(folder)
      .filter((name) => name.endsWith('.snapshot'))
      .map((name) => ({ path: join(folder, name), mtime: statSync(join(folder, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of all.slice(kept)) unlinkSync(old.path);
  } catch {
    // Pruning is housekeeping; the snapshot is written.
  }
  return true;
}
