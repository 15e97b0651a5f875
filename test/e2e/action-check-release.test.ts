import { describe, expect, it } from 'vitest';
import { TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  pullRequestEvent,
  scenarioFromPullRequest,
  writeEventFile,
} from '../fakes/webhooks.js';
import { baseEstate, changeRecord, makeCheckout, type Checkout } from './checkout.js';
import { runAction } from './run-action.js';
import { fakeGitHubPerTest } from '../fakes/per-test.js';

// `command: check` on a pull request that edits a release record: the report says whether the
// release is ready, against the base branch's history.

let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

const release = (changes: string[]) => `apiVersion: changeops/v1
kind: Release
id: REL-2030.02
title: February release
version: "2030.2.0"
type: minor
status: planned
changes: [${changes.join(', ')}]
schedule: {start: 2030-02-04T20:00:00Z, end: 2030-02-05T02:00:00Z}
`;
const checks = 'checks:\n  - name: orders-smoke\n    run: ./scripts/orders-smoke.sh\n';

async function checkPullRequest(checkout: Checkout, files: string[]) {
  const repo = gh.repo('acme/estate');
  const pr = repo.addPullRequest({
    number: 7,
    author: 'alice',
    head: { sha: checkout.headSha, ref: 'feature' },
    base: { sha: checkout.baseSha, ref: 'main' },
    mergeCommitSha: checkout.mergeSha,
    files: files.map((filename) => ({ filename, status: 'added' })),
  });
  const payload = pullRequestEvent('synchronize', scenarioFromPullRequest('acme/estate', pr));
  const run = await runAction({
    cwd: checkout.dir,
    env: actionsEnvironment({
      eventName: 'pull_request',
      payload,
      eventPath: writeEventFile(payload),
      apiUrl: gh.url,
      sha: checkout.mergeSha,
    }),
    inputs: { command: 'check', token: TOKENS.actions },
  });
  return { run, comment: repo.commentsOn(7)[0]?.body ?? '' };
}

describe('changeops check on a pull request that edits a release (the bundled action)', () => {
  it('says the release is not ready while its change is still proposed on main', async () => {
    const checkout = await makeCheckout(
      { 'changes/REL-2030.02.yaml': release(['CHG-0100']) },
      { ...baseEstate, 'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100', checks) },
    );
    const { run, comment } = await checkPullRequest(checkout, ['changes/REL-2030.02.yaml']);
    expect(run.code).toBe(0);
    for (const text of [run.summary, comment]) {
      expect(text).toContain('⛔ **Readiness:** REL-2030.02 is not ready (1 reason)');
      expect(text).toContain(
        '- CHG-0100 is still proposed; it must be approved before REL-2030.02 is ready',
      );
    }
  });

  it('says the release is ready when every change is approved on main', async () => {
    const approved = changeRecord('CHG-0100', checks).replace(
      'status: proposed',
      'status: approved',
    );
    const checkout = await makeCheckout(
      { 'changes/REL-2030.02.yaml': release(['CHG-0100']) },
      { ...baseEstate, 'changes/CHG-0100-orders-index.yaml': approved },
    );
    const { run, comment } = await checkPullRequest(checkout, ['changes/REL-2030.02.yaml']);
    expect(run.code).toBe(0);
    expect(comment).toContain(
      '✅ **Readiness:** REL-2030.02 is ready: its change is approved on main, scheduled inside its window, clear of collisions and freezes, and lists its checks',
    );
  });

  it('says a change the pull request itself approves is not merged as approved yet', async () => {
    const approved = changeRecord('CHG-0100', checks).replace(
      'status: proposed',
      'status: approved',
    );
    const checkout = await makeCheckout(
      {
        'changes/REL-2030.02.yaml': release(['CHG-0100']),
        'changes/CHG-0100-orders-index.yaml': approved,
      },
      { ...baseEstate, 'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100', checks) },
    );
    const { comment } = await checkPullRequest(checkout, [
      'changes/REL-2030.02.yaml',
      'changes/CHG-0100-orders-index.yaml',
    ]);
    expect(comment).toContain(
      '- CHG-0100 is approved in the working tree but still proposed on main; the change must be merged as approved before REL-2030.02 is ready',
    );
  });

  it('reads no history when the pull request edits no release', async () => {
    const checkout = await makeCheckout({
      'changes/CHG-0101-orders-index.yaml': changeRecord('CHG-0101', checks),
    });
    const { run } = await checkPullRequest(checkout, ['changes/CHG-0101-orders-index.yaml']);
    expect(run.code).toBe(0);
    expect(run.summary).not.toContain('Readiness');
  });
});
