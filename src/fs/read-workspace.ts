import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Finding } from '../records/finding.js';
import { isYamlName, policyFiles, recordFolders } from '../records/layout.js';
import type { SourceText } from '../records/parse-yaml.js';

/** What reading the workspace gives: the texts, and the files that could not be read safely. */
export interface WorkspaceFiles {
  files: SourceText[];
  findings: Finding[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads the policy file at the root, if there is one. */
export function readPolicyFile(root: string, maxFileBytes: number): WorkspaceFiles {
  for (const name of policyFiles) {
    let stat;
    try {
      stat = lstatSync(join(root, name));
    } catch {
      continue;
    }
    const read = readOne(root, name, stat.isSymbolicLink(), maxFileBytes, true, stat.isFile());
    return read.text !== undefined
      ? { files: [{ path: name, text: read.text }], findings: [] }
      : { files: [], findings: [...read.findings] };
  }
  return { files: [], findings: [] };
}

/** A record file found under changes/ or cmdb/, not read yet. */
export interface RecordFileEntry {
  path: string;
  /** The entry is a symbolic link: reported, never read. */
  link: boolean;
  /** Set on a folder that is not read (a link out of the repository): reported, not read. */
  problem?: { rule: string; message: string };
}

/**
 * Lists every .yaml/.yml file under changes/ and cmdb/, at any depth, in a stable order. A record
 * folder, or a folder under one, that is a symbolic link is never followed: one that leads out
 * (to a secret elsewhere on the runner, a system folder, the file system's root) could be quoted
 * in a finding, and one that stays inside would let a pull request edit records under another
 * path (`estate/x.yaml` read as `cmdb/x.yaml`), so the diff, the union CMDB and the audit-trail
 * rules would never see the edit as a record's. Either is listed as a problem instead of read.
 */
export function listRecordFiles(root: string): RecordFileEntry[] {
  const names: RecordFileEntry[] = [];
  const realRoot = realOrSelf(root);
  for (const folder of recordFolders) {
    const base = join(root, folder);
    try {
      lstatSync(base);
    } catch {
      continue;
    }
    const top = folderAt(base, folder, realRoot);
    if (top.refused) names.push(top.refused);
    if (!top.read) continue;
    // Depth first, without recursion (a folder tree may be deep), each folder's entries in the
    // engine's own string order with a folder's name keyed as itself and a slash: the paths come
    // out in the order a sort of them all would give (a name that is a prefix of another sorts
    // first; anything under `a/` sorts after `a.yaml` and before `a0`), with no sort of 100,000
    // paths, only of each folder's names. Links are never followed, so the walk cannot loop;
    // links and refused folders, rare, are listed in place.
    const special = new Map<string, RecordFileEntry>();
    const open: Array<{ path: string; names: string[]; next: number }> = [];
    const enter = (path: string) => {
      let entries;
      try {
        entries = readdirSync(join(root, path), { withFileTypes: true });
      } catch {
        return;
      }
      const names: string[] = [];
      for (const entry of entries) {
        const name = entry.name;
        if (entry.isDirectory()) {
          names.push(`${name}/`);
        } else if (isYamlName(name) && entry.isFile()) {
          names.push(name);
        } else if (isYamlName(name) && entry.isSymbolicLink()) {
          names.push(name);
          special.set(`${path}${name}`, { path: `${path}${name}`, link: true });
        } else if (entry.isSymbolicLink()) {
          const next = folderAt(join(root, path, name), `${path}${name}`, realRoot);
          if (next.refused) {
            names.push(name);
            special.set(`${path}${name}`, next.refused);
          }
        }
      }
      names.sort();
      open.push({ path, names, next: 0 });
    };
    enter(`${folder}/`);
    while (open.length > 0) {
      const here = open[open.length - 1]!;
      if (here.next === here.names.length) {
        open.pop();
        continue;
      }
      const name = here.names[here.next++]!;
      const path = `${here.path}${name}`;
      if (name.charCodeAt(name.length - 1) === slash) enter(path);
      else names.push((special.size > 0 && special.get(path)) || { path, link: false });
    }
  }
  return names;
}

const slash = '/'.charCodeAt(0);

/**
 * Whether to read a record folder (or a link under one that may lead to a folder): read it
 * when it is a real folder; nothing when it is not a folder; the problem to report instead when
 * it is a link to a folder (outside the repository or inside it) or a record folder that points
 * nowhere.
 */
function folderAt(
  full: string,
  shown: string,
  realRoot: string,
): { read?: true; refused?: RecordFileEntry } {
  const refuse = (message: string) => ({
    refused: { path: shown, link: true, problem: { rule: 'symlink', message } },
  });
  let real: string;
  try {
    if (!statSync(full).isDirectory()) return {};
    real = realpathSync(full);
  } catch {
    // Only a record folder itself is known to be meant as a folder; a dangling link below one
    // may have pointed at anything (the files named like records are reported by readOne).
    const dangling = lstatSync(full, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
    if (!dangling || shown.includes('/')) return {};
    return refuse('the folder is a symbolic link that points nowhere');
  }
  if (!isInside(realRoot, real))
    return refuse(
      'the folder is a symbolic link to a place outside the repository; changeops does not read it',
    );
  if (lstatSync(full).isSymbolicLink())
    return refuse(
      "the folder is a symbolic link; changeops does not follow folder links, so that every edit of a record shows in the pull request's diff under the record's own path: move the records here, or point --dir at the folder that holds them",
    );
  return { read: true };
}

/** Whether a real path lies inside (or is) the real repository root, on any platform. */
function isInside(realRoot: string, real: string): boolean {
  const inside = relative(realRoot, real);
  return !(
    inside.startsWith('..') ||
    /^[a-zA-Z]:/.test(inside) ||
    inside.startsWith(sep) ||
    inside.startsWith('/')
  );
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Reads listed record files. Files over the size cap are not read; a record file that is a
 * symbolic link is refused, wherever it points (its target could change without the record's
 * file showing in a pull request's diff, so the status-transition and audit-trail rules would
 * never see it); a folder that listRecordFiles refused is reported; a file that is not UTF-8
 * text is reported. Never throws for one bad file.
 */
export function readListedFiles(
  root: string,
  entries: readonly RecordFileEntry[],
  maxFileBytes: number,
): WorkspaceFiles {
  const files: SourceText[] = [];
  const findings: Finding[] = [];
  for (const { path, link, problem } of entries) {
    if (problem) {
      findings.push({ file: path, line: 1, column: 1, severity: 'error', ...problem });
      continue;
    }
    // Listed entries are regular files by their directory entries (or links, refused first).
    const read = readOne(root, path, link, maxFileBytes, false, true);
    if (read.text !== undefined) files.push({ path, text: read.text, onDisk: true });
    for (const finding of read.findings) findings.push(finding);
  }
  return { files, findings };
}

/** Reads every record file under changes/ and cmdb/ (listRecordFiles, then readListedFiles). */
export function readRecordFiles(root: string, maxFileBytes: number): WorkspaceFiles {
  return readListedFiles(root, listRecordFiles(root), maxFileBytes);
}

function readOne(
  root: string,
  path: string,
  link: boolean,
  maxFileBytes: number,
  followInside: boolean,
  knownFile: boolean,
): { text?: string; findings: readonly Finding[] } {
  // Not join(): the path is a listing's or a diff's, relative and normalized, and join() normalizes
  // it again for every file.
  const full = `${root}${sep}${path}`;
  if (link) {
    let target: string;
    try {
      target = realpathSync(full);
    } catch {
      return fileProblem(path, 'the file is a symbolic link that points nowhere', 'symlink');
    }
    const inside = relative(realpathSync(root), target);
    if (
      inside.startsWith('..') ||
      inside === '' ||
      /^[a-zA-Z]:/.test(inside) ||
      inside.startsWith(sep)
    ) {
      return fileProblem(
        path,
        'the file is a symbolic link to a place outside the repository; changeops does not follow it',
        'symlink',
      );
    }
    if (!followInside)
      return fileProblem(
        path,
        "the file is a symbolic link; a record file must be a regular file, so that every edit of the record shows in the pull request's diff",
        'symlink',
      );
  }
  let length: number;
  try {
    const read = readBounded(full, maxFileBytes, link, !link && knownFile);
    if (typeof read !== 'number') {
      return 'size' in read
        ? fileProblem(
            path,
            `the file is ${read.size} bytes, over the limit of ${maxFileBytes}; split it, or raise limits.maxFileBytes in the base branch's changeops.yaml (a pull request's own policy takes effect after merge)`,
            'file-size',
          )
        : fileProblem(
            path,
            'the file is not a regular file (a named pipe, a device or a socket); changeops reads only regular files',
            'read',
          );
    }
    length = read;
  } catch (error) {
    return fileProblem(
      path,
      `the file cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      'read',
    );
  }
  // Decoded straight from the scratch buffer (no view of it made per file). Only a text that
  // decoded with replacement characters is checked again, as bytes, to tell bad encoding from a
  // real U+FFFD.
  const text = scratch.toString('utf8', 0, length);
  if (text.includes('\uFFFD')) {
    const bytes = scratch.subarray(0, length);
    if (bytes.includes(0))
      return fileProblem(path, 'the file holds binary data (a NUL byte), not YAML text', 'binary');
    try {
      utf8.decode(bytes);
    } catch {
      return fileProblem(path, 'the file is not UTF-8 text; save it as UTF-8', 'encoding');
    }
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, findings: noFindings };
}

/** The findings of a file read cleanly: none, one list for every file (it is only read). */
const noFindings: readonly Finding[] = Object.freeze([]);

/** The one finding that a file could not be read as it should, at its first line. */
function fileProblem(path: string, message: string, rule: string): { findings: Finding[] } {
  return { findings: [{ file: path, line: 1, column: 1, severity: 'error', rule, message }] };
}

// O_NONBLOCK: opening a named pipe must not wait for a writer (nor reading it for data);
// O_NOFOLLOW: a path that was listed as a file and is a link by now is not followed. Neither
// exists on Windows, where neither applies.
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const noFollow = constants.O_NOFOLLOW ?? 0;

/** Reused for every file: most record files are a few hundred bytes. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * A file's bytes, read through one descriptor into a reused buffer and never more than the cap
 * plus one byte, so no `stat` per file is needed for the size guard: a file that fills the cap
 * is too large (its size is asked for then, for the finding). Something other than a regular
 * file (a named pipe, a device) is refused before a byte is read. Gives the number of bytes read
 * into the scratch buffer, valid until the next call.
 */
function readBounded(
  full: string,
  maxFileBytes: number,
  follow: boolean,
  knownFile: boolean,
): number | { size: number } | { special: true } {
  const fd = openSync(full, openFlags | (follow ? 0 : noFollow));
  try {
    // A listed entry is a regular file by its directory entry; a path reached through a link,
    // or read again later, is asked once. A folder is left to fail on reading (EISDIR).
    if (!knownFile) {
      const stat = fstatSync(fd);
      if (!stat.isFile() && !stat.isDirectory()) return { special: true };
    }
    const want = maxFileBytes + 1;
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        if (length >= want) break;
        const bigger = Buffer.allocUnsafe(Math.min(want, scratch.length * 2));
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const n = readSync(fd, scratch, length, Math.min(scratch.length, want) - length, null);
      if (n === 0) break;
      length += n;
      if (length >= want) break;
    }
    if (length > maxFileBytes) return { size: fstatSync(fd).size };
    return length;
  } finally {
    closeSync(fd);
  }
}

/**
 * The record file entries of paths a diff named, as listRecordFiles would list them: a YAML file
 * or a link named like one. `unsure` when a path is something a listing would walk into (a
 * folder, a link that may lead to one): only a full listing can say what it holds.
 */
export function entriesAt(
  root: string,
  paths: readonly string[],
): { entries: RecordFileEntry[]; unsure: boolean } {
  const entries: RecordFileEntry[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = lstatSync(join(root, path));
    } catch {
      continue;
    }
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (stat.isDirectory()) return { entries, unsure: true };
    if (stat.isSymbolicLink()) {
      if (!isYamlName(name)) return { entries, unsure: true };
      entries.push({ path, link: true });
    } else if (stat.isFile() && isYamlName(name)) entries.push({ path, link: false });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, unsure: false };
}

/**
 * A record file's text again, as readListedFiles read it, for a position in a file whose records
 * came from a snapshot; undefined when it cannot be read now.
 */
export function rereadRecordFile(
  root: string,
  path: string,
  maxFileBytes: number,
): string | undefined {
  return readOne(root, path, false, maxFileBytes, false, false).text;
}
