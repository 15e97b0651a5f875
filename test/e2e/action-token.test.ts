import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  pullRequestEvent,
  scenarioFromPullRequest,
  workflowDispatchEvent,
  writeEventFile,
} from '../fakes/webhooks.js';
import { DatedRepo, changeYaml, ciYaml, githubUser } from '../integration/report/dated-repo.js';
import { changeRecord, makeCheckout, type Checkout } from './checkout.js';
import { deployedChange, makeDeploy, pushEnvironment } from './deploy.js';
import { gateEstate, lowRisk, runGate, seedTeams } from './gate-harness.js';
import { runAction, type ActionRun } from './run-action.js';
import { fakeGitHubPerTest } from '../fakes/per-test.js';

// A bad or empty token never loses the report: the bundled action writes its outputs and the job
// summary first, and what it cannot write to GitHub becomes a warning that says why. Run as the
// runner runs it, against the OpenAPI-checked fake GitHub, which answers 401 Bad credentials to a
// token it does not know.

let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

const warnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

describe('command: check with a token GitHub refuses, or none', () => {
  let checkout: Checkout;
  let failing: Checkout;
  beforeAll(async () => {
    checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    failing = await makeCheckout({
      'changes/CHG-0101-no-backout.yaml': changeRecord('CHG-0101').replace(/ {2}backout: .*\n/, ''),
    });
  });

  async function check(on: Checkout, file: string, token: string): Promise<ActionRun> {
    const pr = gh.repo('acme/estate').addPullRequest({
      number: 7,
      author: 'alice',
      head: { sha: on.headSha, ref: 'feature' },
      base: { sha: on.baseSha, ref: 'main' },
      mergeCommitSha: on.mergeSha,
      files: [{ filename: file, status: 'added' }],
    });
    const payload = pullRequestEvent('synchronize', scenarioFromPullRequest('acme/estate', pr));
    return runAction({
      cwd: on.dir,
      env: actionsEnvironment({
        eventName: 'pull_request',
        payload,
        eventPath: writeEventFile(payload),
        apiUrl: gh.url,
        sha: on.mergeSha,
      }),
      inputs: { command: 'check', token },
    });
  }

  it('keeps the summary and outputs and warns when GitHub answers 401 to an installation token', async () => {
    const run = await check(checkout, 'changes/CHG-0100-orders-index.yaml', 'ghs_revoked0000');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.summary).toContain('CHG-0100');
    expect(run.outputs).toMatchObject({ changes: '["CHG-0100"]', errors: '0', valid: 'true' });
    expect(run.outputs['comment-id']).toBeUndefined();
    expect(warnings(run)).toEqual([
      'could not write the pull request comment (HTTP 401: Bad credentials; GitHub does not accept the token, check the token input); the report is in the job summary',
    ]);
    expect(gh.repo('acme/estate').commentsOn(7)).toHaveLength(0);
    // One try: a 401 is never retried.
    expect(gh.requestCounts()).toEqual({ reads: 1, writes: 0, total: 1 });
  });

  it('keeps the summary and outputs and warns when GitHub refuses a personal access token', async () => {
    const run = await check(checkout, 'changes/CHG-0100-orders-index.yaml', 'ghp_expired0000');
    expect(run.code).toBe(0);
    expect(run.summary).toContain('CHG-0100');
    expect(run.outputs.changes).toBe('["CHG-0100"]');
    expect(warnings(run)).toHaveLength(1);
    expect(warnings(run)[0]).toMatch(
      /^no pull request comment: GitHub does not accept the token \(GET \/user: 401 Bad credentials.*\); check the token input$/,
    );
  });

  it('keeps the summary and outputs and says the token input is empty', async () => {
    const run = await check(checkout, 'changes/CHG-0100-orders-index.yaml', '');
    expect(run.code).toBe(0);
    expect(run.summary).toContain('CHG-0100');
    expect(run.outputs).toMatchObject({ changes: '["CHG-0100"]', risk: 'medium' });
    expect(warnings(run)).toEqual([
      'no pull request comment: the token input is empty, so nothing is written to GitHub; the report is in the job summary',
    ]);
    expect(gh.requestCounts().total).toBe(0);
  });

  it('still fails the step on an error-level finding, after the summary, outputs and warning', async () => {
    const run = await check(failing, 'changes/CHG-0101-no-backout.yaml', 'ghs_revoked0000');
    expect(run.code).toBe(1);
    expect(run.summary).toContain('CHG-0101');
    expect(run.outputs.errors).toBe('1');
    expect(warnings(run)[0]).toMatch(/^could not write the pull request comment \(HTTP 401/);
    expect(run.stdout).toMatch(/^::error::1 error-level findings; see the pull request comment/m);
    // The order the runner sees: the warning before the step fails.
    expect(run.stdout.indexOf('::warning::could not write')).toBeLessThan(
      run.stdout.indexOf('::error::1 error-level findings'),
    );
  });
});

describe('command: report with a token GitHub refuses, or none', () => {
  let repo: DatedRepo;
  beforeAll(() => {
    repo = new DatedRepo();
    repo.write({
      'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
      'cmdb/pg.yaml': ciYaml('pg'),
      'changes/CHG-0001.yaml': changeYaml('CHG-0001', { status: 'implemented', cis: ['pg'] }),
    });
    repo.commit('CHG-0001 done (#1)', '2026-01-07T09:00:00Z', githubUser('octocat'));
  });
  afterAll(() => repo.remove());

  const report = (token: string) => {
    const payload = workflowDispatchEvent({ owner: 'acme', repo: 'shop' });
    return runAction({
      cwd: repo.dir,
      env: actionsEnvironment({
        eventName: 'workflow_dispatch',
        payload,
        eventPath: writeEventFile(payload),
        apiUrl: gh.url,
      }),
      inputs: { command: 'report', token },
    });
  };

  it('keeps the KPIs and warns when GitHub answers 401', async () => {
    const run = await report('ghs_revoked0000');
    expect(run.code).toBe(0);
    expect(run.outputs['changes-total']).toBe('1');
    expect(run.outputs['success-rate']).toBe('1');
    expect(run.summary).toContain('```mermaid');
    expect(warnings(run)).toEqual([
      'the problem issues could not be read from GitHub (HTTP 401: Bad credentials; GitHub does not accept the token, check the token input), so only those the records name (review.problemIssue) are counted',
    ]);
  });

  it('keeps the KPIs and warns that nothing was read without a token', async () => {
    const run = await report('');
    expect(run.code).toBe(0);
    expect(run.outputs['changes-total']).toBe('1');
    expect(run.summary).toContain('```mermaid');
    expect(warnings(run)).toEqual([
      'the token input is empty, so the problem issues on GitHub were not read: only those the records name (review.problemIssue) are counted',
    ]);
    expect(gh.requestCounts().total).toBe(0);
  });
});

describe('command: verify with a token GitHub refuses, or none', () => {
  const record = 'changes/CHG-0100-orders-index.yaml';
  const verify = async (gh: FakeGitHub, token: string) => {
    const deploy = await makeDeploy(gh, {
      [record]: deployedChange('CHG-0100'),
      'services/orders/index.sql': 'CREATE INDEX;\n',
    });
    const run = await runAction({
      cwd: deploy.dir,
      env: { ...pushEnvironment(gh, deploy, 501), HEALTH: 'fail' },
      inputs: { command: 'verify', token },
    });
    return { deploy, run };
  };

  it('keeps the outcome, outputs and summary and warns when GitHub answers 401', async () => {
    const { deploy, run } = await verify(gh, 'ghs_revoked0000');
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({
      outcome: 'failure',
      'problem-issue': '',
      changes: '["CHG-0100"]',
    });
    expect(run.summary).toContain('orders-health');
    expect(run.summary).toContain('exited with code 3');
    expect(warnings(run)).toContain(
      'writing to GitHub for CHG-0100 failed (HTTP 401: Bad credentials; GitHub does not accept the token, check the token input); run verify again to finish it',
    );
    expect([...deploy.repo.issues.values()]).toHaveLength(0);
  });

  it('keeps the outcome, outputs and summary and says no issue was opened without a token', async () => {
    const { deploy, run } = await verify(gh, '');
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ outcome: 'failure', 'problem-issue': '' });
    expect(run.summary).toContain('exited with code 3');
    expect(warnings(run)).toContain(
      'no token was given, so no problem issue was opened: see this summary',
    );
    expect([...deploy.repo.issues.values()]).toHaveLength(0);
  });
});

describe('command: gate with a token GitHub refuses, or none', () => {
  const change = { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100') };
  const gated = async (token: string) => {
    seedTeams(gh);
    const checkout = await makeCheckout(change, gateEstate);
    return runGate(gh, { checkout, token, reviews: [{ user: 'carla', state: 'APPROVED' }] });
  };

  it('keeps the report and the outputs, fails closed and says why when GitHub answers 401', async () => {
    const { run, status } = await gated('ghs_revoked0000');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.summary).toContain('CHG-0100');
    expect(run.outputs).toMatchObject({ changes: '["CHG-0100"]', approval: 'error', errors: '0' });
    expect(warnings(run)).toContain(
      'could not write the pull request comment (HTTP 401: Bad credentials; GitHub does not accept the token, check the token input); the report is in the job summary',
    );
    expect(run.stdout).toMatch(
      /^::error::could not post the changeops\/cab status on [0-9a-f]{12}: its statuses could not be read \(HTTP 401: Bad credentials; GitHub does not accept the token, check the token input\); the report is in the job summary$/m,
    );
    // Nothing green was posted, and nothing at all could be.
    expect(status).toBeUndefined();
  });

  it('keeps the report and the outputs and fails closed without a token, making no request', async () => {
    const { run, status } = await gated('');
    expect(run.code).toBe(1);
    expect(run.summary).toContain('CHG-0100');
    expect(run.outputs).toMatchObject({ changes: '["CHG-0100"]', approval: 'error' });
    expect(warnings(run)).toContain(
      'no pull request comment: the token input is empty, so nothing is written to GitHub; the report is in the job summary',
    );
    expect(run.stdout).toMatch(
      /^::error::could not post the changeops\/cab status on [0-9a-f]{12}: its statuses could not be read \(no token was given \(the token input is empty\)\); the report is in the job summary$/m,
    );
    expect(status).toBeUndefined();
    expect(gh.requestCounts().total).toBe(0);
  });
});
