// vitest globalSetup: the end-to-end tests run the bundle dist/ as the runner does, so it is built
// from the sources before any test runs; a run after editing src/ never tests old code. The build
// is deterministic (scripts/build.mjs), so on a clean tree it leaves dist/ as committed.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds dist/ from src/; a build error fails the run before any test. */
export default function buildDist(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
