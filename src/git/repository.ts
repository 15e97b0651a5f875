import { spawn } from 'node:child_process';
import { simpleGit, type SimpleGit } from 'simple-git';
import { isPolicyPath, isYamlName, policyFiles, recordFolders } from '../records/layout.js';
import type { Finding } from '../records/finding.js';
import type { SourceText } from '../records/parse-yaml.js';

/** Something git could not do: not a repository, a command that failed. */
export class GitError extends Error {
  override name = 'GitError';
}

/** The base ref cannot be resolved, or has no merge base with HEAD: a usage error (exit 2). */
export class BaseRefError extends GitError {
  override name = 'BaseRefError';
}

/** An open repository: the directory the records live in, and where that is in the git tree. */
export interface Repository {
  /** The directory given (the changeops root); every path below is relative to it. */
  dir: string;
  /** The git top-level directory. */
  top: string;
  /** `dir` relative to `top`, with a trailing slash, or '' when they are the same. */
  prefix: string;
  git: SimpleGit;
}

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

/** A base ref resolved to a commit, and whether it had to be fetched first. */
export interface ResolvedBase {
  ref: string;
  sha: string;
  fetched: boolean;
}

const shallowHint =
  'the checkout is shallow: use `fetch-depth: 0` with actions/checkout, or pass --base a commit that is in the fetched history';

// The deepening steps tried when a shallow clone lacks the merge base: enough for ordinary
// pull requests without turning into a full clone of a large repository.
const deepenSteps = [50, 200, 1000];

/** Opens the git repository that holds `dir` (dir may be a sub-folder of the work tree). */
export async function openRepository(dir: string): Promise<Repository> {
  // The environment is inherited as it is: simple-git refuses to pass on some variables (EDITOR,
  // GIT_ASKPASS, ...) when they are set explicitly. A command that stalls (a password prompt
  // with nobody to answer) is stopped after ten minutes without output; a quiet fetch of a
  // large history can legitimately be silent for a few.
  const git = simpleGit({ baseDir: dir, timeout: { block: 600_000 } });
  let lines: string[];
  try {
    lines = (await git.raw(['rev-parse', '--show-toplevel', '--show-prefix'])).split('\n');
  } catch (error) {
    throw new GitError(`${dir} is not inside a git work tree; check --base needs one`, {
      cause: error,
    });
  }
  const top = lines[0]?.trim() ?? '';
  if (!top) throw new GitError(`${dir} is not inside a git work tree; check --base needs one`);
  return { dir, top, prefix: lines[1]?.trim() ?? '', git };
}

/** Whether the repository is a shallow clone (history cut off, as actions/checkout does by default). */
export async function isShallow(repo: Repository): Promise<boolean> {
  return (await repo.git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/**
 * Resolves a base ref (a branch, a tag, a sha, `origin/main`) to a commit. When it is not in the
 * local repository, as in a shallow or single-branch checkout, it is fetched from the remote
 * (at depth 1 when the clone is shallow, so a fetch never deepens more than needed). Throws a
 * BaseRefError that says what to do when that fails too.
 */
export async function resolveBase(
  repo: Repository,
  ref: string,
  options: { fetch?: boolean } = {},
): Promise<ResolvedBase> {
  // A ref that starts with a dash would be read by git as an option.
  if (ref === '' || ref.startsWith('-') || /[\s\0]/.test(ref))
    throw new BaseRefError(`--base ${JSON.stringify(ref)} is not a valid git ref`);
  const local = await verifyCommit(repo, ref);
  if (local) return { ref, sha: local, fetched: false };
  const remote = await defaultRemote(repo);
  // actions/checkout creates no local branch but the one checked out: `main` is then only
  // there as origin/main.
  const tracking = remote && (await verifyCommit(repo, `refs/remotes/${remote}/${ref}`));
  if (tracking) return { ref, sha: tracking, fetched: false };
  const notFound = `the base ref "${ref}" is not a commit in this repository`;
  if (!remote || options.fetch === false)
    throw new BaseRefError(`${notFound}; fetch it first, or pass another --base`);
  const shallow = await isShallow(repo);
  const remoteRef = ref.startsWith(`${remote}/`) ? ref.slice(remote.length + 1) : ref;
  try {
    await repo.git.raw([
      'fetch',
      '--no-tags',
      '--quiet',
      ...(shallow ? ['--depth=1'] : []),
      remote,
      remoteRef,
    ]);
  } catch (error) {
    throw new BaseRefError(
      `${notFound}, and fetching "${remoteRef}" from ${remote} failed (${firstLine(error)}); ${shallow ? shallowHint : 'pass a --base that exists'}`,
      { cause: error },
    );
  }
  const fetched = await verifyCommit(repo, 'FETCH_HEAD');
  if (!fetched)
    throw new BaseRefError(`${notFound}, and fetching it from ${remote} gave no commit`);
  return { ref, sha: fetched, fetched: true };
}

/**
 * The merge base of the base commit and the head (HEAD by default): the point the branch left
 * the base, so changes merged into the base since then are not counted as the branch's. In a
 * shallow clone the history is deepened step by step until the merge base appears.
 */
export async function findMergeBase(
  repo: Repository,
  base: string,
  options: { head?: string; fetch?: boolean } = {},
): Promise<string> {
  const head = options.head ?? 'HEAD';
  const found = await mergeBaseOf(repo, base, head);
  if (found) return found;
  const remote = options.fetch === false ? undefined : await defaultRemote(repo);
  if (remote && (await isShallow(repo))) {
    for (const depth of deepenSteps) {
      try {
        await repo.git.raw(['fetch', '--no-tags', '--quiet', `--deepen=${depth}`, remote, base]);
      } catch (error) {
        throw new BaseRefError(
          `cannot deepen the shallow history to find where HEAD left ${short(base)} (${firstLine(error)}); ${shallowHint}`,
          { cause: error },
        );
      }
      const deeper = await mergeBaseOf(repo, base, head);
      if (deeper) return deeper;
      if (!(await isShallow(repo))) break;
    }
  }
  throw new BaseRefError(
    (await isShallow(repo))
      ? `HEAD and the base ${short(base)} have no common commit in the fetched history; ${shallowHint}`
      : `HEAD and the base ${short(base)} share no history; pass a --base that HEAD was branched from`,
  );
}

/**
 * The files changed from `from` (the merge base) to `to`: a commit, or, when `to` is left out,
 * the working tree, which counts committed, staged, unstaged and untracked (not ignored) files,
 * because the records changeops reads are the ones on disk. Renames are detected; paths are
 * relative to the repository's `dir` and files outside it are left out.
 */
export async function changedFiles(
  repo: Repository,
  from: string,
  options: { to?: string } = {},
): Promise<ChangedFile[]> {
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
      '--relative',
      '--no-ext-diff',
      from,
      ...(options.to ? [options.to] : []),
      '--',
    ]),
    options.to
      ? Promise.resolve('')
      : repo.git.raw(['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  const files = parseNameStatus(output);
  for (const path of untracked.split('\0')) if (path) files.push({ status: 'added', path });
  return files;
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

/** What reading files at a ref gives: their texts, and a finding for each that could not be read. */
export interface FilesAtRef {
  files: SourceText[];
  findings: Finding[];
  /** Paths that do not exist at the ref. */
  missing: string[];
}

/**
 * Reads files as they are at a ref (`git show ref:path`), with the loader's size cap: a blob
 * over the cap, not UTF-8 or holding a NUL byte is reported, not read. Paths are relative to
 * `dir`. One `git cat-file --batch` reads them all, however many there are.
 */
export async function readFilesAt(
  repo: Repository,
  ref: string,
  paths: readonly string[],
  maxFileBytes: number,
): Promise<FilesAtRef> {
  const result: FilesAtRef = { files: [], findings: [], missing: [] };
  if (paths.length === 0) return result;
  const problem = (path: string, rule: string, message: string) =>
    result.findings.push({ file: path, line: 1, column: 1, severity: 'error', rule, message });
  // ls-tree gives every blob's id and size, so nothing over the cap is ever read; paths are
  // literal (a `[` in a file name is no glob) and go in batches to stay under the OS's
  // command-line limit.
  let listing = '';
  for (let i = 0; i < paths.length; i += 500) {
    listing += await repo.git.raw([
      '--literal-pathspecs',
      'ls-tree',
      '-l',
      '-z',
      ref,
      '--',
      ...paths.slice(i, i + 500),
    ]);
  }
  const blobs = new Map<string, { oid: string; size: number }>();
  const links = new Set<string>();
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(entry);
    if (!match) continue;
    const [, mode, type, oid, size, path] = match;
    if (type !== 'blob') continue;
    // A symbolic link's blob is its target; the loader does not follow links out of the tree,
    // so nor does this.
    if (mode === '120000') {
      links.add(path!);
      problem(
        path!,
        'symlink',
        'the file is a symbolic link at the base revision; changeops does not follow it',
      );
      continue;
    }
    blobs.set(path!, { oid: oid!, size: Number(size) });
  }
  const wanted: Array<{ path: string; oid: string }> = [];
  for (const path of paths) {
    const blob = blobs.get(path);
    if (!blob) {
      if (!links.has(path)) result.missing.push(path);
    } else if (blob.size > maxFileBytes) {
      problem(
        path,
        'file-size',
        `the file is ${blob.size} bytes at ${short(ref)}, over the limit of ${maxFileBytes}`,
      );
    } else {
      wanted.push({ path, oid: blob.oid });
    }
  }
  const contents = await catBlobs(
    repo,
    wanted.map((blob) => blob.oid),
  );
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  wanted.forEach(({ path }, index) => {
    const bytes = contents[index]!;
    if (bytes.includes(0)) {
      problem(path, 'binary', 'the file holds binary data (a NUL byte), not YAML text');
      return;
    }
    try {
      result.files.push({ path, text: utf8.decode(bytes) });
    } catch {
      problem(path, 'encoding', 'the file is not UTF-8 text; save it as UTF-8');
    }
  });
  return result;
}

/** Reads one file at a ref; undefined when it does not exist there. See readFilesAt. */
export async function readFileAt(
  repo: Repository,
  ref: string,
  path: string,
  maxFileBytes: number,
): Promise<{ text?: string; findings: Finding[] }> {
  const read = await readFilesAt(repo, ref, [path], maxFileBytes);
  const file = read.files[0];
  return file ? { text: file.text, findings: [] } : { findings: read.findings };
}

/** The record files at a ref: every .yaml/.yml under changes/ and cmdb/, and the policy file. */
export async function listRecordFilesAt(repo: Repository, ref: string): Promise<string[]> {
  const output = await repo.git.raw([
    'ls-tree',
    '-r',
    '--name-only',
    '-z',
    ref,
    '--',
    ...recordFolders,
    ...policyFiles,
  ]);
  return output
    .split('\0')
    .filter((path) => path !== '' && (isPolicyPath(path) || isYamlName(path)))
    .sort();
}

async function verifyCommit(repo: Repository, ref: string): Promise<string | undefined> {
  try {
    const sha = (
      await repo.git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
    ).trim();
    return sha || undefined;
  } catch {
    return undefined;
  }
}

async function mergeBaseOf(repo: Repository, a: string, b: string): Promise<string | undefined> {
  try {
    // Exit 1 with no output means "no common ancestor"; simple-git then resolves with ''.
    const sha = (await repo.git.raw(['merge-base', a, b])).trim();
    return sha || undefined;
  } catch {
    return undefined;
  }
}

async function defaultRemote(repo: Repository): Promise<string | undefined> {
  const remotes = (await repo.git.raw(['remote'])).split('\n').filter(Boolean);
  return remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
}

/** Reads blobs by id through one `git cat-file --batch` process. */
function catBlobs(repo: Repository, oids: readonly string[]): Promise<Buffer[]> {
  if (oids.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: repo.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new GitError('cannot run git cat-file', { cause: error })));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new GitError(`git cat-file failed: ${stderr.trim() || `exit ${code}`}`));
        return;
      }
      const out = Buffer.concat(chunks);
      const blobs: Buffer[] = [];
      let at = 0;
      for (const oid of oids) {
        const newline = out.indexOf(0x0a, at);
        const header = out.subarray(at, newline).toString();
        const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1]);
        if (newline < 0 || !Number.isFinite(size)) {
          reject(new GitError(`git cat-file gave no blob for ${oid}: ${header}`));
          return;
        }
        blobs.push(out.subarray(newline + 1, newline + 1 + size));
        at = newline + 1 + size + 1;
      }
      resolve(blobs);
    });
    child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
  });
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? 'unknown error'
  );
}

function short(ref: string): string {
  return /^[0-9a-f]{40,64}$/.test(ref) ? ref.slice(0, 12) : ref;
}
