// Where a directory sits in git and, from the same rev-parse, a base's commit and merge base:
// asked of real repositories, each answer held to what git's own step-by-step commands say.
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBaseFacts } from '../../../src/git/facts.js';
import { locateWithBase } from '../../../src/git/locate.js';
import { locateRepository } from '../../../src/git/repository.js';
import {
  commit,
  initRepository,
  remove,
  scratch,
  write,
} from '../../integration/check/git-fixture.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(remove));

async function repository(): Promise<{ root: string; git: SimpleGit }> {
  const root = realpathSync(scratch());
  dirs.push(root);
  write(root, { 'changeops.yaml': 'policy\n', 'changes/CHG-0001.yaml': 'one\n' });
  const git = await initRepository(root);
  await commit(git, 'base');
  return { root, git };
}

const sha = async (git: SimpleGit, ref: string) => (await git.raw(['rev-parse', ref])).trim();

describe('locateWithBase', () => {
  let root: string;
  let git: SimpleGit;
  let main: string;

  beforeAll(async () => {
    ({ root, git } = await repository());
    main = await sha(git, 'HEAD');
    await git.raw(['checkout', '--quiet', '-b', 'feature']);
    write(root, { 'changes/CHG-0002.yaml': 'two\n' });
    await commit(git, 'feature');
    await git.raw(['checkout', '--quiet', 'main']);
    write(root, { 'changes/CHG-0003.yaml': 'three\n' });
    await commit(git, 'main moves on');
    await git.raw(['checkout', '--quiet', 'feature']);
  });

  it('gives the location, the base commit and the merge base from one rev-parse', async () => {
    expect(await locateWithBase(root, 'main')).toEqual({
      location: { top: root, prefix: '', commonDir: '.git' },
      base: { sha: await sha(git, 'main'), mergeBase: main },
    });
    expect(await sha(git, 'main')).not.toBe(main);
  });

  it('names a folder below the top by its prefix, and the git dir from there', async () => {
    expect((await locateWithBase(join(root, 'changes'), 'main')).location).toEqual({
      top: root,
      prefix: 'changes/',
      commonDir: '../.git',
    });
  });

  it('merges from a given head sha rather than HEAD', async () => {
    const head = await sha(git, 'main');
    expect((await locateWithBase(root, 'HEAD', head)).base).toEqual({
      sha: await sha(git, 'HEAD'),
      mergeBase: main,
    });
  });

  it('settles no base for a ref that is not a commit here, and still gives the location', async () => {
    expect(await locateWithBase(root, 'nope')).toEqual({
      location: { top: root, prefix: '', commonDir: '.git' },
    });
  });

  it.each(['--upload-pack=touch x', 'a..b', 'main:changeops.yaml', '^main'])(
    'settles no base for %s, which refProblem refuses',
    async (ref) => {
      expect((await locateWithBase(root, ref)).base).toBeUndefined();
    },
  );

  it('settles no base for a head that is not a full sha', async () => {
    expect((await locateWithBase(root, 'main', 'main')).base).toBeUndefined();
  });

  it('gives no location outside a work tree', async () => {
    const plain = realpathSync(scratch());
    dirs.push(plain);
    expect(await locateWithBase(plain, 'main')).toEqual({ location: undefined });
    expect(await locateRepository(plain)).toBeUndefined();
  });
});

describe('merge bases the one rev-parse does not settle', () => {
  it('leaves the merge base to git merge-base when there are several (criss-cross)', async () => {
    const { root, git } = await repository();
    await git.raw(['checkout', '--quiet', '-b', 'other']);
    write(root, { 'changes/CHG-0002.yaml': 'two\n' });
    await commit(git, 'other');
    await git.raw(['checkout', '--quiet', 'main']);
    write(root, { 'changes/CHG-0003.yaml': 'three\n' });
    await commit(git, 'main');
    const [a, b] = [await sha(git, 'main'), await sha(git, 'other')];
    await git.raw(['merge', '--quiet', '--no-edit', '--no-ff', 'other']);
    await git.raw(['checkout', '--quiet', '-b', 'cross', b]);
    await git.raw(['merge', '--quiet', '--no-edit', '--no-ff', a]);
    expect(
      (await git.raw(['merge-base', '--all', 'main', 'HEAD'])).trim().split('\n'),
    ).toHaveLength(2);
    const located = await locateWithBase(root, 'main');
    expect(located.base).toEqual({ sha: await sha(git, 'main') });
    const facts = await readBaseFacts(root, 'main', { maxFileBytes: () => 1_000_000 });
    expect(facts.mergeBase).toBe((await git.raw(['merge-base', 'main', 'HEAD'])).trim());
  });

  it('leaves a history with no common commit to the step-by-step path', async () => {
    const { root, git } = await repository();
    await git.raw(['checkout', '--quiet', '--orphan', 'alone']);
    write(root, { 'changes/CHG-0009.yaml': 'nine\n' });
    await commit(git, 'alone');
    expect((await locateWithBase(root, 'main')).base).toEqual({ sha: await sha(git, 'main') });
    await expect(readBaseFacts(root, 'main', { maxFileBytes: () => 1_000_000 })).rejects.toThrow(
      /share no history/,
    );
  });
});

describe('locateRepository', () => {
  it('shares one answer between callers while it is on its way, and keeps none after', async () => {
    const { root } = await repository();
    const first = locateRepository(root);
    expect(locateRepository(root)).toBe(first);
    // The base's rev-parse finds a location on its way: it shares it and settles no base.
    expect(await locateWithBase(root, 'main')).toEqual({ location: await first });
    const later = locateRepository(root);
    expect(later).not.toBe(first);
    expect(await later).toEqual(await first);
  });

  it('sees a repository made after a folder was asked about', async () => {
    const dir = realpathSync(scratch());
    dirs.push(dir);
    mkdirSync(join(dir, 'records'));
    expect(await locateRepository(dir)).toBeUndefined();
    await initRepository(dir);
    expect(await locateRepository(dir)).toEqual({ top: dir, prefix: '', commonDir: '.git' });
  });
});
