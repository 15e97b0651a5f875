import { readFileSync } from 'node:fs';
import { EventError } from './errors/event-error.js';

/** The pull request a run is about, as the event payload describes it. */
export interface PullRequestRef {
  number: number;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  author: string;
  /** True when the head is in another repository: the token is read-only on pull_request. */
  fromFork: boolean;
  /** The head's repository, `owner/name` (a fork's for a pull request from a fork), when known. */
  headRepository?: string;
  /** Set when the pull request is closed: whether it merged (a `closed` event says). */
  merged?: boolean;
}

/** What a run knows from its environment before calling any API. */
export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The commit the workflow checked out (for pull_request: the merge commit, in no branch). */
  sha: string;
  runId: number;
  /** GITHUB_RUN_ATTEMPT: a re-run keeps the run id and counts up from 1. */
  runAttempt?: number;
  serverUrl: string;
  /** The event's `action` (opened, synchronize, submitted, dismissed, closed, ...). */
  action?: string;
  pullRequest?: PullRequestRef;
  /** For merge_group: the queue's base and head. */
  mergeGroup?: { baseSha: string; headSha: string; headRef: string };
  /**
   * For workflow_run: the run that triggered this one, its event and the pull requests GitHub
   * associates with it (a same-repository PR's number; none for a fork's).
   */
  workflowRun?: { event: string; headSha: string; pullRequests: number[] };
}

/** Events each command runs on; anything else gets a clear explanation. */
export const supportedEvents: Record<string, readonly string[]> = {
  validate: [
    'pull_request',
    'pull_request_target',
    'push',
    'merge_group',
    'workflow_dispatch',
    'schedule',
  ],
  check: ['pull_request', 'pull_request_target', 'merge_group', 'workflow_dispatch'],
  gate: [
    'pull_request',
    'pull_request_review',
    'pull_request_target',
    'merge_group',
    'workflow_run',
  ],
};

/** Reads the run's context from the runner's environment variables and event file. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '/').split('/');
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new EventError(
        `cannot read the event payload at GITHUB_EVENT_PATH: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return parseRunContext(eventName, payload, {
    owner: owner ?? '',
    repo: repo ?? '',
    sha: env.GITHUB_SHA ?? '',
    runId: Number(env.GITHUB_RUN_ID ?? 0),
    ...(env.GITHUB_RUN_ATTEMPT ? { runAttempt: Number(env.GITHUB_RUN_ATTEMPT) } : {}),
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
  });
}

/** Builds the run context from an event name and payload (pure, for tests). */
export function parseRunContext(
  eventName: string,
  payload: Record<string, unknown>,
  base: {
    owner: string;
    repo: string;
    sha: string;
    runId: number;
    runAttempt?: number;
    serverUrl: string;
  },
): RunContext {
  const context: RunContext = { eventName, ...base };
  if (typeof payload.action === 'string') context.action = payload.action;
  const pr = payload.pull_request as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (pr && typeof pr.number === 'number') {
    context.pullRequest = {
      number: pr.number,
      headSha: String(pr.head?.sha ?? ''),
      headRef: String(pr.head?.ref ?? ''),
      baseSha: String(pr.base?.sha ?? ''),
      baseRef: String(pr.base?.ref ?? ''),
      author: String(pr.user?.login ?? ''),
      fromFork: Boolean(
        pr.head?.repo && pr.base?.repo && pr.head.repo.full_name !== pr.base.repo.full_name,
      ),
      ...(typeof pr.head?.repo?.full_name === 'string'
        ? { headRepository: pr.head.repo.full_name as string }
        : {}),
    };
    if (pr.state === 'closed') context.pullRequest.merged = pr.merged === true;
  }
  const group = payload.merge_group as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (group) {
    context.mergeGroup = {
      baseSha: String(group.base_sha ?? ''),
      headSha: String(group.head_sha ?? ''),
      headRef: String(group.head_ref ?? ''),
    };
  }
  const workflowRun = payload.workflow_run as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (workflowRun && typeof workflowRun === 'object') {
    const pulls: unknown[] = Array.isArray(workflowRun.pull_requests)
      ? workflowRun.pull_requests
      : [];
    context.workflowRun = {
      event: String(workflowRun.event ?? ''),
      headSha: String(workflowRun.head_sha ?? ''),
      pullRequests: pulls
        .map((pr) => Number((pr as { number?: unknown } | null)?.number))
        .filter((n) => Number.isSafeInteger(n) && n > 0),
    };
  }
  return context;
}

/** Checks the command may run on this event, with a sentence that says what to do otherwise. */
export function assertSupportedEvent(command: string, context: RunContext): void {
  const events = supportedEvents[command];
  if (!events || events.includes(context.eventName)) return;
  throw new EventError(
    `changeops ${command} runs on ${events.join(', ')}; this run was triggered by "${context.eventName || 'no event'}". ` +
      `Add "on: [${events.slice(0, 2).join(', ')}]" to the workflow, or pick the command that fits this event.`,
  );
}
