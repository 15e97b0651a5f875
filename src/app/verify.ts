import { runShellCheck } from '../exec/shell-check.js';
import { readFileAt, readFilesAt } from '../git/blobs.js';
import { resolveBase } from '../git/base.js';
import { changedFiles } from '../git/diff.js';
import { GitError } from '../git/errors/git-error.js';
import { entryAt, headCommit, treeOf } from '../git/objects.js';
import { openRepository, short, type Repository } from '../git/repository.js';
import { planRevert, readBlob } from '../git/revert.js';
import { readDeployContext, type DeployContext } from '../github/deploy-event.js';
import { listOpenProblemIssues, recordProblem, type ListedProblemIssue } from '../github/issues.js';
import type { RepositoryRef } from '../github/repository-ref.js';
import { httpProblem } from '../github/api-problem.js';
import { commentAuthor, type CommentAuthor, type TokenKind } from '../github/identity.js';
import type { GitHubClient } from '../github/octokit.js';
import {
  defaultBranchOf,
  lastCommitOf,
  proposeBranch,
  pullRequestFiles,
  pullRequestsOfCommit,
  type CommitPullRequest,
  type ProposalOutcome,
  type TreeChange,
} from '../github/pulls.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { impactResolver } from '../impact/change-impact.js';
import { shortPaths } from '../impact/impact.js';
import type { NamedCheckResult } from '../problems/check-result.js';
import { findProblemIssue } from '../problems/markers.js';
import { problemLinks } from '../problems/links.js';
import { assessOutcome, type Assessment, type DeployOutcome } from '../problems/outcome.js';
import {
  renderFailureComment,
  renderProblemIssue,
  type ProblemCi,
  type RunFacts,
} from '../problems/problem-issue.js';
import { renderVerifyNote, verifyNoteMarker } from '../problems/pull-request-note.js';
import {
  renderRecordUpdatePullRequest,
  renderRevertPullRequest,
} from '../problems/pull-requests.js';
import { proposeRecordUpdate } from '../problems/record-update.js';
import {
  knownChanges,
  maxNamedChanges,
  parseChangeIds,
  selectPushedChanges,
  type PushedChange,
  type SkippedChange,
} from '../problems/select.js';
import {
  overallOutcome,
  renderVerifySummary,
  verifyFailureMessage,
  verifyLogLines,
  type VerifiedChange,
  type VerifyReport,
  type WriteOutcome,
} from '../problems/verify-report.js';
import type { LoadedRecord } from '../records/estate.js';
import { isYamlName } from '../records/layout.js';
import type { LoadResult } from '../records/load.js';
import { parseRecordFiles } from '../records/load.js';
import { SourceIndex } from '../records/locate.js';
import type { Change } from '../records/types.generated.js';
import { VerifyError } from './errors/verify-error.js';
import { loadWorkspace } from './load-workspace.js';
import { loadWorkspaceAtCommit } from './load-workspace-at.js';

/** What the workflow (or the command line) asks of verify. */
export interface VerifyOptions {
  /** The `changes` input: ids separated by commas or spaces; '' when not given. */
  changes: string;
  /** The deploy step's outcome; undefined when not given. */
  outcome?: DeployOutcome;
  /** Run each change's checks (default true); off, only the deploy outcome decides. */
  runChecks: boolean;
  /** How long one check may run before its process group is stopped. */
  checkTimeoutMs: number;
  /** Leave a note on the change's pull request on success too (always on failure). */
  noteOnSuccess: boolean;
  /** Propose a pull request that records the outcome in the change record. */
  recordUpdate: boolean;
  /** On failure, propose a pull request that reverts the change's merge commit. */
  revert: boolean;
}

/** The workflow run verify reports to. */
export interface VerifyRun {
  /** The runner's environment: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REF, GITHUB_SHA, ... */
  env: NodeJS.ProcessEnv;
  /** The API; without one nothing is written to GitHub (the job summary has the report). */
  client?: GitHubClient;
  /**
   * The login our issues, comments and pull requests are made under when the token cannot say
   * (an installation token: `github-actions[bot]`, `<app-slug>[bot]`); any other token is asked.
   */
  botLogin: string;
  /** What the token is, by its prefix (tokenKind): whether to ask it who it is. */
  tokenKind?: TokenKind;
}

/** A verify run: the repository root and what to do; `run` for a workflow, none for the CLI. */
export interface VerifyRequest extends VerifyOptions {
  root: string;
  now?: Date;
  run?: VerifyRun;
}

/** The action's outputs of a verify run. */
export interface VerifyOutputs {
  outcome: VerifyReport['outcome'];
  /** The problem issue of the first failed change. */
  problemIssue?: number;
  /** Each failed change's problem issue. */
  problemIssues: Record<string, number>;
  /** The changes verified. */
  changes: string[];
}

/** What verify did, and the texts the faces show. */
export interface VerifyResult {
  report: VerifyReport;
  outputs: VerifyOutputs;
  /** The job summary (markdown). */
  summary: string;
  /** Lines for the log: ids, slugs and our own words only. */
  log: string[];
  /** Why the step fails, when it does. */
  failure?: string;
}

/** What the run is about, gathered before any check runs. */
interface Scene {
  workspace: LoadResult;
  ids: string[];
  skipped: SkippedChange[];
  notes: string[];
  /** In a workflow run: */
  repo?: Repository;
  commit?: string;
  context?: DeployContext;
  defaultBranch?: string;
  /** The pull requests of the pushed commit, when a push was read through them. */
  pushPulls?: CommitPullRequest[];
}

/**
 * The `verify` use case, after a deploy. In a workflow run: only on the default branch, at the
 * commit the run is for (HEAD must be it: nothing from an unmerged branch is ever run), with the
 * records read at that commit through git; the changes are the ones named (`changes`) or, on a
 * push, the ones whose records the push adds or edits. Each change's checks run (`sh -c`, in the
 * repository root, each in its own process group, killed at the timeout), the core judges the
 * outcome, and then GitHub is written: on failure the one problem issue (or a comment on it),
 * the revert and record-update pull requests when asked, a note on the change's pull request
 * that links the issue. Without a run (the CLI) the records come from the working tree, and
 * nothing is written. Throws a VerifyError for a run it must not do, with what to do instead.
 */
export async function verify(request: VerifyRequest): Promise<VerifyResult> {
  const scene = request.run ? await workflowScene(request, request.run) : localScene(request);
  const { workspace } = scene;
  const now = request.now ?? new Date();

  const verified: Array<{
    record: LoadedRecord<Change>;
    assessment: Assessment;
    notRun: string[];
  }> = [];
  for (const id of scene.ids) {
    const record = workspace.estate.changes.get(id)!;
    const { checks, malformed } = checksOf(record.data);
    if (malformed > 0)
      scene.notes.push(
        `${id} has ${malformed} check${malformed === 1 ? '' : 's'} without a name and a command to run; not run (run changeops validate)`,
      );
    const results: NamedCheckResult[] = [];
    if (request.runChecks) {
      for (const check of checks) {
        const result = await runShellCheck({
          run: check.run,
          cwd: request.root,
          timeoutMs: request.checkTimeoutMs,
        });
        results.push({ name: check.name, run: check.run, result });
      }
    }
    const notRun = request.runChecks ? [] : checks.map((check) => check.name);
    const assessment = assessOutcome({
      changeId: id,
      checks: results,
      notRun,
      deploy: request.outcome,
    });
    verified.push({ record, assessment, notRun });
  }

  const links = problemLinks([...workspace.estate.changes.values()].map((c) => c.data));
  const client = request.run?.client;
  const writes = verified.some(
    (v) =>
      v.assessment.outcome === 'failure' ||
      request.noteOnSuccess ||
      (request.recordUpdate && v.assessment.outcome === 'success'),
  );
  let writer: Writer | undefined;
  if (client && writes && scene.context && scene.repo && scene.commit) {
    // Who we write as, asked once: an installation token is taken to be bot-login.
    const author = await commentAuthor(
      client,
      request.run!.tokenKind ?? 'installation',
      request.run!.botLogin,
    );
    if ('problem' in author) scene.notes.push(`${author.problem}; nothing was written to GitHub`);
    else writer = new Writer(client, request, scene, now, author);
  }
  if (!client && request.run && verified.some((v) => v.assessment.outcome === 'failure'))
    scene.notes.push('no token was given, so no problem issue was opened: see this summary');

  const changes: VerifiedChange[] = [];
  for (const { record, assessment, notRun } of verified) {
    const change: VerifiedChange = {
      changeId: record.id,
      title: typeof record.data.title === 'string' ? record.data.title : '',
      assessment,
      notRun,
      links: links.get(record.id) ?? [],
    };
    if (writer) {
      try {
        await writer.write(change, record);
      } catch (error) {
        // A write GitHub failed after the client's retries: the outcome still stands, the summary
        // and outputs are still written, and a re-run finishes what is missing (nothing twice).
        const message = httpProblem(error);
        scene.notes.push(
          `writing to GitHub for ${record.id} failed (${message}); run verify again to finish it`,
        );
        if (assessment.outcome === 'failure' && !change.problemIssue)
          change.problemIssue = { action: 'refused', reason: `GitHub failed: ${message}` };
      }
    }
    changes.push(change);
  }

  const report: VerifyReport = {
    outcome: overallOutcome(changes.map((c) => c.assessment)),
    ...(scene.commit ? { commit: scene.commit } : {}),
    ...(scene.context ? { run: runFacts(scene.context) } : {}),
    changes,
    skipped: scene.skipped,
    notes: scene.notes,
  };
  const problemIssues: Record<string, number> = {};
  for (const change of changes) {
    const issue = change.problemIssue;
    if (issue && 'number' in issue) problemIssues[change.changeId] = issue.number;
  }
  const first = Object.values(problemIssues)[0];
  const failure = verifyFailureMessage(report);
  return {
    report,
    outputs: {
      outcome: report.outcome,
      ...(first !== undefined ? { problemIssue: first } : {}),
      problemIssues,
      changes: changes.map((c) => c.changeId),
    },
    summary: renderVerifySummary(report),
    log: verifyLogLines(report),
    ...(failure !== undefined ? { failure } : {}),
  };
}

/** The CLI's scene: the working tree's records, the named changes. */
function localScene(request: VerifyRequest): Scene {
  const workspace = loadWorkspace(request.root);
  if (request.changes.trim() === '')
    throw new VerifyError('name the changes to verify (--changes CHG-0042,CHG-0043)');
  return { workspace, ids: namedIds(request.changes, workspace), skipped: [], notes: [] };
}

/** A workflow run's scene: the default branch at the run's commit, checked out as HEAD. */
async function workflowScene(request: VerifyRequest, run: VerifyRun): Promise<Scene> {
  const context = readDeployContext(run.env);
  const target = { owner: context.owner, repo: context.repo };
  const defaultBranch =
    context.defaultBranch ??
    (run.client && target.owner ? await defaultBranchOf(run.client, target) : undefined);
  if (!defaultBranch)
    throw new VerifyError(
      "cannot tell the repository's default branch: the event does not say, and no token was given to ask GitHub",
    );
  if (context.ref !== `refs/heads/${defaultBranch}`)
    throw new VerifyError(
      `verify runs on the default branch (${defaultBranch}) only, and this run is for ${context.ref || 'no ref'}: checks are never run from a branch that is not merged. Run it on push to ${defaultBranch}, or dispatch the workflow on ${defaultBranch}.`,
    );
  const commit = context.push?.after ?? context.sha;
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new VerifyError(`the run names no commit (GITHUB_SHA is ${JSON.stringify(commit)})`);
  let repo: Repository;
  let head: string;
  try {
    repo = await openRepository(request.root);
    head = await headCommit(repo);
  } catch (error) {
    throw new VerifyError(
      `${request.root} is not a git checkout of the repository: check out the repository (actions/checkout) before verify`,
      { cause: error },
    );
  }
  if (head !== commit)
    throw new VerifyError(
      `HEAD is ${short(head)}, not ${short(commit)}, the commit this run is for: verify runs checks only at the pushed commit of ${defaultBranch}. Check out \${{ github.sha }} (actions/checkout does by default) and do not switch branches before verify.`,
    );
  const workspace = await loadWorkspaceAtCommit(repo, commit);
  const scene: Scene = {
    workspace,
    ids: [],
    skipped: [],
    notes: [],
    repo,
    commit,
    context,
    defaultBranch,
  };
  if (request.changes.trim() !== '') {
    scene.ids = namedIds(request.changes, workspace);
    return scene;
  }
  if (!context.push)
    throw new VerifyError(
      `name the changes to verify (input changes, such as "CHG-0042, CHG-0043"): a ${context.eventName || 'run'} event does not say which changes were deployed; only a push does`,
    );
  const selection = await pushedChanges(run, scene, context.push);
  scene.ids = selection.ids;
  scene.skipped = selection.skipped;
  return scene;
}

/** The named changes, each checked against the records at the commit. */
function namedIds(text: string, workspace: LoadResult): string[] {
  const parsed = parseChangeIds(text);
  if (parsed.invalid.length > 0)
    throw new VerifyError(
      `changes holds ${parsed.invalid
        .slice(0, 5)
        .map((word) => JSON.stringify(word.slice(0, 40)))
        .join(
          ', ',
        )}, which ${parsed.invalid.length === 1 ? 'is not a change id' : 'are not change ids'}; give ids such as CHG-0042, separated by commas or spaces`,
    );
  if (parsed.ids.length > maxNamedChanges)
    throw new VerifyError(
      `changes names ${parsed.ids.length} changes; verify takes at most ${maxNamedChanges} in one run`,
    );
  const { ids, unknown } = knownChanges(parsed.ids, workspace.estate.changes);
  if (unknown.length > 0)
    throw new VerifyError(
      unknown
        .slice(0, 5)
        .map(
          (u) =>
            `${u.id} is not a change in the records${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ''}`,
        )
        .join('; '),
    );
  if (ids.length === 0) throw new VerifyError('changes names no change to verify');
  return ids;
}

/**
 * The changes a push added or edited: the record files that differ between `before` and
 * `after`, through git (commit to commit), compared record by record with `before`. When
 * `before` cannot be had (a new branch, a shallow clone that cannot fetch it), the files of the
 * pull request the pushed commit merged, through the API.
 */
async function pushedChanges(
  run: VerifyRun,
  scene: Scene,
  push: { before: string; after: string },
): Promise<{ ids: string[]; skipped: SkippedChange[] }> {
  const repo = scene.repo!;
  const limits = scene.workspace.estate.policy.limits;
  let before: string | undefined;
  if (!/^0+$/.test(push.before)) {
    try {
      before = (await resolveBase(repo, push.before, { fetch: true })).sha;
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
    }
  }
  let paths: string[];
  const previous = new Map<string, unknown>();
  if (before) {
    const changed = await changedFiles(repo, before, { to: push.after });
    const records = changed.filter((file) => file.status !== 'deleted' && isChangeFile(file.path));
    paths = records.map((file) => file.path);
    const oldPaths = records
      .filter((file) => file.status !== 'added')
      .map((file) => file.previousPath ?? file.path);
    const read = await readFilesAt(repo, before, [...new Set(oldPaths)], limits.maxFileBytes);
    for (const file of parseRecordFiles(read.files, limits, new SourceIndex()))
      for (const record of file.records)
        if (record.kind === 'Change' && record.id !== undefined)
          previous.set(record.id, record.data);
  } else if (run.client && scene.context) {
    const target = targetOf(scene.context);
    const unknown = `cannot tell what the push changed: ${/^0+$/.test(push.before) ? 'it created the branch' : `its previous commit ${short(push.before)} cannot be fetched`}`;
    // Which changes to verify is a fact only GitHub has here: a token it refuses stops the run
    // with what to do, before any check runs.
    const asked = async <T>(read: () => Promise<T>): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        throw new VerifyError(
          `${unknown}, and GitHub could not say which pull request carried ${short(push.after)} (${httpProblem(error)}). Name the changes (input changes), or check out with fetch-depth: 2.`,
          { cause: error },
        );
      }
    };
    scene.pushPulls = await asked(() =>
      pullRequestsOfCommit(run.client!, target, push.after, scene.defaultBranch!),
    );
    const merged = scene.pushPulls[0];
    if (!merged)
      throw new VerifyError(
        `${unknown} and no merged pull request carried ${short(push.after)}. Name the changes (input changes), or check out with fetch-depth: 2.`,
      );
    const files = await asked(() => pullRequestFiles(run.client!, target, merged.number));
    paths = files
      .filter((file) => file.status !== 'removed')
      .map((file) => fromTop(repo, file.filename))
      .filter((path): path is string => path !== undefined && isChangeFile(path));
    scene.notes.push(
      `the push's previous commit is not in the checkout, so the changes are those of #${merged.number}, which it merged`,
    );
  } else {
    throw new VerifyError(
      `cannot tell what the push changed: its previous commit ${short(push.before)} is not in the checkout and no token was given to ask GitHub. Check out with fetch-depth: 2, or name the changes (input changes).`,
    );
  }
  const wanted = new Set(paths);
  const after: PushedChange[] = [];
  for (const record of scene.workspace.estate.changes.values())
    if (wanted.has(record.source.file)) after.push({ id: record.id, data: record.data });
  after.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return selectPushedChanges(after, previous);
}

function isChangeFile(path: string): boolean {
  return path.startsWith('changes/') && isYamlName(path);
}

/** A path from the repository's top as a path below the changeops root, or undefined. */
function fromTop(repo: Repository, path: string): string | undefined {
  if (repo.prefix === '') return path;
  return path.startsWith(repo.prefix) ? path.slice(repo.prefix.length) : undefined;
}

/** The checks of a record that can run: a name and a command each. */
function checksOf(change: Change): {
  checks: Array<{ name: string; run: string }>;
  malformed: number;
} {
  const listed: unknown = change.checks;
  if (!Array.isArray(listed)) return { checks: [], malformed: 0 };
  const checks: Array<{ name: string; run: string }> = [];
  let malformed = 0;
  for (const entry of listed as unknown[]) {
    const { name, run } = (entry ?? {}) as { name?: unknown; run?: unknown };
    if (typeof name === 'string' && name !== '' && typeof run === 'string' && run.trim() !== '')
      checks.push({ name, run });
    else malformed++;
  }
  return { checks, malformed };
}

function targetOf(context: DeployContext): RepositoryRef {
  return { owner: context.owner, repo: context.repo };
}

function runFacts(context: DeployContext): RunFacts {
  return {
    id: context.runId,
    url: `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`,
  };
}

/** The GitHub writes of a workflow run, with the reads they share (one listing of problem issues). */
class Writer {
  private listed: ListedProblemIssue[] | undefined;
  private readonly pulls = new Map<string, Promise<CommitPullRequest | undefined>>();
  private readonly target: RepositoryRef;
  private readonly run: RunFacts;
  private readonly repo: Repository;
  private readonly commit: string;
  private readonly impact: ReturnType<typeof impactResolver>;

  constructor(
    private readonly client: GitHubClient,
    private readonly request: VerifyRequest,
    private readonly scene: Scene,
    private readonly now: Date,
    private readonly author: CommentAuthor,
  ) {
    this.target = targetOf(scene.context!);
    this.run = runFacts(scene.context!);
    this.repo = scene.repo!;
    this.commit = scene.commit!;
    this.impact = impactResolver(scene.workspace.estate);
  }

  /** Writes what one change's outcome calls for, and records each outcome on `change`. */
  async write(change: VerifiedChange, record: LoadedRecord<Change>): Promise<void> {
    const { assessment } = change;
    const botLogin = this.author.login;
    const failed = assessment.outcome === 'failure';
    const wantsNote = failed || this.request.noteOnSuccess;
    const pr = wantsNote ? await this.pullRequestOf(record) : undefined;
    if (pr) change.pullRequest = pr.number;

    if (failed) {
      this.listed ??= await listOpenProblemIssues(this.client, this.target);
      let revertNumber: number | undefined;
      if (this.request.revert) {
        // An issue opened by an earlier failure is named in the revert; a new one links the revert.
        const open = findProblemIssue(this.listed, { changeId: record.id, botLogin }).issue;
        change.revert = await this.proposeRevert(change, record, pr, open?.number);
        if ('number' in change.revert) revertNumber = change.revert.number;
      }
      const issue = renderProblemIssue({
        change: {
          id: record.id,
          title: change.title,
          ...(typeof record.data.plan?.backout === 'string'
            ? { plan: { backout: record.data.plan.backout } }
            : {}),
          ...(typeof record.data.problem === 'string' ? { problem: record.data.problem } : {}),
        },
        assessment,
        impacted: this.impactedOf(record),
        run: this.run,
        commit: this.commit,
        ...(revertNumber !== undefined ? { revertPullRequest: revertNumber } : {}),
      });
      const comment = renderFailureComment({ assessment, run: this.run, commit: this.commit });
      const outcome = await recordProblem(this.client, this.target, this.listed, {
        changeId: record.id,
        botLogin,
        issue,
        comment,
      });
      if (outcome.action === 'refused') {
        change.problemIssue = {
          action: 'refused',
          reason: `GitHub refused the problem issue (${outcome.status}: ${outcome.message.split('\n', 1)[0]}); give the workflow issues: write`,
        };
      } else {
        change.problemIssue = { action: outcome.action, number: outcome.number };
        for (const duplicate of outcome.closedDuplicates)
          this.scene.notes.push(`closed #${duplicate} as a duplicate of #${outcome.number}`);
      }
    }
    if (this.request.recordUpdate && assessment.outcome !== 'cancelled')
      change.recordUpdate = await this.proposeRecordUpdate(change, record);

    if (!wantsNote) return;
    if (!pr) {
      change.note = {
        action: 'skipped',
        reason: `no pull request was found for ${record.id}'s record, so no note was left`,
      };
      return;
    }
    const issue = change.problemIssue;
    const written = await upsertStickyComment(
      this.client,
      { ...this.target, issueNumber: pr.number },
      {
        marker: verifyNoteMarker(record.id),
        body: renderVerifyNote({
          assessment,
          run: this.run,
          ...(issue && 'number' in issue ? { problemIssue: issue.number } : {}),
        }),
        author: this.author,
        runId: this.run.id,
      },
    );
    if (written.action !== 'refused' && written.actualLogin !== undefined)
      this.scene.notes.push(
        `the token writes as ${written.actualLogin}, not as ${this.author.login} (the bot-login input); set bot-login: ${written.actualLogin}, so that verify finds its issues and notes again`,
      );
    change.note =
      written.action === 'refused'
        ? {
            action: 'refused',
            reason: `GitHub refused the note on #${pr.number} (${written.status}); give the workflow pull-requests: write`,
          }
        : {
            action: written.action === 'skipped-newer' ? 'unchanged' : written.action,
            number: pr.number,
          };
  }

  /** The pull request that carried the change: the pushed commit's, or the one that last touched its record. */
  private pullRequestOf(record: LoadedRecord<Change>): Promise<CommitPullRequest | undefined> {
    const file = `${this.repo.prefix}${record.source.file}`;
    const key = this.scene.context?.push ? '' : file;
    let found = this.pulls.get(key);
    if (!found) {
      found = (async () => {
        const base = this.scene.defaultBranch!;
        if (this.scene.context?.push) {
          this.scene.pushPulls ??= await pullRequestsOfCommit(
            this.client,
            this.target,
            this.commit,
            base,
          );
          return this.scene.pushPulls[0];
        }
        const last = await lastCommitOf(this.client, this.target, this.commit, file);
        if (!last) return undefined;
        return (await pullRequestsOfCommit(this.client, this.target, last, base))[0];
      })();
      this.pulls.set(key, found);
    }
    return found;
  }

  /**
   * The CIs the change impacts at the commit, the first 50 with the path that explains them,
   * past five CIs shortened to its first and last hop (a > b > … > y > z).
   */
  private impactedOf(record: LoadedRecord<Change>): ProblemCi[] {
    const reached = this.impact(record.data).reached;
    const pathOf = shortPaths(reached);
    return reached.impacted.map((ci, position) => ({
      id: ci.id,
      name: ci.name,
      criticality: ci.criticality,
      depth: ci.depth,
      ...(position < 50 ? { via: pathOf(position) } : {}),
    }));
  }

  private async proposeRecordUpdate(
    change: VerifiedChange,
    record: LoadedRecord<Change>,
  ): Promise<WriteOutcome> {
    const file = record.source.file;
    const limits = this.scene.workspace.estate.policy.limits;
    const read = await readFileAt(this.repo, this.commit, file, limits.maxFileBytes);
    if (read.text === undefined)
      return { action: 'refused', reason: `${file} cannot be read at ${short(this.commit)}` };
    const issue = change.problemIssue;
    const update = proposeRecordUpdate(
      { path: file, text: read.text },
      {
        changeId: record.id,
        outcome: change.assessment.outcome,
        date: this.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ...(issue && 'number' in issue ? { problemIssue: issue.number } : {}),
        runUrl: this.run.url,
      },
    );
    if (update.kind === 'unchanged') return { action: 'skipped', reason: update.reason };
    if (update.kind === 'refused') return { action: 'refused', reason: update.reason };
    const top = `${this.repo.prefix}${file}`;
    const entry = await entryAt(this.repo, this.commit, top);
    const proposal = renderRecordUpdatePullRequest({
      changeId: record.id,
      title: change.title,
      file: top,
      from: update.from,
      to: update.to as 'implemented' | 'failed',
      review: update.review,
      run: this.run,
    });
    return this.propose(proposal, [
      { path: top, mode: entry?.mode ?? '100644', content: update.text },
    ]);
  }

  private async proposeRevert(
    change: VerifiedChange,
    record: LoadedRecord<Change>,
    pr: CommitPullRequest | undefined,
    problemIssue: number | undefined,
  ): Promise<WriteOutcome> {
    const merge = pr?.mergeCommitSha;
    if (!pr || !merge || !/^[0-9a-f]{40}$/.test(merge))
      return {
        action: 'skipped',
        reason: `no merged pull request was found for ${record.id}, so there is no merge commit to revert`,
      };
    const records = `${this.repo.prefix}changes/`;
    const plan = await planRevert(this.repo, {
      onto: this.commit,
      commit: merge,
      keep: (path) => path.startsWith(records),
    });
    if (plan.kind !== 'changes') return { action: 'skipped', reason: plan.reason };
    const changes: TreeChange[] = [];
    for (const entry of plan.changes) {
      if ('delete' in entry) changes.push({ path: entry.path, delete: true });
      else if (entry.known) changes.push({ path: entry.path, mode: entry.mode, sha: entry.sha });
      else
        changes.push({
          path: entry.path,
          mode: entry.mode,
          bytes: await readBlob(this.repo, entry.sha),
        });
    }
    const proposal = renderRevertPullRequest({
      changeId: record.id,
      title: change.title,
      mergeCommit: merge,
      pullRequest: pr.number,
      run: this.run,
      reasons: change.assessment.reasons,
      kept: plan.kept,
      ...(problemIssue !== undefined ? { problemIssue } : {}),
    });
    return this.propose(proposal, changes);
  }

  private async propose(
    proposal: { branch: string; title: string; body: string; commitMessage: string },
    changes: TreeChange[],
  ): Promise<WriteOutcome> {
    const outcome: ProposalOutcome = await proposeBranch(this.client, this.target, {
      branch: proposal.branch,
      base: this.scene.defaultBranch!,
      baseCommit: this.commit,
      baseTree: await treeOf(this.repo, this.commit),
      changes,
      message: proposal.commitMessage,
      title: proposal.title,
      body: proposal.body,
      botLogin: this.author.login,
    });
    return outcome.action === 'refused'
      ? { action: 'refused', reason: outcome.reason }
      : { action: outcome.action, number: outcome.number };
  }
}
