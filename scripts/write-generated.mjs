// Shared by the generators: write a generated file, or with --check fail when the committed one
// differs from what the sources make now (CI runs every generator with --check).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Writes `text` to `target`, or under --check exits 1 when `target` is missing or stale. */
export function writeGenerated(target, text, command) {
  if (!process.argv.includes('--check')) {
    writeFileSync(target, text);
    return;
  }
  let current;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) {
    console.error(`${relative(process.cwd(), target)} is stale: run \`${command}\`.`);
    process.exit(1);
  }
}
