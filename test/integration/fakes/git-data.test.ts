import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { describe, expect, it } from 'vitest';
import { seedFromCheckout } from '../../fakes/github-git-store.js';
import { TOKENS, type FakeGitHub } from '../../fakes/github-server.js';
import { fakeGitHubPerTest } from '../../fakes/per-test.js';

// The fake's git data API against real git: the same objects get the same shas, so what the
// code under test builds through the API can be compared with what git would build.
let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

function repository(): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'changeops-gitdata-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  return { dir, git };
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const client = () => new Octokit({ baseUrl: gh.url, auth: TOKENS.actions });

describe('the fake git data API', () => {
  it('knows the commits of a checkout with the tree shas git gives them', () => {
    const { dir, git } = repository();
    write(dir, { 'a.txt': 'a\n', 'dir/b.txt': 'b\n', 'dir/sub/c.txt': 'c\n', 'dir-x': 'x\n' });
    git('add', '.');
    git('commit', '-qm', 'one');
    const store = gh.repo('acme/estate').git;
    seedFromCheckout(store, dir);
    const head = git('rev-parse', 'HEAD');
    expect(store.commits.get(head)?.tree).toBe(git('rev-parse', 'HEAD^{tree}'));
    expect(store.trees.has(git('rev-parse', 'HEAD^{tree}'))).toBe(true);
    expect(store.textAt(head, 'dir/sub/c.txt')).toBe('c\n');
  });

  it('builds a tree on a base tree as git would, and a branch and pull request from it', async () => {
    const { dir, git } = repository();
    write(dir, { 'keep.txt': 'keep\n', 'gone.txt': 'gone\n', 'dir/edit.txt': 'old\n' });
    git('add', '.');
    git('commit', '-qm', 'base');
    const repo = gh.repo('acme/estate');
    seedFromCheckout(repo.git, dir);
    const base = git('rev-parse', 'HEAD');
    repo.branches.set('main', base);

    const octokit = client();
    const tree = await octokit.rest.git.createTree({
      owner: 'acme',
      repo: 'estate',
      base_tree: git('rev-parse', 'HEAD^{tree}'),
      tree: [
        { path: 'dir/edit.txt', mode: '100644', type: 'blob', content: 'new\n' },
        { path: 'gone.txt', mode: '100644', type: 'blob', sha: null },
      ],
    });
    // The same edit made by git gives the same tree.
    write(dir, { 'dir/edit.txt': 'new\n' });
    git('rm', '-q', 'gone.txt');
    git('add', '.');
    expect(tree.data.sha).toBe(git('write-tree'));

    const commit = await octokit.rest.git.createCommit({
      owner: 'acme',
      repo: 'estate',
      message: 'Edit',
      tree: tree.data.sha,
      parents: [base],
    });
    await octokit.rest.git.createRef({
      owner: 'acme',
      repo: 'estate',
      ref: 'refs/heads/edit',
      sha: commit.data.sha,
    });
    const pr = await octokit.rest.pulls.create({
      owner: 'acme',
      repo: 'estate',
      head: 'edit',
      base: 'main',
      title: 'Edit',
    });
    expect(repo.pulls.get(pr.data.number)?.files.map((f) => [f.filename, f.status])).toEqual([
      ['dir/edit.txt', 'modified'],
      ['gone.txt', 'removed'],
    ]);
    await expect(
      octokit.rest.pulls.create({ owner: 'acme', repo: 'estate', head: 'edit', base: 'main' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.git.createRef({
        owner: 'acme',
        repo: 'estate',
        ref: 'refs/heads/edit',
        sha: base,
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('lists the commits that changed a path, following the side of a merge that did', async () => {
    const { dir, git } = repository();
    write(dir, { 'a.txt': '1\n' });
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    write(dir, { 'changes/c.yaml': 'c\n' });
    git('add', '.');
    git('commit', '-qm', 'add the record');
    const added = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'main');
    write(dir, { 'a.txt': '2\n' });
    git('commit', '-qam', 'elsewhere');
    git('merge', '-q', '--no-ff', '-m', 'merge', 'feature');
    const repo = gh.repo('acme/estate');
    seedFromCheckout(repo.git, dir);
    const head = git('rev-parse', 'HEAD');

    const { data } = await client().rest.repos.listCommits({
      owner: 'acme',
      repo: 'estate',
      sha: head,
      path: 'changes/c.yaml',
    });
    expect(data.map((c) => c.sha)).toEqual(
      git('log', '--format=%H', head, '--', 'changes/c.yaml').split('\n'),
    );
    expect(data.map((c) => c.sha)).toEqual([added]);
  });

  it('says a label exists when it is created twice', async () => {
    gh.repo('acme/estate');
    const octokit = client();
    await octokit.rest.issues.createLabel({
      owner: 'acme',
      repo: 'estate',
      name: 'problem',
      color: 'b60205',
    });
    await expect(
      octokit.rest.issues.createLabel({ owner: 'acme', repo: 'estate', name: 'Problem' }),
    ).rejects.toMatchObject({ status: 422 });
    const { data } = await octokit.rest.issues.getLabel({
      owner: 'acme',
      repo: 'estate',
      name: 'problem',
    });
    expect(data.color).toBe('b60205');
  });
});
