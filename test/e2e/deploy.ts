// A repository after a deploy, the way verify meets it: a real git history on main (the base
// estate, then the merge of a pull request that adds a change record and code), checked out at
// the merge commit, and the same commits, trees and blobs seeded into the fake GitHub, with the
// merged pull request, so the API and the checkout agree.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit } from 'simple-git';
import { seedFromCheckout } from '../fakes/github-git-store.js';
import type { FakeGitHub, FakeRepo, PullRequestRecord } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  pushEvent,
  workflowDispatchEvent,
  writeEventFile,
} from '../fakes/webhooks.js';
import { baseEstate, type Files } from './checkout.js';

/** The change the deploy implemented: approved, with a check the test steers by `HEALTH`. */
export function deployedChange(
  id: string,
  options: { checks?: string; extra?: string } = {},
): string {
  const checks =
    options.checks ??
    `checks:
  - name: orders-health
    run: sh scripts/orders-health.sh
`;
  return `apiVersion: changeops/v1
kind: Change
id: ${id}
title: Add an index to the orders table
type: normal
status: approved
requester: alice
cis: [pg-orders]
reason: Order search times out at peak; the index brings it under 100 ms.
risk: {likelihood: low, impact: high}
plan:
  implementation: Create the index concurrently with the migration tool.
  test: Ran the migration on a production-sized copy in staging; timings attached.
  backout: |
    Drop the index concurrently.
    Nothing else depends on it.
schedule: {start: 2030-02-04T22:00:00Z, end: 2030-02-04T23:00:00Z}
${checks}${options.extra ?? ''}`;
}

/** The check script: fails (exit 3, with a last line) when HEALTH=fail, hangs when HEALTH=hang. */
export const healthScript = `#!/bin/sh
echo "checking orders"
case "$HEALTH" in
  fail) echo "orders-api answered 503 for /search"; exit 3 ;;
  other) echo "orders-api is slow: p99 4.2 s"; exit 4 ;;
  hang) sleep 60 ;;
  *) echo "orders ok" ;;
esac
`;

/** The shas of the deploy's history. */
export interface Deploy {
  dir: string;
  /** main before the merge. */
  baseSha: string;
  /** The pull request's head. */
  headSha: string;
  /** The merge commit: main's head, HEAD of the checkout, the push's `after`. */
  mergeSha: string;
  repo: FakeRepo;
  pr: PullRequestRecord;
}

function write(dir: string, files: Files): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * Builds the repository: `base` on main, `head` on a branch merged into main with --no-ff as
 * pull request #7, HEAD at the merge. Seeds the fake with its objects, `main`, and the PR.
 */
export async function makeDeploy(
  gh: FakeGitHub,
  head: Files,
  base: Files = { ...baseEstate, 'scripts/orders-health.sh': healthScript },
): Promise<Deploy> {
  const dir = mkdtempSync(join(tmpdir(), 'changeops-deploy-'));
  const git = simpleGit(dir);
  await git.init(['-b', 'main']);
  await git
    .addConfig('user.name', 'Test')
    .addConfig('user.email', 'test@example.com')
    .addConfig('commit.gpgsign', 'false');
  write(dir, base);
  await git.add('.').commit('base');
  const baseSha = (await git.revparse(['HEAD'])).trim();
  await git.checkoutLocalBranch('feature');
  write(dir, head);
  await git.add('.').commit('Add the orders index');
  const headSha = (await git.revparse(['HEAD'])).trim();
  await git.checkout('main');
  await git.merge(['--no-ff', '-m', 'Merge pull request #7 from acme/feature', 'feature']);
  const mergeSha = (await git.revparse(['HEAD'])).trim();
  const repo = gh.repo('acme/estate');
  seedFromCheckout(repo.git, dir);
  repo.branches.set('main', mergeSha);
  const pr = repo.addPullRequest({
    number: 7,
    author: 'alice',
    title: 'Add the orders index',
    head: { sha: headSha, ref: 'feature' },
    base: { sha: baseSha, ref: 'main' },
    merged: true,
    mergeCommitSha: mergeSha,
    files: Object.keys(head).map((filename) => ({ filename, status: 'added' as const })),
  });
  return { dir, baseSha, headSha, mergeSha, repo, pr };
}

/** The runner's environment for the push of the merge to main. */
export function pushEnvironment(
  gh: FakeGitHub,
  deploy: Deploy,
  runId: number,
): Record<string, string> {
  const payload = pushEvent({
    owner: 'acme',
    repo: 'estate',
    before: deploy.baseSha,
    after: deploy.mergeSha,
    commits: [{ id: deploy.headSha }, { id: deploy.mergeSha, message: 'Merge pull request #7' }],
  });
  const env = actionsEnvironment({
    eventName: 'push',
    payload,
    eventPath: writeEventFile(payload),
    apiUrl: gh.url,
  });
  env.GITHUB_RUN_ID = String(runId);
  return env;
}

/** The runner's environment for a workflow_dispatch on main at the merge commit. */
export function dispatchEnvironment(
  gh: FakeGitHub,
  deploy: Deploy,
  runId: number,
  ref = 'main',
): Record<string, string> {
  const payload = workflowDispatchEvent({
    owner: 'acme',
    repo: 'estate',
    ref,
    inputs: { changes: 'CHG-0100' },
  });
  const env = actionsEnvironment({
    eventName: 'workflow_dispatch',
    payload,
    eventPath: writeEventFile(payload),
    apiUrl: gh.url,
    sha: deploy.mergeSha,
  });
  env.GITHUB_RUN_ID = String(runId);
  return env;
}
