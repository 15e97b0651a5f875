// The check of a workflow run: its event, the report's view and templates, the sticky comment's
// API calls. The action calls checkWorkflowRun; the CLI calls check alone, so its bundle's check never
// loads (or compiles) the templates, handlebars or the comment's code.
import { renderCheckReport, type ReportMeta } from '../evaluate/report.js';
import { httpProblem } from '../github/api-problem.js';
import {
  assertSupportedEvent,
  readRunContext,
  type PullRequestRef,
  type RunContext,
} from '../github/event.js';
import { commentAuthor } from '../github/identity.js';
import type { GitHubClient } from '../github/octokit.js';
import type { TokenKind } from '../github/identity.js';
import { upsertStickyComment, type CommentTarget } from '../github/sticky-comment.js';
import { check, type CheckRequest, type CheckResult, type CommentOutcome } from './check.js';

/** A workflow run the check reports to: its environment, the API and our bot's login. */
export interface WorkflowRun {
  /** The runner's environment: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, ... */
  env: NodeJS.ProcessEnv;
  /**
   * The API (made by the action from its token, with createClient); without one nothing is
   * written to GitHub and the job summary has the report. Passed in, so the CLI, which never
   * talks to the API, does not load octokit.
   */
  client?: GitHubClient;
  /**
   * The login our comments are made under when the token cannot say (an installation token:
   * `github-actions[bot]`, or `<app-slug>[bot]` for an App's); any other token is asked once.
   */
  botLogin: string;
  /** What the token is, by its prefix (tokenKind): whether to ask it who it is. */
  tokenKind?: TokenKind;
  /** The folder checked, relative to the workspace (the action's `dir`): one report per folder. */
  dir?: string;
}

/**
 * The `check` use case in a workflow run: the base from the run's event (the pull request's or
 * the merge queue's base commit), the check, its report (job summary and sticky comment) from
 * the same outcome, and the write that is left (`publish`: the one sticky comment on the pull
 * request). Throws an EventError for an event the check does not run on, and what check throws.
 */
export async function checkWorkflowRun(
  request: Omit<CheckRequest, 'base' | 'baseName'>,
  run: WorkflowRun,
): Promise<CheckResult> {
  const context = readRunContext(run.env);
  assertSupportedEvent('check', context);
  const base = baseOf(context);
  const baseName = context.pullRequest?.baseRef;
  const result = await check({
    ...request,
    ...(base !== undefined ? { base } : {}),
    ...(baseName ? { baseName } : {}),
  });
  const report = renderCheckReport(
    result.outcome,
    { ...reportMeta(context), ...(run.dir ? { dir: run.dir } : {}) },
    result.readiness,
  );
  const pr = context.pullRequest;
  if (!pr) return { ...result, report };
  return {
    ...result,
    report,
    publish: () =>
      publishComment(
        run,
        { owner: context.owner, repo: context.repo, issueNumber: pr.number },
        {
          marker: report.marker,
          body: report.comment,
          runId: context.runId,
          fromFork: pr.fromFork,
        },
      ),
  };
}

/**
 * Writes the sticky comment of a run and says what became of it; never throws, because the
 * report is in the job summary already and a comment that cannot be written is only a warning.
 */
export async function publishComment(
  run: WorkflowRun,
  target: CommentTarget,
  comment: { marker: string; body: string; runId: number; fromFork: boolean },
): Promise<CommentOutcome> {
  const summaryOnly = 'the report is in the job summary';
  if (!run.client)
    return {
      problem: `no pull request comment: the token input is empty, so nothing is written to GitHub; ${summaryOnly}`,
    };
  try {
    const author = await commentAuthor(run.client, run.tokenKind ?? 'installation', run.botLogin);
    if ('problem' in author) return { problem: `no pull request comment: ${author.problem}` };
    const written = await upsertStickyComment(run.client, target, { ...comment, author });
    if (written.action === 'refused')
      return {
        problem:
          `could not write the pull request comment (HTTP ${written.status}: ${written.message.replace(/ - https?:\/\/\S+$/, '')}); ` +
          (comment.fromFork
            ? `pull requests from forks get a read-only token, so ${summaryOnly} only`
            : 'give the workflow `pull-requests: write` (or `issues: write`) permission'),
      };
    if (written.actualLogin === undefined) return { comment: written };
    return {
      comment: written,
      problem: `the token comments as ${written.actualLogin}, not as ${run.botLogin} (the bot-login input); set bot-login: ${written.actualLogin} in the workflow, so that the report comment is told from other comments by its login`,
    };
  } catch (error) {
    return {
      problem: `could not write the pull request comment (${httpProblem(error)}); ${summaryOnly}`,
    };
  }
}

/** The base a workflow run is judged against: the pull request's, or the merge queue's. */
function baseOf(context: RunContext): string | undefined {
  return context.pullRequest?.baseSha || context.mergeGroup?.baseSha || undefined;
}

/** Where the report of a workflow run is shown: the repository, the head commit, the run. */
function reportMeta(context: RunContext): ReportMeta {
  const pr = context.pullRequest;
  return {
    repository: `${context.owner}/${context.repo}`,
    headSha: pr?.headSha || context.mergeGroup?.headSha || context.sha,
    ...(pr ? headOf(pr) : {}),
    ...(context.runId
      ? {
          runUrl: `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`,
        }
      : {}),
    serverUrl: context.serverUrl,
  };
}

/** The pull request's branch, its repository and author: where a missing change record goes. */
export function headOf(pr: PullRequestRef): Pick<ReportMeta, 'head'> {
  return {
    head: {
      repository: pr.headRepository,
      branch: pr.headRef,
      author: pr.author,
    },
  };
}
