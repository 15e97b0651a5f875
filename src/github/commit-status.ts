import { RequestError } from '@octokit/request-error';
import type { CommitState } from '../approvals/result.js';
import type { GitHubClient } from './octokit.js';
import type { RepositoryRef } from './repository-ref.js';

/** The workflow run that posts a status: its id and attempt order the runs. */
export interface RunStamp {
  runId: number;
  attempt: number;
}

/** A status of the gate's context as GitHub lists it. */
export interface ListedStatus {
  creator: string;
  state: string;
  description: string;
  targetUrl: string;
  /** The run that posted it, read from its target_url (`/actions/runs/<id>/attempts/<n>`). */
  run?: RunStamp;
}

/** What is on a commit of the gate's context: the latest of ours, the latest of anyone's, others'. */
export interface GateStatuses {
  /** The newest status of the context created by our identity. */
  ours?: ListedStatus;
  /** The newest status of the context, whoever created it (the one GitHub shows). */
  latest?: ListedStatus;
  /** Statuses of the context by other creators, newest first, one per creator. */
  foreign: ListedStatus[];
}

const runPattern = /\/actions\/runs\/(\d+)(?:\/attempts\/(\d+))?(?:[/?#]|$)/;

/** The run a target_url points at, when it is a workflow run's. */
export function runOf(targetUrl: string | null | undefined): RunStamp | undefined {
  const match = runPattern.exec(targetUrl ?? '');
  if (!match) return undefined;
  return { runId: Number(match[1]), attempt: Number(match[2] ?? 1) };
}

/** Whether run a came after run b: a higher run id, or the same id and a higher attempt. */
export function laterRun(a: RunStamp, b: RunStamp): boolean {
  return a.runId > b.runId || (a.runId === b.runId && a.attempt > b.attempt);
}

/**
 * The statuses of `context` on a commit, newest first, 100 a page: read until our newest is
 * found (usually on the first page), noting on the way the newest of anyone's and the statuses
 * other creators posted. `identity` is our login (`<app-slug>[bot]`, `github-actions[bot]`).
 */
export async function readGateStatuses(
  client: GitHubClient,
  target: RepositoryRef,
  sha: string,
  context: string,
  identity: string,
): Promise<GateStatuses> {
  const found: GateStatuses = { foreign: [] };
  const creators = new Set<string>();
  const self = identity.toLowerCase();
  await client.paginate(
    client.rest.repos.listCommitStatusesForRef,
    { ...target, ref: sha, per_page: 100 },
    (response, done) => {
      for (const status of response.data) {
        if (status.context !== context) continue;
        const creator = status.creator?.login ?? 'ghost';
        const run = runOf(status.target_url);
        const listed: ListedStatus = {
          creator,
          state: status.state,
          description: status.description ?? '',
          targetUrl: status.target_url ?? '',
          ...(run ? { run } : {}),
        };
        found.latest ??= listed;
        if (creator.toLowerCase() === self) {
          found.ours ??= listed;
        } else if (!creators.has(creator.toLowerCase())) {
          creators.add(creator.toLowerCase());
          found.foreign.push(listed);
        }
      }
      if (found.ours) done();
      return [];
    },
  );
  return found;
}

/** The status the gate posts. */
export interface GateStatus {
  context: string;
  state: CommitState;
  description: string;
  /** The workflow run, with its attempt: `/actions/runs/<id>/attempts/<n>`. */
  targetUrl: string;
  run: RunStamp;
}

/** What became of the status. */
export type StatusOutcome =
  | { action: 'created' | 'unchanged' | 'skipped-newer' }
  | { action: 'refused'; status: number; message: string };

/**
 * Posts the gate's status on a commit unless that would be stale or idle: never over a status of
 * ours that a later run (higher run id, or same id and higher attempt) posted, and not at all when
 * the status GitHub shows is ours already and says the same (state and description). A status
 * another identity posted since ours does not count as ours saying it: ours is posted again, so
 * that the latest status of the context is the gate's. A refusal (403, 404, 422) is an outcome.
 */
export async function postGateStatus(
  client: GitHubClient,
  target: RepositoryRef,
  sha: string,
  status: GateStatus,
  existing: GateStatuses,
): Promise<StatusOutcome> {
  const ours = existing.ours;
  if (ours?.run && laterRun(ours.run, status.run)) return { action: 'skipped-newer' };
  if (
    ours &&
    existing.latest === ours &&
    ours.state === status.state &&
    ours.description === status.description
  )
    return { action: 'unchanged' };
  try {
    // Posting a status is idempotent (the newest one wins), so the client's retries are safe.
    await client.rest.repos.createCommitStatus({
      ...target,
      sha,
      state: status.state,
      context: status.context,
      description: status.description,
      target_url: status.targetUrl,
    });
    return { action: 'created' };
  } catch (error) {
    if (error instanceof RequestError && [403, 404, 422].includes(error.status))
      return {
        action: 'refused',
        status: error.status,
        message: error.message.split('\n', 1)[0]!.slice(0, 200),
      };
    throw error;
  }
}
