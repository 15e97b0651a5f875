import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeYaml,
  checkJson,
  commit,
  estate,
  initRepository,
  remove,
  scratch,
  write,
} from './git-fixture.js';

// `--dir` in a monorepo: the records live in one team's folder (teams/payments), the code
// elsewhere in the repository (services/). CI `paths` and the changed files are relative to the
// git repository's root, as docs/evaluation.md shows, so a CI's code is found wherever it is; the
// records are the folder's own. A real repository, one branch per scenario.

let root: string;
let git: SimpleGit;
const folder = 'teams/payments';
const records = () => join(root, folder);

/** The example estate under teams/payments/, its code at the repository's root. */
const monorepo: Record<string, string> = Object.fromEntries(
  Object.entries(estate).map(([path, text]) => [
    path.startsWith('services/') || path === 'README.md' ? path : `${folder}/${path}`,
    text,
  ]),
);

async function branch(name: string, files: Record<string, string>): Promise<void> {
  await git.raw(['checkout', '--quiet', '-b', name, 'main']);
  write(root, files);
  await commit(git, name);
}

beforeAll(async () => {
  root = scratch();
  write(root, monorepo);
  git = await initRepository(root);
  await commit(git, 'monorepo');
  await branch('code-only', { 'services/payments/api.ts': 'export const api = 2;\n' });
  await branch('code-and-change', {
    'services/payments/api.ts': 'export const api = 2;\n',
    [`${folder}/changes/CHG-0003-payments-api.yaml`]: changeYaml('CHG-0003', {
      cis: '[payments-api]',
      start: '2030-06-18T22:00:00Z',
      end: '2030-06-18T23:00:00Z',
    }),
  });
});
afterAll(() => remove(root));

async function on(name: string): Promise<void> {
  await git.raw(['checkout', '--force', name]);
}

const rogue =
  'cmdb/payments-api.yaml:10:9: warning: code of payments-api changed (services/payments/api.ts), but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one) [rogue-change]';

describe('check --dir in a monorepo: CI paths and changed files are relative to the git root', () => {
  it('finds code changed outside --dir under a CI’s paths, and names it from the root', async () => {
    await on('code-only');
    const run = await checkJson(records(), 'main');
    expect(run.findings).toEqual([rogue]);
    expect(run.code).toBe(0);
  });

  it('is satisfied by a change in the folder that names the CI', async () => {
    await on('code-and-change');
    const run = await checkJson(records(), 'main');
    expect(run.findings).toEqual([]);
    expect((run.outcome.changes as Array<{ id: string }>).map((change) => change.id)).toEqual([
      'CHG-0003',
    ]);
  });

  it('counts code left untracked anywhere in the work tree', async () => {
    await on('main');
    write(root, { 'services/payments/retry.ts': 'export const retry = 1;\n' });
    try {
      const run = await checkJson(records(), 'main');
      expect(run.findings).toEqual([rogue.replace('api.ts', 'retry.ts')]);
    } finally {
      rmSync(join(root, 'services/payments/retry.ts'));
    }
  });
});
