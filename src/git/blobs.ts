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
  if (paths.length === 0) return { files: [], findings: [], missing: [] };
  const reader = openBlobReader(repo);
  try {
    return await reader.readAt(ref, paths, maxFileBytes);
  } finally {
    await reader.close();
  }
}

/**
 * Reads files at one or more refs through one `git cat-file --batch` process, in rounds: a
 * caller can read one file (the policy), decide on what it says (the size cap of the rest),
 * then read the others from the same process. Close it when done.
 */
export interface BlobReader {
  /** Reads `paths` at `ref` as readFilesAt does. */
  readAt(ref: string, paths: readonly string[], maxFileBytes: number): Promise<FilesAtRef>;
  /** Ends the cat-file process (when one was started). */
  close(): Promise<void>;
}

/** Opens a BlobReader on a repository; the git process starts with the first blob read. */
export function openBlobReader(repo: Repository): BlobReader {
  let batch: CatFileBatch | undefined;
  return {
    async readAt(ref, paths, maxFileBytes) {
      const result: FilesAtRef = { files: [], findings: [], missing: [] };
      if (paths.length === 0) return result;
      const problem = (path: string, rule: string, message: string) =>
        result.findings.push({ file: path, line: 1, column: 1, severity: 'error', rule, message });
      const { blobs, links } = await listBlobs(repo, ref, paths);
      for (const path of links)
        problem(
          path,
          'symlink',
          'the file is a symbolic link at the base revision; changeops does not follow it',
        );
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
      if (wanted.length === 0) return result;
      batch ??= new CatFileBatch(repo);
      const contents = await batch.read(wanted.map((blob) => blob.oid));
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
    },
    async close() {
      await batch?.close();
    },
  };
}

/** Above this many paths, their top folders are listed once rather than the paths themselves. */
const listByFolderAbove = 500;

/**
 * The blobs of `paths` at `ref`: id and size of each regular file, and which are symbolic
 * links. ls-tree gives the sizes, so nothing over a cap is ever read; paths are literal (a `[`
 * in a file name is no glob). A few paths are named to ls-tree; many (a whole estate) are found
 * in one recursive listing of their top folders: each ls-tree walks the tree, so naming 100,000
 * paths 500 at a time took 200 processes and 20 seconds.
 */
async function listBlobs(
  repo: Repository,
  ref: string,
  paths: readonly string[],
): Promise<{ blobs: Map<string, { oid: string; size: number }>; links: Set<string> }> {
  const many = paths.length > listByFolderAbove;
  const wanted = many ? new Set(paths) : undefined;
  const named = many ? [...new Set(paths.map((path) => path.split('/')[0]!))] : paths;
  let listing = '';
  for (let i = 0; i < named.length; i += 500) {
    listing += await repo.git.raw([
      '--literal-pathspecs',
      'ls-tree',
      ...(many ? ['-r'] : []),
      '-l',
      '-z',
      '--end-of-options',
      ref,
      '--',
      ...named.slice(i, i + 500),
    ]);
  }
  const blobs = new Map<string, { oid: string; size: number }>();
  const links = new Set<string>();
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(entry);
    if (!match) continue;
    const [, mode, type, oid, size, path] = match;
    if (type !== 'blob' || (wanted && !wanted.has(path!))) continue;
    // A symbolic link's blob is its target; the loader does not follow links, so nor does this.
    if (mode === '120000') links.add(path!);
    else blobs.set(path!, { oid: oid!, size: Number(size) });
  }
  return { blobs, links };
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

/**
 * One `git cat-file --batch` process that answers requests one after another. Its output is
 * consumed as it arrives: a blob's bytes are joined once, when all of them are there, so reading
 * is linear in what is read.
 */
class CatFileBatch {
  private readonly child;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private stderr = '';
  private failure: Error | undefined;
  private request:
    | {
        oids: readonly string[];
        blobs: Buffer[];
        /** Bytes of the current blob still to come (its size plus the newline after it). */
        body?: number;
        resolve: (blobs: Buffer[]) => void;
        reject: (error: Error) => void;
      }
    | undefined;
  private readonly closed: Promise<void>;

  constructor(repo: Repository) {
    this.child = spawn(gitBinary(), ['cat-file', '--batch'], {
      cwd: repo.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.drain();
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // A write after git died (EPIPE) surfaces through 'close' below.
    this.child.stdin.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.fail(new GitError('cannot run git cat-file', { cause: error }));
        resolve();
      });
      this.child.on('close', (code) => {
        this.fail(
          new GitError(
            `git cat-file failed: ${redactCredentials(this.stderr.trim()) || `exit ${code}`}`,
          ),
        );
        resolve();
      });
    });
  }

  /** The read before the last one asked: a read waits for it (git answers one at a time). */
  private turn: Promise<unknown> = Promise.resolve();

  /** The blobs with these ids, in order; a read asked while another is answered waits its turn. */
  read(oids: readonly string[]): Promise<Buffer[]> {
    const read = this.turn.then(() => this.readNow(oids));
    this.turn = read.catch(() => undefined);
    return read;
  }

  private readNow(oids: readonly string[]): Promise<Buffer[]> {
    if (oids.length === 0) return Promise.resolve([]);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.request = { oids, blobs: [], resolve, reject };
      this.child.stdin.write(oids.map((oid) => `${oid}\n`).join(''));
    });
  }

  /** Ends the process and waits for it. */
  async close(): Promise<void> {
    this.child.stdin.end();
    await this.closed;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const request = this.request;
    this.request = undefined;
    request?.reject(this.failure);
  }

  /** Takes the first `n` buffered bytes (n <= buffered). */
  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks.length = 0;
    if (all.length > n) this.chunks.push(all.subarray(n));
    this.buffered = all.length - n;
    return all.subarray(0, n);
  }

  private drain(): void {
    while (this.request) {
      const request = this.request;
      if (request.body === undefined) {
        if (this.chunks.length > 1)
          this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks));
        const newline = this.chunks[0]?.indexOf(0x0a) ?? -1;
        if (newline < 0) return;
        const header = this.take(newline + 1)
          .toString()
          .trim();
        const oid = request.oids[request.blobs.length];
        const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1]);
        if (!Number.isFinite(size)) {
          this.fail(new GitError(`git cat-file gave no blob for ${oid}: ${header}`));
          return;
        }
        request.body = size + 1;
      }
      if (this.buffered < request.body) return;
      request.blobs.push(this.take(request.body).subarray(0, request.body - 1));
      request.body = undefined;
      if (request.blobs.length === request.oids.length) {
        this.request = undefined;
        request.resolve(request.blobs);
      }
    }
  }
}
