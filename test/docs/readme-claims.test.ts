import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What the README and docs/ say about the build is what the build gives: every page of docs/ is
// linked from the README, the bundles stay under their budgets, and the sizes the pages quote
// are the sizes of the bundles just built (vitest's global setup builds dist/ first).

const repoRoot = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const page = (name: string) => readFileSync(join(repoRoot, 'docs', name), 'utf8');
const bytes = (name: string) => statSync(join(repoRoot, 'dist', name)).size;
/** The CLI: its entry and the chunks its commands import (all of them, as installed). */
const cliBytes = () =>
  bytes('cli.js') +
  readdirSync(join(repoRoot, 'dist', 'cli'))
    .filter((name) => name.endsWith('.js'))
    .reduce((sum, name) => sum + bytes(`cli/${name}`), 0);
const kib = (size: number) => Math.round(size / 1024);

/** How far a quoted size may drift from the build before the page must be brought up to date. */
const slackKiB = 20;

describe('the README and docs/ say what the build gives', () => {
  it('links every page of docs/ from the README', () => {
    const pages = readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md'));
    const unlinked = pages.filter((name) => !readme.includes(`](docs/${name}`));
    expect(unlinked).toEqual([]);
  });

  it('keeps the action bundle under 1,000,000 bytes and the CLI with its chunks under 1 MiB', () => {
    expect(bytes('index.js')).toBeLessThan(1_000_000);
    expect(cliBytes()).toBeLessThan(1024 * 1024);
  });

  it.each([
    ['README.md', 'index.js', readme, /The action bundle is (\d+) KiB/],
    [
      'README.md',
      'cli',
      readme,
      /the CLI \(`dist\/cli\.js` and its chunks in\s+`dist\/cli\/`\) (\d+) KiB/,
    ],
    ['docs/action.md', 'index.js', page('action.md'), /`dist\/index\.js`,\s+about (\d+) KiB/],
  ] as const)('%s quotes the size of dist/%s as built', (_, bundle, text, claim) => {
    const quoted = claim.exec(text);
    expect(quoted, `${claim} in ${_}`).not.toBeNull();
    const actual = kib(bundle === 'cli' ? cliBytes() : bytes(bundle));
    expect(
      Math.abs(Number(quoted![1]) - actual),
      `${_} says ${quoted![1]} KiB; dist/${bundle} is ${actual} KiB`,
    ).toBeLessThanOrEqual(slackKiB);
  });
});
