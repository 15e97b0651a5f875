import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEstate, lowRisk } from '../../e2e/gate-harness.js';
import { DatedRepo, githubUser } from '../report/dated-repo.js';

// Files named in options (--ics, --out, --reviews, --members) are relative to the directory the
// user runs changeops in, as every other command-line tool's are, never to --dir: the CLI binary
// runs in a scratch folder with --dir pointing at a repository elsewhere, and each file is read
// or written in the scratch folder (the repository has no file of that name).

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const bin = join(repoRoot, 'bin', 'changeops.js');

let estate: DatedRepo;
let gated: DatedRepo;
let cwd: string;
beforeAll(() => {
  estate = new DatedRepo();
  for (const part of ['changeops.yaml', 'changes', 'cmdb'])
    cpSync(join(repoRoot, part), join(estate.dir, part), { recursive: true });
  estate.commit('The example estate (#1)', '2026-11-01T09:00:00Z', githubUser('octocat'));
  gated = new DatedRepo();
  gated.write(gateEstate).commit('base', '2030-01-01T09:00:00Z');
  gated.git('checkout', '--quiet', '-b', 'feature');
  gated
    .write({ 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100') })
    .commit('CHG-0100', '2030-01-02T09:00:00Z');
  cwd = mkdtempSync(join(tmpdir(), 'changeops-option-files-'));
  writeFileSync(
    join(cwd, 'reviews.json'),
    JSON.stringify([
      {
        id: 1,
        user: { login: 'carla', type: 'User' },
        state: 'APPROVED',
        submitted_at: '2030-01-02T10:00:00Z',
      },
    ]),
  );
  writeFileSync(join(cwd, 'members.json'), JSON.stringify({ '@acme/cab': ['carla'] }));
});
afterAll(() => {
  estate.remove();
  gated.remove();
  rmSync(cwd, { recursive: true, force: true });
});

function changeops(args: string[]) {
  const { GITHUB_REPOSITORY: _, ...env } = process.env;
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('files named in options are relative to the current directory, not to --dir', () => {
  it('schedule --ics writes the calendar where the user stands', () => {
    const run = changeops(['schedule', '--all', '--ics', 'calendar.ics', '--dir', estate.dir]);
    expect(run.stderr).toMatch(/^wrote \d+ events? to calendar\.ics\n$/);
    expect(run.status).toBe(0);
    expect(existsSync(join(cwd, 'calendar.ics'))).toBe(true);
    expect(existsSync(join(estate.dir, 'calendar.ics'))).toBe(false);
  });

  it('evidence --out writes the pack into a folder where the user stands', () => {
    const run = changeops([
      'evidence',
      'CHG-0007',
      '--out',
      'audit',
      '--json',
      '--dir',
      estate.dir,
    ]);
    expect(run.status, run.stderr).toBe(0);
    const written = JSON.parse(run.stdout) as { ok: boolean; files: Array<{ path: string }> };
    expect(written.ok).toBe(true);
    expect(existsSync(join(cwd, 'audit', 'CHG-0007.evidence.json'))).toBe(true);
    expect(existsSync(join(estate.dir, 'audit'))).toBe(false);
  });

  it('gate --reviews and --members read the files where the user stands', () => {
    const run = changeops([
      'gate',
      '--base',
      'main',
      '--reviews',
      'reviews.json',
      '--members',
      'members.json',
      '--dir',
      gated.dir,
    ]);
    expect(run.stdout.split('\n')[0]).toBe('changeops/cab (success): Approved: cab (carla)');
    expect(run.status, run.stderr).toBe(0);
  });
});
