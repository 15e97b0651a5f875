import { describe, expect, it } from 'vitest';
import { simpleGit } from 'simple-git';
import { verify, type VerifyRequest } from '../../../src/app/verify.js';
import { createClient } from '../../../src/github/octokit.js';
import { fakeSha, TOKENS, type FakeGitHub } from '../../fakes/github-server.js';
import { pushEvent, actionsEnvironment, writeEventFile } from '../../fakes/webhooks.js';
import { baseEstate, type Files } from '../../e2e/checkout.js';
import {
  deployedChange,
  dispatchEnvironment,
  makeDeploy,
  pushEnvironment,
  type Deploy,
} from '../../e2e/deploy.js';
import { fakeGitHubPerTest } from '../../fakes/per-test.js';

// The verify use case in-process, on real checkouts, against the OpenAPI-checked fake GitHub:
// the paths through it that the end-to-end tests of the bundle do not take.
let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

const failing = `checks:
  - name: db-ping
    run: 'echo "no route to pg-orders"; exit 2'
`;
const passing = `checks:
  - name: db-ping
    run: 'echo pong'
`;

function request(
  deploy: Deploy,
  env: Record<string, string>,
  extra: Partial<VerifyRequest> = {},
  token: string = TOKENS.actions,
): VerifyRequest {
  return {
    root: deploy.dir,
    changes: '',
    runChecks: true,
    checkTimeoutMs: 10_000,
    noteOnSuccess: false,
    recordUpdate: false,
    revert: false,
    now: new Date('2030-02-05T08:00:00Z'),
    run: {
      env,
      botLogin: 'github-actions[bot]',
      ...(token ? { client: createClient({ token, baseUrl: gh.url, pace: false }) } : {}),
    },
    ...extra,
  };
}

describe('verify', () => {
  it('reads what the push changed from the pull request it merged when its previous commit is not in the checkout', async () => {
    const deploy = await makeDeploy(gh, {
      'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: failing }),
    });
    const payload = pushEvent({
      owner: 'acme',
      repo: 'estate',
      before: fakeSha('gone'),
      after: deploy.mergeSha,
    });
    const env = actionsEnvironment({
      eventName: 'push',
      payload,
      eventPath: writeEventFile(payload),
      apiUrl: gh.url,
    });
    const result = await verify(request(deploy, env));

    expect(result.outputs.changes).toEqual(['CHG-0100']);
    expect(result.report.notes).toContain(
      "the push's previous commit is not in the checkout, so the changes are those of #7, which it merged",
    );
    expect(gh.requestCount({ route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files' })).toBe(
      1,
    );
    // The pull request of the pushed commit is asked for once, for the files and the note.
    expect(gh.requestCount({ route: 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls' })).toBe(
      1,
    );
  });

  it('verifies every change the push touched, and fails on the one that failed', async () => {
    const deploy = await makeDeploy(gh, {
      'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: passing }),
      'changes/CHG-0101-orders-cache.yaml': deployedChange('CHG-0101', { checks: failing }),
    });
    const result = await verify(request(deploy, pushEnvironment(gh, deploy, 900)));

    expect(result.outputs).toMatchObject({
      outcome: 'failure',
      changes: ['CHG-0100', 'CHG-0101'],
      problemIssues: { 'CHG-0101': result.outputs.problemIssue },
    });
    expect(result.failure).toBe(
      `CHG-0101 failed after implementation (db-ping exited with code 2); problem issue #${result.outputs.problemIssue}.`,
    );
    expect(result.summary).toContain('### ✅ `CHG-0100`');
    expect(result.summary).toContain('### ❌ `CHG-0101`');
  });

  it('opens the issue and says why there is no note when no pull request carried the record', async () => {
    const deploy = await makeDeploy(gh, {
      'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: failing }),
    });
    deploy.repo.pulls.clear();
    const result = await verify(
      request(deploy, dispatchEnvironment(gh, deploy, 901), { changes: 'CHG-0100', revert: true }),
    );

    const change = result.report.changes[0]!;
    expect(change.problemIssue).toMatchObject({ action: 'created' });
    expect(change.note).toEqual({
      action: 'skipped',
      reason: "no pull request was found for CHG-0100's record, so no note was left",
    });
    expect(change.revert).toEqual({
      action: 'skipped',
      reason:
        'no merged pull request was found for CHG-0100, so there is no merge commit to revert',
    });
  });

  it('leaves no note on an open pull request that merely contains the commit', async () => {
    const deploy = await makeDeploy(gh, {
      'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: failing }),
    });
    Object.assign(deploy.pr, { merged: false, state: 'open', closedAt: null });
    const result = await verify(
      request(deploy, dispatchEnvironment(gh, deploy, 906), { changes: 'CHG-0100' }),
    );

    expect(result.report.changes[0]!.note).toMatchObject({ action: 'skipped' });
    expect(deploy.repo.commentsOn(7)).toHaveLength(0);
  });

  it('still reports the failure when GitHub keeps failing, and a re-run finishes the job', async () => {
    const deploy = await makeDeploy(gh, {
      'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: failing }),
    });
    const outage = gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues',
      status: 503,
      times: Infinity,
    });
    const result = await verify(request(deploy, pushEnvironment(gh, deploy, 907)));

    expect(result.outputs.outcome).toBe('failure');
    expect(result.report.changes[0]!.problemIssue).toMatchObject({ action: 'refused' });
    expect(result.report.notes[0]).toMatch(
      /^writing to GitHub for CHG-0100 failed \(.*\); run verify again to finish it$/,
    );
    expect(result.summary).toContain('run verify again to finish it');
    outage.cancel();
    const again = await verify(request(deploy, pushEnvironment(gh, deploy, 907)));
    expect(again.report.changes[0]!.problemIssue).toMatchObject({ action: 'created' });
    expect(deploy.repo.issues.size).toBe(1);
  });

  it('writes nothing without a token, and says so', async () => {
    const deploy = await makeDeploy(gh, {
      'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: failing }),
    });
    const result = await verify(request(deploy, pushEnvironment(gh, deploy, 902), {}, ''));

    expect(result.outputs.outcome).toBe('failure');
    expect(result.report.notes).toEqual([
      'no token was given, so no problem issue was opened: see this summary',
    ]);
    expect(gh.requestCounts().total).toBe(0);
  });

  it('works in a sub-folder of the repository: the record update names the file from the top', async () => {
    const base: Files = {};
    for (const [path, text] of Object.entries(baseEstate)) base[`ops/${path}`] = text;
    const deploy = await makeDeploy(
      gh,
      { 'ops/changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: passing }) },
      base,
    );
    const result = await verify({
      ...request(deploy, pushEnvironment(gh, deploy, 903), { recordUpdate: true }),
      root: `${deploy.dir}/ops`,
    });

    expect(result.outputs.changes).toEqual(['CHG-0100']);
    const update = [...deploy.repo.pulls.values()].find(
      (pr) => pr.head.ref === 'changeops/verify/CHG-0100-implemented',
    )!;
    expect(update.files.map((f) => f.filename)).toEqual(['ops/changes/CHG-0100-orders-index.yaml']);
    expect(
      deploy.repo.git.textAt(update.head.sha, 'ops/changes/CHG-0100-orders-index.yaml'),
    ).toContain('status: implemented\nreview:\n  outcome: success\n  date: 2030-02-05T08:00:00Z\n');
  });

  it('shows the problems a verified change is linked with', async () => {
    const opened = deployedChange('CHG-0090', {
      checks: passing,
      extra: 'review:\n  outcome: failure\n  date: 2030-01-01T00:00:00Z\n  problemIssue: "#12"\n',
    }).replace('status: approved', 'status: failed');
    const deploy = await makeDeploy(
      gh,
      {
        'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', {
          checks: passing,
          extra: 'problem: "#12"\n',
        }),
      },
      { ...baseEstate, 'changes/CHG-0090-orders-index.yaml': opened },
    );
    const result = await verify(request(deploy, pushEnvironment(gh, deploy, 904)));

    expect(result.report.changes[0]!.links).toEqual([
      'CHG-0100 remediates #12, opened by the failure of CHG-0090',
    ]);
  });

  it('refuses when HEAD moved on past the pushed commit', async () => {
    const deploy = await makeDeploy(gh, {
      'changes/CHG-0100-orders-index.yaml': deployedChange('CHG-0100', { checks: passing }),
    });
    await simpleGit(deploy.dir).raw(['commit', '--allow-empty', '-qm', 'later']);
    await expect(verify(request(deploy, pushEnvironment(gh, deploy, 905)))).rejects.toThrow(
      /^HEAD is [0-9a-f]{12}, not [0-9a-f]{12}, the commit this run is for/,
    );
  });
});
