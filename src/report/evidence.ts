import { digestOf } from './canonical-json.js';
import type { CommitAuthor } from './facts.js';
import type { ChangeStatus, ReviewFacts } from './record-facts.js';
import { standingOf, type ChangeOutcome } from './standing.js';
import { pullRequestsOf, type ChangeTimeline } from './timeline.js';

/** The impact computed at the time: the CIs the CMDB at that commit gave (computed by the caller). */
export interface EvidenceImpact {
  /** The commit whose CMDB was read: the one that approved the change. */
  commit: string;
  cis: ReadonlyArray<{
    id: string;
    name?: string;
    depth: number;
    /** The chain of CI ids from a CI the change names to this one. */
    via: readonly string[];
    criticality?: number;
    environment?: string;
  }>;
}

/** One approval the gate counted. */
export interface EvidenceApprover {
  login: string;
  /** When it was given (the review's submitted_at), ISO 8601. */
  at?: string;
  /** The commit it approved. */
  commit?: string;
  /** The requirement it satisfied, in the gate's words ("cab", "owner of pg-payments"). */
  satisfies?: string;
  /** The pull request it was given on, or (from git alone) that merged the approval. */
  pullRequest?: number;
}

/** The approvals the gate counted, read from GitHub (the PR's reviews and the gate's status). */
export interface EvidenceApprovals {
  source: 'github';
  approvers: readonly EvidenceApprover[];
  /** The gate's own sentence for the result, such as its status description. */
  summary?: string;
}

/** How a post-implementation check went, as verify recorded it. */
export interface EvidenceCheckOutcome {
  name: string;
  outcome: 'passed' | 'failed' | 'timed-out' | 'not-run';
  at?: string;
  runUrl?: string;
  detail?: string;
}

/** What an evidence pack is built from: the change's history and what the caller looked up. */
export interface EvidenceInput {
  timeline: ChangeTimeline;
  /** The branch the history is of ("main"). */
  branch: string;
  impact?: EvidenceImpact;
  /** Why there is no impact at the time, when `impact` is left out (the change was never approved...). */
  impactNote?: string;
  /** From GitHub when a token is given; without it the pack says what git alone shows. */
  approvals?: EvidenceApprovals;
  checkOutcomes?: readonly EvidenceCheckOutcome[];
  /** Problem issues the change's failure opened ("#77"). */
  problemIssues?: readonly string[];
  /** What the history lacks (a shallow clone...): the timelines' notes. */
  notes?: readonly string[];
}

/** A status the change reached, with the record as it stood then. */
export interface EvidenceStatus {
  status: ChangeStatus;
  from?: ChangeStatus;
  at: string;
  sha: string;
  pullRequest?: number;
  author: CommitAuthor;
  /** The history starts after the change had this status: it was set at or before this commit. */
  knownSince?: true;
  path: string;
  /** The record as that version wrote it. */
  record: unknown;
}

/** The evidence an auditor takes away for one change; `digest` seals everything else. */
export interface EvidencePack {
  format: 'changeops-evidence/v1';
  change: { id: string; title?: string; type: string; status: ChangeStatus; requester?: string };
  branch: string;
  requested: {
    /** The requester the record names. */
    by?: string;
    /** Who committed the first version. */
    committedBy: CommitAuthor;
    at: string;
    sha: string;
    pullRequest?: number;
    /** The history starts after the record was added: this is its first known version. */
    knownSince?: true;
  };
  statuses: EvidenceStatus[];
  removals: Array<{ at: string; sha: string }>;
  outcome: { outcome: ChangeOutcome; at: string; sha: string };
  impact: (EvidenceImpact & { note?: string }) | { commit: null; cis: []; note: string };
  approvals: {
    source: 'github' | 'git';
    approvers: EvidenceApprover[];
    note: string;
  };
  checks: Array<{
    name: string;
    run?: string;
    /** Whether the record lists the check (an outcome may name one it no longer lists). */
    listed: boolean;
    outcome: EvidenceCheckOutcome['outcome'] | 'not recorded';
    at?: string;
    runUrl?: string;
    detail?: string;
  }>;
  /**
   * The post-implementation review the record holds (verify writes it back through a pull
   * request), with the commit that first recorded it; null when the record has none.
   */
  verification:
    (ReviewFacts & { recordedIn: { sha: string; date: string; pullRequest?: number } }) | null;
  /** The problem issues its failure opened (the review's and the caller's), and the one it remediates. */
  problem: { opened: string[]; remediates?: string };
  pullRequests: number[];
  notes: string[];
  /** `sha256:` and the SHA-256 of the canonical JSON of every other field (see canonicalJson). */
  digest: string;
}

/**
 * The evidence pack of one change: the record as of each status with its commit and date, who
 * requested it, the impact computed at the time, the approvals the gate counted (or, without
 * GitHub, what git says: who committed the approval and which pull request merged it), the
 * checks and their outcome, the problem issues; sealed by a digest of all of it, so any later
 * edit of the history or the inputs shows as a different digest. Nothing in it depends on when
 * it is built.
 */
export function buildEvidence(input: EvidenceInput): EvidencePack {
  const { timeline } = input;
  const standing = standingOf(timeline);
  const first = timeline.versions[0];
  if (!standing || !first)
    throw new RangeError(`${timeline.id} has no version to give evidence of`);
  const latest = standing.version.facts;
  const statuses: EvidenceStatus[] = timeline.statuses.map((event) => {
    const version = timeline.versions[event.version]!;
    return {
      status: event.status,
      ...(event.from !== undefined ? { from: event.from } : {}),
      at: event.commit.date,
      sha: event.commit.sha,
      ...(event.commit.pullRequest ? { pullRequest: event.commit.pullRequest } : {}),
      author: event.commit.author,
      ...(event.knownSince ? { knownSince: true as const } : {}),
      path: version.path,
      record: version.record,
    };
  });
  // The checks as the version that decided the outcome listed them (what was verified), with
  // what verify recorded for each; an outcome for a check no longer listed is kept, marked.
  const outcomeEvent = timeline.statuses.findLast((event) => event.commit === standing.decidedBy);
  const listedBy = outcomeEvent ? timeline.versions[outcomeEvent.version]!.facts : latest;
  const outcomes = new Map((input.checkOutcomes ?? []).map((outcome) => [outcome.name, outcome]));
  const checks: EvidencePack['checks'] = listedBy.checks.map((check) => {
    const recorded = outcomes.get(check.name);
    outcomes.delete(check.name);
    return { name: check.name, run: check.run, listed: true, ...outcomeFields(recorded) };
  });
  for (const recorded of outcomes.values())
    checks.push({ name: recorded.name, listed: false, ...outcomeFields(recorded) });

  const approvals: EvidencePack['approvals'] = input.approvals
    ? {
        source: 'github',
        approvers: input.approvals.approvers.map((approver) => ({ ...approver })),
        note:
          input.approvals.summary ??
          'the approvals the gate counted, from the pull request reviews',
      }
    : {
        source: 'git',
        approvers: timeline.statuses
          .filter((event) => event.status === 'approved')
          .map((event) => ({
            login: event.commit.author.login ?? event.commit.author.name,
            at: event.commit.date,
            commit: event.commit.sha,
            ...(event.commit.pullRequest ? { pullRequest: event.commit.pullRequest } : {}),
          })),
        note: 'who committed each move to approved and the pull request that merged it, not who reviewed it; give a token to list the reviews the gate counted',
      };

  const pack: Omit<EvidencePack, 'digest'> = {
    format: 'changeops-evidence/v1',
    change: {
      id: timeline.id,
      ...(latest.title !== undefined ? { title: latest.title } : {}),
      type: latest.type,
      status: standing.status,
      ...(latest.requester !== undefined ? { requester: latest.requester } : {}),
    },
    branch: input.branch,
    requested: {
      ...(first.facts.requester !== undefined ? { by: first.facts.requester } : {}),
      committedBy: first.commit.author,
      at: first.commit.date,
      sha: first.commit.sha,
      ...(first.commit.pullRequest ? { pullRequest: first.commit.pullRequest } : {}),
      ...(timeline.addedBeforeHistory ? { knownSince: true as const } : {}),
    },
    statuses,
    removals: timeline.presence
      .filter((event) => !event.present)
      .map((event) => ({ at: event.commit.date, sha: event.commit.sha })),
    outcome: {
      outcome: standing.outcome,
      at: standing.decidedBy.date,
      sha: standing.decidedBy.sha,
    },
    impact: input.impact
      ? {
          commit: input.impact.commit,
          cis: input.impact.cis.map((ci) => ({ ...ci, via: [...ci.via] })),
        }
      : {
          commit: null,
          cis: [],
          note: input.impactNote ?? 'the impact at the time was not computed',
        },
    approvals,
    checks,
    verification: verificationOf(timeline),
    problem: {
      opened: [
        ...new Set([
          ...(input.problemIssues ?? []),
          ...timeline.versions.flatMap((version) =>
            version.facts.review?.problemIssue !== undefined
              ? [version.facts.review.problemIssue]
              : [],
          ),
        ]),
      ].sort(),
      ...(latest.problem !== undefined ? { remediates: latest.problem } : {}),
    },
    pullRequests: pullRequestsOf(timeline),
    notes: [...(input.notes ?? [])],
  };
  return { ...pack, digest: digestOf(pack) };
}

/** Whether a pack's digest still matches its content: false after any edit of it. */
export function verifyEvidence(pack: EvidencePack): boolean {
  const { digest, ...content } = pack;
  return digest === digestOf(content);
}

/** The record's last review, and the first commit of the run of versions that held it unchanged. */
function verificationOf(timeline: ChangeTimeline): EvidencePack['verification'] {
  const versions = timeline.versions;
  const review = versions.at(-1)?.facts.review;
  if (!review) return null;
  const same = (other: ReviewFacts | undefined) =>
    other !== undefined &&
    other.outcome === review.outcome &&
    other.date === review.date &&
    other.problemIssue === review.problemIssue &&
    other.run === review.run;
  let first = versions.length - 1;
  while (first > 0 && same(versions[first - 1]!.facts.review)) first--;
  const commit = versions[first]!.commit;
  return {
    ...review,
    recordedIn: {
      sha: commit.sha,
      date: commit.date,
      ...(commit.pullRequest ? { pullRequest: commit.pullRequest } : {}),
    },
  };
}

function outcomeFields(recorded: EvidenceCheckOutcome | undefined) {
  if (!recorded) return { outcome: 'not recorded' as const };
  return {
    outcome: recorded.outcome,
    ...(recorded.at !== undefined ? { at: recorded.at } : {}),
    ...(recorded.runUrl !== undefined ? { runUrl: recorded.runUrl } : {}),
    ...(recorded.detail !== undefined ? { detail: recorded.detail } : {}),
  };
}
