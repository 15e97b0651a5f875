import { RequestError } from '@octokit/request-error';
import type { RunContext } from '../github/event.js';
import type { GitHubClient } from '../github/octokit.js';
import { upsertStickyComment, type StickyOutcome } from '../github/sticky-comment.js';
import { renderComment, reportMarker } from '../render/comment.js';
import type { ReportView } from '../render/report-view.js';
import { renderSummary } from '../render/summary.js';
import { checkRecords, gatherFromGit, type CheckOutcome } from './check.js';
import { buildReportView } from './report-view.js';

/** What the action's `check` needs: where the records are, the run, and (optionally) the API. */
export interface RunCheckInput {
  root: string;
  context: RunContext;
  /** Without a client nothing is written to GitHub (the report goes to the job summary only). */
  client?: GitHubClient;
  /** The login our comments are made under: `github-actions[bot]` or `<app-slug>[bot]`. */
  botLogin: string;
  now?: Date;
  /** False: the gate runs without an App identity, so its status only advises. */
  advisory?: boolean;
}

/** What a run of `check` produced, for the action's outputs, summary and annotations. */
export interface RunCheckResult {
  outcome: CheckOutcome;
  view: ReportView;
  summary: string;
  comment?: StickyOutcome;
  /** Why the comment could not be written (a read-only token on a fork PR), when it could not. */
  commentProblem?: string;
}

/**
 * The `check` use case of a workflow run: evaluate the branch against its base (the PR's base
 * commit, or the merge queue's), render the report, and keep the one sticky PR comment current.
 * The base commit must be reachable: gatherFromGit fetches it into a shallow checkout.
 */
export async function runCheck(input: RunCheckInput): Promise<RunCheckResult> {
  const { context } = input;
  const pr = context.pullRequest;
  const base = pr?.baseSha || context.mergeGroup?.baseSha || undefined;
  const facts = await gatherFromGit(input.root, {
    ...(base ? { base } : {}),
    ...(input.now ? { now: input.now } : {}),
  });
  const outcome = checkRecords(facts);
  const runUrl = context.runId
    ? `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`
    : undefined;
  const view = buildReportView(outcome, facts.workspace, {
    repository: `${context.owner}/${context.repo}`,
    headSha: pr?.headSha || context.mergeGroup?.headSha || context.sha,
    ...(runUrl ? { runUrl } : {}),
    ...(input.advisory !== undefined ? { advisory: input.advisory } : {}),
  });
  const result: RunCheckResult = { outcome, view, summary: renderSummary(view) };
  if (pr && input.client) {
    const body = renderComment(view, { serverUrl: context.serverUrl });
    try {
      result.comment = await upsertStickyComment(
        input.client,
        { owner: context.owner, repo: context.repo, issueNumber: pr.number },
        { marker: reportMarker, body, botLogin: input.botLogin, runId: context.runId },
      );
    } catch (error) {
      if (error instanceof RequestError && (error.status === 403 || error.status === 404)) {
        // A fork's pull_request token is read-only: the report stays in the job summary.
        result.commentProblem =
          `could not write the pull request comment (${error.status}: ${error.message}); ` +
          (pr.fromFork
            ? 'pull requests from forks get a read-only token, so the report is in the job summary only'
            : 'give the workflow `pull-requests: write` (or `issues: write`) permission');
      } else {
        throw error;
      }
    }
  }
  return result;
}
