import type { PullRequestFacts } from '../approvals/facts.js';
import { readReviews } from '../approvals/reviews.js';
import { shortPaths } from '../impact/impact.js';
import type { Limits } from '../records/limits.js';
import type { LoadResult } from '../records/load.js';
import { closest } from '../records/wording.js';
import { renderEvidenceMarkdown } from '../render/evidence-markdown.js';
import {
  buildEvidence,
  type EvidenceApprovals,
  type EvidenceApprover,
  type EvidenceImpact,
  type EvidencePack,
} from '../report/evidence.js';
import type { History } from '../report/facts.js';
import type { ChangeStatus } from '../report/record-facts.js';
import { approvalOf } from '../report/standing.js';
import { buildTimelines, type ChangeTimeline, type StatusEvent } from '../report/timeline.js';
import { answerImpact } from './impact.js';

/** A commit status as GitHub lists it, in the fields the evidence needs. */
export interface StatusFacts {
  context: string;
  state: string;
  description: string | null;
  /** Who posted it: an App's bot, `github-actions[bot]`, a person. */
  creator: string | null;
  createdAt: string;
  targetUrl: string | null;
}

/** What GitHub recorded of a pull request that approved a change, as the edge read it. */
export interface PullRequestRecord {
  pullRequest: PullRequestFacts;
  mergedAt: string | null;
  /** The commit its merge made on the base branch (a merge or squash commit); null when none. */
  mergeCommitSha: string | null;
  /** The statuses on its head commit, newest first. */
  statuses: StatusFacts[];
}

/** The change an evidence pack is about, found on the branch, or why it is not there. */
export type EvidenceSubject =
  | {
      found: true;
      timeline: ChangeTimeline;
      branch: string;
      notes: string[];
      /** The approval it went ahead on (see approvalOf): where the CMDB "at the time" is read. */
      approval?: StatusEvent<ChangeStatus>;
      /** The pull requests that landed a move to approved, in order, each once. */
      approvalPullRequests: number[];
    }
  | {
      found: false;
      id: string;
      branch: string;
      /** The records on disk hold it: it is not merged yet. */
      inWorkingTree: boolean;
      suggestion?: string;
    };

/** The context of the gate's commit status. */
export const gateContext = 'changeops/cab';

/**
 * Finds a change on the branch's history for its evidence pack: its timeline, the approval it
 * went ahead on and the pull requests that approved it, which say what else to read (the CMDB at
 * the approval commit, those pull requests on GitHub). No IO.
 */
export function findEvidenceSubject(
  history: History,
  id: string,
  limits: Limits,
  workingTree: ReadonlySet<string> = new Set(),
): EvidenceSubject {
  const timelines = buildTimelines(history, { limits });
  const timeline = timelines.changes.get(id);
  if (!timeline || timeline.versions.length === 0) {
    const suggestion = closest(id, [...timelines.changes.keys()]);
    return {
      found: false,
      id,
      branch: timelines.ref,
      inWorkingTree: workingTree.has(id),
      ...(suggestion !== undefined ? { suggestion } : {}),
    };
  }
  const approval = approvalOf(timeline);
  const approvalPullRequests = [
    ...new Set(
      timeline.statuses
        .filter((event) => event.status === 'approved' && event.commit.pullRequest)
        .map((event) => event.commit.pullRequest!),
    ),
  ];
  return {
    found: true,
    timeline,
    branch: timelines.ref,
    notes: timelines.notes,
    ...(approval ? { approval } : {}),
    approvalPullRequests,
  };
}

/** What an evidence pack is decided on, gathered once the subject is known. */
export interface EvidenceFacts {
  subject: Extract<EvidenceSubject, { found: true }>;
  /** The records at the approval commit (read through git), when the change was approved. */
  atApproval?: { sha: string; workspace: LoadResult };
  /** What GitHub says of each approval pull request, when a token was given. */
  github?: Array<{ number: number; record?: PullRequestRecord; refused?: string }>;
}

/** An evidence pack, and the same pack as markdown. */
export interface EvidenceDecision {
  pack: EvidencePack;
  markdown: string;
}

/**
 * The evidence pack of a change, decided once: its history on the branch, the impact computed
 * from the CMDB at the commit that approved it (not today's), the approvals the gate counted
 * (with GitHub: the latest review of each person on each approval pull request's head commit
 * that the gate's rules let count, and the gate's own status there; without: what git shows),
 * its checks and review, its problem issues; sealed by a digest. No IO.
 */
export function decideEvidence(facts: EvidenceFacts): EvidenceDecision {
  const { subject } = facts;
  const { timeline } = subject;
  const notes = [...subject.notes];
  let impact: EvidenceImpact | undefined;
  let impactNote: string | undefined;
  if (!subject.approval) {
    impactNote = `${timeline.id} was never approved on ${subject.branch}, so there is no impact at approval`;
  } else if (facts.atApproval) {
    const { sha, workspace } = facts.atApproval;
    const answer = answerImpact(workspace.estate, timeline.id);
    if (answer.found) {
      const reached = answer.impact;
      // Past five CIs a path keeps its first and last hop (a > b > … > y > z): a chain of
      // 20,000 CIs would otherwise put 200 million ids into the pack.
      const pathOf = shortPaths(reached);
      impact = {
        commit: sha,
        cis: reached.impacted.map((ci, position) => ({
          id: ci.id,
          name: ci.name,
          depth: ci.depth,
          via: pathOf(position),
          criticality: ci.criticality,
          ...(ci.environment !== null ? { environment: ci.environment } : {}),
        })),
      };
      if (reached.unknown.length > 0)
        notes.push(
          `at the approval commit the CMDB had no CI ${reached.unknown.slice(0, 10).join(', ')}${reached.unknown.length > 10 ? ` and ${reached.unknown.length - 10} more` : ''}, which the change names`,
        );
    } else {
      impactNote = `the records at the approval commit ${sha.slice(0, 12)} do not hold ${timeline.id}`;
    }
  } else {
    impactNote = 'the CMDB at the approval commit was not read';
  }
  const approvals = facts.github ? approvalsFromGitHub(facts, notes) : undefined;
  const pack = buildEvidence({
    timeline,
    branch: subject.branch,
    ...(impact ? { impact } : {}),
    ...(impactNote !== undefined ? { impactNote } : {}),
    ...(approvals ? { approvals } : {}),
    notes,
  });
  return { pack, markdown: renderEvidenceMarkdown(pack) };
}

/**
 * The approvals the gate counted on each approval pull request, by the gate's own rules of which
 * reviews count (readReviews: the latest decisive review of each person, on the head commit, not
 * the PR author, a requester, a commit author or a bot), and the gate's status on its head.
 */
function approvalsFromGitHub(facts: EvidenceFacts, notes: string[]): EvidenceApprovals | undefined {
  const { subject } = facts;
  const readings = facts.github ?? [];
  if (subject.approvalPullRequests.length === 0) {
    notes.push(
      `no move of ${subject.timeline.id} to approved names a pull request (a direct push, or a rebase merge), so GitHub has no reviews to read; the approvals are what git shows`,
    );
    return undefined;
  }
  const approvers: EvidenceApprover[] = [];
  const sentences: string[] = [];
  for (const { number, record, refused } of readings) {
    if (!record) {
      sentences.push(`#${number} could not be read from GitHub (${refused ?? 'no answer'})`);
      continue;
    }
    // A commit subject can name any pull request: its reviews count only when GitHub says it
    // merged the very commit that approved the change.
    const landed = subject.timeline.statuses.filter(
      (event) => event.status === 'approved' && event.commit.pullRequest === number,
    );
    const mergeSha = record.mergedAt !== null ? record.mergeCommitSha : null;
    if (mergeSha === null || !landed.some((event) => event.commit.sha === mergeSha)) {
      const approving = landed.map((event) => event.commit.sha.slice(0, 12)).join(' or ');
      const what =
        mergeSha === null
          ? 'was never merged'
          : `merged ${mergeSha.slice(0, 12)}, not ${approving}`;
      sentences.push(
        `#${number} ${what}, though the commit that approved ${subject.timeline.id} names it: its reviews are not this change's approvals`,
      );
      continue;
    }
    // The requesters of every version approved in this pull request never count.
    const requesters = new Set<string>();
    for (const event of subject.timeline.statuses)
      if (event.commit.pullRequest === number) {
        const requester = subject.timeline.versions[event.version]?.facts.requester;
        if (requester) requesters.add(requester);
      }
    const reading = readReviews(
      record.pullRequest,
      [...requesters].map((requester) => ({ id: subject.timeline.id, requester })),
      false,
    );
    const submitted = new Map(
      record.pullRequest.reviews.map((review) => [review.id, review.submitted_at ?? undefined]),
    );
    let counted = 0;
    for (const decision of reading.decisions) {
      if (decision.state !== 'APPROVED' || decision.notAPerson || decision.ignoredBecause) continue;
      counted++;
      const at = submitted.get(decision.reviewId);
      approvers.push({
        login: decision.login,
        ...(at ? { at } : {}),
        ...(decision.commitId ? { commit: decision.commitId } : {}),
        pullRequest: number,
      });
    }
    const status = record.statuses.find((s) => s.context === gateContext);
    sentences.push(
      `#${number}: ${counted} approval${counted === 1 ? '' : 's'} of its head commit ${record.pullRequest.headSha.slice(0, 12)} count${counted === 1 ? 's' : ''}; ${
        status
          ? `the gate's status ${gateContext} there was ${status.state}${status.description ? ` ("${status.description.slice(0, 140)}")` : ''}, posted by ${status.creator ?? 'an unknown account'} at ${status.createdAt}`
          : `there is no ${gateContext} status on it`
      }`,
    );
    for (const problem of reading.problems) notes.push(`#${number}: ${problem}`);
  }
  return {
    source: 'github',
    approvers,
    summary: `the reviews the gate counts (the latest of each person on the head commit; not the PR author, a requester, a commit author or a bot), read from GitHub: ${sentences.join('; ')}`,
  };
}
