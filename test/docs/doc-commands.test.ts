import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatedRepo, githubUser } from '../integration/report/dated-repo.js';

// Every command the pages of docs/ show in a ```sh block is tried: each line is run with sh, in
// order, in a scratch repository that holds the example estate (committed, with an origin on
// GitHub), with `changeops` on PATH as the CLI of this checkout. A line must exit 0 or 1 (1: the
// records or the release fail, which pages show on purpose); one whose comment says "exit 2"
// must exit 2. Lines of other tools are allowed only from the list below.

const repoRoot = join(import.meta.dirname, '..', '..');
const docs = join(repoRoot, 'docs');

/** Commands a page may show that this test does not run, and why. */
const notRun: Array<[RegExp, string]> = [
  [/^npx @github\/local-action /, 'test/e2e/local-action.test.ts runs it when installed'],
];
const hasJq = spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' }).status === 0;

/** The ```sh blocks of a page, as lists of command lines (comment-only and blank lines left out). */
function shBlocks(text: string): string[][] {
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) =>
    m[1]!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

/** Pages whose commands another test runs, on a repository of their own. */
const runElsewhere: Record<string, string> = {
  'getting-started.md': 'test/e2e/getting-started.test.ts runs them in order on a new repository',
};

const pages = readdirSync(docs)
  .filter((name) => name.endsWith('.md') && !Object.hasOwn(runElsewhere, name))
  .map((name) => ({ name, blocks: shBlocks(readFileSync(join(docs, name), 'utf8')) }))
  .filter((page) => page.blocks.length > 0);

let estate: DatedRepo;
let bin: string;
beforeAll(() => {
  estate = new DatedRepo();
  for (const part of ['changeops.yaml', 'changes', 'cmdb'])
    cpSync(join(repoRoot, part), join(estate.dir, part), { recursive: true });
  estate.commit('The example estate (#1)', '2026-11-01T09:00:00Z', githubUser('octocat'));
  estate.git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
  bin = join(estate.dir, '.bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'changeops'),
    `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', 'changeops.js')}" "$@"\n`,
  );
  chmodSync(join(bin, 'changeops'), 0o755);
});
afterAll(() => estate.remove());

/** Runs one documented line in the estate. */
function run(line: string) {
  return spawnSync('sh', ['-c', line], {
    cwd: estate.dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, GITHUB_REPOSITORY: '' },
  });
}

describe('the commands docs/ shows', () => {
  it('finds the pages that show commands', () => {
    expect(pages.map((page) => page.name)).toEqual(
      expect.arrayContaining(['concepts.md', 'json-output.md', 'release-and-audit.md']),
    );
  });

  for (const page of pages) {
    it.each(page.blocks.map((block, i) => [i + 1, block] as const))(
      `${page.name}: block %i runs as documented`,
      (_, block) => {
        for (const line of block) {
          const skipped = notRun.find(([pattern]) => pattern.test(line));
          if (skipped) continue;
          if (/^jq /.test(line) && !hasJq) continue;
          const command = line.split(/\s+/, 1)[0]!;
          expect(['changeops', 'jq'], `${page.name}: ${line}`).toContain(command);
          const result = run(line);
          const expected = /#.*\bexit 2\b/.test(line) ? [2] : [0, 1];
          expect(expected, `${page.name}: ${line}\n${result.stderr}`).toContain(result.status);
          expect(result.stderr, line).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
        }
      },
    );
  }

  it.skipIf(!hasJq)(
    'release-and-audit.md: the digest check gives the digest the pack carries',
    () => {
      const written = run('changeops evidence CHG-0007 --out audit --json');
      expect(written.status).toBe(0);
      const pack = JSON.parse(
        readFileSync(join(estate.dir, 'audit', 'CHG-0007.evidence.json'), 'utf8'),
      );
      const line = shBlocks(readFileSync(join(docs, 'release-and-audit.md'), 'utf8'))
        .flat()
        .find((l) => l.startsWith('jq '))!;
      const hex = execFileSync('sh', ['-c', line], { cwd: estate.dir, encoding: 'utf8' }).split(
        ' ',
      )[0];
      expect(`sha256:${hex}`).toBe(pack.digest);
    },
  );
});
