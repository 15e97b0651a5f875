// The work tree's changes from one `git status` and a commit diff, checked against git's own
// answer in real repositories: a diff of the whole work tree and an untracked listing, the
// walks they replace. Each row is a state of the work tree a user can leave it in.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../src/evaluate/facts.js';
import { changedFiles, parseNameStatus } from '../../../src/git/diff.js';
import { openRepository } from '../../../src/git/repository.js';
import { untrackedRecordFiles, workingTreeDiff } from '../../../src/git/snapshots.js';
import { workingTreeStatus } from '../../../src/git/status.js';
import { remove, scratch, write } from '../check/git-fixture.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(remove));

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** A repository: a base commit on main, a feature branch a commit ahead of it, checked out. */
function repository(): { dir: string; base: string } {
  const dir = scratch();
  dirs.push(dir);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  write(dir, {
    'changeops.yaml': 'policy\n',
    'changes/CHG-1.yaml': 'one\n',
    'changes/CHG-2.yaml': 'two\n',
    'cmdb/a.yaml': 'a, long enough to be found again when it moves\n',
    'cmdb/b.yaml': 'b, long enough to be found again when it moves\n',
    'src/app.ts': 'code\n',
    '.gitignore': 'node_modules/\ncmdb/local-*.yaml\ncmdb/scratch/\n',
  });
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', 'base');
  const base = git(dir, 'rev-parse', 'HEAD').trim();
  git(dir, 'checkout', '--quiet', '-b', 'feature');
  write(dir, { 'changes/CHG-1.yaml': 'one, edited\n', 'src/new.ts': 'new\n' });
  git(dir, 'mv', 'cmdb/b.yaml', 'cmdb/b-moved.yaml');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', 'feature');
  return { dir, base };
}

/** What git says when asked the long way: the whole work tree diffed, every untracked file. */
function gitsAnswer(dir: string, base: string): ChangedFile[] {
  const files = parseNameStatus(git(dir, 'diff', '--name-status', '-z', '-M', base, '--'));
  const others = git(dir, 'ls-files', '--others', '--exclude-standard', '-z', '--full-name', ':/');
  for (const path of others.split('\0')) if (path) files.push({ status: 'added', path });
  return sorted(files);
}

const sorted = (files: ChangedFile[]) =>
  [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

const put = (dir: string, path: string, text: string) => write(dir, { [path]: text });

const states: Array<{ what: string; leave(dir: string): void }> = [
  { what: 'a clean work tree on a branch ahead of the base', leave() {} },
  { what: 'an edit not staged', leave: (dir) => put(dir, 'changes/CHG-2.yaml', 'two, edited\n') },
  {
    what: 'an edit that puts back the text the base had (no change at all)',
    leave: (dir) => put(dir, 'changes/CHG-1.yaml', 'one\n'),
  },
  { what: 'a staged rename', leave: (dir) => git(dir, 'mv', 'cmdb/a.yaml', 'cmdb/a-moved.yaml') },
  {
    what: 'a rename not staged (a deleted file, and an untracked one)',
    leave: (dir) => renameSync(join(dir, 'cmdb/a.yaml'), join(dir, 'cmdb/a-moved.yaml')),
  },
  {
    what: 'the branch rename moved back in the work tree',
    leave: (dir) => renameSync(join(dir, 'cmdb/b-moved.yaml'), join(dir, 'cmdb/b.yaml')),
  },
  { what: 'a file the branch added, deleted', leave: (dir) => rmSync(join(dir, 'src/new.ts')) },
  {
    what: 'a staged edit edited again',
    leave(dir) {
      put(dir, 'src/app.ts', 'staged\n');
      git(dir, 'add', 'src/app.ts');
      put(dir, 'src/app.ts', 'edited after\n');
    },
  },
  {
    what: 'a file only intended to be added (git add -N)',
    leave(dir) {
      put(dir, 'changes/CHG-3.yaml', 'three\n');
      git(dir, 'add', '--intent-to-add', 'changes/CHG-3.yaml');
    },
  },
  {
    what: 'names with spaces, quotes and letters beyond ASCII',
    leave(dir) {
      put(dir, 'cmdb/é "q" b.yaml', 'odd name\n');
      git(dir, 'add', 'cmdb/é "q" b.yaml');
      put(dir, 'changes/ä b.yaml', 'untracked odd name\n');
    },
  },
  {
    what: 'a file name that is not UTF-8, edited',
    leave(dir) {
      const name = Buffer.concat([
        Buffer.from(join(dir, 'cmdb/caf')),
        Buffer.from([0xe9]),
        Buffer.from('.yaml'),
      ]);
      writeFileSync(name, 'latin-1 name\n');
      git(dir, 'add', '--all');
      git(dir, 'commit', '--quiet', '-m', 'odd name');
      writeFileSync(name, 'latin-1 name, edited\n');
    },
  },
  {
    what: 'ignored files and folders (never changes)',
    leave(dir) {
      put(dir, 'cmdb/local-1.yaml', 'ignored\n');
      put(dir, 'cmdb/scratch/x.yaml', 'ignored folder\n');
      put(dir, 'node_modules/x/index.js', 'ignored\n');
    },
  },
  {
    what: 'more edited files than are named to git one by one',
    leave(dir) {
      mkdirSync(join(dir, 'cmdb/many'));
      for (let i = 0; i < 1100; i++) writeFileSync(join(dir, `cmdb/many/${i}.yaml`), `${i}\n`);
      git(dir, 'add', '--all');
      git(dir, 'commit', '--quiet', '-m', 'many');
      for (let i = 0; i < 1100; i++) writeFileSync(join(dir, `cmdb/many/${i}.yaml`), `${i}!\n`);
      git(dir, 'mv', 'cmdb/a.yaml', 'cmdb/many/a.yaml');
    },
  },
];

describe('the changes of a work tree from the merge base', () => {
  it.each(states)('are what a diff of the whole work tree says: $what', async ({ leave }) => {
    const { dir, base } = repository();
    leave(dir);
    const repo = await openRepository(dir);
    const expected = gitsAnswer(dir, base);
    expect(sorted(await changedFiles(repo, base, { fromTop: true }))).toEqual(expected);
    // Asked once, and handed on: the same answer.
    const status = workingTreeStatus(dir);
    expect(sorted(await changedFiles(repo, base, { fromTop: true, status }))).toEqual(expected);
  });

  it('are named from the root from a sub-folder, and from it without fromTop', async () => {
    const { dir, base } = repository();
    put(dir, 'cmdb/draft.yaml', 'draft\n');
    put(dir, 'src/app.ts', 'edited\n');
    const sub = await openRepository(join(dir, 'cmdb'));
    expect(sorted(await changedFiles(sub, base, { fromTop: true }))).toEqual(gitsAnswer(dir, base));
    expect(sorted(await changedFiles(sub, base))).toEqual([
      { status: 'renamed', path: 'b-moved.yaml', previousPath: 'b.yaml' },
      { status: 'added', path: 'draft.yaml' },
    ]);
  });
});

describe('a work tree git cannot read', () => {
  it.each([
    { what: 'with the snapshot', flags: [] },
    { what: 'with --no-cache', flags: ['--no-cache'] },
  ])('makes check --base say what git says, and end, $what', ({ flags }) => {
    const { dir } = repository();
    writeFileSync(join(dir, '.git/index'), 'damaged\n');
    const bin = join(import.meta.dirname, '../../../bin/changeops.js');
    const run = spawnSync(process.execPath, [bin, 'check', '--base', 'main', ...flags], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe(
      'changeops check: fatal: .git/index: index file smaller than expected\n',
    );
    expect(run.status).toBe(2);
  });
});

describe('the untracked record files the snapshot load reads', () => {
  /** git's long answer: every file under the record folders it does not track, ignored too. */
  const listed = (dir: string) =>
    git(dir, 'ls-files', '--others', '-z', '--', 'changes', 'cmdb')
      .split('\0')
      .filter(Boolean)
      .sort();

  it.each([
    { what: 'none', leave() {} },
    {
      what: 'untracked and ignored files, and a folder git ignores whole',
      leave(dir: string) {
        put(dir, 'changes/CHG-9.yaml', 'new\n');
        put(dir, 'cmdb/local-1.yaml', 'ignored\n');
        put(dir, 'cmdb/scratch/deep/x.yaml', 'in an ignored folder\n');
        put(dir, 'node_modules/x/index.js', 'ignored, not a record\n');
        put(dir, 'src/draft.ts', 'untracked, not a record\n');
      },
    },
    {
      what: 'a record folder git ignores whole (untracked, then ignored)',
      leave(dir: string) {
        git(dir, 'rm', '-r', '--quiet', '--cached', 'cmdb');
        put(dir, '.gitignore', 'cmdb/\n');
        put(dir, 'cmdb/new/x.yaml', 'new\n');
      },
    },
  ])('are every file under the record folders git does not track: $what', async ({ leave }) => {
    const { dir } = repository();
    leave(dir);
    const status = await workingTreeStatus(dir, ['changes', 'cmdb']);
    expect((await untrackedRecordFiles(dir, status))?.sort()).toEqual(listed(dir));
    const whole = await workingTreeStatus(dir);
    expect((await untrackedRecordFiles(dir, whole))?.sort()).toEqual(listed(dir));
  });

  it('are named from a sub-folder that holds the records', async () => {
    const dir = scratch();
    dirs.push(dir);
    git(dir, 'init', '--quiet');
    put(dir, 'teams/pay/changes/CHG-1.yaml', 'one\n');
    put(dir, 'teams/pay/cmdb/scratch/x.yaml', 'ignored folder\n');
    put(dir, 'teams/pay/.gitignore', 'cmdb/scratch/\n');
    put(dir, 'other/changes/CHG-2.yaml', 'another folder\n');
    const at = join(dir, 'teams/pay');
    const status = await workingTreeStatus(at, ['changes', 'cmdb']);
    expect(status.prefix).toBe('teams/pay/');
    expect((await untrackedRecordFiles(at, status))?.sort()).toEqual(listed(at));
  });
});

describe('the working-tree diff of a snapshot load', () => {
  it('is the files that differ from HEAD, below the folder, with the untracked record files', async () => {
    const { dir } = repository();
    put(dir, 'changes/CHG-2.yaml', 'two, edited\n');
    git(dir, 'mv', 'cmdb/a.yaml', 'cmdb/a-moved.yaml');
    put(dir, 'cmdb/local-1.yaml', 'ignored\n');
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const status = workingTreeStatus(dir, ['changes', 'cmdb']);
    const untracked = status.then((tree) => untrackedRecordFiles(dir, tree));
    const diff = await workingTreeDiff(head, status, untracked);
    expect(sorted(diff!.changed)).toEqual([
      { status: 'modified', path: 'changes/CHG-2.yaml' },
      { status: 'renamed', path: 'cmdb/a-moved.yaml', previousPath: 'cmdb/a.yaml' },
      { status: 'added', path: 'cmdb/local-1.yaml' },
    ]);
  });

  it('is not told when HEAD moved after its commit was read (the load falls back)', async () => {
    const { dir, base } = repository();
    const status = workingTreeStatus(dir, ['changes', 'cmdb']);
    expect(await workingTreeDiff(base, status, Promise.resolve([]))).toBeUndefined();
  });
});
