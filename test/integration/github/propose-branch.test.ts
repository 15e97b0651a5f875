import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/github/octokit.js';
import { proposeBranch, type BranchProposal } from '../../../src/github/pulls.js';
import { seedFromCheckout } from '../../fakes/github-git-store.js';
import { startGitHubServer, TOKENS, type FakeGitHub } from '../../fakes/github-server.js';

// A proposed pull request made through the git data API of the OpenAPI-checked fake GitHub.
let gh: FakeGitHub;
let base: { commit: string; tree: string };
beforeEach(async () => {
  gh = await startGitHubServer();
  const dir = mkdtempSync(join(tmpdir(), 'changeops-propose-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  writeFileSync(join(dir, 'record.yaml'), 'status: approved\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  const repo = gh.repo('acme/estate');
  seedFromCheckout(repo.git, dir);
  base = { commit: git('rev-parse', 'HEAD'), tree: git('rev-parse', 'HEAD^{tree}') };
  repo.branches.set('main', base.commit);
});
afterEach(async () => {
  try {
    gh.assertNoViolations();
  } finally {
    await gh.close();
  }
});

const target = { owner: 'acme', repo: 'estate' };
const client = (token: string = TOKENS.actions) =>
  createClient({ token, baseUrl: gh.url, retries: 0, pace: false });
const proposal = (content = 'status: failed\n'): BranchProposal => ({
  branch: 'changeops/verify/CHG-0042-failed',
  base: 'main',
  baseCommit: base.commit,
  baseTree: base.tree,
  changes: [{ path: 'record.yaml', mode: '100644', content }],
  message: 'CHG-0042: failed',
  title: 'CHG-0042: record the review',
  body: 'body',
  botLogin: 'github-actions[bot]',
});
const repo = () => gh.repo('acme/estate');

describe('proposeBranch', () => {
  it('opens the pull request once; a later run finds it by its branch', async () => {
    const first = await proposeBranch(client(), target, proposal());
    const again = await proposeBranch(client(), target, proposal('status: failed # later\n'));
    expect(first).toMatchObject({ action: 'created' });
    expect(again).toEqual({ action: 'exists', number: 'number' in first ? first.number : 0 });
    expect(repo().pulls.size).toBe(1);
    const pr = [...repo().pulls.values()][0]!;
    expect(repo().git.textAt(pr.head.sha, 'record.yaml')).toBe('status: failed\n');
    expect(repo().branches.get('main')).toBe(base.commit);
  });

  it('finishes what an earlier run started: the branch is there with the same tree, the pull request not', async () => {
    await proposeBranch(client(), target, proposal());
    repo().pulls.clear();
    gh.clearRequests();
    const outcome = await proposeBranch(client(), target, proposal());
    expect(outcome).toMatchObject({ action: 'created' });
    expect(gh.requestCount({ route: 'POST /repos/{owner}/{repo}/git/refs' })).toBe(0);
  });

  it('refuses a branch of the same name that holds something else', async () => {
    await proposeBranch(client(), target, proposal('status: closed\n'));
    repo().pulls.clear();
    const outcome = await proposeBranch(client(), target, proposal());
    expect(outcome).toEqual({
      action: 'refused',
      reason:
        'the branch changeops/verify/CHG-0042-failed exists already and holds other content than this proposal; delete it and run verify again',
    });
    expect(repo().pulls.size).toBe(0);
  });

  it("does not take a person's pull request from the branch for ours", async () => {
    await proposeBranch(client(), target, proposal());
    const ours = [...repo().pulls.values()][0]!;
    ours.author = 'mallory';
    ours.state = 'closed';
    const outcome = await proposeBranch(client(), target, proposal());
    expect(outcome).toMatchObject({ action: 'created' });
    expect(repo().pulls.size).toBe(2);
  });

  it('opens one pull request when GitHub answers 502 after creating it', async () => {
    gh.injectFault({ route: 'POST /repos/{owner}/{repo}/pulls', status: 502, afterWrite: true });
    const outcome = await proposeBranch(client(), target, proposal());
    expect(outcome).toMatchObject({ action: 'created' });
    expect(repo().pulls.size).toBe(1);
  });

  it('says what permission is missing when the token may not write contents', async () => {
    const outcome = await proposeBranch(client(TOKENS.forkReadOnly), target, proposal());
    expect(outcome).toMatchObject({ action: 'refused' });
    expect('reason' in outcome && outcome.reason).toContain(
      'the workflow needs contents: write and pull-requests: write',
    );
  });
});
