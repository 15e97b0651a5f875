import { decideCheck, type CheckDecision } from '../evaluate/decide.js';
import type { CheckFacts } from '../evaluate/facts.js';
import type { ReportMeta } from '../evaluate/report.js';
import { readBaseFacts } from '../git/facts.js';
import { assertSupportedEvent, readRunContext, type RunContext } from '../github/event.js';
import type { GitHubClient } from '../github/octokit.js';
import { commentAuthor, type TokenKind } from '../github/identity.js';
import { upsertStickyComment, type StickyOutcome } from '../github/sticky-comment.js';
import { presentPaths, selectUnderEvaluation } from '../evaluate/select.js';
import type { PolicyResult } from '../records/load.js';
import { readBranchHistory } from './branch-history.js';
import {
  loadBasePolicy,
  loadWorkspaceCached,
  startSnapshotReads,
  type SnapshotUse,
} from './load-workspace.js';

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

/** What to check: a repository, against a base, and for a workflow run where to report. */
export interface CheckRequest {
  /** The repository root that holds changeops.yaml, changes/ and cmdb/. */
  root: string;
  /**
   * The base ref (branch, tag, sha, origin/main). In a workflow run it comes from the event (the
   * pull request's base commit, or the merge queue's); without one no git is used at all.
   */
  base?: string;
  now?: Date;
  /** Fetch a base that is missing locally, and deepen a shallow clone (default true). */
  fetch?: boolean;
  /** Compare with the working tree (default) or, when false, with the HEAD commit. */
  workingTree?: boolean;
  /** Report to this workflow run: the job summary's report and the one sticky PR comment. */
  run?: WorkflowRun;
  /** Use the estate snapshot in .git/changeops/ (default true); false loads every file. */
  cache?: boolean;
}

/** What a check produced: the decision, and in a workflow run what became of the comment. */
export interface CheckResult extends CheckDecision {
  /** What the load did with the estate snapshot. */
  snapshot?: SnapshotUse;
  comment?: Exclude<StickyOutcome, { action: 'refused' }>;
  /**
   * What to warn about the comment: why it could not be written (a read-only token on a fork
   * PR, a token GitHub refuses), or that bot-login is not the token's login and what to set.
   */
  commentProblem?: string;
}

/**
 * The `check` use case, for the CLI and the action alike. Gathers the facts first (the run's
 * event, the records on disk, what git says about the base), decides once in the core, then
 * writes: in a workflow run, the one sticky comment on the pull request. Throws a GitError
 * (BaseRefError for a base that cannot be used) when git cannot answer, and an EventError for
 * an event the check does not run on.
 */
export async function check(request: CheckRequest): Promise<CheckResult> {
  const { run } = request;
  const context = run ? readRunContext(run.env) : undefined;
  if (context) assertSupportedEvent('check', context);
  const base = context ? baseOf(context) : request.base;
  // With a base, its policy is in force: read first, because its limits read every other file,
  // the branch's included.
  let basePolicy: PolicyResult | undefined;
  const started =
    request.cache === false || base === undefined ? undefined : startSnapshotReads(request.root);
  const read =
    base === undefined
      ? undefined
      : await readBaseFacts(request.root, base, {
          ...(request.fetch !== undefined ? { fetch: request.fetch } : {}),
          ...(request.workingTree !== undefined ? { workingTree: request.workingTree } : {}),
          maxFileBytes(policy) {
            basePolicy = loadBasePolicy(policy);
            return basePolicy.policy.limits.maxFileBytes;
          },
        });
  const limits = basePolicy?.policy.limits;
  const { workspace, snapshot } = await loadWorkspaceCached(request.root, {
    ...(limits ? { limits } : {}),
    ...(started ? { started } : {}),
    ...(request.cache === false ? { cache: false } : {}),
    // The diff from the merge base to the working tree tells the snapshot what changed too.
    ...(read && request.workingTree !== false
      ? { origin: { commit: read.mergeBase, changed: read.changedFiles } }
      : {}),
    ...(read?.policyFile ? { policyText: read.policyFile.text } : {}),
  });
  const facts: CheckFacts = { workspace, now: request.now ?? new Date() };
  if (read && basePolicy) {
    facts.base = { ...read, policy: basePolicy };
    // A release under evaluation gets its readiness: the base branch's history of the records.
    const selected = selectUnderEvaluation(workspace.estate, presentPaths(read.changedFiles));
    if (selected.releases.length > 0)
      facts.branchHistory = (
        await readBranchHistory(request.root, {
          branch: { ref: read.sha, name: context?.pullRequest?.baseRef || base! },
          what: 'the base',
          limits: basePolicy.policy.limits,
        })
      ).history;
  }

  const decision = decideCheck(
    facts,
    context ? { report: { ...reportMeta(context), ...(run?.dir ? { dir: run.dir } : {}) } } : {},
  );

  const pr = context?.pullRequest;
  if (!run?.client || !context || !pr || !decision.report) return { ...decision, snapshot };
  const author = await commentAuthor(run.client, run.tokenKind ?? 'installation', run.botLogin);
  if ('problem' in author) return { ...decision, commentProblem: author.problem };
  const written = await upsertStickyComment(
    run.client,
    { owner: context.owner, repo: context.repo, issueNumber: pr.number },
    {
      marker: decision.report.marker,
      body: decision.report.comment,
      author,
      runId: context.runId,
    },
  );
  if (written.action !== 'refused') {
    if (written.actualLogin === undefined) return { ...decision, comment: written };
    return {
      ...decision,
      comment: written,
      commentProblem: `the token comments as ${written.actualLogin}, not as ${run.botLogin} (the bot-login input); set bot-login: ${written.actualLogin} in the workflow, so that the report comment is told from other comments by its login`,
    };
  }
  return {
    ...decision,
    commentProblem:
      `could not write the pull request comment (${written.status}: ${written.message}); ` +
      (pr.fromFork
        ? 'pull requests from forks get a read-only token, so the report is in the job summary only'
        : 'give the workflow `pull-requests: write` (or `issues: write`) permission'),
  };
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
    ...(context.runId
      ? {
          runUrl: `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`,
        }
      : {}),
    serverUrl: context.serverUrl,
  };
}
