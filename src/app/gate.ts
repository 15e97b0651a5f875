import type { PullRequestFacts, TeamMembership } from '../approvals/facts.js';
import { errorDescription } from '../approvals/description.js';
import { groupVerdict, type GroupVerdict } from '../approvals/group.js';
import type { ApprovalOutcome } from '../approvals/result.js';
import type { CheckFacts } from '../evaluate/facts.js';
import { decideGate, planGate, type GateDecision } from '../evaluate/gate.js';
import type { CheckOutputs } from '../evaluate/outputs.js';
import type { ReportMeta } from '../evaluate/report.js';
import { contentDigests } from '../git/content-digest.js';
import { readBaseFacts } from '../git/facts.js';
import { mergeGroupPullRequests } from '../git/merge-queue.js';
import { fetchPullHead } from '../git/pull-head.js';
import { openRepository } from '../git/repository.js';
import {
  postGateStatus,
  readGateStatuses,
  type GateStatuses,
  type StatusOutcome,
} from '../github/commit-status.js';
import { EventError } from '../github/errors/event-error.js';
import {
  assertSupportedEvent,
  readRunContext,
  type PullRequestRef,
  type RunContext,
} from '../github/event.js';
import { commentAuthor, type CommentAuthor, type TokenKind } from '../github/identity.js';
import type { RepositoryRef } from '../github/repository-ref.js';
import type { GitHubClient } from '../github/octokit.js';
import {
  httpProblem,
  readCommits,
  readPullRequest,
  readReviews,
  readTeamMembers,
} from '../github/pull-request-facts.js';
import { openRetrospectives, type RetrospectiveOutcome } from '../github/retrospective-issues.js';
import { upsertStickyComment, type StickyOutcome } from '../github/sticky-comment.js';
import { presentPaths, selectUnderEvaluation } from '../evaluate/select.js';
import { higherLevel } from '../records/level.js';
import type { PolicyResult } from '../records/load.js';
import { readBranchHistory } from './branch-history.js';
import { headOf } from './check-run.js';
import { loadBasePolicy, loadWorkspace } from './load-workspace.js';
import { loadWorkspaceAtCommit } from './load-workspace-at.js';

/** The status context the gate posts, which branch protection requires. */
export const gateContext = 'changeops/cab';

/** The workflow run the gate works for: its environment, the API and who we are on it. */
export interface GateRun {
  /** The runner's environment: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_RUN_ID, ... */
  env: NodeJS.ProcessEnv;
  /**
   * The API; without one (an empty token input) nothing is read from or written to GitHub: the
   * report is still decided and shown, and the gate fails closed, saying why.
   */
  client?: GitHubClient;
  /** The login our statuses, comments and issues are created under (`<app-slug>[bot]`). */
  botLogin: string;
  /** The client acts as a GitHub App (installation token): the status can be pinned to it. */
  appIdentity: boolean;
  /** What the token is, by its prefix: a personal access token is asked who it is (GET /user). */
  tokenKind?: TokenKind;
  /** The folder gated, relative to the workspace (the action's `dir`): one report per folder. */
  dir?: string;
}

/** What to gate: the repository root in the workspace, and the run. */
export interface GateRequest {
  root: string;
  run: GateRun;
  now?: Date;
  /** Fetch what the clone lacks (the base, a pull request's head); default true. */
  fetch?: boolean;
}

/** One pull request the gate evaluated, and what it wrote for it. */
export interface GatedPullRequest {
  number: number;
  headSha: string;
  decision: GateDecision;
  comment?: Exclude<StickyOutcome, { action: 'refused' }>;
  /** Why the comment could not be written, when it could not. */
  commentProblem?: string;
  /** The retrospective-review issues, when the pull request merged. */
  retrospectives?: RetrospectiveOutcome[];
  /** Why the retrospective-review issues could not be opened, when they could not. */
  retrospectiveProblem?: string;
}

/** What a gate run did. */
export interface GateRunResult {
  eventName: string;
  /** Why nothing was evaluated (a pull request closed without merging). */
  skipped?: string;
  pullRequests: GatedPullRequest[];
  /** The gate's verdict: the pull request's, or the merge group's. */
  verdict?: GroupVerdict;
  approval: ApprovalOutcome;
  /** The commit the status belongs on (the PR's head, or the merge group's head). */
  statusSha?: string;
  status?: StatusOutcome;
  /** Why the status could not be posted, when it could not. */
  statusProblem?: string;
  /** Why the token's identity could not be read (the run went on as bot-login), when it could not. */
  authorProblem?: string;
  /** The check's outputs (merged over a merge group's pull requests). */
  outputs?: CheckOutputs;
}

/**
 * The `gate` use case: for each pull request of the event (one, or every one of a merge group),
 * gathers the check's facts (records and base through git; on pull_request_target and merge_group
 * the head's records read as data from git, never checked out), plans the gate in the core, reads
 * the reviews, commits and team members through the REST API, decides in the core, then writes:
 * the one sticky comment (report and approval checklist), the `changeops/cab` status on the PR's
 * head (or the merge group's head), and on a merge the retrospective-review issues of its
 * emergency changes. Throws an EventError for an event the gate does not run on, a GitError when
 * git cannot answer.
 */
export async function gate(request: GateRequest): Promise<GateRunResult> {
  const { run } = request;
  const context = readRunContext(run.env);
  assertSupportedEvent('gate', context);
  const target: RepositoryRef = { owner: context.owner, repo: context.repo };
  const now = request.now ?? new Date();
  const fetch = request.fetch ?? true;
  // On these the workspace is not the PR (the base, the default branch, the queue): its head is
  // read as data.
  const readsHeadAsData = ['pull_request_target', 'merge_group', 'workflow_run'].includes(
    context.eventName,
  );
  const closing = context.action === 'closed';

  let pulls: PullRequestRef[] = [];
  let statusSha: string;
  let baseOverride: string | undefined;
  const group = context.eventName === 'merge_group' ? context.mergeGroup : undefined;
  if (context.eventName === 'merge_group') {
    if (!group) throw new EventError('the merge_group event has no merge_group in its payload');
    statusSha = group.headSha;
    baseOverride = group.baseSha;
  } else if (context.eventName === 'workflow_run') {
    // The hardened deployment: a review (or push) ran a workflow without the App's key, and this
    // run, from the default branch, gates the pull request that run was about.
    const triggering = context.workflowRun;
    const number = triggering?.pullRequests[0];
    const why = !triggering
      ? 'the workflow_run event has no workflow_run in its payload'
      : !['pull_request_review', 'pull_request', 'pull_request_target'].includes(triggering.event)
        ? `the triggering run was a ${triggering.event || 'unknown'} run, not a pull request's: nothing to gate`
        : number === undefined
          ? "the triggering run names no pull request of this repository (a fork's): the gate evaluates it at its next pull_request_target event"
          : undefined;
    if (why || number === undefined)
      return { eventName: context.eventName, skipped: why!, pullRequests: [], approval: 'pending' };
    const pr = await readPull(run, target, number);
    if (pr.merged !== undefined)
      return {
        eventName: context.eventName,
        skipped: `#${number} is closed: nothing to gate`,
        pullRequests: [],
        approval: 'pending',
      };
    pulls = [pr];
    statusSha = pr.headSha;
  } else {
    const pr = context.pullRequest;
    if (!pr)
      throw new EventError(`the ${context.eventName} event has no pull request in its payload`);
    if (closing && !pr.merged)
      return {
        eventName: context.eventName,
        skipped: `#${pr.number} was closed without merging: nothing to gate`,
        pullRequests: [],
        approval: 'pending',
      };
    pulls = [pr];
    statusSha = pr.headSha;
  }

  // Who we are on GitHub: our statuses, comments and issues are told from others' by it. An
  // installation token cannot say (the App's login comes from minting; GITHUB_TOKEN's is
  // bot-login); a personal access token is asked.
  // A token GitHub refuses cannot say either: the run goes on as bot-login, every read it makes
  // fails closed, and the report is still decided and shown.
  const assumed: CommentAuthor = { login: run.botLogin, type: 'Bot', source: 'bot-login' };
  const identified = run.client
    ? await commentAuthor(run.client, run.tokenKind ?? 'installation', run.botLogin)
    : assumed;
  const author = 'problem' in identified ? assumed : identified;

  // The statuses on the commit first: the comment names the ones that are not ours. A merged
  // pull request's status no longer gates anything, so it is neither read nor posted then. A
  // list that cannot be read leaves the gate unable to post over the others: it fails closed.
  let statuses: GateStatuses | undefined;
  let statusesUnread: string | undefined;
  if (!closing && !run.client) statusesUnread = 'no token was given (the token input is empty)';
  else if (!closing)
    try {
      statuses = await readGateStatuses(run.client!, target, statusSha, gateContext, author.login);
    } catch (error) {
      statusesUnread = httpProblem(error);
    }
  // Without its own identity the gate cannot tell its statuses and comments from others': it
  // fails closed on that too.
  const runUnreadable = [
    ...('problem' in identified ? [identified.problem] : []),
    ...(statusesUnread
      ? [`cannot read the ${gateContext} statuses of ${statusSha.slice(0, 12)} (${statusesUnread})`]
      : []),
  ];
  const teams = new Map<string, TeamMembership>();
  const gated: GatedPullRequest[] = [];
  try {
    if (group) {
      const numbers = await mergeGroupPullRequests(await openRepository(request.root), group);
      for (const number of numbers) pulls.push(await readPull(run, target, number));
    }
    for (const pr of pulls)
      gated.push(
        await gatePullRequest(request, context, pr, {
          author,
          teams,
          statuses,
          unreadable: runUnreadable,
          now,
          fetch,
          asData: readsHeadAsData,
          ...(baseOverride ? { base: baseOverride } : {}),
        }),
      );
  } catch (error) {
    // Fail closed where the reviewer looks: the status says why, then the step fails.
    if (statuses && run.client) {
      const message = error instanceof Error ? error.message : String(error);
      await postGateStatus(
        run.client,
        target,
        statusSha,
        {
          context: gateContext,
          state: 'error',
          description: errorDescription(message, !run.appIdentity),
          targetUrl: runUrl(context),
          run: { runId: context.runId, attempt: context.runAttempt ?? 1 },
        },
        statuses,
      ).catch(() => undefined);
    }
    throw error;
  }

  const verdict = groupVerdict(
    gated.map((entry) => ({ number: entry.number, result: entry.decision.approvals })),
    !run.appIdentity,
  );
  const result: GateRunResult = {
    eventName: context.eventName,
    pullRequests: gated,
    verdict,
    approval: verdict.outcome,
    statusSha,
    outputs: mergedOutputs(gated.map((entry) => entry.decision.outputs())),
  };
  if ('problem' in identified) result.authorProblem = identified.problem;
  if (statusesUnread)
    result.statusProblem = `could not post the ${gateContext} status on ${statusSha.slice(0, 12)}: its statuses could not be read (${statusesUnread}); the report is in the job summary`;
  if (!statuses || !run.client) return result;
  let status: StatusOutcome;
  try {
    status = await postGateStatus(
      run.client,
      target,
      statusSha,
      {
        context: gateContext,
        state: verdict.commitState,
        description: verdict.sentence,
        targetUrl: runUrl(context),
        run: { runId: context.runId, attempt: context.runAttempt ?? 1 },
      },
      statuses,
    );
  } catch (error) {
    result.statusProblem = `could not post the ${gateContext} status on ${statusSha.slice(0, 12)} (${httpProblem(error)}); the report is in the job summary`;
    return result;
  }
  result.status = status;
  if (status.action === 'refused')
    result.statusProblem = `could not post the ${gateContext} status on ${statusSha.slice(0, 12)} (HTTP ${status.status}: ${status.message}); ${
      pulls[0]?.fromFork && context.eventName === 'pull_request'
        ? 'pull requests from forks get a read-only token on pull_request: run the gate on pull_request_target'
        : 'give the workflow (or the App) statuses: write'
    }`;
  return result;
}

/** What every pull request of a run shares: who we are, the teams read so far, the statuses. */
interface RunShared {
  author: CommentAuthor;
  /** Team members by team, read once per run however many pull requests need them. */
  teams: Map<string, TeamMembership>;
  statuses: GateStatuses | undefined;
  /** What the run could not read for every pull request (the statuses): the gate fails closed. */
  unreadable: readonly string[];
  now: Date;
  fetch: boolean;
  /** The head is read as data from git (pull_request_target, merge_group). */
  asData: boolean;
  /** The base to judge by, when not the pull request's (a merge group's). */
  base?: string;
}

/**
 * Gates one pull request: its check's facts through git, the plan, the REST reads (teams not read
 * yet, reviews, commits; the content digests when approvals may survive pushes), the decision,
 * then its writes (the retrospectives on a merge, the sticky comment).
 */
async function gatePullRequest(
  request: GateRequest,
  context: RunContext,
  pr: PullRequestRef,
  shared: RunShared,
): Promise<GatedPullRequest> {
  const { run } = request;
  const target: RepositoryRef = { owner: context.owner, repo: context.repo };
  const closing = context.action === 'closed';
  const facts = await checkFacts(request.root, pr, {
    fetch: shared.fetch,
    now: shared.now,
    asData: shared.asData,
    ...(shared.base ? { base: shared.base } : {}),
  });
  const plan = planGate(facts);
  const unread = plan.teams.filter((team) => !shared.teams.has(team));
  const noToken = 'no token was given (the token input is empty)';
  const members = run.client
    ? await readTeamMembers(run.client, unread)
    : Object.fromEntries(unread.map((team) => [team, { error: noToken }]));
  for (const [team, membership] of Object.entries(members)) shared.teams.set(team, membership);
  const unreadable: string[] = [...shared.unreadable];
  const pullRequest = run.client
    ? await pullRequestFacts(run.client, target, pr, unreadable)
    : noFacts(pr, unreadable, noToken);
  if (plan.digestParts) {
    // gate.keepApprovalsOnUnrelatedPushes: what each approved older commit of the PR held.
    const inPr = new Set(pullRequest.commits.map((commit) => commit.sha));
    const approved = pullRequest.reviews
      .filter((r) => r.state === 'APPROVED' && r.commit_id && r.commit_id !== pr.headSha)
      .map((r) => r.commit_id!)
      .filter((sha) => inPr.has(sha));
    pullRequest.digests = await contentDigests(
      await openRepository(request.root),
      [pr.headSha, ...new Set(approved)],
      plan.digestParts,
    );
  }
  const foreign =
    shared.statuses && context.eventName !== 'merge_group'
      ? shared.statuses.foreign.map((s) => ({ creator: s.creator, state: s.state }))
      : [];
  const decision = decideGate(
    plan,
    {
      pullRequest,
      teams: Object.fromEntries(plan.teams.map((team) => [team, shared.teams.get(team)!])),
      appIdentity: run.appIdentity,
      unreadable,
      foreignStatuses: foreign,
    },
    {
      report: { ...reportMeta(context, pr), ...(run.dir ? { dir: run.dir } : {}) },
      merged: closing && pr.merged === true,
      pullRequestUrl: `${context.serverUrl}/${context.owner}/${context.repo}/pull/${pr.number}`,
    },
  );
  const entry: GatedPullRequest = { number: pr.number, headSha: pr.headSha, decision };
  if (closing && pr.merged && decision.retrospectives.length > 0) {
    if (!run.client)
      entry.retrospectiveProblem = `could not open the retrospective-review issues: ${noToken}`;
    else
      try {
        entry.retrospectives = await openRetrospectives(
          run.client,
          target,
          shared.author.login,
          decision.retrospectives,
        );
      } catch (error) {
        entry.retrospectiveProblem = `could not open the retrospective-review issues (${httpProblem(error)}); run the gate again to open them`;
      }
  }
  if (context.eventName !== 'merge_group' && decision.report)
    Object.assign(entry, await writeComment(run, shared.author, context, pr, decision));
  return entry;
}

/** The facts of the check of one pull request: the records at its head, judged by its base. */
async function checkFacts(
  root: string,
  pr: PullRequestRef,
  options: { fetch: boolean; now: Date; asData: boolean; base?: string },
): Promise<CheckFacts> {
  const base = options.base ?? pr.baseSha;
  let basePolicy: PolicyResult | undefined;
  const maxFileBytes = (policy: Parameters<typeof loadBasePolicy>[0]) => {
    basePolicy = loadBasePolicy(policy);
    return basePolicy.policy.limits.maxFileBytes;
  };
  if (!options.asData) {
    // pull_request, pull_request_review: the workspace is the PR's merge commit, diffed as a
    // commit (as the action's check does): no walk of the work tree, whose files are HEAD's.
    const read = await readBaseFacts(root, base, {
      fetch: options.fetch,
      workingTree: false,
      maxFileBytes,
    });
    const workspace = loadWorkspace(root, { limits: basePolicy!.policy.limits });
    return withHistory(root, pr, {
      workspace,
      now: options.now,
      base: { ...read, policy: basePolicy! },
    });
  }
  // pull_request_target, merge_group: the workspace is not the PR; its head is read as data.
  const repo = await openRepository(root);
  await fetchPullHead(repo, pr.number, pr.headSha);
  const read = await readBaseFacts(root, base, {
    fetch: options.fetch,
    head: pr.headSha,
    maxFileBytes,
  });
  const workspace = await loadWorkspaceAtCommit(repo, pr.headSha, {
    limits: basePolicy!.policy.limits,
  });
  return withHistory(root, pr, {
    workspace,
    now: options.now,
    base: { ...read, policy: basePolicy! },
  });
}

/** As check does: a release under evaluation gets its readiness from the base branch's history. */
async function withHistory(
  root: string,
  pr: PullRequestRef,
  facts: CheckFacts,
): Promise<CheckFacts> {
  const base = facts.base!;
  const selected = selectUnderEvaluation(facts.workspace.estate, presentPaths(base.changedFiles));
  if (selected.releases.length === 0) return facts;
  const read = await readBranchHistory(root, {
    branch: { ref: base.sha, name: pr.baseRef || base.ref },
    what: 'the base',
    limits: base.policy.policy.limits,
  });
  return { ...facts, branchHistory: read.history };
}

/** A pull request by number, or why GitHub could not say (the run cannot gate it then). */
async function readPull(run: GateRun, target: RepositoryRef, number: number) {
  if (!run.client)
    throw new EventError(
      `the gate needs a token to read pull request #${number} (the token input is empty)`,
    );
  try {
    return await readPullRequest(run.client, target, number);
  } catch (error) {
    throw new EventError(`cannot read pull request #${number} (${httpProblem(error)})`, {
      cause: error,
    });
  }
}

/** The pull request with no reviews or commits read: the core fails closed on `unreadable`. */
function noFacts(pr: PullRequestRef, unreadable: string[], why: string): PullRequestFacts {
  unreadable.push(`cannot read the reviews and commits of #${pr.number}: ${why}`);
  return { number: pr.number, author: pr.author, headSha: pr.headSha, commits: [], reviews: [] };
}

/**
 * The pull request as the core reads it: author and head from the event, every review and
 * commit from the REST API. A read that fails (5xx after the client's retries, 403) is said in
 * `unreadable`, and the core fails closed on it.
 */
async function pullRequestFacts(
  client: GitHubClient,
  target: RepositoryRef,
  pr: PullRequestRef,
  unreadable: string[],
): Promise<PullRequestFacts> {
  const facts: PullRequestFacts = {
    number: pr.number,
    author: pr.author,
    headSha: pr.headSha,
    commits: [],
    reviews: [],
  };
  try {
    facts.reviews = await readReviews(client, target, pr.number);
  } catch (error) {
    unreadable.push(`cannot read the reviews of #${pr.number} (${httpProblem(error)})`);
  }
  try {
    const { commits, truncated } = await readCommits(client, target, pr.number);
    facts.commits = commits;
    if (truncated) facts.commitsTruncated = true;
  } catch (error) {
    unreadable.push(`cannot read the commits of #${pr.number} (${httpProblem(error)})`);
  }
  return facts;
}

async function writeComment(
  run: GateRun,
  author: CommentAuthor,
  context: RunContext,
  pr: PullRequestRef,
  decision: GateDecision,
): Promise<Pick<GatedPullRequest, 'comment' | 'commentProblem'>> {
  const report = decision.report!;
  const summaryOnly = 'the report is in the job summary';
  if (!run.client)
    return {
      commentProblem: `no pull request comment: the token input is empty, so nothing is written to GitHub; ${summaryOnly}`,
    };
  let written: StickyOutcome;
  try {
    written = await upsertStickyComment(
      run.client,
      { owner: context.owner, repo: context.repo, issueNumber: pr.number },
      {
        marker: report.marker,
        body: report.comment,
        author,
        runId: context.runId,
        confirmCreate: false,
      },
    );
  } catch (error) {
    // The report is decided and in the job summary already: the comment is a warning.
    return {
      commentProblem: `could not write the pull request comment (${httpProblem(error)}); ${summaryOnly}`,
    };
  }
  if (written.action !== 'refused') {
    if (written.actualLogin === undefined) return { comment: written };
    return {
      comment: written,
      commentProblem: `the token comments as ${written.actualLogin}, not as ${run.botLogin} (the bot-login input); set bot-login: ${written.actualLogin}, so that the report comment and the status are told apart from others' by their login`,
    };
  }
  return {
    commentProblem: `could not write the pull request comment (HTTP ${written.status}: ${written.message.replace(/ - https?:\/\/\S+$/, '')}); ${
      pr.fromFork
        ? 'pull requests from forks get a read-only token on pull_request: run the gate on pull_request_target'
        : 'give the workflow (or the App) pull-requests: write or issues: write'
    }`,
  };
}

/** The workflow run, with its attempt: where the status links. */
function runUrl(context: RunContext): string {
  return `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}/attempts/${context.runAttempt ?? 1}`;
}

function reportMeta(context: RunContext, pr: PullRequestRef): ReportMeta {
  return {
    repository: `${context.owner}/${context.repo}`,
    headSha: pr.headSha,
    ...headOf(pr),
    ...(context.runId ? { runUrl: runUrl(context) } : {}),
    serverUrl: context.serverUrl,
  };
}

/** The check's outputs over several pull requests: the union of what they touch, the sums. */
function mergedOutputs(all: readonly CheckOutputs[]): CheckOutputs | undefined {
  if (all.length <= 1) return all[0];
  let risk: CheckOutputs['risk'];
  for (const outputs of all) risk = higherLevel(risk, outputs.risk);
  return {
    valid: all.every((o) => o.valid),
    errors: all.reduce((n, o) => n + o.errors, 0),
    warnings: all.reduce((n, o) => n + o.warnings, 0),
    notices: all.reduce((n, o) => n + o.notices, 0),
    changes: [...new Set(all.flatMap((o) => o.changes))],
    impacted: [...new Set(all.flatMap((o) => o.impacted))].sort(),
    ...(risk ? { risk } : {}),
    touchedFiles: [...new Set(all.flatMap((o) => o.touchedFiles))],
  };
}
