import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeYaml, ciYaml, DatedRepo } from '../report/dated-repo.js';

// The calendar of `changeops schedule --ics`, written by the CLI binary as a user runs it: UIDs
// that name the repository (two repositories' CHG-0001 never overwrite each other in one
// calendar), a file relative to the current directory, and a file libical accepts.

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const bin = join(repoRoot, 'bin', 'changeops.js');

/** Runs the CLI binary in `cwd` with the environment given on top of a clean one. */
function changeops(cwd: string, args: string[], env: Record<string, string> = {}) {
  const { GITHUB_REPOSITORY: _, ...rest } = process.env;
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { ...rest, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** A repository of one pending change, CHG-0001, with `origin` pointing at GitHub. */
function repository(origin: string, folder = ''): DatedRepo {
  const repo = new DatedRepo();
  const at = (path: string) => (folder ? `${folder}/${path}` : path);
  repo.write({
    [at('changeops.yaml')]: 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
    [at('cmdb/pg.yaml')]: ciYaml('pg'),
    [at('changes/CHG-0001.yaml')]: changeYaml('CHG-0001', {
      status: 'approved',
      cis: ['pg'],
      schedule: { start: '2030-06-03T22:00:00Z', end: '2030-06-03T23:00:00Z' },
    }),
  });
  repo.commit('Propose CHG-0001', '2030-05-01T09:00:00Z');
  repo.git('remote', 'add', 'origin', origin);
  return repo;
}

const uids = (ics: string) => ics.match(/^UID:[^\r]*/gm) ?? [];

let shop: DatedRepo;
let billing: DatedRepo;
let scratch: string;
beforeAll(() => {
  shop = repository('https://github.com/acme/shop.git');
  billing = repository('git@github.com:acme/billing.git');
  scratch = mkdtempSync(join(tmpdir(), 'changeops-cwd-'));
});
afterAll(() => {
  shop.remove();
  billing.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('changeops schedule --ics: UIDs that name the repository', () => {
  it('names the origin repository, so two repositories with a CHG-0001 differ', () => {
    for (const [repo, name] of [
      [shop, 'acme/shop'],
      [billing, 'acme/billing'],
    ] as const) {
      const run = changeops(scratch, [
        'schedule',
        '--from',
        '2030-01-01',
        '--ics',
        `${name.replace('/', '-')}.ics`,
        '--dir',
        repo.dir,
      ]);
      expect(run.status).toBe(0);
      const ics = readFileSync(join(scratch, `${name.replace('/', '-')}.ics`), 'utf8');
      expect(uids(ics)).toEqual([`UID:CHG-0001@${name}.changeops`]);
    }
  });

  it('takes GITHUB_REPOSITORY first, as in a workflow run', () => {
    const run = changeops(
      scratch,
      ['schedule', '--from', '2030-01-01', '--ics', 'env.ics', '--dir', shop.dir],
      { GITHUB_REPOSITORY: 'acme/storefront' },
    );
    expect(run.status).toBe(0);
    expect(uids(readFileSync(join(scratch, 'env.ics'), 'utf8'))).toEqual([
      'UID:CHG-0001@acme/storefront.changeops',
    ]);
  });

  it('adds the folder of a monorepo, so two teams of one repository differ too', () => {
    const mono = repository('https://github.com/acme/mono.git', 'teams/payments');
    try {
      const run = changeops(scratch, [
        'schedule',
        '--from',
        '2030-01-01',
        '--ics',
        'mono.ics',
        '--dir',
        join(mono.dir, 'teams', 'payments'),
      ]);
      expect(run.status).toBe(0);
      expect(uids(readFileSync(join(scratch, 'mono.ics'), 'utf8'))).toEqual([
        'UID:CHG-0001@acme/mono/teams/payments.changeops',
      ]);
    } finally {
      mono.remove();
    }
  });

  it('writes FILE relative to the current directory, not to --dir', () => {
    const run = changeops(scratch, [
      'schedule',
      '--from',
      '2030-01-01',
      '--ics',
      'here.ics',
      '--dir',
      shop.dir,
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('wrote 1 event to here.ics\n');
    expect(existsSync(join(scratch, 'here.ics'))).toBe(true);
    expect(existsSync(join(shop.dir, 'here.ics'))).toBe(false);
  });
});

// libical (Debian's libical-dev) is the calendar library of Evolution and many calendar servers:
// a small C program (test/fixtures/libical/ical-check.c) runs its parser and restriction checks.
const libical = (() => {
  try {
    execFileSync('pkg-config', ['--exists', 'libical'], { stdio: 'ignore' });
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!libical)('the calendar passes libical', () => {
  let checker: string;
  beforeAll(() => {
    checker = join(scratch, 'ical-check');
    const flags = execFileSync('pkg-config', ['--cflags', '--libs', 'libical'], {
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    execFileSync('cc', [
      '-o',
      checker,
      join(repoRoot, 'test', 'fixtures', 'libical', 'ical-check.c'),
      ...flags,
    ]);
  });

  it('accepts the schedule of the example estate: no parse error, no restriction broken', () => {
    const run = changeops(scratch, [
      'schedule',
      '--all',
      '--from',
      '2026-01-01',
      '--ics',
      'estate.ics',
      '--dir',
      repoRoot,
    ]);
    expect([0, 1]).toContain(run.status);
    const check = spawnSync(checker, [join(scratch, 'estate.ics')], { encoding: 'utf8' });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });

  it('is the check that refuses a METHOD:PUBLISH calendar without an ORGANIZER', () => {
    const ics = readFileSync(join(scratch, 'estate.ics'), 'utf8').replace(
      'CALSCALE:GREGORIAN\r\n',
      'CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n',
    );
    const file = join(scratch, 'publish.ics');
    writeFileSync(file, ics);
    const check = spawnSync(checker, [file], { encoding: 'utf8' });
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('Failed iTIP restrictions for ORGANIZER property');
  });
});
