import { closeSync, lstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  isPolicyPath,
  isYamlName,
  nearMissFolder,
  policyFiles,
  recordFolders,
  recordKindOf,
  type WorkspaceLayout,
} from '../records/layout.js';

/** How much of a root YAML file is read to tell whether it looks like a record. */
const headBytes = 4096;
/** Root YAML files looked at, at most: a root is not where thousands of records live. */
const maxRootFiles = 50;
/** Names the survey looks at: letters, digits, dots, dashes and underscores, not a dot first. */
const plainName = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** YAML files counted below a near-miss folder, at most. */
const maxCounted = 10_000;

/**
 * Surveys the root of a repository cheaply, before anything is loaded: the policy file and the
 * record folders that exist, folders at the root named like a record folder (Changes/, change/)
 * that hold YAML, and YAML files at the root whose first lines read like a record. One listing
 * of the root, one of each near-miss folder, and the first 4 KiB of at most 50 root files.
 */
export function surveyWorkspace(root: string): WorkspaceLayout {
  const layout: WorkspaceLayout = { recordFolders: [], nearMisses: [], strayRecords: [] };
  // Any entry of the name counts, as the reader takes it: one it cannot read is its finding.
  for (const name of policyFiles) {
    if (exists(join(root, name))) {
      layout.policyFile = name;
      break;
    }
  }
  for (const folder of recordFolders)
    if (isFolder(join(root, folder))) layout.recordFolders.push(folder);
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return layout;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let looked = 0;
  for (const entry of entries) {
    // Dot folders are tooling; a name of other characters is no record folder or record file
    // anyone meant, and printing it at the start of a line could pass for a workflow command.
    if (!plainName.test(entry.name)) continue;
    const full = join(root, entry.name);
    if (entry.isDirectory()) {
      const like = nearMissFolder(entry.name);
      if (like === undefined) continue;
      const yaml = yamlBelow(full);
      if (yaml.count > 0)
        layout.nearMisses.push({
          folder: entry.name,
          like,
          first: `${entry.name}/${yaml.first}`,
          yamlFiles: yaml.count,
        });
    } else if (
      entry.isFile() &&
      isYamlName(entry.name) &&
      !isPolicyPath(entry.name) &&
      looked++ < maxRootFiles
    ) {
      const kind = recordKindOf(head(full));
      if (kind !== undefined) layout.strayRecords.push({ path: entry.name, kind });
    }
  }
  return layout;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The YAML files below a folder: how many (up to a cap), and the first in path order. */
function yamlBelow(folder: string): { count: number; first: string } {
  let names: string[];
  try {
    names = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch {
    return { count: 0, first: '' };
  }
  let count = 0;
  let first = '';
  for (const name of names) {
    if (!isYamlName(name)) continue;
    const path = name.split('\\').join('/');
    if (count === 0 || path < first) first = path;
    if (++count === maxCounted) break;
  }
  return { count, first };
}

/** The first few KiB of a file as text; empty when it cannot be read. */
function head(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(headBytes);
    const read = readSync(fd, buffer, 0, headBytes, 0);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
