// The gate's GitHub edges against the OpenAPI-checked fake: real octokit, real HTTP, real pages.
import { beforeEach, describe, expect, it } from 'vitest';
import { postGateStatus, readGateStatuses } from '../../../src/github/commit-status.js';
import { createClient } from '../../../src/github/octokit.js';
import { readCommits, readTeamMembers } from '../../../src/github/pull-request-facts.js';
import { openRetrospectives } from '../../../src/github/retrospective-issues.js';
import { retrospectiveLabel } from '../../../src/render/retrospective.js';
import { fakeSha, TOKENS, type FakeGitHub } from '../../fakes/github-server.js';
import { fakeGitHubPerTest } from '../../fakes/per-test.js';

let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
  gh.repo('acme/estate');
});

const target = { owner: 'acme', repo: 'estate' };
const client = (token: string = TOKENS.app) => createClient({ token, baseUrl: gh.url, retries: 0 });

describe('readTeamMembers', () => {
  it('reads every active member, 100 a page, and leaves pending invitations out', async () => {
    const members = Array.from({ length: 150 }, (_, i) => `m${i}`);
    gh.addTeam('acme', 'cab', [...members, { login: 'ivy', state: 'pending' }]);
    const teams = await readTeamMembers(client(), ['@acme/cab']);
    expect(teams['@acme/cab']).toEqual({ active: members, pending: [] });
    expect(gh.requestCount({ route: 'GET /orgs/{org}/teams/{team_slug}/members' })).toBe(2);
  });

  it('says why when the token may not read members, or the team is not there', async () => {
    gh.addTeam('acme', 'cab', ['carla']);
    expect(await readTeamMembers(client(TOKENS.actions), ['@acme/cab'])).toEqual({
      '@acme/cab': { error: 'HTTP 403: Resource not accessible by integration' },
    });
    expect(await readTeamMembers(client(), ['@acme/nobody'])).toEqual({
      '@acme/nobody': { error: 'HTTP 404: the team does not exist, or the token cannot see it' },
    });
  });
});

describe('readCommits', () => {
  it("reads every commit's author and committer login, 100 a page", async () => {
    const commits = Array.from({ length: 120 }, (_, i) => ({
      sha: fakeSha(`c${i}`),
      author: i === 7 ? 'cody' : 'alice',
    }));
    gh.repo('acme/estate').addPullRequest({ number: 7, author: 'alice', commits });
    const read = await readCommits(client(), target, 7);
    expect(read.commits).toHaveLength(120);
    expect(read.commits[7]).toMatchObject({ sha: fakeSha('c7'), author: 'cody' });
    expect(read.truncated).toBe(false);
  });
});

describe('the changeops/cab status', () => {
  const sha = fakeSha('head');
  const status = (runId: number, attempt = 1, description = 'Missing: cab') => ({
    context: 'changeops/cab',
    state: 'pending' as const,
    description,
    targetUrl: `https://github.com/acme/estate/actions/runs/${runId}/attempts/${attempt}`,
    run: { runId, attempt },
  });
  const post = async (runId: number, attempt = 1, description?: string) => {
    const existing = await readGateStatuses(
      client(),
      target,
      sha,
      'changeops/cab',
      'changeops-app[bot]',
    );
    return postGateStatus(client(), target, sha, status(runId, attempt, description), existing);
  };
  beforeEach(() => {
    gh.repo('acme/estate').commitShas.add(sha);
  });

  it('is posted once, and not again when it says the same', async () => {
    expect(await post(100)).toEqual({ action: 'created' });
    expect(await post(101)).toEqual({ action: 'unchanged' });
    expect(gh.repo('acme/estate').statusesFor(sha)).toHaveLength(1);
  });

  it('never replaces one a later run (or a later attempt) posted', async () => {
    await post(200, 2);
    expect(await post(200, 1, 'Approved: cab (carla)')).toEqual({ action: 'skipped-newer' });
    expect(await post(150, 9, 'Approved: cab (carla)')).toEqual({ action: 'skipped-newer' });
    expect(await post(200, 3, 'Approved: cab (carla)')).toEqual({ action: 'created' });
  });

  it("is posted again over another identity's, and finds ours past the first page", async () => {
    const repo = gh.repo('acme/estate');
    await post(100);
    for (let i = 0; i < 120; i++) repo.addStatus(sha, { state: 'success', context: `ci/${i}` });
    repo.addStatus(sha, {
      state: 'success',
      context: 'changeops/cab',
      creator: 'github-actions[bot]',
    });
    const existing = await readGateStatuses(
      client(),
      target,
      sha,
      'changeops/cab',
      'changeops-app[bot]',
    );
    expect(existing.ours).toMatchObject({
      creator: 'changeops-app[bot]',
      run: { runId: 100, attempt: 1 },
    });
    expect(existing.foreign.map((s) => s.creator)).toEqual(['github-actions[bot]']);
    expect(await postGateStatus(client(), target, sha, status(100), existing)).toEqual({
      action: 'created',
    });
  });
});

describe('openRetrospectives', () => {
  const issue = {
    change: 'CHG-0300',
    marker: '<!-- changeops:retrospective change=CHG-0300 -->',
    title: 'Retrospective review of emergency change CHG-0300',
    body: '<!-- changeops:retrospective change=CHG-0300 -->\nReview it.\n',
    labels: [retrospectiveLabel],
  };

  it('opens one issue per change across runs, and none twice when a create fails after it was stored', async () => {
    gh.injectFault({ route: 'POST /repos/{owner}/{repo}/issues', status: 502, afterWrite: true });
    const first = await openRetrospectives(client(), target, 'changeops-app[bot]', [issue]);
    const again = await openRetrospectives(client(), target, 'changeops-app[bot]', [issue]);
    expect(first).toEqual([{ change: 'CHG-0300', number: 1, action: 'created' }]);
    expect(again).toEqual([{ change: 'CHG-0300', number: 1, action: 'exists' }]);
    expect(gh.repo('acme/estate').issues.size).toBe(1);
  });

  it("does not take a person's issue that quotes the marker for ours", async () => {
    gh.repo('acme/estate').addIssue({ title: 'copy', body: issue.body, author: 'mallory' });
    const opened = await openRetrospectives(client(), target, 'changeops-app[bot]', [issue]);
    expect(opened[0]).toMatchObject({ action: 'created' });
    expect(gh.repo('acme/estate').issues.size).toBe(2);
  });
});
