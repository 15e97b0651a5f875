import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The record schemas that ship with this changeops (its package's schemas/ folder: next to dist/
 * in the installed package, at the top of the source tree in development), by file name, so
 * that `init` can give a repository the schemas of the very version that validates it.
 */
export function packagedSchemas(): Array<{ name: string; text: string }> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const folder = join(dir, 'schemas');
    if (existsSync(join(dir, 'package.json')) && existsSync(join(folder, 'change.schema.json'))) {
      return readdirSync(folder)
        .filter((name) => name.endsWith('.schema.json'))
        .sort()
        .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the schemas that ship with changeops (its schemas/ folder)');
    dir = parent;
  }
}
