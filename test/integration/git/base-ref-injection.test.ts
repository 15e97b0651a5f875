import { existsSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, commit, initRepository, remove, scratch, write } from '../check/git-fixture.js';
import { ciText } from '../../fixtures/estate.js';
import { redactCredentials } from '../../../src/git/repository.js';

/**
 * `--base` is text from whoever runs the command, and in a workflow it may come from a branch
 * name or a dispatch input: it must never reach git as an option, a refspec or anything but a
 * ref. A real repository with a real remote, so the fetch path (the one that runs commands of
 * its own through --upload-pack) is taken.
 */
let root: string;
let origin: string;
let clone: string;

beforeAll(async () => {
  root = scratch();
  origin = join(root, 'origin');
  mkdirSync(origin);
  const git = await initRepository(origin);
  write(origin, { 'cmdb/db.yaml': ciText('db') });
  await commit(git, 'estate');
  await git.raw(['branch', 'keep']);
  write(origin, { 'cmdb/web.yaml': ciText('web') });
  await commit(git, 'more');
  await git.raw(['branch', 'evil']);
  clone = join(root, 'clone');
  await simpleGit().raw(['clone', '--quiet', '--no-local', `file://${origin}`, clone]);
  const cloned = await initRepository(clone);
  await cloned.raw(['branch', 'keep', 'origin/keep']);
});

afterAll(() => remove(root));

const invalid = (ref: string, why: string) =>
  `changeops check: --base ${JSON.stringify(ref)} is not a valid git ref: ${why}; give a branch, tag or commit sha`;

describe('check --base', () => {
  it('does not run a command through an abbreviated --upload-pack in the ref', async () => {
    const ref = 'origin/--upl=touch${IFS}pwned;true';
    const run = await check(clone, { base: ref });
    expect(existsSync(join(clone, 'pwned'))).toBe(false);
    expect(run.code).toBe(2);
    expect(run.err).toBe(invalid(ref, 'a part of it starts with "-"'));
  });

  it('does not overwrite a local branch through a +src:dst refspec', async () => {
    const git = simpleGit(clone);
    const before = (await git.raw(['rev-parse', 'keep'])).trim();
    const ref = '+refs/heads/evil:refs/heads/keep';
    const run = await check(clone, { base: ref });
    expect((await git.raw(['rev-parse', 'keep'])).trim()).toBe(before);
    expect(run.code).toBe(2);
    expect(run.err).toBe(invalid(ref, 'it holds "+"'));
  });

  it.each([
    ['--output=x', 'it starts with "-"'],
    ['main:cmdb', 'it holds ":"'],
    ['a..b', 'it holds ".."'],
    ['main@{upstream}', 'it holds "@{"'],
    ['feature/.hidden', 'a part of it starts with "."'],
    ['topic.lock', 'a part of it ends with ".lock"'],
    ['with space', 'it holds a space or a control character'],
    ['star*', 'it holds "*", "?" or "["'],
    ['back\\slash', 'it holds "\\"'],
    ['trailing/', 'it starts or ends with "/", or holds "//"'],
    ['dot.', 'it ends with "."'],
    ['@', 'it is "@"'],
  ])('refuses %s before running git', async (ref, why) => {
    const run = await check(clone, { base: ref });
    expect(run.code).toBe(2);
    expect(run.err).toBe(invalid(ref, why));
  });

  it.each(['main', 'origin/main', 'keep', 'HEAD~1', 'HEAD^', 'v1.0'])(
    'takes the ordinary ref %s',
    async (ref) => {
      await simpleGit(clone).raw(['tag', '-f', 'v1.0', 'HEAD']);
      const run = await check(clone, { base: ref });
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
    },
  );

  it('takes a full commit sha', async () => {
    const sha = (await simpleGit(clone).raw(['rev-parse', 'HEAD~1'])).trim();
    const run = await check(clone, { base: sha });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('git errors in messages', () => {
  it('never quote the credentials of a remote URL', async () => {
    const withToken = join(root, 'token');
    await simpleGit().raw(['clone', '--quiet', '--depth=1', `file://${origin}`, withToken]);
    // A token left in the remote's URL (git itself hides it for https, not for every transport:
    // "unable to look up u:token@host" for git://); nothing listens on port 9.
    await simpleGit(withToken).raw([
      'remote',
      'set-url',
      'origin',
      'git://x-access-token:ghs_SECRET123@127.0.0.1:9/acme/estate.git',
    ]);
    const run = await check(withToken, { base: 'no-such-branch' });
    expect(run.code).toBe(2);
    expect(run.err).toContain('fetching "no-such-branch" from origin failed');
    expect(run.err).toContain('***@127.0.0.1:9');
    expect(run.err).not.toContain('SECRET123');
    expect(run.err).not.toContain('x-access-token');
  });

  it.each([
    ['https://x-access-token:ghs_abc@github.com/o/r', 'https://***@github.com/o/r'],
    [
      "fatal: unable to access 'https://user:pa55@host/r.git/': x",
      "fatal: unable to access 'https://***@host/r.git/': x",
    ],
    ['ssh://git@github.com/o/r', 'ssh://***@github.com/o/r'],
    [
      'fatal: unable to look up u:tok@127.0.0.1:9 (port 9418)',
      'fatal: unable to look up ***@127.0.0.1:9 (port 9418)',
    ],
    ['no password here: user@host', 'no password here: user@host'],
    ['at 12:30 mail me@example.com', 'at 12:30 mail me@example.com'],
  ])('redacts %s', (text, redacted) => {
    expect(redactCredentials(text)).toBe(redacted);
  });
});

describe.skipIf(process.platform === 'win32')('the git that runs', () => {
  it('is the one on PATH, never a git planted in the repository being checked', async () => {
    const planted = join(root, 'planted');
    mkdirSync(planted);
    const git = await initRepository(planted);
    write(planted, { 'cmdb/db.yaml': ciText('db') });
    await commit(git, 'estate');
    // A pull request may add an executable named git; on Windows the working directory is
    // searched before PATH. Here it is put on PATH as "." to stand for that.
    mkdirSync(join(planted, 'bin'));
    writeFileSync(
      join(planted, 'git'),
      '#!/bin/sh\ntouch "$(dirname "$0")/planted-git-ran"\nexit 1\n',
    );
    chmodSync(join(planted, 'git'), 0o755);
    const path = process.env.PATH;
    const cwd = process.cwd();
    try {
      process.chdir(planted);
      process.env.PATH = `.:${path}`;
      const run = await check(planted, { base: 'main' });
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
    } finally {
      process.env.PATH = path;
      process.chdir(cwd);
    }
    expect(existsSync(join(planted, 'planted-git-ran'))).toBe(false);
  });
});
