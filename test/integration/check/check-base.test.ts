import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeYaml,
  check,
  checkJson,
  commit,
  estate,
  initRepository,
  remove,
  scratch,
  write,
} from './git-fixture.js';

// One origin repository with main and a branch per scenario, built once; each test checks out
// the branch it needs. Real git, real commits: what the CLI meets on a laptop or a runner.
let root: string;
let origin: string;
let git: SimpleGit;

async function branch(name: string, files: Record<string, string>, remove: string[] = []) {
  await git.raw(['checkout', '--quiet', '-b', name, 'main']);
  write(origin, files);
  if (remove.length) await git.raw(['rm', '--quiet', ...remove]);
  await commit(git, name);
}

async function on(name: string): Promise<void> {
  // --force also drops what a test left uncommitted in tracked files.
  await git.raw(['checkout', '--force', name]); // not --quiet: simple-git waits 50 ms on silent commands
}

const transitionRefused =
  'changes/CHG-0002-search-reindex.yaml:6:9: error: the status cannot move from proposed to closed; from proposed a change may move to approved, rejected, cancelled or draft [status-transition]';
const collision =
  'changes/CHG-0003-payments-hotfix.yaml:15:11: error: CHG-0003 and CHG-0001 (approved) are both scheduled from 2030-06-04T23:00:00Z to 2030-06-04T23:30:00Z and share 1 impacted CI: payments-api; reschedule one of them or combine them into one change [collision]';
const rogue =
  'cmdb/payments-api.yaml:10:9: warning: code of payments-api changed (services/payments/api.ts), but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one) [rogue-change]';

beforeAll(async () => {
  root = scratch();
  origin = join(root, 'origin');
  write(origin, estate);
  git = await initRepository(origin);
  await commit(git, 'estate');
  await branch('clean', {
    'changes/CHG-0003-search-synonyms.yaml': changeYaml('CHG-0003', {
      cis: '[search]',
      start: '2030-06-18T22:00:00Z',
      end: '2030-06-18T23:00:00Z',
    }),
    'services/search/index.ts': 'export const index = 2;\n',
  });
  await branch('close-early', {
    'changes/CHG-0002-search-reindex.yaml': changeYaml('CHG-0002', {
      status: 'closed',
      cis: '[search]',
      start: '2030-06-11T22:00:00Z',
      end: '2030-06-11T23:00:00Z',
    }),
  });
  await branch('collide', {
    'changes/CHG-0003-payments-hotfix.yaml': changeYaml('CHG-0003', {
      cis: '[payments-api]',
      start: '2030-06-04T23:00:00Z',
      end: '2030-06-05T00:30:00Z',
    }),
    'services/payments/api.ts': 'export const api = 2;\n',
  });
  await branch('rogue', { 'services/payments/api.ts': 'export const api = 3;\n' });
  await branch('rename', {}, []);
  await git.raw([
    'mv',
    'changes/CHG-0002-search-reindex.yaml',
    'changes/CHG-0002-search-reindex-v2.yaml',
  ]);
  await commit(git, 'rename');
  write(origin, {
    'changes/CHG-0002-search-reindex-v2.yaml': changeYaml('CHG-0002', {
      status: 'closed',
      cis: '[search]',
      start: '2030-06-11T22:00:00Z',
      end: '2030-06-11T23:00:00Z',
    }),
  });
  await commit(git, 'close after rename');
  // main moves on after the branches left it: its new change must not count as theirs.
  await git.raw(['checkout', '--quiet', 'main']);
  write(origin, {
    'changes/CHG-0004-later.yaml': changeYaml('CHG-0004', {
      cis: '[search]',
      start: '2030-07-01T22:00:00Z',
      end: '2030-07-01T23:00:00Z',
    }),
  });
  await commit(git, 'main moves on');
});

afterAll(() => remove(root));

describe('changeops check --base main on a real repository', () => {
  it('passes a clean branch with exit 0', async () => {
    await on('clean');
    const run = await checkJson(origin, 'main');
    expect(run.findings).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outcome).toMatchObject({
      ok: true,
      changedFiles: 2,
      changes: [
        { id: 'CHG-0003', status: 'proposed', impact: { level: 'medium', ids: ['search'] } },
      ],
      releases: [],
    });
  });

  it('refuses the transition proposed -> closed', async () => {
    await on('close-early');
    const run = await checkJson(origin, 'main');
    expect(run.findings).toEqual([transitionRefused]);
    expect(run.code).toBe(1);
  });

  it('finds a new change colliding with an approved one, through the impact graph', async () => {
    await on('collide');
    const run = await checkJson(origin, 'main');
    expect(run.findings).toEqual([collision]);
    expect(run.code).toBe(1);
  });

  it('warns about code changed under a CI without a change record, exit 0', async () => {
    await on('rogue');
    const run = await checkJson(origin, 'main');
    expect(run.findings).toEqual([rogue]);
    expect(run.code).toBe(0);
  });

  it('prints the changeops new command that writes the missing change record', async () => {
    await on('rogue');
    const run = await check(origin, { base: 'main' });
    expect(run.out.split('\n').slice(-4)).toEqual([
      '',
      `Missing change record: changeops new --cis payments-api --dir ${origin} writes one for this branch`,
      '',
      '✓ 0 changes and 0 releases evaluated: 0 errors, 1 warning',
    ]);
    expect(run.code).toBe(0);
  });

  it('follows a renamed record to its base version', async () => {
    await on('rename');
    const run = await checkJson(origin, 'main');
    expect(run.findings).toEqual([
      transitionRefused.replace('search-reindex.yaml', 'search-reindex-v2.yaml'),
    ]);
  });

  it('counts uncommitted edits in the working tree', async () => {
    await on('clean');
    write(origin, {
      'changes/CHG-0001-pg-upgrade.yaml': changeYaml('CHG-0001', { status: 'draft' }),
    });
    const run = await checkJson(origin, 'main');
    expect(run.findings).toEqual([
      'changes/CHG-0001-pg-upgrade.yaml:6:9: error: the status cannot move from approved to draft; from approved a change may move to implemented, failed, cancelled or proposed [status-transition]',
    ]);
  });

  it('prints a report per change, the repository findings and a summary', async () => {
    await on('collide');
    const run = await check(origin, { base: 'main' });
    expect(run.out.replace(/[0-9a-f]{12}\)/, 'SHA)')).toBe(
      [
        "Checking against main (merge base SHA): 2 files changed; the base's policy is in force",
        '',
        'CHG-0003  Change CHG-0003',
        '  normal, proposed · risk medium · impact medium (1 CI)',
        `  ${collision}`,
        '',
        '✗ 1 change and 0 releases evaluated: 1 error',
      ].join('\n'),
    );
    expect(run.code).toBe(1);
  });

  it('evaluates every pending change without --base', async () => {
    await on('rogue');
    const run = await checkJson(origin);
    expect(run.findings).toEqual([]);
    expect((run.outcome.changes as Array<{ id: string }>).map((c) => c.id)).toEqual([
      'CHG-0001',
      'CHG-0002',
    ]);
    expect(run.outcome.base).toBeNull();
  });

  it('says what to do about a base ref that does not exist, exit 2', async () => {
    await on('clean');
    const run = await check(origin, { base: 'no-such-branch' });
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      'changeops check: the base ref "no-such-branch" is not a commit in this repository; fetch it first, or pass another --base',
    );
  });

  it('refuses a base ref that git would read as an option', async () => {
    const run = await check(origin, { base: '--output=x' });
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      'changeops check: --base "--output=x" is not a valid git ref: it starts with "-"; give a branch, tag or commit sha',
    );
  });

  it('needs a git repository only when given a base', async () => {
    const plain = join(root, 'plain');
    write(plain, estate);
    expect((await check(plain)).code).toBe(0);
    const run = await check(plain, { base: 'main' });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^changeops check: .*plain is not inside a git work tree/);
  });
});

describe('changeops check --base in a shallow clone (actions/checkout fetch-depth: 1)', () => {
  let clone: string;

  beforeAll(async () => {
    await on('collide');
    clone = join(root, 'shallow');
    await simpleGit().raw([
      'clone',
      '--quiet',
      '--depth=1',
      '--branch=collide',
      `file://${origin}`,
      clone,
    ]);
  });

  it('fetches the missing base and deepens until the merge base appears', async () => {
    const run = await checkJson(clone, 'main');
    expect(run.err).toBe('');
    expect(run.findings).toEqual([collision]);
    const clonedGit = simpleGit(clone);
    expect((await clonedGit.raw(['rev-parse', '--is-shallow-repository'])).trim()).toBe('false');
  });

  it('takes origin/main as the base too', async () => {
    const run = await checkJson(clone, 'origin/main');
    expect(run.findings).toEqual([collision]);
  });

  it('says to fetch more history when the base cannot be fetched', async () => {
    const run = await check(clone, { base: 'no-such-branch' });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(
      /^changeops check: the base ref "no-such-branch" is not a commit in this repository, and fetching "no-such-branch" from origin failed \(fatal: couldn't find remote ref no-such-branch\); /,
    );
  });
});
