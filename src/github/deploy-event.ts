import { readFileSync } from 'node:fs';
import { EventError } from './errors/event-error.js';
import { parseRunContext, type RunContext } from './event.js';

/** What a run after a deploy knows from its environment: the ref, the commit, the push. */
export interface DeployContext extends RunContext {
  /** The ref the run is for, `refs/heads/main` (GITHUB_REF, or the payload's `ref`). */
  ref: string;
  /** The repository's default branch, from the payload when it says. */
  defaultBranch?: string;
  /** On `push`: the branch's head before and after the push. */
  push?: { before: string; after: string };
}

/**
 * Reads the run's context for verify from the runner's environment and event file: the ref and
 * commit the workflow runs on, the default branch, and on `push` the commits before and after.
 */
export function readDeployContext(env: NodeJS.ProcessEnv = process.env): DeployContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
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
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '/').split('/');
  const context = parseRunContext(eventName, payload, {
    owner: owner ?? '',
    repo: repo ?? '',
    sha: env.GITHUB_SHA ?? '',
    runId: Number(env.GITHUB_RUN_ID ?? 0),
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
  });
  return { ...context, ...deployFacts(eventName, payload, env.GITHUB_REF ?? '') };
}

/** The deploy facts of a payload (pure, for tests). */
export function deployFacts(
  eventName: string,
  payload: Record<string, unknown>,
  envRef: string,
): Pick<DeployContext, 'ref' | 'defaultBranch' | 'push'> {
  const repository = payload.repository as { default_branch?: unknown } | undefined;
  const defaultBranch =
    typeof repository?.default_branch === 'string' ? repository.default_branch : undefined;
  const ref = envRef || (typeof payload.ref === 'string' ? payload.ref : '');
  const facts: Pick<DeployContext, 'ref' | 'defaultBranch' | 'push'> = {
    ref,
    ...(defaultBranch ? { defaultBranch } : {}),
  };
  const sha = /^[0-9a-f]{40}$/;
  if (
    eventName === 'push' &&
    typeof payload.before === 'string' &&
    typeof payload.after === 'string' &&
    sha.test(payload.before) &&
    sha.test(payload.after)
  )
    facts.push = { before: payload.before, after: payload.after };
  return facts;
}
