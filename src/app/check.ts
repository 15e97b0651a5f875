import { decideCheck, type CheckDecision } from '../evaluate/decide.js';
import type { BaseFiles, BaseRevision, CheckFacts } from '../evaluate/facts.js';
import { readBaseFacts } from '../git/facts.js';
import { recordTreesAt } from '../git/snapshots.js';
import { workingTreeStatus, type WorkingTreeStatus } from '../git/status.js';
import { presentPaths, selectUnderEvaluation } from '../evaluate/select.js';
import type { StickyOutcome } from '../github/sticky-comment.js';
import type { LoadResult, PolicyResult } from '../records/load.js';
import { readBranchHistory } from './branch-history.js';
import {
  loadBasePolicy,
  loadWorkspaceCached,
  loadWorkspaceGuessed,
  startSnapshotReads,
  type CachedLoadOptions,
  type SnapshotUse,
  type StartedSnapshotReads,
} from './load-workspace.js';

/** What git says about the base (readBaseFacts). */
type BaseRead = BaseRevision & BaseFiles;

/** What to check: a repository, against a base. */
export interface CheckRequest {
  /** The repository root that holds changeops.yaml, changes/ and cmdb/. */
  root: string;
  /**
   * The base ref (branch, tag, sha, origin/main). In a workflow run it comes from the event (the
   * pull request's base commit, or the merge queue's: checkWorkflowRun); without one no git is used at all.
   */
  base?: string;
  /** The base branch's name where a release's readiness names it (a pull request's base ref). */
  baseName?: string;
  now?: Date;
  /** Fetch a base that is missing locally, and deepen a shallow clone (default true). */
  fetch?: boolean;
  /**
   * Compare with the working tree (default) or, when false, with the HEAD commit: the action's
   * checkout, whose record files are HEAD's, so git diffs commit to commit and never stats the
   * working tree (a record file a step before edits after the checkout is not seen as changed).
   */
  workingTree?: boolean;
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
 * The `check` use case, for the CLI and the action alike (a workflow run through checkWorkflowRun, which
 * adds the report and the comment). Gathers the facts first (the records on disk, what git says
 * about the base), then decides once in the core. Throws a GitError (BaseRefError for a base that
 * cannot be used) when git cannot answer.
 */
export async function check(request: CheckRequest): Promise<CheckResult> {
  const { base, root } = request;
  const now = request.now ?? new Date();
  // With a base, its policy is in force: read first, because its limits read every other file,
  // the branch's included.
  let basePolicy: PolicyResult | undefined;
  const committed = request.workingTree === false;
  const cache = request.cache !== false;
  // One walk of the work tree, for the base's diff and the snapshot's untracked record files
  // both: asked when the diff starts, once the base is resolved, because a walk started sooner
  // holds up each git process the resolution starts (on two cores, a spawn waits for its child
  // to run).
  const walk = base === undefined || committed ? undefined : onceAsked(root);
  // Against the working tree, the check is worked out from the commits' diff while git's status
  // walks every file: kept when the status adds nothing to that diff (a guess never writes).
  const guessing = cache && !committed;
  // Wrapped: a promise resolved with a promise would take on its outcome.
  let offer: ((guessed: { facts: Promise<BaseRead> } | undefined) => void) | undefined;
  const guessedRead =
    guessing && base !== undefined
      ? new Promise<{ facts: Promise<BaseRead> } | undefined>((resolve) => (offer = resolve))
      : undefined;
  let started: StartedSnapshotReads | undefined;
  let trees: ReturnType<typeof recordTreesAt> | undefined;
  // The base first: its one rev-parse (the repository, the base's commit, the merge base) is
  // on its way when the snapshot reads ask where the repository is, and answers them too.
  const reading =
    base === undefined
      ? undefined
      : readBaseFacts(root, base, {
          ...(request.fetch !== undefined ? { fetch: request.fetch } : {}),
          ...(request.workingTree !== undefined ? { workingTree: request.workingTree } : {}),
          ...(walk ? { status: walk.ask } : {}),
          // The newest snapshot is read while git diffs the working tree, and the merge base's
          // record trees (the snapshot's key) are asked with the diff rather than after it.
          ...(cache
            ? {
                whileDiffing: (mergeBase: string) => {
                  trees = recordTreesAt(root, mergeBase);
                  started?.readAhead();
                },
              }
            : {}),
          ...(offer ? { guess: (facts: Promise<BaseRead>) => offer!({ facts }) } : {}),
          maxFileBytes(policy) {
            basePolicy = loadBasePolicy(policy);
            return basePolicy.policy.limits.maxFileBytes;
          },
        });
  // A base's diff that never guessed (git failed first) has none to offer.
  if (offer) {
    const none = offer;
    reading!.then(
      () => none(undefined),
      () => none(undefined),
    );
  }
  // Shared by the guess and the load: one status, one snapshot read.
  if (cache) started = startSnapshotReads(root, committed, walk?.status);

  const loadOptions = (read: BaseRead | undefined): CachedLoadOptions => {
    const limits = basePolicy?.policy.limits;
    return {
      ...(limits ? { limits } : {}),
      ...(started ? { started } : {}),
      ...(cache ? {} : { cache: false }),
      // The diff from the merge base (to the working tree, or HEAD) tells the snapshot what changed.
      ...(read
        ? {
            origin: {
              commit: read.mergeBase,
              changed: read.changedFiles,
              ...(trees ? { trees } : {}),
            },
          }
        : {}),
      ...(committed ? { committed } : {}),
      ...(read?.policyFile ? { policyText: read.policyFile.text } : {}),
    };
  };
  const decide = async (
    read: BaseRead | undefined,
    workspace: LoadResult,
    snapshot: SnapshotUse,
  ): Promise<CheckResult> => {
    const facts: CheckFacts = { workspace, now };
    if (read && basePolicy) {
      facts.base = { ...read, policy: basePolicy };
      // A release under evaluation gets its readiness: the base branch's history of the records.
      const selected = selectUnderEvaluation(workspace.estate, presentPaths(read.changedFiles));
      if (selected.releases.length > 0)
        facts.branchHistory = (
          await readBranchHistory(root, {
            branch: { ref: read.sha, name: request.baseName || base! },
            what: 'the base',
            limits: basePolicy.policy.limits,
          })
        ).history;
    }
    return { ...decideCheck(facts), snapshot };
  };

  const guess = guessing
    ? (async () => {
        const read = guessedRead ? await (await guessedRead)?.facts : undefined;
        if (guessedRead && !read) return undefined;
        const loaded = await loadWorkspaceGuessed(root, {
          ...loadOptions(read),
          started: started!,
        });
        if (!loaded) return undefined;
        return {
          holds: loaded.holds,
          result: await decide(read, loaded.workspace, loaded.snapshot),
        };
      })().catch(() => undefined)
    : undefined;

  const read = await reading;
  // The base's facts are the guess's own object when the work tree added nothing to its diff.
  const guessed = guessedRead && (await (await guessedRead)?.facts.catch(() => undefined));
  if (guess && (base === undefined || (guessed !== undefined && guessed === read))) {
    const kept = await guess;
    if (kept && (await kept.holds)) return kept.result;
  }
  const { workspace, snapshot } = await loadWorkspaceCached(root, loadOptions(read));
  return decide(read, workspace, snapshot);
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
