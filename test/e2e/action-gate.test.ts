// The approval gate, end to end: the bundled action (node dist/index.js) on real git checkouts,
// with real webhook payloads, against the OpenAPI-checked fake GitHub. Each test is one way
// around the control (or one way through it) and asserts the exact changeops/cab status a
// reviewer sees on the pull request's head commit.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeSha, startGitHubServer, TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import { makeCheckout, type Files } from './checkout.js';
import {
  appKeys,
  emergency,
  gateEstate,
  gatePolicy,
  highRisk,
  lowRisk,
  olderSha,
  runGate,
  seedTeams,
  standard,
  type GateOptions,
} from './gate-harness.js';

let keys: ReturnType<typeof appKeys>;
let gh: FakeGitHub;
beforeAll(() => {
  keys = appKeys();
});
beforeEach(async () => {
  gh = await startGitHubServer({ app: { publicKey: keys.publicKey } });
  seedTeams(gh);
});
afterEach(async () => {
  try {
    gh.assertNoViolations();
  } finally {
    await gh.close();
  }
});

/** The gate as the App on a PR whose head adds `head` to the estate (`base`, default gateEstate). */
async function gated(head: Files, options: Omit<GateOptions, 'checkout'> & { base?: Files } = {}) {
  const { base, ...rest } = options;
  const checkout = await makeCheckout(head, base ?? gateEstate);
  const result = await runGate(gh, { checkout, appKey: keys.privateKey, ...rest });
  expect(result.run.stderr).toBe('');
  return { ...result, checkout };
}

const low = { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100') };
const high = { 'changes/CHG-0200-orders.yaml': highRisk('CHG-0200') };

describe('the approval gate withstands (attack suite)', () => {
  it('self-approval by the PR author: not counted, even from a CAB member', async () => {
    const { status, comment } = await gated(low, {
      author: 'alice',
      reviews: [{ user: 'alice', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain('alice: the PR author');
  });

  it("self-approval by the change's requester: not counted, even from a CAB member", async () => {
    const { status, comment } = await gated(low, {
      reviews: [{ user: 'rita', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain('rita: the requester of CHG-0100');
  });

  it('self-approval by a commit author: not counted, even from a CAB member', async () => {
    const checkout = await makeCheckout(low, gateEstate);
    const { status, comment } = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      commits: [{ sha: olderSha, author: 'cody' }, { sha: checkout.headSha }],
      reviews: [{ user: 'cody', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain('cody: a commit author of this PR');
  });

  it('an approval of an older commit of the PR: not counted after a push', async () => {
    const checkout = await makeCheckout(low, gateEstate);
    const { status, comment } = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      commits: [{ sha: olderSha }, { sha: checkout.headSha }],
      reviews: [{ user: 'carla', state: 'APPROVED', commitId: olderSha }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain(`carla: approved an older commit ${olderSha.slice(0, 6)}`);
  });

  it('an approval of a commit force-pushed away: not counted', async () => {
    const gone = fakeSha('force-pushed away');
    const { status, comment } = await gated(low, {
      reviews: [{ user: 'carla', state: 'APPROVED', commitId: gone }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain('which is no longer in this pull request (force-pushed away)');
  });

  it('a policy weakened in the PR (any approval by mallory will do): the base policy decides', async () => {
    const weakened = gatePolicy.replace(
      'from: {board: cab}\n    count: 1',
      'from: {principals: ["@mallory"]}\n    count: 1',
    );
    const { status, comment } = await gated(
      { ...low, 'changeops.yaml': weakened },
      { reviews: [{ user: 'mallory', state: 'APPROVED' }] },
    );
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab, 2 from cab' });
    expect(comment).toContain('mallory: not an approver of any requirement');
    expect(comment).toContain(
      'this pull request edits changeops.yaml; it is itself a change, approved like a high-risk normal change',
    );
  });

  it('the CAB team swapped for friends in the PR: the base policy decides who the CAB is', async () => {
    gh.addTeam('acme', 'friends', ['fred']);
    const swapped = gatePolicy.replace('members: ["@acme/cab"]', 'members: ["@acme/friends"]');
    const { status } = await gated(
      { ...low, 'changeops.yaml': swapped },
      { reviews: [{ user: 'fred', state: 'APPROVED' }] },
    );
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab, 2 from cab' });
    expect(gh.requestCount({ route: 'GET /orgs/{org}/teams/{team_slug}/members' })).toBe(1);
  });

  it("a bot's approval: bots never count", async () => {
    const { status, comment } = await gated(low, {
      reviews: [{ user: 'renovate[bot]', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain('renovate&#91;bot&#93;: bots never count');
  });

  it("a non-member's approval: not counted", async () => {
    const { status, comment } = await gated(low, {
      reviews: [{ user: 'nina', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain('nina: not an approver of any requirement');
  });

  it("a pending invitee's approval: only active members count", async () => {
    gh.addTeam('acme', 'cab', [{ login: 'ivy', state: 'pending' }]);
    const { status, comment } = await gated(low, {
      reviews: [{ user: 'ivy', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain('ivy: not an approver of any requirement');
  });

  it('a comment saying "approved": a COMMENTED review is no approval', async () => {
    const { status } = await gated(low, {
      reviews: [{ user: 'carla', state: 'COMMENTED', body: 'approved' }],
      event: 'pull_request_review',
      reviewEvent: { user: 'carla', state: 'commented' },
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
  });

  it('COMMENTED after CHANGES_REQUESTED: the objection stands', async () => {
    const { status } = await gated(low, {
      reviews: [
        { user: 'carla', state: 'CHANGES_REQUESTED' },
        { user: 'carla', state: 'COMMENTED', body: 'never mind?' },
        { user: 'cody', state: 'APPROVED' },
      ],
      event: 'pull_request_review',
      reviewEvent: { user: 'carla', state: 'commented' },
    });
    expect(status).toMatchObject({
      state: 'failure',
      description: 'Blocked: carla (cab) requested changes',
    });
  });

  it('a dismissed approval: no longer counts', async () => {
    const { status } = await gated(low, {
      reviews: [{ user: 'carla', state: 'DISMISSED' }],
      event: 'pull_request_review',
      action: 'dismissed',
      reviewEvent: { user: 'carla', state: 'dismissed' },
    });
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
  });

  it('reviews answering 5xx: an error status, never success', async () => {
    gh.injectFault({
      route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      status: 502,
      times: Infinity,
    });
    const { status, run } = await gated(low, {
      reviews: [{ user: 'carla', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({
      state: 'error',
      description: 'Error: cannot read the reviews of #7 (HTTP 502: Server Error)',
    });
    expect(run.code).toBe(1);
  });

  it('membership answering 403 (the GITHUB_TOKEN has no members permission): an error that names the fix', async () => {
    const checkout = await makeCheckout(low, gateEstate);
    const { status, run } = await runGate(gh, {
      checkout,
      token: TOKENS.actions,
      reviews: [{ user: 'carla', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({
      state: 'error',
      description:
        'Advisory: Error: cannot read the members of @acme/cab: give the gate a GitHub App identity, or a token with members:read (HTTP 403…',
      creator: 'github-actions[bot]',
    });
    expect(run.code).toBe(1);
  });

  it('a status forged beforehand by another workflow: ignored, named, and replaced by ours', async () => {
    const checkout = await makeCheckout(low, gateEstate);
    gh.repo('acme/estate').addStatus(checkout.headSha, {
      state: 'success',
      context: 'changeops/cab',
      description: 'Approved: cab (mallory)',
      creator: 'github-actions[bot]',
    });
    const { status, comment } = await runGate(gh, { checkout, appKey: keys.privateKey });
    expect(status).toMatchObject({
      state: 'pending',
      description: 'Missing: cab',
      creator: 'changeops-app[bot]',
    });
    expect(comment).toContain(
      "not ours: 1 changeops/cab status on this commit by github-actions&#91;bot&#93; (success) is not the gate's and ignored",
    );
  });

  it("an older run finishing after a newer one: the newer run's status stands", async () => {
    const checkout = await makeCheckout(low, gateEstate);
    const newer = await runGate(gh, { checkout, appKey: keys.privateKey, runId: 2000 });
    expect(newer.status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    gh.repo('acme/estate').addReview(7, { user: 'carla', state: 'APPROVED' });
    const older = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      runId: 1000,
      existing: newer.pr,
    });
    expect(older.status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(older.run.stdout).toContain('changeops/cab on ');
    expect(older.run.stdout).toContain(': skipped-newer');
    // A later attempt of the newer run does replace it.
    const retried = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      runId: 2000,
      attempt: 2,
      existing: newer.pr,
    });
    expect(retried.status).toMatchObject({
      state: 'success',
      description: 'Approved: cab (carla)',
      targetUrl: 'https://github.com/acme/estate/actions/runs/2000/attempts/2',
    });
  });

  it('a normal change edited to emergency in the PR: blocked by the audit trail', async () => {
    const base = { ...gateEstate, ...low };
    const { status, comment } = await gated(
      { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100', { type: 'emergency' }) },
      { base, reviews: [{ user: 'ella', state: 'APPROVED' }] },
    );
    expect(status).toMatchObject({
      state: 'failure',
      description: 'Blocked: 1 error-level finding in the check',
    });
    expect(comment).toContain('(`audit-trail`)');
  });

  it('a normal change edited to emergency in the PR, audit trail relaxed: needs the CAB and the ECAB', async () => {
    const relaxed = `${gatePolicy}rules:\n  audit-trail: warning\n`;
    const base = { ...gateEstate, 'changeops.yaml': relaxed, ...low };
    const { status, comment } = await gated(
      { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100', { type: 'emergency' }) },
      { base, reviews: [{ user: 'ella', state: 'APPROVED' }] },
    );
    expect(status).toMatchObject({ state: 'pending', description: 'Missing: cab' });
    expect(comment).toContain(
      'CHG-0100 (emergency, risk low; in the base: normal, risk low); the rules of both versions apply, so an edit cannot lower the bar',
    );
  });
});

describe('the approval gate never reports a false green', () => {
  it('fails the step, saying why, when the token is read-only and cannot post the status', async () => {
    const checkout = await makeCheckout(low, gateEstate);
    const { run, status } = await runGate(gh, {
      checkout,
      token: TOKENS.forkReadOnly,
      reviews: [{ user: 'carla', state: 'APPROVED' }],
    });
    expect(status).toBeUndefined();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::could not post the changeops/cab status on');
    expect(run.stdout).toContain('give the workflow (or the App) statuses: write');
  });

  it('does nothing for a pull request closed without merging', async () => {
    const { run, status, requests } = await gated(low, { action: 'closed' });
    expect(status).toBeUndefined();
    expect(run.stdout).toContain('#7 was closed without merging: nothing to gate');
    expect(requests).toBe(3);
  });
});

describe('the approval gate lets through', () => {
  it('a low-risk change with one CAB member', async () => {
    const { status, run } = await gated(low, { reviews: [{ user: 'carla', state: 'APPROVED' }] });
    expect(status).toMatchObject({
      state: 'success',
      description: 'Approved: cab (carla)',
      creator: 'changeops-app[bot]',
      targetUrl: 'https://github.com/acme/estate/actions/runs/1234567890/attempts/1',
    });
    expect(run.outputs.approval).toBe('approved');
    expect(run.code).toBe(0);
  });

  it("the pull request's commits, not a record file a step wrote into the checkout after them", async () => {
    const checkout = await makeCheckout(low, gateEstate);
    // Untracked, on disk: not part of the pull request, so not a change the gate asks approvals for.
    writeFileSync(join(checkout.dir, 'changes/CHG-0200-orders.yaml'), highRisk('CHG-0200'));
    const { status, run } = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      reviews: [{ user: 'carla', state: 'APPROVED' }],
    });
    expect(run.stderr).toBe('');
    expect(status).toMatchObject({ state: 'success', description: 'Approved: cab (carla)' });
  });

  it('a high-risk change with two CAB members and the CI owner', async () => {
    const { status } = await gated(high, {
      reviews: [
        { user: 'carla', state: 'APPROVED' },
        { user: 'cody', state: 'APPROVED' },
        { user: 'dana', state: 'APPROVED' },
      ],
    });
    expect(status).toMatchObject({
      state: 'success',
      description: 'Approved: cab (carla, cody), owner of pg-orders (dana)',
    });
  });

  it('an emergency change with the ECAB, then one retrospective issue when it merges', async () => {
    const head = { 'changes/CHG-0300-orders-hotfix.yaml': emergency('CHG-0300') };
    const approved = await gated(head, { reviews: [{ user: 'ella', state: 'APPROVED' }] });
    expect(approved.status).toMatchObject({
      state: 'success',
      description: 'Approved: ecab (ella)',
    });
    expect(approved.comment).toContain(
      'When this pull request merges, the gate opens a retrospective-review issue for CHG-0300',
    );
    const repo = gh.repo('acme/estate');
    for (let i = 0; i < 2; i++) {
      const merged = await runGate(gh, {
        checkout: approved.checkout,
        appKey: keys.privateKey,
        existing: approved.pr,
        action: 'closed',
        merged: true,
      });
      expect(merged.run.code).toBe(0);
    }
    const issues = [...repo.issues.values()];
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      title: 'Retrospective review of emergency change CHG-0300: Change CHG-0300',
      author: 'changeops-app[bot]',
      state: 'open',
    });
    expect(issues[0]!.body).toContain('- **ECAB approvers**: ella (ecab)');
    expect(issues[0]!.body).toContain('Revert the migration with the pipeline');
  });

  it('a standard change within its template, with no reviews', async () => {
    const { status } = await gated({ 'changes/CHG-0400-restart.yaml': standard('CHG-0400') });
    expect(status).toMatchObject({
      state: 'success',
      description: 'No approval needed: CHG-0400 is a standard change within its template',
    });
  });

  it('an approval on page 3 of the reviews', async () => {
    const checkout = await makeCheckout(low, gateEstate);
    const noise = Array.from({ length: 230 }, (_, i) => ({
      user: `reader${i}`,
      state: 'COMMENTED' as const,
    }));
    const { status } = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      reviews: [...noise, { user: 'carla', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({ state: 'success', description: 'Approved: cab (carla)' });
    expect(
      gh.requestCount({ route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews' }),
    ).toBe(3);
  });

  it('in App mode, with the installation token it minted (3 requests), every read and write', async () => {
    const { status, run } = await gated(low, { reviews: [{ user: 'carla', state: 'APPROVED' }] });
    expect(status).toMatchObject({ state: 'success', creator: 'changeops-app[bot]' });
    const minting = gh.requests.filter(
      (r) => r.route?.startsWith('GET /app') || r.route?.includes('installation'),
    );
    expect(minting.map((r) => r.route)).toEqual([
      'GET /repos/{owner}/{repo}/installation',
      'GET /app',
      'POST /app/installations/{installation_id}/access_tokens',
    ]);
    const rest = gh.requests.filter((r) => !minting.includes(r));
    expect(new Set(rest.map((r) => r.actor))).toEqual(new Set(['changeops-app[bot]']));
    // The key and the token are masked (the runner hides every ::add-mask:: value) and never logged.
    const logged = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(logged).not.toContain(keys.privateKey.split('\n')[1]);
    expect(logged).not.toContain('ghs_installation_');
    expect(run.stdout).toContain('::add-mask::ghs_installation_1');
  });
});

describe('the approval gate with gate.keepApprovalsOnUnrelatedPushes', () => {
  const keeping = gatePolicy.replace(
    'leadTimeHours:',
    'gate: {keepApprovalsOnUnrelatedPushes: true}\nleadTimeHours:',
  );
  const base = { ...gateEstate, 'changeops.yaml': keeping };

  it.each<[string, Files, string, string, string]>([
    [
      'keeps an approval over a push that touches no change record and no impacted code',
      { 'README.md': 'typo fixed\n' },
      'success',
      'Approved: cab (carla)',
      '',
    ],
    [
      'drops it when the push edits the change record, and says why',
      { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100', { requester: 'rosa' }) },
      'pending',
      'Missing: cab',
      'CHG-0100 changed',
    ],
    [
      "drops it when the push edits code under an impacted CI's paths",
      { 'services/reporting/job.py': 'print(1)\n' },
      'pending',
      'Missing: cab',
      'code of reporting changed',
    ],
  ])('%s', async (_name, push, state, description, why) => {
    const { makePushedCheckout } = await import('./gate-harness.js');
    const checkout = await makePushedCheckout(low, push, base);
    const { status, comment } = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      commits: [{ sha: checkout.firstSha }, { sha: checkout.headSha }],
      reviews: [{ user: 'carla', state: 'APPROVED', commitId: checkout.firstSha }],
    });
    expect(status).toMatchObject({ state, description });
    // The comment breaks hex words with a zero-width space, so that GitHub links no commit.
    const read = comment.replace(/\u200b/g, '');
    if (state === 'success')
      expect(read).toContain(`carla (on ${checkout.firstSha.slice(0, 7)}, unchanged since)`);
    else
      expect(read).toContain(
        `carla: invalidated by push of ${checkout.headSha.slice(0, 7)}: ${why}`,
      );
  });
});

describe('the approval gate in numbers', () => {
  it('makes at most 8 requests per evaluation for 100 reviews, 100 files and two teams', async () => {
    const files: Files = { ...high };
    for (let i = 0; i < 99; i++) files[`services/orders/f${i}.go`] = `package f${i}\n`;
    const checkout = await makeCheckout(files, gateEstate);
    const reviews = Array.from({ length: 99 }, (_, i) => ({
      user: `reader${i}`,
      state: 'COMMENTED' as const,
    }));
    const first = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      files: Object.keys(files),
      reviews: [...reviews, { user: 'carla', state: 'APPROVED' }],
    });
    // Minting the App's token: 3 requests, apart from the evaluation.
    expect(first.requests - 3).toBe(8);
    expect(first.status).toMatchObject({ state: 'pending' });
    // Nothing changed: the comment and the status stay as they are.
    const again = await runGate(gh, { checkout, appKey: keys.privateKey, existing: first.pr });
    expect(again.requests - 3).toBe(6);
    expect(again.run.stdout).toContain(': unchanged');
  });
});

describe('the approval gate on pull_request_target', () => {
  it('reads the head as data: a planted git script and node_modules are never run', async () => {
    const { makeTargetCheckout } = await import('./gate-harness.js');
    const marker = join(gh.url.replace(/\W/g, ''), 'pwned');
    const script = `#!/bin/sh\ntouch /tmp/${marker.replace(/\//g, '_')}\nexit 0\n`;
    const checkout = await makeCheckout(
      { ...low, git: script, 'node_modules/.bin/git': script, 'node_modules/.bin/node': script },
      gateEstate,
      { executables: ['git', 'node_modules/.bin/git', 'node_modules/.bin/node'] },
    );
    const target = await makeTargetCheckout(checkout);
    const run = await runGate(gh, {
      checkout: target,
      appKey: keys.privateKey,
      event: 'pull_request_target',
      reviews: [{ user: 'carla', state: 'APPROVED' }],
      env: { PATH: `${target.dir}:${join(target.dir, 'node_modules/.bin')}:${process.env.PATH}` },
    });
    expect(run.run.stderr).toBe('');
    expect(run.status).toMatchObject({ state: 'success', description: 'Approved: cab (carla)' });
    expect(run.comment).toContain('CHG-0100');
    expect(existsSync(join(target.dir, 'git'))).toBe(false);
    expect(existsSync(join(target.dir, 'node_modules'))).toBe(false);
    expect(existsSync(join(target.dir, 'changes'))).toBe(false);
    expect(existsSync(`/tmp/${marker.replace(/\//g, '_')}`)).toBe(false);
    // Fetched as data into a ref of our own; the work tree is still the base.
    const { simpleGit } = await import('simple-git');
    const git = simpleGit(target.dir);
    expect((await git.raw(['rev-parse', 'refs/changeops/pull/7/head'])).trim()).toBe(
      checkout.headSha,
    );
    expect((await git.raw(['rev-parse', 'HEAD'])).trim()).toBe(checkout.baseSha);
    expect((await git.raw(['status', '--porcelain'])).trim()).toBe('');
  });
});

describe('the approval gate on workflow_run (the hardened deployment)', () => {
  it("gates the pull request a review's run was about, from the default branch, reading its head as data", async () => {
    const { makeTargetCheckout } = await import('./gate-harness.js');
    const { actionsEnvironment, workflowRunEvent, writeEventFile } =
      await import('../fakes/webhooks.js');
    const { runAction } = await import('./run-action.js');
    const checkout = await makeCheckout(low, gateEstate);
    const target = await makeTargetCheckout(checkout);
    const repo = gh.repo('acme/estate');
    repo.addPullRequest({
      number: 7,
      author: 'alice',
      head: { sha: checkout.headSha, ref: 'feature' },
      base: { sha: checkout.baseSha, ref: 'main' },
      reviews: [{ user: 'carla', state: 'APPROVED' }],
    });
    const run = async (pullRequests: { number: number; headSha: string; baseSha: string }[]) => {
      const payload = workflowRunEvent({
        owner: 'acme',
        repo: 'estate',
        event: 'pull_request_review',
        headSha: checkout.headSha,
        pullRequests,
      });
      const before = gh.requests.length;
      const result = await runAction({
        cwd: target.dir,
        env: actionsEnvironment({
          eventName: 'workflow_run',
          payload,
          eventPath: writeEventFile(payload),
          apiUrl: gh.url,
          sha: checkout.baseSha,
        }),
        inputs: {
          command: 'gate',
          token: TOKENS.app,
          'app-id': String(gh.app.id),
          'app-private-key': keys.privateKey,
        },
      });
      expect(result.stderr).toBe('');
      return { result, requests: gh.requests.length - before };
    };
    const gated = await run([{ number: 7, headSha: checkout.headSha, baseSha: checkout.baseSha }]);
    expect(repo.statusesFor(checkout.headSha)[0]).toMatchObject({
      context: 'changeops/cab',
      state: 'success',
      description: 'Approved: cab (carla)',
    });
    // The pull request (1: workflow_run does not carry its author), the statuses, one team, the
    // reviews, the commits, the comment's list and create, the status: 8; and 3 to mint the token.
    expect(gated.requests).toBe(3 + 8);
    const fork = await run([]);
    expect(fork.result.stdout).toContain(
      "the triggering run names no pull request of this repository (a fork's)",
    );
  });
});

describe('the approval gate when git cannot answer', () => {
  it("posts an error status saying why when the PR's head cannot be fetched, and fails the step", async () => {
    const { makeTargetCheckout } = await import('./gate-harness.js');
    const { simpleGit } = await import('simple-git');
    const checkout = await makeCheckout(low, gateEstate);
    const target = await makeTargetCheckout(checkout);
    await simpleGit(target.origin).raw(['update-ref', '-d', 'refs/pull/7/head']);
    const { run, status } = await runGate(gh, {
      checkout: target,
      appKey: keys.privateKey,
      event: 'pull_request_target',
      reviews: [{ user: 'carla', state: 'APPROVED' }],
    });
    expect(status).toMatchObject({
      state: 'error',
      description: expect.stringMatching(
        /^Error: cannot fetch the head of #7 \(refs\/pull\/7\/head\) from origin/,
      ),
    });
    expect(run.code).toBe(1);
  });
});

describe('the approval gate on merge_group', () => {
  it('evaluates every pull request of the group and posts the status on the group head', async () => {
    const { makeGroupCheckout } = await import('./gate-harness.js');
    const { actionsEnvironment, mergeGroupEvent, writeEventFile } =
      await import('../fakes/webhooks.js');
    const { runAction } = await import('./run-action.js');
    const group = await makeGroupCheckout(gateEstate, [
      { number: 7, files: { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100') } },
      { number: 8, files: { 'changes/CHG-0101-reporting.yaml': lowRisk('CHG-0101') } },
    ]);
    const repo = gh.repo('acme/estate');
    for (const pull of group.pulls)
      repo.addPullRequest({
        number: pull.number,
        author: 'alice',
        head: { sha: pull.headSha, ref: `pr-${pull.number}` },
        base: { sha: group.baseSha, ref: 'main' },
      });
    repo.addReview(7, { user: 'carla', state: 'APPROVED' });
    repo.commitShas.add(group.headSha);
    const run = async () => {
      const payload = mergeGroupEvent({
        owner: 'acme',
        repo: 'estate',
        headSha: group.headSha,
        baseSha: group.baseSha,
        prNumber: 8,
      });
      (payload.merge_group as { head_ref: string }).head_ref = group.headRef;
      const result = await runAction({
        cwd: group.dir,
        env: actionsEnvironment({
          eventName: 'merge_group',
          payload,
          eventPath: writeEventFile(payload),
          apiUrl: gh.url,
        }),
        inputs: {
          command: 'gate',
          token: TOKENS.app,
          'app-id': String(gh.app.id),
          'app-private-key': keys.privateKey,
        },
      });
      expect(result.stderr).toBe('');
      return repo.statusesFor(group.headSha).find((s) => s.context === 'changeops/cab');
    };
    expect(await run()).toMatchObject({
      state: 'pending',
      description: '#8: Missing: cab; 1 more approved',
    });
    repo.addReview(8, { user: 'cody', state: 'APPROVED' });
    expect(await run()).toMatchObject({
      state: 'success',
      description: 'All 2 pull requests approved',
    });
    expect(repo.commentsOn(7)).toHaveLength(0);
  });
});
