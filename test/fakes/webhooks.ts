// Event payloads for the action under test, made from GitHub's real example payloads
// (@octokit/webhooks-examples) and adapted to a scenario: repository, PR, shas, people.
// Ids and urls follow the same rules as the fake server, so a payload and the fake's REST
// answers describe the same pull request.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { nodeId, simpleUser, type BuildContext } from './github-builders.js';
import { fakeSha, stableId, type AccountType, type PullRequestRecord } from './github-model.js';

type Json = Record<string, unknown>;
type PullRequestEvent = WebhookDefinition<'pull_request'>['examples'][number];
type ReviewEvent = WebhookDefinition<'pull_request_review'>['examples'][number];
type MergeGroupEvent = WebhookDefinition<'merge_group'>['examples'][number];

/** The `pull_request` event with the given action. */
export type PullRequestEventOf<A extends PullRequestEvent['action']> = Extract<
  PullRequestEvent,
  { action: A }
>;
/** The `pull_request_review` event with action `submitted`. */
export type PullRequestReviewSubmittedEvent = Extract<ReviewEvent, { action: 'submitted' }>;
/** The `merge_group` event with action `checks_requested`. */
export type MergeGroupChecksRequestedEvent = Extract<
  MergeGroupEvent,
  { action: 'checks_requested' }
>;
/** The `push` event. */
export type PushEvent = WebhookDefinition<'push'>['examples'][number];
/** The `workflow_dispatch` event. */
export type WorkflowDispatchEvent = WebhookDefinition<'workflow_dispatch'>['examples'][number];

/** The repository an event comes from. */
export interface RepositoryScenario {
  owner: string;
  repo: string;
  /** The owner is an organisation unless said otherwise (teams need one). */
  ownerType?: 'Organization' | 'User';
  defaultBranch?: string;
  private?: boolean;
  /** Present in payloads delivered to an App; GitHub Actions payloads usually have none. */
  installationId?: number;
  /** Who triggered the event; defaults to the PR author or the reviewer. */
  sender?: string;
}

/** A pull request as an event describes it. */
export interface PullRequestScenario extends RepositoryScenario {
  number: number;
  headSha: string;
  baseSha: string;
  headRef?: string;
  baseRef?: string;
  author: string;
  title?: string;
  body?: string | null;
  draft?: boolean;
  /** `owner/name` of the fork the PR comes from; the base repository when absent. */
  headRepo?: string;
  /** The test merge commit (refs/pull/N/merge); GITHUB_SHA of a pull_request run. */
  mergeCommitSha?: string | null;
  labels?: string[];
}

/** A review as a `pull_request_review` event describes it. */
export interface ReviewScenario {
  user: string;
  userType?: 'User' | 'Bot';
  state: 'approved' | 'changes_requested' | 'commented' | 'dismissed';
  commitId?: string;
  id?: number;
  body?: string | null;
  submittedAt?: string;
  authorAssociation?: string;
}

const exampleRepo = 'Codertocat/Hello-World';
const api = 'https://api.github.com';
const html = 'https://github.com';

let definitions: WebhookDefinition[] | undefined;

function examples(name: string): Json[] {
  if (!definitions) {
    // The package's main file is a JSON array; require keeps this working under plain node.
    const require = createRequire(import.meta.url);
    definitions = require('@octokit/webhooks-examples') as WebhookDefinition[];
  }
  const found = definitions.find((d) => d.name === name);
  if (!found || found.examples.length === 0) {
    throw new Error(`@octokit/webhooks-examples has no example of the ${name} event`);
  }
  return found.examples as unknown as Json[];
}

/** A deep copy of the richest example for this event and action, retargeted at the repository. */
function example(name: string, action: string | undefined, fullName: string): Json {
  const all = examples(name);
  const candidates = all.filter((e) => action === undefined || e.action === action);
  const pool = candidates.length > 0 ? candidates : all;
  const richest = pool.reduce((best, e) =>
    Object.keys(e).length > Object.keys(best).length ? e : best,
  );
  // Example urls name the example repository; rewriting the text retargets every one of them.
  return JSON.parse(JSON.stringify(richest).split(exampleRepo).join(fullName)) as Json;
}

function buildContext(types: Record<string, AccountType>): BuildContext {
  return {
    apiUrl: api,
    htmlUrl: html,
    user: (login) => ({
      login,
      id: stableId('user', login),
      type: types[login.toLowerCase()] ?? (login.endsWith('[bot]') ? 'Bot' : 'User'),
      name: null,
      email: null,
      ...(login.endsWith('[bot]') ? { appSlug: login.slice(0, -'[bot]'.length) } : {}),
    }),
    app: () => undefined,
    association: () => 'NONE',
  };
}

function user(s: RepositoryScenario, login: string, type?: AccountType): Json {
  const types: Record<string, AccountType> = {
    [s.owner.toLowerCase()]: s.ownerType ?? 'Organization',
  };
  if (type) types[login.toLowerCase()] = type;
  const { user_view_type: _view, ...webhookUser } = simpleUser(buildContext(types), login);
  return webhookUser;
}

function repository(
  s: RepositoryScenario,
  template: Json,
  fullName = `${s.owner}/${s.repo}`,
): Json {
  const [owner = s.owner, name = s.repo] = fullName.split('/');
  const copy = JSON.parse(
    JSON.stringify(template).split(`${s.owner}/${s.repo}`).join(fullName),
  ) as Json;
  const id = stableId('repo', fullName);
  return {
    ...copy,
    id,
    node_id: nodeId('Repository', id),
    name,
    full_name: fullName,
    owner: user(s, owner, owner === s.owner ? (s.ownerType ?? 'Organization') : 'User'),
    private: s.private ?? false,
    visibility: s.private ? 'private' : 'public',
    fork: fullName !== `${s.owner}/${s.repo}`,
    default_branch: s.defaultBranch ?? 'main',
    ...('master_branch' in copy ? { master_branch: s.defaultBranch ?? 'main' } : {}),
  };
}

function organization(s: RepositoryScenario): Json {
  const id = stableId('user', s.owner);
  const url = `${api}/orgs/${s.owner}`;
  return {
    login: s.owner,
    id,
    node_id: nodeId('Organization', id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    description: null,
  };
}

/** Puts repository, organisation, installation and sender where GitHub puts them. */
function envelope(payload: Json, s: RepositoryScenario, sender: string): void {
  payload.repository = repository(s, payload.repository as Json);
  if ((s.ownerType ?? 'Organization') === 'Organization') payload.organization = organization(s);
  else delete payload.organization;
  if (s.installationId !== undefined) {
    payload.installation = {
      id: s.installationId,
      node_id: nodeId('Installation', s.installationId),
    };
  } else {
    delete payload.installation;
  }
  payload.sender = user(s, sender);
}

function pullRequestObject(template: Json, s: PullRequestScenario, repoJson: Json): Json {
  const fullName = `${s.owner}/${s.repo}`;
  const apiBase = `${api}/repos/${fullName}`;
  const htmlUrl = `${html}/${fullName}/pull/${s.number}`;
  const id = stableId('pull', `${fullName}#${s.number}`);
  const headFullName = s.headRepo ?? fullName;
  const headOwner = headFullName.split('/')[0] ?? s.owner;
  const headRepo = headFullName === fullName ? repoJson : repository(s, repoJson, headFullName);
  const baseRef = s.baseRef ?? s.defaultBranch ?? 'main';
  const headRef = s.headRef ?? `feature-${s.number}`;
  const urls = {
    url: `${apiBase}/pulls/${s.number}`,
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: `${apiBase}/issues/${s.number}`,
    commits_url: `${apiBase}/pulls/${s.number}/commits`,
    review_comments_url: `${apiBase}/pulls/${s.number}/comments`,
    review_comment_url: `${apiBase}/pulls/comments{/number}`,
    comments_url: `${apiBase}/issues/${s.number}/comments`,
    statuses_url: `${apiBase}/statuses/${s.headSha}`,
  };
  const link = (href: string) => ({ href });
  return {
    ...template,
    ...urls,
    id,
    node_id: nodeId('PullRequest', id),
    number: s.number,
    state: 'open',
    locked: false,
    title: s.title ?? `Pull request ${s.number}`,
    user: user(s, s.author),
    body: s.body ?? null,
    labels: (s.labels ?? []).map((name) => {
      const labelId = stableId('label', `${fullName}:${name.toLowerCase()}`);
      return {
        id: labelId,
        node_id: nodeId('Label', labelId),
        url: `${apiBase}/labels/${encodeURIComponent(name)}`,
        name,
        color: 'ededed',
        default: false,
        description: null,
      };
    }),
    draft: s.draft ?? false,
    merged: false,
    merged_at: null,
    merged_by: null,
    closed_at: null,
    merge_commit_sha:
      s.mergeCommitSha !== undefined ? s.mergeCommitSha : fakeSha(`${fullName}#${s.number}:merge`),
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${headOwner}:${headRef}`,
      ref: headRef,
      sha: s.headSha,
      user: user(s, headOwner),
      repo: headRepo,
    },
    base: {
      label: `${s.owner}:${baseRef}`,
      ref: baseRef,
      sha: s.baseSha,
      user: user(s, s.owner, s.ownerType ?? 'Organization'),
      repo: repoJson,
    },
    _links: {
      self: link(urls.url),
      html: link(urls.html_url),
      issue: link(urls.issue_url),
      comments: link(urls.comments_url),
      review_comments: link(urls.review_comments_url),
      review_comment: link(urls.review_comment_url),
      commits: link(urls.commits_url),
      statuses: link(urls.statuses_url),
    },
  };
}

/** A `pull_request` event (opened, synchronize, reopened, ...) for the scenario. */
export function pullRequestEvent<A extends PullRequestEvent['action']>(
  action: A,
  scenario: PullRequestScenario,
  extra: { before?: string } = {},
): PullRequestEventOf<A> {
  const payload = example('pull_request', action, `${scenario.owner}/${scenario.repo}`);
  payload.action = action;
  payload.number = scenario.number;
  envelope(payload, scenario, scenario.sender ?? scenario.author);
  payload.pull_request = pullRequestObject(
    payload.pull_request as Json,
    scenario,
    payload.repository as Json,
  );
  if (action === 'synchronize') {
    payload.before = extra.before ?? fakeSha(`${scenario.headSha}:before`);
    payload.after = scenario.headSha;
  }
  return payload as unknown as PullRequestEventOf<A>;
}

/** A `pull_request_review` event with action `submitted`. */
export function pullRequestReviewSubmittedEvent(
  scenario: PullRequestScenario,
  review: ReviewScenario,
): PullRequestReviewSubmittedEvent {
  const fullName = `${scenario.owner}/${scenario.repo}`;
  const payload = example('pull_request_review', 'submitted', fullName);
  envelope(payload, scenario, scenario.sender ?? review.user);
  const pr = pullRequestObject(payload.pull_request as Json, scenario, payload.repository as Json);
  // The review event carries the simple PR shape: no counts, no mergeability.
  for (const key of ['merged', 'merged_by', 'draft']) delete pr[key];
  payload.pull_request = pr;
  const id = review.id ?? stableId('review', `${fullName}#${scenario.number}:${review.user}`);
  const reviewHtml = `${html}/${fullName}/pull/${scenario.number}#pullrequestreview-${id}`;
  const prUrl = `${api}/repos/${fullName}/pulls/${scenario.number}`;
  payload.review = {
    ...(payload.review as Json),
    id,
    node_id: nodeId('PullRequestReview', id),
    user: user(scenario, review.user, review.userType),
    body: review.body ?? null,
    commit_id: review.commitId ?? scenario.headSha,
    submitted_at: review.submittedAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    state: review.state,
    html_url: reviewHtml,
    pull_request_url: prUrl,
    author_association: review.authorAssociation ?? 'MEMBER',
    _links: { html: { href: reviewHtml }, pull_request: { href: prUrl } },
  };
  return payload as unknown as PullRequestReviewSubmittedEvent;
}

/** A `merge_group` `checks_requested` event: no PR in it, a gh-readonly-queue ref. */
export function mergeGroupEvent(
  scenario: RepositoryScenario & {
    headSha: string;
    baseSha: string;
    baseRef?: string;
    prNumber: number;
  },
): MergeGroupChecksRequestedEvent {
  const payload = example('merge_group', 'checks_requested', `${scenario.owner}/${scenario.repo}`);
  const baseRef = scenario.baseRef ?? scenario.defaultBranch ?? 'main';
  envelope(payload, scenario, scenario.sender ?? 'github-merge-queue[bot]');
  const headCommit = (payload.merge_group as { head_commit: Json }).head_commit;
  payload.merge_group = {
    head_sha: scenario.headSha,
    head_ref: `refs/heads/gh-readonly-queue/${baseRef}/pr-${scenario.prNumber}-${scenario.baseSha}`,
    base_sha: scenario.baseSha,
    base_ref: `refs/heads/${baseRef}`,
    head_commit: {
      ...headCommit,
      id: scenario.headSha,
      tree_id: fakeSha(`${scenario.headSha}:tree`),
      message: `Merge pull request #${scenario.prNumber}`,
    },
  };
  return payload as unknown as MergeGroupChecksRequestedEvent;
}

/** The `workflow_run` event with action `completed`. */
export type WorkflowRunCompletedEvent = Extract<
  WebhookDefinition<'workflow_run'>['examples'][number],
  { action: 'completed' }
>;

/**
 * A `workflow_run` `completed` event: the run of another workflow (say one on
 * pull_request_review) has finished; `pullRequests` are those GitHub associates with it (the
 * same repository's only: a fork's run lists none).
 */
export function workflowRunEvent(
  scenario: RepositoryScenario & {
    event: string;
    headSha: string;
    headBranch?: string;
    pullRequests?: {
      number: number;
      headSha: string;
      baseSha: string;
      headRef?: string;
      baseRef?: string;
    }[];
    workflow?: string;
  },
): WorkflowRunCompletedEvent {
  const fullName = `${scenario.owner}/${scenario.repo}`;
  const payload = example('workflow_run', 'completed', fullName);
  envelope(payload, scenario, scenario.sender ?? 'octocat');
  const run = payload.workflow_run as Json;
  const repoJson = payload.repository as Json;
  const apiBase = `${api}/repos/${fullName}`;
  payload.workflow_run = {
    ...run,
    name: scenario.workflow ?? 'changeops review',
    event: scenario.event,
    head_sha: scenario.headSha,
    head_branch: scenario.headBranch ?? 'feature',
    status: 'completed',
    conclusion: 'success',
    repository: repoJson,
    head_repository: repoJson,
    pull_requests: (scenario.pullRequests ?? []).map((pr) => ({
      id: stableId('pull', `${fullName}#${pr.number}`),
      number: pr.number,
      url: `${apiBase}/pulls/${pr.number}`,
      head: {
        ref: pr.headRef ?? 'feature',
        sha: pr.headSha,
        repo: { id: repoJson.id, url: apiBase, name: scenario.repo },
      },
      base: {
        ref: pr.baseRef ?? 'main',
        sha: pr.baseSha,
        repo: { id: repoJson.id, url: apiBase, name: scenario.repo },
      },
    })),
  };
  return payload as unknown as WorkflowRunCompletedEvent;
}

/** A `workflow_dispatch` event with the given inputs. */
export function workflowDispatchEvent(
  scenario: RepositoryScenario & {
    ref?: string;
    inputs?: Record<string, unknown>;
    workflow?: string;
  },
): WorkflowDispatchEvent {
  const payload = example('workflow_dispatch', undefined, `${scenario.owner}/${scenario.repo}`);
  envelope(payload, scenario, scenario.sender ?? 'octocat');
  payload.ref = `refs/heads/${scenario.ref ?? scenario.defaultBranch ?? 'main'}`;
  payload.inputs = scenario.inputs ?? {};
  payload.workflow = scenario.workflow ?? '.github/workflows/changeops.yml';
  return payload as unknown as WorkflowDispatchEvent;
}

/** One commit of a push, as the payload lists it. */
export interface PushedCommit {
  id: string;
  message?: string;
  added?: string[];
  modified?: string[];
  removed?: string[];
  author?: string;
}

/**
 * A `push` event to a branch (default: the default branch): `before` is the branch's old head,
 * `after` the new one (GITHUB_SHA), `commits` the pushed commits, oldest first.
 */
export function pushEvent(
  scenario: RepositoryScenario & {
    before: string;
    after: string;
    ref?: string;
    commits?: PushedCommit[];
  },
): PushEvent {
  const fullName = `${scenario.owner}/${scenario.repo}`;
  const all = examples('push');
  const template = all.find((e) => Array.isArray(e.commits) && e.commits.length > 0) ?? all[0]!;
  const payload = JSON.parse(JSON.stringify(template).split(exampleRepo).join(fullName)) as Json;
  const sender = scenario.sender ?? 'octocat';
  envelope(payload, scenario, sender);
  const ref = scenario.ref ?? `refs/heads/${scenario.defaultBranch ?? 'main'}`;
  const zero = /^0+$/;
  payload.ref = ref;
  payload.before = scenario.before;
  payload.after = scenario.after;
  payload.created = zero.test(scenario.before);
  payload.deleted = zero.test(scenario.after);
  payload.forced = false;
  payload.base_ref = null;
  payload.compare = `${html}/${fullName}/compare/${scenario.before.slice(0, 12)}...${scenario.after.slice(0, 12)}`;
  payload.pusher = { name: sender, email: `${sender}@users.noreply.github.com` };
  const template0 = ((template.commits as Json[] | undefined) ?? [])[0] ?? {};
  const commits = (scenario.commits ?? [{ id: scenario.after }]).map((c) => {
    const who = c.author ?? sender;
    const person = { name: who, email: `${who}@users.noreply.github.com`, username: who };
    return {
      ...template0,
      id: c.id,
      tree_id: fakeSha(`${c.id}:tree`),
      distinct: true,
      message: c.message ?? 'Commit',
      timestamp: '2026-01-05T09:00:00Z',
      url: `${html}/${fullName}/commit/${c.id}`,
      author: person,
      committer: person,
      added: c.added ?? [],
      removed: c.removed ?? [],
      modified: c.modified ?? [],
    };
  });
  payload.commits = commits;
  payload.head_commit = commits.at(-1) ?? null;
  (payload.repository as Json).pushed_at = Math.floor(Date.parse('2026-01-05T09:00:00Z') / 1000);
  return payload as unknown as PushEvent;
}

/** The scenario of a pull request seeded in the fake server, so payload and API agree. */
export function scenarioFromPullRequest(
  fullName: string,
  pr: PullRequestRecord,
  extra: Partial<PullRequestScenario> = {},
): PullRequestScenario {
  const [owner = '', repo = ''] = fullName.split('/');
  return {
    owner,
    repo,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    headRef: pr.head.ref,
    baseRef: pr.base.ref,
    author: pr.author,
    title: pr.title,
    body: pr.body,
    draft: pr.draft,
    mergeCommitSha: pr.mergeCommitSha,
    labels: pr.labels,
    ...(pr.head.repo === fullName ? {} : { headRepo: pr.head.repo }),
    ...extra,
  };
}

/** Writes a payload to a fresh temporary file and returns its path, for GITHUB_EVENT_PATH. */
export function writeEventFile(payload: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'changeops-event-'));
  const path = join(dir, 'event.json');
  writeFileSync(path, `${JSON.stringify(payload, null, 2)}\n`);
  return path;
}

/**
 * The environment GitHub Actions sets for a run triggered by this event. For pull_request
 * and pull_request_review, GITHUB_SHA is the test merge commit, not the PR head: code that
 * posts a status on GITHUB_SHA puts it where the PR never shows it.
 */
export function actionsEnvironment(options: {
  eventName:
    | 'pull_request'
    | 'pull_request_review'
    | 'pull_request_target'
    | 'merge_group'
    | 'push'
    | 'workflow_run'
    | 'workflow_dispatch';
  payload: unknown;
  eventPath: string;
  apiUrl: string;
  sha?: string;
}): Record<string, string> {
  const p = options.payload as Json;
  const repo = p.repository as { full_name: string; default_branch?: string };
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: options.eventPath,
    GITHUB_REPOSITORY: repo.full_name,
    GITHUB_REPOSITORY_OWNER: repo.full_name.split('/')[0] ?? '',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: html,
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_ACTOR: String((p.sender as { login?: string } | undefined)?.login ?? ''),
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'changeops',
    GITHUB_JOB: 'changeops',
  };
  const pr = p.pull_request as
    | {
        number: number;
        merge_commit_sha: string | null;
        head: { ref: string };
        base: { ref: string; sha: string };
      }
    | undefined;
  if (pr && options.eventName === 'pull_request_target') {
    env.GITHUB_SHA = options.sha ?? pr.base.sha;
    env.GITHUB_REF = `refs/heads/${pr.base.ref}`;
    env.GITHUB_HEAD_REF = pr.head.ref;
    env.GITHUB_BASE_REF = pr.base.ref;
  } else if (pr) {
    env.GITHUB_SHA = options.sha ?? pr.merge_commit_sha ?? fakeSha(`merge:${pr.number}`);
    env.GITHUB_REF = `refs/pull/${pr.number}/merge`;
    env.GITHUB_HEAD_REF = pr.head.ref;
    env.GITHUB_BASE_REF = pr.base.ref;
  } else if (options.eventName === 'push') {
    env.GITHUB_SHA = options.sha ?? String(p.after);
    env.GITHUB_REF = String(p.ref);
  } else if (options.eventName === 'merge_group') {
    const group = p.merge_group as { head_sha: string; head_ref: string };
    env.GITHUB_SHA = group.head_sha;
    env.GITHUB_REF = group.head_ref;
  } else {
    env.GITHUB_SHA = options.sha ?? fakeSha(`${repo.full_name}:dispatch`);
    env.GITHUB_REF = String(p.ref ?? `refs/heads/${repo.default_branch ?? 'main'}`);
  }
  env.GITHUB_REF_NAME = env.GITHUB_REF!.replace(/^refs\/(heads|tags|pull)\//, '');
  return env;
}
