import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/git/repository.js';
import { planRevert, readBlob } from '../../../src/git/revert.js';

// The revert of a change's merge commit, worked out in a temporary index on real repositories.

function repository() {
  const dir = mkdtempSync(join(tmpdir(), 'changeops-revert-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  write({
    'app/config.ini': 'pool=10\nlog=info\nport=80\n',
    'changes/CHG-0001.yaml': 'id: CHG-0001\n',
  });
  git('add', '.');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'feature');
  write({
    'app/config.ini': 'pool=50\nlog=info\nport=80\n',
    'app/new.sql': 'CREATE INDEX;\n',
    'changes/CHG-0002.yaml': 'id: CHG-0002\n',
  });
  git('add', '.');
  git('commit', '-qm', 'the change');
  git('checkout', '-q', 'main');
  git('merge', '-q', '--no-ff', '-m', 'merge', 'feature');
  return { dir, git, write, merge: git('rev-parse', 'HEAD') };
}

const keepRecords = (path: string) => path.startsWith('changes/');

describe('planRevert', () => {
  it('takes the change out again, keeps its record, and leaves later work alone', async () => {
    const { dir, git, write, merge } = repository();
    write({ 'app/config.ini': 'pool=50\nlog=info\nport=8080\n' });
    git('commit', '-qam', 'later, unrelated line');
    const repo = await openRepository(dir);
    const plan = await planRevert(repo, { onto: 'HEAD', commit: merge, keep: keepRecords });

    expect(plan.kind).toBe('changes');
    if (plan.kind !== 'changes') return;
    expect(plan.kept).toEqual(['changes/CHG-0002.yaml']);
    const byPath = Object.fromEntries(plan.changes.map((c) => [c.path, c]));
    expect(byPath['app/new.sql']).toEqual({ path: 'app/new.sql', delete: true });
    const config = byPath['app/config.ini']!;
    expect(config).toMatchObject({ mode: '100644', known: false });
    if ('sha' in config)
      expect((await readBlob(repo, config.sha)).toString()).toBe('pool=10\nlog=info\nport=8080\n');
    expect(plan.changes).toHaveLength(2);
    // The working tree and the index are untouched.
    expect(readFileSync(join(dir, 'app/new.sql'), 'utf8')).toBe('CREATE INDEX;\n');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('says which files conflict when later commits changed the same lines', async () => {
    const { git, write, dir, merge } = repository();
    write({ 'app/config.ini': 'pool=60\nlog=info\nport=80\n' });
    git('commit', '-qam', 'tuned again');
    const plan = await planRevert(await openRepository(dir), {
      onto: 'HEAD',
      commit: merge,
      keep: keepRecords,
    });
    expect(plan).toEqual({
      kind: 'conflict',
      reason: `reverting ${merge.slice(0, 12)} conflicts with later changes to app/config.ini; back it out by hand`,
    });
    expect(git('status', '--porcelain')).toBe('');
  });

  it('reverts a squashed commit against its one parent, its unchanged blobs known to GitHub', async () => {
    const { git, write, dir } = repository();
    write({ 'app/config.ini': 'pool=10\nlog=debug\nport=80\n' });
    git('commit', '-qam', 'squashed change');
    const squash = git('rev-parse', 'HEAD');
    const plan = await planRevert(await openRepository(dir), {
      onto: squash,
      commit: squash,
      keep: keepRecords,
    });
    expect(plan).toMatchObject({
      kind: 'changes',
      changes: [{ path: 'app/config.ini', known: true }],
    });
  });

  it('has nothing to revert when the merge changed only change records', async () => {
    const { git, write, dir } = repository();
    write({ 'changes/CHG-0003.yaml': 'id: CHG-0003\n' });
    git('add', '.');
    git('commit', '-qm', 'record only');
    const plan = await planRevert(await openRepository(dir), {
      onto: 'HEAD',
      commit: 'HEAD',
      keep: keepRecords,
    });
    expect(plan.kind).toBe('empty');
  });

  it('says the commit is missing when the checkout does not have it', async () => {
    const { dir } = repository();
    const plan = await planRevert(await openRepository(dir), {
      onto: 'HEAD',
      commit: 'f'.repeat(40),
      keep: keepRecords,
    });
    expect(plan).toMatchObject({ kind: 'missing' });
    expect('reason' in plan && plan.reason).toContain('fetch-depth: 0');
  });
});
