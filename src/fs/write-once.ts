import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What became of one file: written new, left as it was (same text), or replaced (forced). */
export type WriteOnceOutcome = 'created' | 'unchanged' | 'replaced';

/** The files written, or the ones that exist with other text and were not replaced. */
export type WriteOnceResult =
  { written: Array<{ path: string; outcome: WriteOnceOutcome }> } | { refused: string[] };

/**
 * Writes text files (UTF-8) that are records to keep, such as an evidence pack: a file that
 * already holds the same text is left alone; one that holds other text is replaced only with
 * `force`, otherwise nothing at all is written and the paths are returned. Folders are created.
 * A new file is created exclusively, so one that appears meanwhile is never overwritten. Throws
 * the system's error when a file cannot be read or written.
 */
export function writeFilesOnce(
  files: ReadonlyArray<{ path: string; text: string }>,
  options: { force?: boolean } = {},
): WriteOnceResult {
  const plan: Array<{ path: string; text: string; outcome: WriteOnceOutcome }> = [];
  const refused: string[] = [];
  for (const file of files) {
    let existing: string | undefined;
    try {
      existing = readFileSync(file.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (existing === undefined) plan.push({ ...file, outcome: 'created' });
    else if (existing === file.text) plan.push({ ...file, outcome: 'unchanged' });
    else if (options.force) plan.push({ ...file, outcome: 'replaced' });
    else refused.push(file.path);
  }
  if (refused.length > 0) return { refused };
  for (const file of plan) {
    if (file.outcome === 'unchanged') continue;
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text, { flag: file.outcome === 'created' ? 'wx' : 'w' });
  }
  return { written: plan.map(({ path, outcome }) => ({ path, outcome })) };
}
