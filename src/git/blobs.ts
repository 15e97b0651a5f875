import { spawn } from 'node:child_process';
import { isPolicyPath, isYamlName, policyFiles, recordFolders } from '../records/layout.js';
import type { Finding } from '../records/finding.js';
import type { SourceText } from '../records/parse-yaml.js';
import { gitBinary } from './binary.js';
import { GitError } from './errors/git-error.js';
import { redactCredentials, short, type Repository } from './repository.js';

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
      '--end-of-options',
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
    '--end-of-options',
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

/** Reads blobs by id through one `git cat-file --batch` process. */
function catBlobs(repo: Repository, oids: readonly string[]): Promise<Buffer[]> {
  if (oids.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn(gitBinary(), ['cat-file', '--batch'], {
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
        reject(
          new GitError(
            `git cat-file failed: ${redactCredentials(stderr.trim()) || `exit ${code}`}`,
          ),
        );
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
