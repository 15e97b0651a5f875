import { describe, expect, it } from 'vitest';
import { TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  mergeGroupEvent,
  pullRequestEvent,
  scenarioFromPullRequest,
  workflowDispatchEvent,
  writeEventFile,
} from '../fakes/webhooks.js';
import { baseEstate, changeRecord, makeCheckout, type Checkout, type Files } from './checkout.js';
import { runAction, type ActionRun } from './run-action.js';
import { fakeGitHubPerTest } from '../fakes/per-test.js';

const marker = '<!-- changeops:report -->';
const commentsRoute = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';

let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

/** A pull request #7 on acme/estate whose shas are the checkout's real commits. */
function pullRequest(checkout: Checkout, files: string[]) {
  const repo = gh.repo('acme/estate');
  const pr = repo.addPullRequest({
    number: 7,
    author: 'alice',
    head: { sha: checkout.headSha, ref: 'feature' },
    base: { sha: checkout.baseSha, ref: 'main' },
    mergeCommitSha: checkout.mergeSha,
    files: files.map((filename) => ({ filename, status: 'added' })),
  });
  return { repo, pr };
}

async function check(
  checkout: Checkout,
  pr: Parameters<typeof scenarioFromPullRequest>[1],
  options: {
    token?: string;
    runId?: number;
    event?: string;
    payload?: unknown;
    inputs?: Record<string, string>;
  } = {},
): Promise<ActionRun> {
  const payload =
    options.payload ?? pullRequestEvent('synchronize', scenarioFromPullRequest('acme/estate', pr));
  const env = actionsEnvironment({
    eventName: (options.event ?? 'pull_request') as 'pull_request',
    payload,
    eventPath: writeEventFile(payload),
    apiUrl: gh.url,
    sha: checkout.mergeSha,
  });
  if (options.event) env.GITHUB_EVENT_NAME = options.event;
  if (options.event === 'merge_group') env.GITHUB_SHA = checkout.mergeSha;
  if (options.runId) env.GITHUB_RUN_ID = String(options.runId);
  return runAction({
    cwd: checkout.dir,
    env,
    inputs: { command: 'check', token: options.token ?? TOKENS.actions, ...options.inputs },
  });
}

describe('changeops check on a pull request (the bundled action)', () => {
  it('posts one sticky report comment, writes the job summary and sets the outputs', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    const run = await check(checkout, pr);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const comments = repo.commentsOn(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.user).toBe('github-actions[bot]');
    expect(comments[0]!.body.split('\n')[0]).toBe(marker);
    expect(comments[0]!.body).toContain('CHG-0100');
    expect(run.outputs.changes).toBe('["CHG-0100"]');
    expect(JSON.parse(run.outputs.impacted!)).toEqual(['orders-api', 'pg-orders', 'shop']);
    expect(run.outputs.risk).toBe('medium');
    expect(run.outputs.errors).toBe('0');
    expect(run.outputs['comment-id']).toBe(String(comments[0]!.id));
    expect(run.summary).toContain('CHG-0100');
    // First run: list (none yet), create, list again to collapse concurrent duplicates.
    expect(gh.requestCounts()).toEqual({ reads: 2, writes: 1, total: 3 });
  });

  it('makes no write when a re-run finds nothing changed', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    await check(checkout, pr);
    gh.requests.length = 0;
    const again = await check(checkout, pr);

    expect(again.code).toBe(0);
    expect(gh.requestCounts()).toEqual({ reads: 1, writes: 0, total: 1 });
    expect(gh.requestCount({ route: commentsRoute })).toBe(1);
    expect(repo.commentsOn(7)).toHaveLength(1);
  });

  it('annotates each finding on its file and line and fails the step on errors', async () => {
    const broken = changeRecord('CHG-0101').replace(/ {2}backout: .*\n/, '');
    const checkout = await makeCheckout({ 'changes/CHG-0101-no-backout.yaml': broken });
    const { pr } = pullRequest(checkout, ['changes/CHG-0101-no-backout.yaml']);
    const run = await check(checkout, pr);

    expect(run.code).toBe(1);
    const error = run.annotations.find(
      (a) => a.level === 'error' && a.properties.file === 'changes/CHG-0101-no-backout.yaml',
    );
    expect(error?.properties.line).toBe('12');
    expect(error?.message).toContain('plan.backout');
    expect(run.outputs.errors).toBe('1');
    expect(run.stdout).toMatch(
      /^::error::1 error-level findings; see the pull request comment or the job summary$/m,
    );
  });

  it('leaves exactly one comment after 20 re-runs', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    for (let i = 0; i < 20; i++) await check(checkout, pr, { runId: 1000 + i });
    expect(repo.commentsOn(7)).toHaveLength(1);
    // After the first run nothing but the run number changed: no run after it wrote.
    expect(gh.requests.filter((r) => r.write)).toHaveLength(1);
  });

  it('leaves exactly one comment when two runs race', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    const runs = await Promise.all([check(checkout, pr), check(checkout, pr)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(repo.commentsOn(7)).toHaveLength(1);
  });

  it('leaves exactly one comment when GitHub answers 502 after creating it', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      status: 502,
      afterWrite: true,
    });
    const run = await check(checkout, pr);
    expect(run.code).toBe(0);
    expect(repo.commentsOn(7)).toHaveLength(1);
  });

  it('never overwrites the report of a later run with an earlier one', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    await check(checkout, pr, { runId: 2000 });
    const body = repo.commentsOn(7)[0]!.body;
    // An older run (a re-run of an earlier workflow) on a head whose report would differ.
    repo.commentsOn(7)[0]!.body = body.replace('CHG-0100', 'CHG-0100 (newer)');
    gh.requests.length = 0;
    await check(checkout, pr, { runId: 1999 });
    expect(gh.requestCounts().writes).toBe(0);
  });

  it('reports without failing when a fork pull request gets a read-only token', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    const run = await check(checkout, pr, { token: TOKENS.forkReadOnly });
    expect(run.code).toBe(0);
    expect(repo.commentsOn(7)).toHaveLength(0);
    expect(
      run.annotations.some(
        (a) =>
          a.level === 'warning' &&
          a.message.includes('could not write the pull request comment (HTTP 403'),
      ),
    ).toBe(true);
    expect(run.summary).toContain('CHG-0100');
  });

  it('explains itself on an event it does not run on', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    const run = await check(checkout, pr, { event: 'issues' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::changeops check runs on pull_request, pull_request_target, merge_group, workflow_dispatch; this run was triggered by "issues".',
    );
    expect(gh.requestCounts().total).toBe(0);
  });

  it('checks a merge queue group against its base without commenting', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const payload = mergeGroupEvent({
      owner: 'acme',
      repo: 'estate',
      baseSha: checkout.baseSha,
      headSha: checkout.mergeSha,
      prNumber: 7,
    });
    const run = await check(checkout, { number: 0 } as never, { event: 'merge_group', payload });
    expect(run.code).toBe(0);
    expect(run.outputs.changes).toBe('["CHG-0100"]');
    expect(gh.requestCounts().total).toBe(0);
  });

  it('waits out a secondary rate limit as GitHub asks (retry-after) and still comments once', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const { repo, pr } = pullRequest(checkout, ['changes/CHG-0100-orders-index.yaml']);
    gh.injectFault({ route: commentsRoute, kind: 'secondary-rate-limit', retryAfter: 1 });
    const started = Date.now();
    const run = await check(checkout, pr);
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(repo.commentsOn(7)).toHaveLength(1);
    expect(run.stdout).toContain('secondary rate limit on GET');
  });

  it('evaluates every pending change on workflow_dispatch, without a pull request to comment on', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const payload = workflowDispatchEvent({ owner: 'acme', repo: 'estate' });
    const run = await check(checkout, { number: 0 } as never, {
      event: 'workflow_dispatch',
      payload,
    });
    expect(run.code).toBe(0);
    expect(run.outputs.changes).toBe('["CHG-0100"]');
    expect(run.summary).toContain('CHG-0100');
    expect(gh.requestCounts().total).toBe(0);
  });
});

describe('the sticky comment with any token, and one report per folder (the bundled action)', () => {
  const change = { 'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100') };
  const warnings = (run: ActionRun) =>
    run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

  it('keeps one comment under a personal access token, whose login it reads once a run', async () => {
    const checkout = await makeCheckout(change);
    const { repo, pr } = pullRequest(checkout, Object.keys(change));
    const first = await check(checkout, pr, { token: TOKENS.user, runId: 3001 });
    const second = await check(checkout, pr, {
      token: TOKENS.user,
      runId: 3002,
      payload: pullRequestEvent(
        'synchronize',
        scenarioFromPullRequest('acme/estate', { ...pr, title: 'Another title' }),
      ),
    });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stderr + second.stderr).toBe('');
    expect(first.stdout + second.stdout).not.toContain('Cannot read properties');
    expect(repo.commentsOn(7).map((c) => c.user)).toEqual(['octocat']);
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id']);
    expect(gh.requestCount({ route: 'GET /user' })).toBe(2);
    expect(warnings(first)).toEqual([]);
  });

  it('keeps one comment under an App token with the default bot-login, and says which bot-login to set', async () => {
    const checkout = await makeCheckout(change);
    const { repo, pr } = pullRequest(checkout, Object.keys(change));
    const first = await check(checkout, pr, { token: TOKENS.app, runId: 3101 });
    const second = await check(checkout, pr, { token: TOKENS.app, runId: 3102 });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stderr + second.stderr).toBe('');
    expect(repo.commentsOn(7).map((c) => c.user)).toEqual(['changeops-app[bot]']);
    const advice =
      'the token comments as changeops-app[bot], not as github-actions[bot] (the bot-login input); set bot-login: changeops-app[bot] in the workflow, so that the report comment is told from other comments by its login';
    expect(warnings(first)).toEqual([advice]);
    expect(warnings(second)).toEqual([advice]);
    // An installation token cannot read GET /user: it is never asked.
    expect(gh.requestCount({ route: 'GET /user' })).toBe(0);
  });

  it('says nothing more when bot-login names the App', async () => {
    const checkout = await makeCheckout(change);
    const { repo, pr } = pullRequest(checkout, Object.keys(change));
    const run = await check(checkout, pr, {
      token: TOKENS.app,
      inputs: { 'bot-login': 'changeops-app[bot]' },
    });
    expect(run.code).toBe(0);
    expect(warnings(run)).toEqual([]);
    expect(repo.commentsOn(7).map((c) => c.user)).toEqual(['changeops-app[bot]']);
  });

  it('keeps two reports for two changeops steps with different dir', async () => {
    const inFolder = (folder: string, files: Files) =>
      Object.fromEntries(Object.entries(files).map(([path, text]) => [`${folder}/${path}`, text]));
    const base = { ...inFolder('estates/eu', baseEstate), ...inFolder('estates/us', baseEstate) };
    const head = {
      'estates/eu/changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
      'estates/us/changes/CHG-0200-orders-index.yaml': changeRecord('CHG-0200'),
    };
    const checkout = await makeCheckout(head, base);
    const { repo, pr } = pullRequest(checkout, Object.keys(head));
    const eu = await check(checkout, pr, { inputs: { dir: 'estates/eu' } });
    const us = await check(checkout, pr, { inputs: { dir: 'estates/us' } });
    const again = await check(checkout, pr, { inputs: { dir: './estates/eu/' } });
    expect([eu.code, us.code, again.code]).toEqual([0, 0, 0]);
    const comments = repo.commentsOn(7);
    expect(comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- changeops:report dir=estates/eu -->',
      '<!-- changeops:report dir=estates/us -->',
    ]);
    expect(comments[0]!.body).toContain('## Change report for `estates/eu`');
    expect(comments[0]!.body).toContain('CHG-0100');
    expect(comments[1]!.body).toContain('CHG-0200');
    expect(again.outputs['comment-id']).toBe(eu.outputs['comment-id']);
  });

  it('fails with a clear sentence when the dir input holds nothing changeops reads', async () => {
    const checkout = await makeCheckout(change);
    const { repo, pr } = pullRequest(checkout, Object.keys(change));
    const run = await check(checkout, pr, { inputs: { dir: 'services' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `::error::${checkout.dir}/services holds no changeops.yaml, changes/ or cmdb/: is the "dir" input right?`,
    );
    expect(repo.commentsOn(7)).toHaveLength(0);
  });

  it('says in the comment that the default policy is in force when there is no changeops.yaml', async () => {
    const { 'changeops.yaml': _policy, ...withoutPolicy } = baseEstate;
    const checkout = await makeCheckout(change, withoutPolicy);
    const { repo, pr } = pullRequest(checkout, Object.keys(change));
    const run = await check(checkout, pr);
    expect(run.code).toBe(0);
    expect(repo.commentsOn(7)[0]!.body).toContain(
      'there is no changeops.yaml, so the default policy is in force',
    );
  });
});
