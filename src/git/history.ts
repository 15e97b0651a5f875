import { spawn } from 'node:child_process';
import { policyFiles } from '../records/layout.js';
import {
  loginOf,
  pullRequestOf,
  type History,
  type HistoryCommit,
  type HistoryFile,
  type HistoryFileStatus,
} from '../report/facts.js';
import { gitBinary } from './binary.js';
import { GitError } from './errors/git-error.js';
import { isSafeRef } from './ref.js';
import { firstLine, redactCredentials, type Repository } from './repository.js';

/** What part of the history to read. */
export interface ReadHistoryOptions {
  /** The branch whose history counts (what was merged), `HEAD` by default. */
  ref?: string;
  /** Only commits that landed at or after this instant (git's `--since`, on the committer date). */
  since?: Date;
  /** Only commits that landed before this instant (git's `--until`). */
  until?: Date;
  /** The loader's size cap: a version larger than this is not read. Default 1 MiB. */
  maxFileBytes?: number;
}

/** The folder of change and release records, and the files of the policy, relative to the root. */
const historyPaths = ['changes', ...policyFiles] as const;

const defaultMaxFileBytes = 1024 * 1024;

// A commit's header fields, NUL-separated: git forbids NUL in names, emails and subjects, so
// nothing a commit says can shift the fields. %D with a pattern no ref matches leaves only
// "grafted", git's mark on a shallow clone's boundary commits.
const format = '%x1e%H%x00%P%x00%aI%x00%cI%x00%an%x00%ae%x00%D%x00%s';
const headerFields = 8;

/**
 * The history of the records on a branch in two git processes, however many records there are:
 * one `git log` of the first-parent line (what landed on the branch: merges, squashes and direct
 * pushes, each against the commit before it) over `changes/` and the policy, with renames, and
 * one `git cat-file --batch-command` that reads every record version the log names (a blob over
 * the size cap is never read, a symbolic link never followed). Paths are relative to the repository's
 * `dir`, which may be a sub-folder of the work tree. In a shallow clone the boundary commits
 * are marked and a note says what is missing. Needs git 2.36 or later.
 */
export async function readHistory(
  repo: Repository,
  options: ReadHistoryOptions = {},
): Promise<History> {
  const ref = options.ref ?? 'HEAD';
  checkRef(ref);
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const args = [
    '-c',
    'log.showSignature=false',
    '-c',
    'core.quotePath=false',
    'log',
    // The first commit's files are additions whatever log.showRoot says.
    '--root',
    '--reverse',
    '--first-parent',
    '--diff-merges=first-parent',
    '--raw',
    '-z',
    '--no-abbrev',
    '-M',
    '--relative',
    '--no-color',
    '--decorate-refs=refs/changeops-none/',
    `--format=${format}`,
    ...(options.since ? [`--since=${instant(options.since, 'since')}`] : []),
    ...(options.until ? [`--until=${instant(options.until, 'until')}`] : []),
    '--end-of-options',
    ref,
    '--',
    ...historyPaths,
  ];
  let output: string;
  try {
    output = await repo.git.raw(args);
  } catch (error) {
    const reason = firstLine(error);
    // A repository without a commit yet (an unborn HEAD) has no history, which is no error.
    if (
      /does not have any commits yet/.test(reason) ||
      (ref === 'HEAD' && reason === "fatal: bad revision 'HEAD'")
    )
      return emptyHistory(ref, options);
    throw new GitError(`cannot read the history of ${JSON.stringify(ref)}: ${reason}`, {
      cause: error,
    });
  }
  const commits = parseHistoryLog(output);
  const wanted = new Set<string>();
  for (const commit of commits)
    for (const file of commit.files) if (file.oid && !file.unreadable) wanted.add(file.oid);
  const blobs = await readBlobs(repo.dir, [...wanted], maxFileBytes);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const texts = new Map<string, { text?: string; unreadable?: string }>();
  for (const [oid, blob] of blobs) {
    if (blob.kind === 'missing') {
      texts.set(oid, {
        unreadable: 'the version is not in this clone (a partial or damaged clone)',
      });
    } else if (blob.kind === 'not-blob') {
      texts.set(oid, { unreadable: `the version is a git ${blob.type}, not a file` });
    } else if (blob.kind === 'too-big') {
      texts.set(oid, {
        unreadable: `the version is ${blob.size} bytes, over the limit of ${maxFileBytes}`,
      });
    } else if (blob.bytes.includes(0)) {
      texts.set(oid, { unreadable: 'the version holds binary data (a NUL byte), not YAML text' });
    } else {
      try {
        texts.set(oid, { text: utf8.decode(blob.bytes) });
      } catch {
        texts.set(oid, { unreadable: 'the version is not UTF-8 text' });
      }
    }
  }
  const history: History = {
    ref,
    commits: commits.map(({ files, ...commit }) => ({
      ...commit,
      files: files.map(({ oid, ...file }) => {
        const read = oid && !file.unreadable ? texts.get(oid) : undefined;
        return read ? { ...file, ...read } : file;
      }),
    })),
    shallow: commits.some((commit) => commit.boundary),
    notes: [],
    ...(options.since ? { since: instant(options.since, 'since') } : {}),
    ...(options.until ? { until: instant(options.until, 'until') } : {}),
  };
  history.notes = notesOf(history);
  return history;
}

/** A commit as the log gives it, with each file's blob id still to be read. */
export type LoggedCommit = Omit<HistoryCommit, 'files'> & {
  files: Array<HistoryFile & { oid?: string }>;
};

/**
 * Parses the output of the log `readHistory` runs: per commit a header of NUL-separated fields
 * after a record separator, then `--raw -z` entries (`:modes oids status`, then one path, two for
 * a rename). Only record files are kept: .yaml/.yml under changes/, and the policy files.
 */
export function parseHistoryLog(output: string): LoggedCommit[] {
  const tokens = output.split('\0');
  const commits: LoggedCommit[] = [];
  let current: LoggedCommit | undefined;
  for (let i = 0; i < tokens.length;) {
    const token = (tokens[i] ?? '').replace(/^\n/, '');
    if (token.startsWith('\x1e')) {
      const fields = tokens.slice(i, i + headerFields);
      i += headerFields;
      current = commitOf(fields);
      commits.push(current);
      continue;
    }
    i++;
    const raw = /^:(\d{6}) (\d{6}) ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) ([A-Z])\d*$/.exec(token);
    if (!raw) continue;
    const [, , newMode, , newOid, letter] = raw;
    const first = tokens[i++] ?? '';
    const second = letter === 'R' || letter === 'C' ? (tokens[i++] ?? '') : undefined;
    if (!current) continue;
    const file = fileOf(letter!, first, second, newMode!, newOid!);
    if (file) current.files.push(...file);
  }
  return commits;
}

function commitOf(fields: string[]): LoggedCommit {
  const [sha, parents, authorDate, date, name, email, decorations, subject] = fields.map(
    (field) => field ?? '',
  ) as [string, string, string, string, string, string, string, string];
  const at = Date.parse(date);
  const login = loginOf(email ?? '');
  const pullRequest = pullRequestOf(subject ?? '');
  return {
    sha: sha.slice(1),
    parents: parents.split(' ').filter(Boolean),
    date: iso(at),
    at,
    authorDate: iso(Date.parse(authorDate)),
    author: { name, email, ...(login ? { login } : {}) },
    subject,
    ...(pullRequest ? { pullRequest } : {}),
    boundary: decorations.split(', ').includes('grafted'),
    files: [],
  };
}

const zeroOid = /^0+$/;

function fileOf(
  letter: string,
  first: string,
  second: string | undefined,
  newMode: string,
  newOid: string,
): Array<HistoryFile & { oid?: string }> | undefined {
  const path = second ?? first;
  const wanted = isHistoryPath(path);
  if (letter === 'D')
    return isHistoryPath(first) ? [{ status: 'deleted', path: first }] : undefined;
  if (letter === 'R' || letter === 'C') {
    const before = isHistoryPath(first);
    // A rename out of the records is their deletion; into them, an addition. A copy leaves the
    // original where it was.
    if (!wanted) return before && letter === 'R' ? [{ status: 'deleted', path: first }] : undefined;
    const version = versionOf(
      before && letter === 'R' ? 'renamed' : 'added',
      path,
      newMode,
      newOid,
    );
    if (before && letter === 'R') version.previousPath = first;
    return [version];
  }
  if (!wanted) return undefined;
  const status: HistoryFileStatus =
    letter === 'A' ? 'added' : letter === 'T' ? 'type-changed' : 'modified';
  return [versionOf(status, path, newMode, newOid)];
}

function versionOf(
  status: HistoryFileStatus,
  path: string,
  mode: string,
  oid: string,
): HistoryFile & { oid?: string } {
  if (mode === '120000')
    return {
      status,
      path,
      unreadable: 'the version is a symbolic link; changeops does not follow it',
    };
  if (!mode.startsWith('100'))
    return { status, path, unreadable: 'the version is not a regular file (a submodule?)' };
  if (zeroOid.test(oid)) return { status, path, unreadable: 'git gave no object for the version' };
  return { status, path, oid };
}

/** Whether a path (relative to the root) is a change or release file, or the policy. */
function isHistoryPath(path: string): boolean {
  if ((policyFiles as readonly string[]).includes(path)) return true;
  return path.startsWith('changes/') && /\.ya?ml$/i.test(path);
}

/** Refuses a ref that git could read as something else (see isSafeRef). */
function checkRef(ref: string): void {
  if (!isSafeRef(ref))
    throw new GitError(`${JSON.stringify(ref)} is not a valid git ref to read the history of`);
}

function instant(date: Date, what: string): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new GitError(`the history's ${what} date is not a valid date`);
  return iso(ms);
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : '';
}

function emptyHistory(ref: string, options: ReadHistoryOptions): History {
  return {
    ref,
    commits: [],
    shallow: false,
    notes: [],
    ...(options.since ? { since: instant(options.since, 'since') } : {}),
    ...(options.until ? { until: instant(options.until, 'until') } : {}),
  };
}

function notesOf(history: History): string[] {
  const notes: string[] = [];
  const boundary = history.commits.find((commit) => commit.boundary);
  if (boundary)
    notes.push(
      `the clone is shallow: history before ${boundary.sha.slice(0, 12)} (${boundary.date}) is not in it, so records already there are dated from that commit, not from when they were added; check out with fetch-depth: 0 for the whole history`,
    );
  if (history.since)
    notes.push(
      `the history was read from ${history.since} on: records changed before then are seen from their first change after it`,
    );
  return notes;
}

type Blob =
  | { kind: 'read'; bytes: Buffer }
  | { kind: 'too-big'; size: number }
  | { kind: 'not-blob'; type: string }
  | { kind: 'missing' };

/**
 * Reads blobs by id through one `git cat-file --batch-command`: first every object's type and
 * size (`info`), then the contents of only the blobs within the cap, so nothing over it is
 * ever read.
 */
function readBlobs(
  dir: string,
  oids: readonly string[],
  maxBytes: number,
): Promise<Map<string, Blob>> {
  const result = new Map<string, Blob>();
  if (oids.length === 0) return Promise.resolve(result);
  return new Promise((resolve, reject) => {
    const child = spawn(gitBinary(), ['cat-file', '--batch-command', '--buffer'], {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let failed = false;
    const fail = (error: GitError) => {
      if (failed) return;
      failed = true;
      child.kill();
      reject(error);
    };
    // Phase 1: one info line per object, in the order asked.
    let infoText = '';
    let infos = 0;
    const wanted: string[] = [];
    const chunks: Buffer[] = [];
    let phase: 'info' | 'contents' = 'info';
    const onInfoLine = (line: string) => {
      const oid = oids[infos++]!;
      const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(line);
      if (!match || match[1] !== oid) {
        result.set(oid, { kind: 'missing' });
      } else if (match[2] !== 'blob') {
        result.set(oid, { kind: 'not-blob', type: match[2]! });
      } else if (Number(match[3]) > maxBytes) {
        result.set(oid, { kind: 'too-big', size: Number(match[3]) });
      } else {
        wanted.push(oid);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (phase === 'contents') {
        chunks.push(chunk);
        return;
      }
      // Lines are read with a cursor and the rest kept once per chunk: slicing line by line
      // would copy the chunk once per object.
      infoText += chunk.toString('latin1');
      let at = 0;
      let newline;
      while (phase === 'info' && (newline = infoText.indexOf('\n', at)) >= 0) {
        onInfoLine(infoText.slice(at, newline));
        at = newline + 1;
        if (infos === oids.length) {
          phase = 'contents';
          child.stdin.end(wanted.map((oid) => `contents ${oid}\n`).join(''));
        }
      }
      infoText = infoText.slice(at);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => {
      // git went away early; 'close' below says why.
    });
    child.on('error', (error) => fail(new GitError('cannot run git cat-file', { cause: error })));
    child.on('close', (code) => {
      if (failed) return;
      if (code !== 0 || phase !== 'contents') {
        const reason = redactCredentials(stderr.trim()) || `exit ${code}`;
        fail(
          new GitError(
            /batch-command/.test(reason) && /unknown|usage/i.test(reason)
              ? 'git cat-file --batch-command is missing: changeops needs git 2.36 or later to read the history'
              : `git cat-file failed: ${reason}`,
          ),
        );
        return;
      }
      const out = Buffer.concat(chunks);
      let at = 0;
      for (const oid of wanted) {
        const newline = out.indexOf(0x0a, at);
        const header = newline < 0 ? '' : out.subarray(at, newline).toString('latin1');
        const match = /^([0-9a-f]+) blob (\d+)$/.exec(header);
        if (!match || match[1] !== oid) {
          fail(new GitError(`git cat-file gave no blob for ${oid}: ${header}`));
          return;
        }
        const size = Number(match[2]);
        result.set(oid, { kind: 'read', bytes: out.subarray(newline + 1, newline + 1 + size) });
        at = newline + 1 + size + 1;
      }
      resolve(result);
    });
    child.stdin.write(`${oids.map((oid) => `info ${oid}`).join('\n')}\nflush\n`);
  });
}
