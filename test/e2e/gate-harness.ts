// The approval gate end to end: an estate with a CAB, an ECAB and CI owners, change records of
// each kind, and one function that seeds the fake GitHub with a pull request whose head is a
// real git checkout, writes the real webhook payload and runs the bundled action on it.
import { generateKeyPairSync } from 'node:crypto';
import type {
  FakeGitHub,
  PullRequestRecord,
  ReviewSeed,
  StatusRecord,
} from '../fakes/github-server.js';
import { fakeSha, TOKENS } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  pullRequestEvent,
  pullRequestReviewSubmittedEvent,
  scenarioFromPullRequest,
  writeEventFile,
  type PullRequestScenario,
} from '../fakes/webhooks.js';
import { baseEstate, type Checkout, type Files } from './checkout.js';
import { runAction, type ActionRun } from './run-action.js';

/** The policy: CAB for normal changes (two for medium and high risk, with the owners of critical CIs), ECAB for emergencies. */
export const gatePolicy = `apiVersion: changeops/v1
kind: Policy
id: gate-e2e
boards:
  cab:
    members: ["@acme/cab"]
  ecab:
    members: ["@acme/ecab"]
approvals:
  - name: cab-low-risk
    when: {types: [normal], risk: [low]}
    from: {board: cab}
    count: 1
  - name: cab-elevated-risk
    when: {types: [normal], risk: [medium, high]}
    from: {board: cab}
    count: 2
  - name: critical-ci-owners
    when: {types: [normal], risk: [medium, high]}
    from: {ciOwners: direct, maxCriticality: 2}
    count: 1
  - name: ecab
    when: {types: [emergency]}
    from: {board: ecab}
    count: 1
templates:
  - id: std-restart-pod
    title: Rolling restart of an application's pods
    classes: [application]
    maxRisk: low
leadTimeHours: {normal: 0, standard: 0, emergency: 0}
`;

/** The estate: an orders database and API (criticality 2) in the shop (1), and a reporting app (4). */
export const gateEstate: Files = {
  ...baseEstate,
  'changeops.yaml': gatePolicy,
  'cmdb/reporting.yaml': `apiVersion: changeops/v1
kind: ConfigurationItem
id: reporting
name: Reporting
class: application
owner: "@acme/bi"
criticality: 4
environment: staging
paths: ["services/reporting/**"]
`,
};

/** A change record; `fields` replace the defaults line by line (type, status, cis, risk, ...). */
export function change(id: string, fields: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    type: 'normal',
    status: 'proposed',
    requester: 'rita',
    cis: '[reporting]',
    risk: '{likelihood: low, impact: low}',
    ...fields,
  };
  const extra = Object.entries(all)
    .filter(([key]) => !['type', 'status', 'requester', 'cis', 'risk'].includes(key))
    .map(([key, value]) => `${key}: ${value}\n`)
    .join('');
  return `apiVersion: changeops/v1
kind: Change
id: ${id}
title: Change ${id}
type: ${all.type}
status: ${all.status}
requester: ${all.requester}
cis: ${all.cis}
reason: The reporting job needs it before the quarter closes.
risk: ${all.risk}
plan:
  implementation: Apply the migration with the deploy pipeline.
  test: Ran it on a copy in staging.
  backout: Revert the migration with the pipeline's rollback job.
schedule: {start: 2030-02-04T22:00:00Z, end: 2030-02-04T23:00:00Z}
${extra}`;
}

/** A low-risk normal change on reporting: one CAB member approves it. */
export const lowRisk = (id: string, fields: Record<string, string> = {}) => change(id, fields);

/** A high-risk normal change on pg-orders: two CAB members and the database's owner. */
export const highRisk = (id: string, fields: Record<string, string> = {}) =>
  change(id, { cis: '[pg-orders]', risk: '{likelihood: high, impact: high}', ...fields });

/** An emergency change on pg-orders: ECAB only. */
export const emergency = (id: string, fields: Record<string, string> = {}) =>
  change(id, {
    type: 'emergency',
    cis: '[pg-orders]',
    risk: '{likelihood: high, impact: high}',
    ...fields,
  });

/** A standard change within std-restart-pod: pre-approved. */
export const standard = (id: string, fields: Record<string, string> = {}) =>
  change(id, { type: 'standard', template: 'std-restart-pod', ...fields });

/** The teams of the acme organisation the policy names. */
export function seedTeams(gh: FakeGitHub): void {
  gh.addTeam('acme', 'cab', ['carla', 'cody', 'alice', 'rita']);
  gh.addTeam('acme', 'ecab', ['ella']);
  gh.addTeam('acme', 'dba', ['dana']);
}

/** An RSA key pair for the App: the fake checks the JWT's signature with the public key. */
export function appKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** One run of the gate against a pull request of acme/estate whose head is the checkout's. */
export interface GateOptions {
  checkout: Checkout;
  /** The changed files the fake lists (the action reads them from git). */
  files?: string[];
  reviews?: ReviewSeed[];
  /** Commits of the PR, oldest first; the head last. Default: the head, by the author. */
  commits?: { sha: string; author?: string | null }[];
  author?: string;
  number?: number;
  event?: 'pull_request' | 'pull_request_review' | 'pull_request_target';
  action?: string;
  /** The review a pull_request_review event is about (default: the last review seeded). */
  reviewEvent?: {
    user: string;
    state: 'approved' | 'changes_requested' | 'commented' | 'dismissed';
  };
  token?: string;
  /** Run as the App, with this private key (the fake's default App). */
  appKey?: string;
  runId?: number;
  attempt?: number;
  /** Extra environment for the action (PATH, ...). */
  env?: Record<string, string>;
  /** The PR exists already (a second run): reuse it instead of seeding one. */
  existing?: PullRequestRecord;
  merged?: boolean;
}

/** What a gate run left: the run, the PR, and the changeops/cab status on its head. */
export interface GateRun {
  run: ActionRun;
  pr: PullRequestRecord;
  /** The newest changeops/cab status on the PR's head sha. */
  status: StatusRecord | undefined;
  /** The sticky comment's body. */
  comment: string;
  /** The requests the run made (every one, OpenAPI-checked). */
  requests: number;
}

/** Seeds the PR (once), writes the event, runs the bundled action with command: gate. */
export async function runGate(gh: FakeGitHub, options: GateOptions): Promise<GateRun> {
  const repo = gh.repo('acme/estate');
  const number = options.number ?? 7;
  const author = options.author ?? 'alice';
  const pr =
    options.existing ??
    repo.addPullRequest({
      number,
      author,
      head: { sha: options.checkout.headSha, ref: 'feature' },
      base: { sha: options.checkout.baseSha, ref: 'main' },
      mergeCommitSha: options.checkout.mergeSha,
      files: (options.files ?? []).map((filename) => ({ filename, status: 'modified' as const })),
      commits: options.commits ?? [{ sha: options.checkout.headSha }],
      reviews: options.reviews ?? [],
    });
  if (options.merged) {
    pr.merged = true;
    pr.state = 'closed';
  }
  const event = options.event ?? 'pull_request';
  const scenario: PullRequestScenario = scenarioFromPullRequest('acme/estate', pr);
  let payload: unknown;
  if (event === 'pull_request_review') {
    const last = pr.reviews.at(-1);
    const review = options.reviewEvent ?? {
      user: last?.user ?? 'carla',
      state: (last?.state.toLowerCase() ?? 'approved') as 'approved',
    };
    payload = pullRequestReviewSubmittedEvent(scenario, { ...review, commitId: pr.head.sha });
    if (options.action) (payload as { action: string }).action = options.action;
  } else {
    const action = (options.action ?? 'synchronize') as 'synchronize';
    payload = pullRequestEvent(action, scenario);
    if (options.merged) {
      const object = (payload as { pull_request: Record<string, unknown> }).pull_request;
      Object.assign(object, { state: 'closed', merged: true, merged_at: gh.currentTime() });
    }
  }
  const before = gh.requests.length;
  const env = actionsEnvironment({
    eventName: event,
    payload,
    eventPath: writeEventFile(payload),
    apiUrl: gh.url,
    ...(event === 'pull_request_target' ? {} : { sha: options.checkout.mergeSha }),
  });
  env.GITHUB_RUN_ID = String(options.runId ?? 1234567890);
  env.GITHUB_RUN_ATTEMPT = String(options.attempt ?? 1);
  const inputs: Record<string, string> = { command: 'gate', token: options.token ?? TOKENS.app };
  if (options.appKey) {
    inputs['app-id'] = String(gh.app.id);
    inputs['app-private-key'] = options.appKey;
  } else if (!options.token || options.token === TOKENS.app) {
    inputs['bot-login'] = 'changeops-app[bot]';
  }
  const run = await runAction({
    cwd: options.checkout.dir,
    env: { ...env, ...options.env },
    inputs,
  });
  return {
    run,
    pr,
    status: repo.statusesFor(pr.head.sha).find((s) => s.context === 'changeops/cab'),
    comment: repo.commentsOn(number)[0]?.body ?? '',
    requests: gh.requests.length - before,
  };
}

/** A sha that names an older commit of the PR. */
export const olderSha = fakeSha('older commit of the PR');

/** A workspace as actions/checkout leaves it for pull_request_target: the base, cloned from an origin. */
export interface TargetCheckout extends Checkout {
  /** The origin repository (a bare clone) that holds refs/pull/<n>/head. */
  origin: string;
}

async function git(dir: string, args: string[]): Promise<string> {
  const { simpleGit } = await import('simple-git');
  return (await simpleGit(dir).raw(args)).trim();
}

/**
 * The origin holds main (the base) and the PR's head only as refs/pull/<n>/head, as on GitHub; the
 * workspace is a full clone of origin with main checked out: the head is not in it until fetched.
 */
export async function makeTargetCheckout(checkout: Checkout, number = 7): Promise<TargetCheckout> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const origin = join(mkdtempSync(join(tmpdir(), 'changeops-origin-')), 'estate.git');
  await git(checkout.dir, ['clone', '--bare', '--quiet', checkout.dir, origin]);
  await git(origin, ['update-ref', `refs/pull/${number}/head`, checkout.headSha]);
  await git(origin, ['branch', '-D', 'feature']);
  // The checkout's HEAD was the detached merge commit: point the origin's at main, as on GitHub.
  await git(origin, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  const dir = join(mkdtempSync(join(tmpdir(), 'changeops-target-')), 'workspace');
  await git(origin, ['clone', '--quiet', '--no-local', '--branch', 'main', origin, dir]);
  return { ...checkout, dir, origin };
}

/** A merge group of several PRs: each entry's branch gh-readonly-queue/main/pr-<n>-<sha>. */
export interface GroupCheckout {
  dir: string;
  origin: string;
  baseSha: string;
  /** Each PR: number, head sha. */
  pulls: { number: number; headSha: string }[];
  /** The group's head (the last entry's merge commit) and its ref. */
  headSha: string;
  headRef: string;
}

/**
 * Builds a merge queue in an origin: main at `base`, one branch per PR (pr-<n> with its files),
 * refs/pull/<n>/head, and the queue's entries, each a merge of the one before with the next PR;
 * the workspace is a clone checked out at the group's head.
 */
export async function makeGroupCheckout(
  base: Files,
  heads: { number: number; files: Files }[],
): Promise<GroupCheckout> {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { dirname, join } = await import('node:path');
  const work = mkdtempSync(join(tmpdir(), 'changeops-queue-'));
  const write = (files: Files) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
  };
  await git(work, ['init', '-q', '-b', 'main']);
  for (const [key, value] of [
    ['user.name', 'Test'],
    ['user.email', 'test@example.com'],
    ['commit.gpgsign', 'false'],
  ])
    await git(work, ['config', key!, value!]);
  write(base);
  await git(work, ['add', '.']);
  await git(work, ['commit', '-q', '-m', 'base']);
  const baseSha = await git(work, ['rev-parse', 'HEAD']);
  const pulls: GroupCheckout['pulls'] = [];
  for (const head of heads) {
    await git(work, ['checkout', '-q', '-b', `pr-${head.number}`, baseSha]);
    write(head.files);
    await git(work, ['add', '.']);
    await git(work, ['commit', '-q', '-m', `PR ${head.number}`]);
    pulls.push({ number: head.number, headSha: await git(work, ['rev-parse', 'HEAD']) });
  }
  let previous = baseSha;
  const entries: { ref: string; sha: string }[] = [];
  for (const pull of pulls) {
    await git(work, ['checkout', '-q', '--detach', previous]);
    await git(work, [
      'merge',
      '-q',
      '--no-ff',
      '-m',
      `Merge pull request #${pull.number}`,
      pull.headSha,
    ]);
    const sha = await git(work, ['rev-parse', 'HEAD']);
    entries.push({ ref: `gh-readonly-queue/main/pr-${pull.number}-${previous}`, sha });
    previous = sha;
  }
  await git(work, ['checkout', '-q', 'main']);
  for (const entry of entries) await git(work, ['branch', entry.ref, entry.sha]);
  for (const pull of pulls)
    await git(work, ['update-ref', `refs/pull/${pull.number}/head`, pull.headSha]);
  for (const pull of pulls) await git(work, ['branch', '-D', `pr-${pull.number}`]);
  const origin = join(mkdtempSync(join(tmpdir(), 'changeops-origin-')), 'estate.git');
  await git(work, ['clone', '--bare', '--quiet', work, origin]);
  for (const pull of pulls)
    await git(origin, ['update-ref', `refs/pull/${pull.number}/head`, pull.headSha]);
  const dir = join(mkdtempSync(join(tmpdir(), 'changeops-group-')), 'workspace');
  await git(origin, ['clone', '--quiet', '--no-local', origin, dir]);
  const last = entries.at(-1)!;
  await git(dir, ['checkout', '-q', '--detach', last.sha]);
  return { dir, origin, baseSha, pulls, headSha: last.sha, headRef: `refs/heads/${last.ref}` };
}

/** A pull request of two commits: `first` (the one approved), then `second` on top of it. */
export async function makePushedCheckout(
  first: Files,
  second: Files,
  base: Files = gateEstate,
): Promise<Checkout & { firstSha: string }> {
  const { makeCheckout } = await import('./checkout.js');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const checkout = await makeCheckout(first, base);
  const firstSha = checkout.headSha;
  await git(checkout.dir, ['checkout', '-q', 'feature']);
  for (const [path, text] of Object.entries(second)) {
    mkdirSync(dirname(join(checkout.dir, path)), { recursive: true });
    writeFileSync(join(checkout.dir, path), text);
  }
  await git(checkout.dir, ['add', '.']);
  await git(checkout.dir, ['commit', '-q', '-m', 'push']);
  const headSha = await git(checkout.dir, ['rev-parse', 'HEAD']);
  await git(checkout.dir, ['checkout', '-q', '--detach', checkout.baseSha]);
  await git(checkout.dir, ['merge', '-q', '--no-ff', '-m', 'Merge feature into main', headSha]);
  const mergeSha = await git(checkout.dir, ['rev-parse', 'HEAD']);
  return { ...checkout, firstSha, headSha, mergeSha };
}
