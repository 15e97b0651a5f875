// vitest globalSetup: every temporary folder a test makes (event files, checkouts, origins, the
// action's scratch, git's own) goes under one folder of this run, removed when the run ends, so
// test runs do not pile up folders in the system's temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points TMPDIR at a folder of this run (the test processes inherit it) and removes it after. */
export default function scratchRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'changeops-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
