import { decideCheck, type CheckDecision } from '../evaluate/decide.js';
import type { CheckFacts } from '../evaluate/facts.js';
import type { ReportMeta } from '../evaluate/report.js';
import { readBaseFacts } from '../git/facts.js';
import { workingTreeStatus, type WorkingTreeStatus } from '../git/status.js';
import {
  assertSupportedEvent,
  readRunContext,
  type PullRequestRef,
  type RunContext,
} from '../github/event.js';
import type { GitHubClient } from '../github/octokit.js';
import { httpProblem } from '../github/api-problem.js';
import { commentAuthor, type TokenKind } from '../github/identity.js';
import {
  upsertStickyComment,
  type CommentTarget,
  type StickyOutcome,
} from '../github/sticky-comment.js';
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
  /**
   * Compare with the working tree (default) or, when false, with the HEAD commit: the action's
   * checkout, whose record files are HEAD's, so git diffs commit to commit and never stats the
   * working tree (a record file a step before edits after the checkout is not seen as changed).
   */
  workingTree?: boolean;
  /** Report to this workflow run: the job summary's report and the one sticky PR comment. */
  run?: WorkflowRun;
  /** Use the estate snapshot in .git/changeops/ (default true); false loads every file. */
  cache?: boolean;
}

/** What became of the one sticky comment: written, or why not (a warning for the run's log). */
export interface CommentOutcome {
  comment?: Exclude<StickyOutcome, { action: 'refused' }>;
  /**
   * What to warn about the comment: why it could not be written (no token, a read-only token on
   * a fork PR, a token GitHub refuses, an API error), or that bot-login is not the token's login
   * and what to set.
   */
  problem?: string;
}

/** What a check produced: the decision, and in a workflow run the write that is left to do. */
export interface CheckResult extends CheckDecision {
  /** What the load did with the estate snapshot. */
  snapshot?: SnapshotUse;
  /**
   * In a workflow run on a pull request: writes the one sticky comment. It never throws: a
   * comment GitHub refuses becomes `problem`. The face calls it after the job summary and the
   * outputs are written, so that a bad or empty token never loses the report.
   */
  publish?: () => Promise<CommentOutcome>;
}

/**
 * The `check` use case, for the CLI and the action alike. Gathers the facts first (the run's
 * event, the records on disk, what git says about the base), decides once in the core, and in a
 * workflow run returns the write that is left (`publish`: the one sticky comment on the pull
 * request). Throws a GitError (BaseRefError for a base that cannot be used) when git cannot
 * answer, and an EventError for an event the check does not run on.
 */
export async function check(request: CheckRequest): Promise<CheckResult> {
  const { run } = request;
  const context = run ? readRunContext(run.env) : undefined;
  if (context) assertSupportedEvent('check', context);
  const base = context ? baseOf(context) : request.base;
  // With a base, its policy is in force: read first, because its limits read every other file,
  // the branch's included.
  let basePolicy: PolicyResult | undefined;
  const committed = request.workingTree === false;
  // One walk of the work tree, for the base's diff and the snapshot's untracked record files
  // both: asked when the diff starts, once the base is resolved, because a walk started sooner
  // holds up each git process the resolution starts (on two cores, a spawn waits for its child
  // to run).
  const walk = base === undefined || committed ? undefined : onceAsked(request.root);
  const snapshots = request.cache !== false && base !== undefined;
  let started: ReturnType<typeof startSnapshotReads> | undefined;
  // The base first: its one rev-parse (the repository, the base's commit, the merge base) is
  // on its way when the snapshot reads ask where the repository is, and answers them too.
  const reading =
    base === undefined
      ? undefined
      : readBaseFacts(request.root, base, {
          ...(request.fetch !== undefined ? { fetch: request.fetch } : {}),
          ...(request.workingTree !== undefined ? { workingTree: request.workingTree } : {}),
          ...(walk ? { status: walk.ask } : {}),
          // The newest snapshot is read while git diffs the working tree.
          ...(snapshots ? { whileDiffing: () => started?.readAhead() } : {}),
          maxFileBytes(policy) {
            basePolicy = loadBasePolicy(policy);
            return basePolicy.policy.limits.maxFileBytes;
          },
        });
  if (snapshots) started = startSnapshotReads(request.root, committed, walk?.status);
  const read = await reading;
  const limits = basePolicy?.policy.limits;
  const { workspace, snapshot } = await loadWorkspaceCached(request.root, {
    ...(limits ? { limits } : {}),
    ...(started ? { started } : {}),
    ...(request.cache === false ? { cache: false } : {}),
    // The diff from the merge base (to the working tree, or HEAD) tells the snapshot what changed.
    ...(read ? { origin: { commit: read.mergeBase, changed: read.changedFiles } } : {}),
    ...(committed ? { committed } : {}),
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
  const report = decision.report;
  if (!run || !context || !pr || !report) return { ...decision, snapshot };
  return {
    ...decision,
    snapshot,
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
 * The work tree's status, asked once on first `ask`; `status` settles as that answer does (and
 * never, when nothing asks).
 */
function onceAsked(root: string): {
  ask: (prefix: string) => Promise<WorkingTreeStatus>;
  status: Promise<WorkingTreeStatus>;
} {
  let asked: Promise<WorkingTreeStatus> | undefined;
  let handOn!: (answer: Promise<WorkingTreeStatus>) => void;
  const status = new Promise<WorkingTreeStatus>((resolve) => (handOn = resolve));
  // A failure is the diff's to report; with no snapshot load to take the answer, not unhandled.
  status.catch(() => undefined);
  return {
    ask(prefix) {
      if (!asked) handOn((asked = workingTreeStatus(root, undefined, prefix)));
      return asked;
    },
    status,
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
