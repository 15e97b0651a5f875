// Where snapshots live, asked of real git repositories: a folder the repository ignores (a
// generated or scratch estate inside a checkout) gets none, so a run there never diffs and lists
// the enclosing repository for a snapshot it could not use.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFolder } from '../../../src/git/snapshots.js';
import { remove, scratch } from '../check/git-fixture.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(remove));

function repository(): string {
  const dir = realpathSync(scratch());
  dirs.push(dir);
  execFileSync('git', ['init', '--quiet'], { cwd: dir });
  writeFileSync(join(dir, '.gitignore'), 'generated/\n');
  mkdirSync(join(dir, 'records'));
  mkdirSync(join(dir, 'generated', 'estate'), { recursive: true });
  return dir;
}

describe('snapshotFolder', () => {
  it.each([
    { what: 'keeps snapshots for the repository root', below: '.', kept: true },
    { what: 'keeps snapshots for a folder the repository tracks', below: 'records', kept: true },
    { what: 'keeps none for a folder the repository ignores', below: 'generated', kept: false },
    {
      what: 'keeps none for a folder inside an ignored one',
      below: 'generated/estate',
      kept: false,
    },
  ])('$what', async ({ below, kept }) => {
    const dir = repository();
    const folder = await snapshotFolder(join(dir, below));
    expect(folder).toBe(kept ? join(dir, '.git', 'changeops') : undefined);
  });

  it('keeps none for a folder outside any repository', async () => {
    const dir = realpathSync(scratch());
    dirs.push(dir);
    expect(await snapshotFolder(dir)).toBeUndefined();
  });
});
