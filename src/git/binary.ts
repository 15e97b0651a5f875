import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { GitError } from './errors/git-error.js';

let resolved: { path: string; binary: string } | undefined;

/**
 * The git to run, as an absolute path found on PATH, once per process. Never a relative PATH
 * entry and never the working directory: on Windows a bare `git` is looked up in the current
 * directory before PATH, and the current directory is a checkout of the pull request, which can
 * add a git.exe of its own. The repository's commands and the cat-file processes all run this
 * one. Looked up again only when PATH changes.
 */
export function gitBinary(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.PATH ?? env.Path ?? '';
  if (resolved?.path === path) return resolved.binary;
  const windows = process.platform === 'win32';
  const names = windows ? ['git.exe', 'git.cmd'] : ['git'];
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (!windows) accessSync(candidate, constants.X_OK);
      } catch {
        continue;
      }
      resolved = { path, binary: candidate };
      return candidate;
    }
  }
  throw new GitError(
    'git was not found in any absolute folder of PATH; install git, or put the folder that holds it on PATH',
  );
}
