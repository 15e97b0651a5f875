// A check against the working tree is worked out from the commits' diff while git's status walks
// every file (the guess), and kept only when the status adds nothing to that diff. Each way the
// work tree can differ from its commit is a case here: the guess must be thrown away, and the
// outcome must be the one a run that reads every file gives, the uncommitted record included.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../../src/app/check.js';
import { validateRepository } from '../../../src/app/validate.js';
import {
  NOW,
  changeYaml,
  ciYaml,
  commit,
  estate,
  initRepository,
  remove,
  scratch,
  write,
} from './git-fixture.js';
import type { SimpleGit } from 'simple-git';

let dir: string;
let git: SimpleGit;
let feature: string;

beforeAll(async () => {
  dir = scratch();
  git = await initRepository(dir);
  write(dir, { ...estate, '.gitignore': 'cmdb/local-*.yaml\n' });
  await commit(git, 'estate');
  // The snapshot of main, as a first run in the clone writes it.
  expect((await validateRepository(dir)).snapshot.status).toBe('written');
  await git.raw(['checkout', '--quiet', '-b', 'feature']);
  write(dir, {
    'changes/CHG-0002-search-reindex.yaml': changeYaml('CHG-0002', {
      cis: '[search]',
      start: '2030-06-18T22:00:00Z',
      end: '2030-06-18T23:00:00Z',
    }),
  });
  await commit(git, 'move the reindex a week on');
  feature = (await git.revparse(['HEAD'])).trim();
});
afterAll(() => remove(dir));

/** Back to the branch's commit, nothing else in the work tree. */
async function clean(): Promise<void> {
  await git.raw(['reset', '--quiet', '--hard', feature]);
  await git.raw(['clean', '--quiet', '-fdx', '--exclude=.git']);
}

/** The check as the CLI runs it, and the same check reading every file, side by side. */
async function both(base?: string) {
  const request = { root: dir, now: NOW, fetch: false, ...(base ? { base } : {}) };
  const cached = await check(request);
  const full = await check({ ...request, cache: false });
  const messages = cached.outcome.findings.map((finding) => `${finding.file}: ${finding.message}`);
  return { cached, full, messages };
}

describe("a check's guess from the commits' diff", () => {
  it('is kept when the work tree is the commit: read from the snapshot, the outcome a full run gives', async () => {
    await clean();
    for (const base of ['main', undefined]) {
      const { cached, full } = await both(base);
      expect(cached.snapshot).toMatchObject({ status: 'read', guessed: true });
      expect(JSON.stringify(cached.outcome)).toBe(JSON.stringify(full.outcome));
    }
  });

  it.each([
    {
      what: 'an uncommitted edit of a change record',
      file: 'changes/CHG-0001-pg-upgrade.yaml',
      stage: false,
    },
    {
      what: 'a staged edit of a change record',
      file: 'changes/CHG-0001-pg-upgrade.yaml',
      stage: true,
    },
    {
      what: 'an untracked change record',
      file: 'changes/CHG-0003-new.yaml',
      stage: false,
    },
  ])('is thrown away for $what: its findings are reported', async ({ file, stage }) => {
    for (const base of ['main', undefined]) {
      await clean();
      write(dir, {
        [file]: changeYaml(file.includes('0003') ? 'CHG-0003' : 'CHG-0001', { cis: '[ghost-db]' }),
      });
      if (stage) await git.raw(['add', file]);
      const { cached, full, messages } = await both(base);
      expect(cached.snapshot?.guessed).toBeUndefined();
      expect(
        messages.some((line) => line.startsWith(`${file}:`) && line.includes('ghost-db')),
      ).toBe(true);
      expect(JSON.stringify(cached.outcome)).toBe(JSON.stringify(full.outcome));
    }
  });

  it('reads from disk a file the branch changed and the work tree changed again: the uncommitted text is judged', async () => {
    // The diff to the work tree names the same files as the commit diff, so the guess may stand:
    // what it judges is each changed file as it is on disk, the uncommitted edit included.
    const file = 'changes/CHG-0002-search-reindex.yaml';
    for (const base of ['main', undefined]) {
      await clean();
      write(dir, { [file]: changeYaml('CHG-0002', { cis: '[ghost-db]' }) });
      const { cached, full, messages } = await both(base);
      expect(
        messages.some((line) => line.startsWith(`${file}:`) && line.includes('ghost-db')),
      ).toBe(true);
      expect(JSON.stringify(cached.outcome)).toBe(JSON.stringify(full.outcome));
    }
  });

  it('is thrown away for a record file git ignores: the duplicate id it holds is reported', async () => {
    for (const base of ['main', undefined]) {
      await clean();
      write(dir, { 'cmdb/local-pg.yaml': ciYaml('pg-payments') });
      const { cached, full, messages } = await both(base);
      expect(cached.snapshot?.guessed).toBeUndefined();
      expect(
        messages.some((line) => line.includes('pg-payments') && /duplicate|already/i.test(line)),
      ).toBe(true);
      expect(JSON.stringify(cached.outcome)).toBe(JSON.stringify(full.outcome));
    }
  });

  it('is thrown away for a deleted record file: the change it held is gone from the outcome', async () => {
    await clean();
    rmSync(join(dir, 'changes/CHG-0001-pg-upgrade.yaml'));
    const { cached, full } = await both('main');
    expect(cached.snapshot?.guessed).toBeUndefined();
    expect(cached.outcome.changes.map((change) => change.id)).not.toContain('CHG-0001');
    expect(JSON.stringify(cached.outcome)).toBe(JSON.stringify(full.outcome));
  });

  it("is thrown away against a base for an uncommitted code edit: the code paths are the work tree's", async () => {
    await clean();
    const code = join(dir, 'services/payments/api.ts');
    writeFileSync(code, `${readFileSync(code, 'utf8')}export const more = 2;\n`);
    const { cached, full } = await both('main');
    expect(cached.snapshot?.guessed).toBeUndefined();
    expect(JSON.stringify(cached.outcome)).toBe(JSON.stringify(full.outcome));
  });
});
