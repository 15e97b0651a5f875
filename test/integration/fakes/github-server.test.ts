import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fakeSha,
  startGitHubServer,
  TOKENS,
  type FakeGitHub,
  type FakeRepo,
} from '../../fakes/github-server.js';
import { pullRequestEvent, scenarioFromPullRequest } from '../../fakes/webhooks.js';

const owner = 'acme';
const repoName = 'estate';
const where = { owner, repo: repoName };

let gh: FakeGitHub;
let repo: FakeRepo;

// Octokit logs every failed request; these tests fail requests on purpose.
const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function client(token: string = TOKENS.app): Octokit {
  return new Octokit({ baseUrl: gh.url, auth: token, log });
}

async function failure(promise: Promise<unknown>): Promise<{
  status: number;
  data: { message?: string; documentation_url?: string };
  headers: Record<string, string | undefined>;
}> {
  try {
    await promise;
  } catch (error) {
    const e = error as {
      status: number;
      response?: { data: { message?: string }; headers: Record<string, string> };
    };
    return { status: e.status, data: e.response?.data ?? {}, headers: e.response?.headers ?? {} };
  }
  throw new Error('expected the request to fail');
}

beforeEach(async () => {
  gh = await startGitHubServer();
  repo = gh.repo(`${owner}/${repoName}`);
});

afterEach(async () => {
  try {
    gh.assertNoViolations();
  } finally {
    await gh.close();
  }
});

describe('pull requests', () => {
  it('returns a seeded pull request with its files and reviews', async () => {
    const pr = repo.addPullRequest({
      number: 7,
      author: 'alice',
      title: 'CHG-0042 upgrade the payments database',
      head: { sha: fakeSha('head'), ref: 'chg-0042' },
      base: { sha: fakeSha('base'), ref: 'main' },
      files: [
        {
          filename: 'changes/CHG-0042.yaml',
          status: 'added',
          additions: 30,
          patch: '@@ -0,0 +1,30 @@',
        },
        { filename: 'services/payments/db.ts', additions: 2, deletions: 1 },
      ],
      reviews: [
        { user: 'bob', state: 'APPROVED' },
        { user: 'renovate[bot]', state: 'APPROVED' },
        { user: 'carol', state: 'CHANGES_REQUESTED', commitId: fakeSha('older') },
      ],
    });
    const octokit = client();

    const { data: got } = await octokit.rest.pulls.get({ ...where, pull_number: 7 });
    const { data: files } = await octokit.rest.pulls.listFiles({ ...where, pull_number: 7 });
    const { data: reviews } = await octokit.rest.pulls.listReviews({ ...where, pull_number: 7 });

    expect(got).toMatchObject({
      number: 7,
      title: 'CHG-0042 upgrade the payments database',
      user: { login: 'alice', type: 'User' },
      head: { sha: pr.head.sha, ref: 'chg-0042', label: 'acme:chg-0042' },
      base: { sha: pr.base.sha, ref: 'main', repo: { full_name: 'acme/estate' } },
      additions: 32,
      deletions: 1,
      changed_files: 2,
      draft: false,
      state: 'open',
    });
    expect(files.map((f) => [f.filename, f.status, f.changes])).toEqual([
      ['changes/CHG-0042.yaml', 'added', 30],
      ['services/payments/db.ts', 'modified', 3],
    ]);
    expect(files[0]?.patch).toBe('@@ -0,0 +1,30 @@');
    expect(reviews.map((r) => [r.user?.login, r.user?.type, r.state, r.commit_id])).toEqual([
      ['bob', 'User', 'APPROVED', pr.head.sha],
      ['renovate[bot]', 'Bot', 'APPROVED', pr.head.sha],
      ['carol', 'User', 'CHANGES_REQUESTED', fakeSha('older')],
    ]);
  });

  it('paginates 150 reviews in two requests of 100, with a Link header', async () => {
    repo.addPullRequest({ number: 3 });
    repo.addReviews(
      3,
      Array.from({ length: 150 }, (_, i) => ({
        user: `reviewer-${i}`,
        state: 'APPROVED' as const,
      })),
    );
    const octokit = client();

    const first = await octokit.rest.pulls.listReviews({ ...where, pull_number: 3, per_page: 100 });
    gh.clearRequests();
    const all = await octokit.paginate(octokit.rest.pulls.listReviews, {
      ...where,
      pull_number: 3,
      per_page: 100,
    });

    expect(first.headers.link).toBe(
      `<${gh.url}/repos/acme/estate/pulls/3/reviews?per_page=100&page=2>; rel="next", ` +
        `<${gh.url}/repos/acme/estate/pulls/3/reviews?per_page=100&page=2>; rel="last"`,
    );
    expect(all).toHaveLength(150);
    expect(new Set(all.map((r) => r.user?.login)).size).toBe(150);
    expect(gh.requests.map((r) => r.url)).toEqual([
      '/repos/acme/estate/pulls/3/reviews?per_page=100',
      '/repos/acme/estate/pulls/3/reviews?per_page=100&page=2',
    ]);
  });

  it('pages files 30 at a time when per_page is not given', async () => {
    repo.addPullRequest({
      number: 4,
      files: Array.from({ length: 31 }, (_, i) => ({ filename: `cmdb/ci-${i}.yaml` })),
    });
    const octokit = client();

    const { data: firstPage } = await octokit.rest.pulls.listFiles({ ...where, pull_number: 4 });
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, { ...where, pull_number: 4 });

    expect(firstPage).toHaveLength(30);
    expect(all).toHaveLength(31);
  });

  it('describes a pull request from a fork with the fork as its head repository', async () => {
    repo.addPullRequest({
      number: 9,
      author: 'mallory',
      head: { repo: 'mallory/estate', ref: 'patch-1' },
    });

    const { data } = await client().rest.pulls.get({ ...where, pull_number: 9 });
    const { data: listed } = await client().rest.pulls.list({ ...where, head: 'mallory:patch-1' });

    expect(data.head).toMatchObject({
      label: 'mallory:patch-1',
      repo: { full_name: 'mallory/estate', fork: true, owner: { login: 'mallory', type: 'User' } },
    });
    expect(data.base.repo.fork).toBe(false);
    expect(listed.map((p) => p.number)).toEqual([9]);
  });

  it('leaves counts out of pull requests in a list, as GitHub does', async () => {
    repo.addPullRequest({ number: 1, files: [{ filename: 'a', additions: 5 }] });

    const { data } = await client().rest.pulls.list(where);

    expect(data).toHaveLength(1);
    expect(data[0]).not.toHaveProperty('additions');
  });

  it('serves an event payload and REST answers that agree on the pull request', async () => {
    const pr = repo.addPullRequest({ number: 12, author: 'alice' });
    const event = pullRequestEvent('opened', scenarioFromPullRequest('acme/estate', pr));

    const { data } = await client().rest.pulls.get({ ...where, pull_number: 12 });

    expect(event.pull_request.id).toBe(data.id);
    expect(event.pull_request.user.id).toBe(data.user.id);
    expect(event.repository.id).toBe(data.base.repo.id);
    expect(event.pull_request.head.sha).toBe(data.head.sha);
  });
});

describe('comments, statuses and issues', () => {
  it('creates, updates and lists comments as the token’s actor', async () => {
    repo.addPullRequest({ number: 7 });
    repo.addComment(7, { user: 'alice', body: 'Please look' });
    const actions = client(TOKENS.actions);

    const { data: created } = await actions.rest.issues.createComment({
      ...where,
      issue_number: 7,
      body: '<!-- changeops -->\nFirst',
    });
    const { data: updated } = await actions.rest.issues.updateComment({
      ...where,
      comment_id: created.id,
      body: '<!-- changeops -->\nSecond',
    });
    const { data: listed } = await client(TOKENS.app).rest.issues.listComments({
      ...where,
      issue_number: 7,
    });

    expect(created.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot', id: 41898282 });
    expect(created.performed_via_github_app?.slug).toBe('github-actions');
    expect(updated.body).toBe('<!-- changeops -->\nSecond');
    expect(listed.map((c) => [c.user?.login, c.body])).toEqual([
      ['alice', 'Please look'],
      ['github-actions[bot]', '<!-- changeops -->\nSecond'],
    ]);
    expect(repo.commentsOn(7)[1]).toMatchObject({ updatedBy: 'github-actions[bot]' });
  });

  it('records an App installation token’s writes as changeops-app[bot]', async () => {
    repo.addIssue({ number: 1, title: 'Problem' });

    const { data } = await client(TOKENS.app).rest.issues.createComment({
      ...where,
      issue_number: 1,
      body: 'hello',
    });

    expect(data.user).toMatchObject({ login: 'changeops-app[bot]', type: 'Bot' });
    expect(data.performed_via_github_app?.slug).toBe('changeops-app');
  });

  it('round-trips commit statuses with their creator and combines the latest per context', async () => {
    const pr = repo.addPullRequest({ number: 7 });
    const octokit = client(TOKENS.app);
    const post = (state: 'pending' | 'success' | 'failure', context: string) =>
      octokit.rest.repos.createCommitStatus({
        ...where,
        sha: pr.head.sha,
        state,
        context,
        description: `${state} for ${context}`,
        target_url: 'https://github.com/acme/estate/actions/runs/1',
      });

    const { data: first } = await post('pending', 'changeops/cab');
    await post('success', 'changeops/cab');
    await post('failure', 'ci/tests');
    const { data: statuses } = await octokit.rest.repos.listCommitStatusesForRef({
      ...where,
      ref: pr.head.sha,
    });
    const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({
      ...where,
      ref: 'chg-branch-that-is-not-there',
    });
    const { data: byBranch } = await octokit.rest.repos.getCombinedStatusForRef({
      ...where,
      ref: pr.head.ref,
    });

    expect(first.creator).toMatchObject({ login: 'changeops-app[bot]', type: 'Bot' });
    expect(statuses.map((s) => [s.context, s.state])).toEqual([
      ['ci/tests', 'failure'],
      ['changeops/cab', 'success'],
      ['changeops/cab', 'pending'],
    ]);
    expect(combined.total_count).toBe(0);
    expect(byBranch.state).toBe('failure');
    expect(byBranch.statuses.map((s) => [s.context, s.state])).toEqual([
      ['ci/tests', 'failure'],
      ['changeops/cab', 'success'],
    ]);
    expect(repo.statusesFor(pr.head.sha)[0]).toMatchObject({ creator: 'changeops-app[bot]' });
  });

  it('refuses a status on a commit it does not know, with 422 like GitHub', async () => {
    const answer = await failure(
      client().rest.repos.createCommitStatus({
        ...where,
        sha: fakeSha('nowhere'),
        state: 'success',
      }),
    );

    expect(answer.status).toBe(422);
    expect(answer.data.message).toBe(`No commit found for SHA: ${fakeSha('nowhere')}`);
  });

  it('round-trips issues and lists pull requests among them', async () => {
    repo.addPullRequest({ number: 1 });
    const octokit = client(TOKENS.app);

    const { data: created } = await octokit.rest.issues.create({
      ...where,
      title: 'Problem: CHG-0042 failed its health check',
      body: '<!-- changeops:problem CHG-0042 -->',
      labels: ['problem', 'changeops'],
      assignees: ['alice'],
    });
    await octokit.rest.issues.update({ ...where, issue_number: created.number, state: 'closed' });
    const { data: fetched } = await octokit.rest.issues.get({
      ...where,
      issue_number: created.number,
    });
    const { data: listed } = await octokit.rest.issues.listForRepo({ ...where, state: 'all' });
    const { data: labelled } = await octokit.rest.issues.listForRepo({
      ...where,
      state: 'all',
      labels: 'problem',
    });

    expect(created).toMatchObject({ number: 2, user: { login: 'changeops-app[bot]' } });
    expect(created.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual([
      'problem',
      'changeops',
    ]);
    expect(fetched).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
      closed_by: { login: 'changeops-app[bot]' },
      assignees: [{ login: 'alice' }],
    });
    expect(listed.map((i) => [i.number, i.pull_request === undefined ? 'issue' : 'pr'])).toEqual([
      [2, 'issue'],
      [1, 'pr'],
    ]);
    expect(labelled.map((i) => i.number)).toEqual([2]);
    expect(repo.issues.get(2)?.state).toBe('closed');
  });

  it('refuses a comment over 65,536 characters', async () => {
    repo.addIssue({ number: 1, title: 'x' });

    const answer = await failure(
      client().rest.issues.createComment({ ...where, issue_number: 1, body: 'x'.repeat(65_537) }),
    );

    expect(answer.status).toBe(422);
    expect(repo.commentsOn(1)).toHaveLength(0);
  });
});

describe('identities and permissions', () => {
  beforeEach(() => {
    gh.addTeam('acme', 'cab', [
      'bob',
      { login: 'dave', state: 'pending' },
      { login: 'erin', role: 'maintainer' },
    ]);
  });

  it('answers a team membership check with 200, 404 or 403 as configured', async () => {
    const app = client(TOKENS.app);
    const check = (token: string, username: string, team = 'cab') =>
      client(token).rest.teams.getMembershipForUserInOrg({
        org: 'acme',
        team_slug: team,
        username,
      });

    const active = await check(TOKENS.app, 'bob');
    const pending = await check(TOKENS.app, 'dave');
    const maintainer = await check(TOKENS.app, 'erin');
    const stranger = await failure(check(TOKENS.app, 'mallory'));
    const noTeam = await failure(check(TOKENS.app, 'bob', 'ecab'));
    const githubToken = await failure(check(TOKENS.actions, 'bob'));
    const { data: members } = await app.rest.teams.listMembersInOrg({
      org: 'acme',
      team_slug: 'cab',
    });

    expect(active.data).toMatchObject({ state: 'active', role: 'member' });
    expect(pending.data).toMatchObject({ state: 'pending' });
    expect(maintainer.data).toMatchObject({ state: 'active', role: 'maintainer' });
    expect(stranger.status).toBe(404);
    expect(noTeam.status).toBe(404);
    expect(githubToken.status).toBe(403);
    expect(githubToken.data.message).toBe('Resource not accessible by integration');
    expect(githubToken.data.documentation_url).toMatch(/^https:\/\/docs\.github\.com\/rest\/teams/);
    expect(githubToken.headers['x-accepted-github-permissions']).toBe('members=read');
    expect(members.map((m) => m.login)).toEqual(['bob', 'erin']);
  });

  it('answers 403 to a membership check once the App loses the members permission', async () => {
    gh.setPermission(TOKENS.app, 'members', 'none');

    const answer = await failure(
      client(TOKENS.app).rest.teams.getMembershipForUserInOrg({
        org: 'acme',
        team_slug: 'cab',
        username: 'bob',
      }),
    );

    expect(answer.status).toBe(403);
  });

  it('refuses writes from a fork’s read-only token with 403 and writes nothing', async () => {
    const pr = repo.addPullRequest({ number: 7 });
    const fork = client(TOKENS.forkReadOnly);

    const { data } = await fork.rest.pulls.get({ ...where, pull_number: 7 });
    const comment = await failure(
      fork.rest.issues.createComment({ ...where, issue_number: 7, body: 'x' }),
    );
    const status = await failure(
      fork.rest.repos.createCommitStatus({ ...where, sha: pr.head.sha, state: 'success' }),
    );

    expect(data.number).toBe(7);
    expect(comment.status).toBe(403);
    expect(status.status).toBe(403);
    expect(repo.comments).toHaveLength(0);
    expect(repo.statuses).toHaveLength(0);
  });

  it('answers 401 to an unknown token and 403 to GET /user from an installation token', async () => {
    const unknown = await failure(client('ghp_nobody').rest.pulls.list(where));
    const user = await failure(client(TOKENS.actions).rest.users.getAuthenticated());
    const { data: octocat } = await client(TOKENS.user).rest.users.getAuthenticated();

    expect(unknown).toMatchObject({ status: 401, data: { message: 'Bad credentials' } });
    expect(user.status).toBe(403);
    expect(octocat.login).toBe('octocat');
  });

  it('mints an installation token for a JWT signed by the App and acts as the App', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await gh.close();
    gh = await startGitHubServer({ app: { id: 99, publicKey: keys.publicKey } });
    const pr = gh.repo('acme/estate').addPullRequest({ number: 1 });
    const jwt = appJwt(keys.privateKey, 99);
    const asApp = new Octokit({ baseUrl: gh.url, auth: jwt, log });

    const { data: installation } = await asApp.rest.apps.getRepoInstallation(where);
    const { data: token } = await asApp.rest.apps.createInstallationAccessToken({
      installation_id: installation.id,
      permissions: { statuses: 'write', pull_requests: 'read' },
    });
    const { data: status } = await client(token.token).rest.repos.createCommitStatus({
      ...where,
      sha: pr.head.sha,
      state: 'success',
      context: 'changeops/cab',
    });
    const forged = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const refused = await failure(
      new Octokit({
        baseUrl: gh.url,
        auth: appJwt(forged.privateKey, 99),
      }).rest.apps.getRepoInstallation(where),
    );
    const notJwt = await failure(client(TOKENS.app).rest.apps.getRepoInstallation(where));

    expect(installation).toMatchObject({ app_slug: 'changeops-app', account: { login: 'acme' } });
    expect(token.token).toMatch(/^ghs_/);
    expect(status.creator?.login).toBe('changeops-app[bot]');
    expect(refused.status).toBe(401);
    expect(notJwt.status).toBe(401);
  });
});

describe('contents and comparisons', () => {
  it('serves files at a ref as base64, raw, or a directory listing', async () => {
    const base = fakeSha('base');
    repo.setContents(['main', base], {
      'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\n',
      'cmdb/payments.yaml': 'id: payments-api\n',
      'cmdb/db/pg.yaml': 'id: pg-payments\n',
    });
    const octokit = client();

    const { data: file } = await octokit.rest.repos.getContent({
      ...where,
      path: 'changeops.yaml',
      ref: base,
    });
    const raw = await octokit.rest.repos.getContent({
      ...where,
      path: 'cmdb/db/pg.yaml',
      mediaType: { format: 'raw' },
    });
    const { data: dir } = await octokit.rest.repos.getContent({ ...where, path: 'cmdb' });
    const missing = await failure(octokit.rest.repos.getContent({ ...where, path: 'nope.yaml' }));
    const noRef = await failure(
      octokit.rest.repos.getContent({ ...where, path: 'changeops.yaml', ref: 'gone' }),
    );

    expect(Array.isArray(file)).toBe(false);
    const content = (file as { content: string; encoding: string }).content;
    expect(Buffer.from(content, 'base64').toString('utf8')).toBe(
      'apiVersion: changeops/v1\nkind: Policy\n',
    );
    expect(raw.data as unknown).toBe('id: pg-payments\n');
    expect((dir as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([
      ['db', 'dir'],
      ['payments.yaml', 'file'],
    ]);
    expect(missing.status).toBe(404);
    expect(noRef.status).toBe(404);
  });

  it('compares a PR’s base and head with the PR’s files', async () => {
    const pr = repo.addPullRequest({
      number: 5,
      files: [{ filename: 'changes/CHG-1.yaml', status: 'added' }],
    });

    const { data } = await client().rest.repos.compareCommitsWithBasehead({
      ...where,
      basehead: `${pr.base.sha}...${pr.head.sha}`,
    });

    expect(data.status).toBe('ahead');
    expect(data.files?.map((f) => f.filename)).toEqual(['changes/CHG-1.yaml']);
    expect(data.commits.map((c) => c.sha)).toEqual([pr.head.sha]);
  });
});

describe('validation against GitHub’s OpenAPI description', () => {
  it('rejects a status whose state is "green" and records it as a violation', async () => {
    const pr = repo.addPullRequest({ number: 7 });

    const answer = await failure(
      // A plain string route escapes octokit's types, as a caller's bad data would.
      client().request('POST /repos/{owner}/{repo}/statuses/{sha}' as string, {
        ...where,
        sha: pr.head.sha,
        state: 'green',
      }),
    );
    const violations = gh.takeViolations();

    expect(answer.status).toBe(422);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      kind: 'invalid-request',
      route: 'POST /repos/{owner}/{repo}/statuses/{sha}',
    });
    expect(violations[0]?.messages.join('\n')).toContain(
      '/state must be equal to one of the allowed values',
    );
    expect(repo.statuses).toHaveLength(0);
  });

  it('fails assertNoViolations with a list of what went wrong', async () => {
    await failure(client().request('GET /repos/{owner}/{repo}/frobnicate', where));

    expect(() => gh.assertNoViolations()).toThrow(
      /\[unknown-route\] GET \/repos\/acme\/estate\/frobnicate\n\s+no operation of GitHub's REST API has this path/,
    );
    gh.takeViolations();
  });

  it('records a misspelt query parameter and a body field GitHub would ignore', async () => {
    await failure(client().request('GET /repos/{owner}/{repo}/pulls', { ...where, perpage: 100 }));
    repo.addIssue({ number: 1, title: 'x' });
    await failure(
      client().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...where,
        issue_number: 1,
        body: 'hello',
        pull_number: 1,
      }),
    );

    const messages = gh.takeViolations().flatMap((v) => v.messages);
    expect(messages).toEqual([
      '/query must NOT have additional properties ("perpage")',
      '/pull_number is not a field this operation accepts',
    ]);
  });

  it('records a valid request the fake cannot answer, until a test adds a handler', async () => {
    const octokit = client();
    const unhandled = await failure(octokit.rest.repos.listBranches(where));
    expect(unhandled.status).toBe(404);
    expect(gh.takeViolations().map((v) => v.kind)).toEqual(['unhandled-operation']);

    gh.handle('GET /repos/{owner}/{repo}/branches', (ctx) => ({
      status: 200,
      body: ctx.paginate([
        { name: 'main', commit: { sha: fakeSha('main'), url: `${gh.url}/x` }, protected: true },
      ]),
    }));
    const { data } = await octokit.rest.repos.listBranches(where);

    expect(data.map((b) => b.name)).toEqual(['main']);
  });

  it('records an answer of the fake itself that breaks the response schema', async () => {
    gh.handle('GET /repos/{owner}/{repo}/branches', () => ({
      status: 200,
      body: [{ name: 'main' }],
    }));

    await client().rest.repos.listBranches(where);
    const violations = gh.takeViolations();

    expect(violations.map((v) => v.kind)).toEqual(['invalid-response']);
    expect(violations[0]?.messages.join('\n')).toContain("must have required property 'commit'");
  });
});

describe('faults', () => {
  it('creates the comment but answers 502 when the fault strikes after the write', async () => {
    repo.addPullRequest({ number: 7 });
    const fault = gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      status: 502,
      afterWrite: true,
    });

    const answer = await failure(
      client().rest.issues.createComment({ ...where, issue_number: 7, body: 'sticky' }),
    );

    expect(answer.status).toBe(502);
    expect(answer.data).toMatchObject({ message: 'Server Error' });
    expect(fault.hits).toBe(1);
    expect(repo.commentsOn(7).map((c) => c.body)).toEqual(['sticky']);
  });

  it('shows the duplicate comment plugin-retry makes when it retries a 502 that followed the write', async () => {
    repo.addPullRequest({ number: 7 });
    gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      status: 502,
      afterWrite: true,
    });
    const RetryingOctokit = Octokit.plugin(retry);
    const octokit = new RetryingOctokit({
      baseUrl: gh.url,
      auth: TOKENS.app,
      log,
      retry: { retryAfterBaseValue: 1 },
    });

    const { status } = await octokit.rest.issues.createComment({
      ...where,
      issue_number: 7,
      body: 'sticky',
    });

    // The client saw one success; GitHub holds two comments. The product must guard this.
    expect(status).toBe(201);
    expect(repo.commentsOn(7).map((c) => c.body)).toEqual(['sticky', 'sticky']);
    expect(gh.requests.map((r) => [r.method, r.status, r.faulted])).toEqual([
      ['POST', 502, true],
      ['POST', 201, false],
    ]);
  });

  it('answers before the write when afterWrite is not set, so nothing is created', async () => {
    repo.addPullRequest({ number: 7 });
    gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      status: 500,
    });

    const answer = await failure(
      client().rest.issues.createComment({ ...where, issue_number: 7, body: 'x' }),
    );

    expect(answer.status).toBe(500);
    expect(repo.comments).toHaveLength(0);
  });

  it('makes a throttled client wait retry-after seconds on a secondary rate limit', async () => {
    repo.addPullRequest({ number: 7 });
    gh.injectFault({
      route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      kind: 'secondary-rate-limit',
      retryAfter: 1,
    });
    const waits: number[] = [];
    const ThrottledOctokit = Octokit.plugin(throttling);
    const octokit = new ThrottledOctokit({
      baseUrl: gh.url,
      auth: TOKENS.app,
      log,
      throttle: {
        onSecondaryRateLimit: (retryAfter: number) => {
          waits.push(retryAfter);
          return true;
        },
        onRateLimit: () => false,
      },
    });

    const { data } = await octokit.rest.pulls.get({ ...where, pull_number: 7 });

    const [limited, retried] = gh.requests;
    expect(data.number).toBe(7);
    expect(waits).toEqual([1]);
    expect(limited).toMatchObject({ status: 403, faulted: true });
    expect(retried).toMatchObject({ status: 200 });
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
  });

  it('sends GitHub’s error body, retry-after and rate-limit headers with a 429', async () => {
    gh.injectFault({ route: 'GET /repos/{owner}/{repo}', status: 429, retryAfter: 30 });

    const res = await fetch(`${gh.url}/repos/acme/estate`, {
      headers: { authorization: `token ${TOKENS.app}` },
    });
    const body = (await res.json()) as { message: string; documentation_url: string };

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(res.headers.get('x-ratelimit-resource')).toBe('core');
    expect(body.message).toMatch(/secondary rate limit/);
    expect(body.documentation_url).toMatch(/^https:\/\/docs\.github\.com\//);
  });

  it('answers 403 with x-ratelimit-remaining 0 once a token’s hourly budget is spent', async () => {
    const limit = gh.rateLimit(TOKENS.actions);
    limit.used = limit.limit;

    const answer = await failure(client(TOKENS.actions).rest.repos.get(where));
    const { data: rate } = await client(TOKENS.actions).rest.rateLimit.get();

    expect(answer.status).toBe(403);
    expect(answer.headers['x-ratelimit-remaining']).toBe('0');
    expect(answer.data.message).toMatch(/^API rate limit exceeded/);
    expect(rate.resources.core).toMatchObject({ limit: 1000, remaining: 0 });
  });

  it('slows only the matching requests, for as many times as asked', async () => {
    repo.addPullRequest({ number: 1 });
    repo.addPullRequest({ number: 2 });
    gh.injectFault({
      route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      match: (r) => r.params.pull_number === 2,
      delayMs: 150,
      times: Infinity,
    });
    const octokit = client();

    await octokit.rest.pulls.get({ ...where, pull_number: 1 });
    await octokit.rest.pulls.get({ ...where, pull_number: 2 });
    await octokit.rest.pulls.get({ ...where, pull_number: 2 });

    expect(gh.requests.map((r) => r.durationMs >= 150)).toEqual([false, true, true]);
  });
});

describe('request log', () => {
  it('counts reads and writes, by route template', async () => {
    const pr = repo.addPullRequest({ number: 7 });
    const octokit = client();

    await octokit.rest.pulls.get({ ...where, pull_number: 7 });
    await octokit.rest.pulls.listReviews({ ...where, pull_number: 7 });
    await octokit.rest.issues.listComments({ ...where, issue_number: 7 });
    await octokit.rest.issues.createComment({ ...where, issue_number: 7, body: 'x' });
    await octokit.rest.repos.createCommitStatus({ ...where, sha: pr.head.sha, state: 'pending' });

    expect(gh.requestCounts()).toEqual({ reads: 3, writes: 2, total: 5 });
    expect(gh.requests.map((r) => r.route)).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/statuses/{sha}',
    ]);
    expect(gh.requests[4]).toMatchObject({
      write: true,
      actor: 'changeops-app[bot]',
      body: { state: 'pending' },
    });
  });
});

/** An RS256 JWT as a GitHub App signs it to call the /app endpoints. */
function appJwt(privateKey: KeyObject, appId: number): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 60, exp: now + 540, iss: appId })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}
