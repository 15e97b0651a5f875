import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
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
    const read = readOne(root, name, stat.isSymbolicLink(), maxFileBytes);
    return read.text !== undefined
      ? { files: [{ path: name, text: read.text }], findings: [] }
      : { files: [], findings: read.findings };
  }
  return { files: [], findings: [] };
}

/** A record file found under changes/ or cmdb/, not read yet. */
export interface RecordFileEntry {
  path: string;
  /** The entry is a symbolic link: followed only when it stays inside the repository. */
  link: boolean;
}

/** Lists every .yaml/.yml file under changes/ and cmdb/, at any depth, in a stable order. */
export function listRecordFiles(root: string): RecordFileEntry[] {
  const names: RecordFileEntry[] = [];
  for (const folder of recordFolders) {
    let entries;
    const base = join(root, folder);
    try {
      entries = readdirSync(base, { withFileTypes: true, recursive: true });
    } catch {
      continue;
    }
    const found: RecordFileEntry[] = [];
    for (const entry of entries) {
      if (!isYamlName(entry.name)) continue;
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const parent =
        (entry as { parentPath?: string; path?: string }).parentPath ??
        (entry as { path: string }).path;
      // Entries come from below base, so slicing is path.relative without its per-call cost.
      const below =
        parent.length > base.length
          ? parent
              .slice(base.length + 1)
              .split(sep)
              .join('/')
          : '';
      found.push({
        path: `${folder}/${below ? `${below}/` : ''}${entry.name}`,
        link: entry.isSymbolicLink(),
      });
    }
    found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const entry of found) names.push(entry);
  }
  return names;
}

/**
 * Reads listed record files. Files over the size cap are not read; symbolic links are followed
 * only when they stay inside the repository; a file that is not UTF-8 text is reported. Never
 * throws for one bad file.
 */
export function readListedFiles(
  root: string,
  entries: readonly RecordFileEntry[],
  maxFileBytes: number,
): WorkspaceFiles {
  const files: SourceText[] = [];
  const findings: Finding[] = [];
  for (const { path, link } of entries) {
    const read = readOne(root, path, link, maxFileBytes);
    if (read.text !== undefined) files.push({ path, text: read.text });
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
): { text?: string; findings: Finding[] } {
  const problem = (message: string, rule: string) => ({
    findings: [{ file: path, line: 1, column: 1, severity: 'error' as const, rule, message }],
  });
  const full = join(root, path);
  if (link) {
    let target: string;
    try {
      target = realpathSync(full);
    } catch {
      return problem('the file is a symbolic link that points nowhere', 'symlink');
    }
    const inside = relative(realpathSync(root), target);
    if (
      inside.startsWith('..') ||
      inside === '' ||
      /^[a-zA-Z]:/.test(inside) ||
      inside.startsWith(sep)
    ) {
      return problem(
        'the file is a symbolic link to a place outside the repository; changeops does not follow it',
        'symlink',
      );
    }
  }
  let size: number;
  try {
    size = statSync(full).size;
  } catch (error) {
    return problem(
      `the file cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      'read',
    );
  }
  if (size > maxFileBytes) {
    return problem(
      `the file is ${size} bytes, over the limit of ${maxFileBytes}; split it, or raise limits.maxFileBytes in changeops.yaml`,
      'file-size',
    );
  }
  let text: string;
  try {
    // Node reads and decodes UTF-8 by path in one native call (by descriptor it is several
    // times slower). Only a file that decoded with replacement characters is read again, as
    // bytes, to tell bad encoding from a real U+FFFD.
    text = readFileSync(full, 'utf8');
    if (text.includes('\uFFFD')) {
      const bytes = readFileSync(full);
      if (bytes.includes(0))
        return problem('the file holds binary data (a NUL byte), not YAML text', 'binary');
      utf8.decode(bytes);
    }
  } catch (error) {
    if (error instanceof TypeError)
      return problem('the file is not UTF-8 text; save it as UTF-8', 'encoding');
    return problem(
      `the file cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      'read',
    );
  }
  if (text.length > maxFileBytes) {
    return problem(
      `the file is over the limit of ${maxFileBytes} bytes; split it, or raise limits.maxFileBytes in changeops.yaml`,
      'file-size',
    );
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, findings: [] };
}
