import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changeYaml, ciYaml } from '../report/dated-repo.js';

// `changeops schedule --all | head -1`: the reader closes the pipe after one line, while the CLI
// still has far more to print than the pipe holds. The CLI stops quietly, as Unix tools do,
// rather than with a stack trace.

const repoRoot = join(import.meta.dirname, '..', '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'changeops-pipe-'));
  mkdirSync(join(dir, 'cmdb'));
  mkdirSync(join(dir, 'changes'));
  writeFileSync(join(dir, 'changeops.yaml'), 'apiVersion: changeops/v1\nkind: Policy\nid: test\n');
  writeFileSync(join(dir, 'cmdb', 'pg.yaml'), ciYaml('pg'));
  // 1,500 scheduled changes: a schedule of a few hundred KiB, past any pipe's buffer.
  for (let n = 1; n <= 1500; n++) {
    const id = `CHG-${String(n).padStart(4, '0')}`;
    const day = String((n % 28) + 1).padStart(2, '0');
    writeFileSync(
      join(dir, 'changes', `${id}.yaml`),
      changeYaml(id, {
        status: 'approved',
        cis: ['pg'],
        schedule: { start: `2030-06-${day}T22:00:00Z`, end: `2030-06-${day}T23:00:00Z` },
      }),
    );
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('stops quietly, with no stack trace, when the reader closes the pipe early', async () => {
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'bin', 'changeops.js'),
      'schedule',
      '--all',
      '--from',
      '2030-01-01',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Read the first chunk, then close our end, as `head -1` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  expect([0, 1]).toContain(code);
}, 60_000);
