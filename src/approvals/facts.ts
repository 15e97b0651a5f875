/**
 * The facts the approval gate decides on, as plain data. The use case gathers them (the base
 * policy and CMDB through git, the pull request, its commits and reviews and the team members
 * through the REST API) and calls the core once; nothing here reads anything.
 *
 * Everything that comes from the pull request's head is hostile. The gatherer therefore fills the
 * fields that decide who may approve from the BASE commit: the policy, and each CI's owner when the
 * CI exists in the base CMDB (a PR cannot appoint its own approver by editing the CMDB).
 */
import type { Level } from '../records/level.js';
import type { ChangeType, EffectivePolicy } from '../records/policy.js';

/** The part of the base policy the gate reads: boards, approval rules and gate settings. */
export type GatePolicy = Pick<EffectivePolicy, 'boards' | 'approvals' | 'gate'>;

/** A configuration item as the gate needs it: who owns it, how critical it is, where it runs. */
export interface CiFacts {
  id: string;
  /**
   * The owner principal, `@org/team` or `@login`: the base CMDB's owner when the CI exists there,
   * the head's only for a CI the PR adds (and such a PR edits the CMDB, so the CAB approves it).
   */
  owner: string;
  /** 1 = business critical ... 4 = low. Anything else counts as most critical (fail closed). */
  criticality: number;
  /**
   * The environments the CI runs in: in a pull request, every one its base and head versions name
   * (the union CMDB), so moving a CI out of production does not take it out of a production rule.
   * A CI with none matches no `when.environments`.
   */
  environments: readonly string[];
}

/** One version of a change record (the head's, or the base's when the PR edits a change). */
export interface ChangeVersionFacts {
  /** The change type; absent when the record's type is not one changeops knows (matches every rule's types). */
  type?: ChangeType;
  /** The risk level from the policy's risk matrix; absent = not assessed (matches every rule's risk). */
  risk?: Level;
  /** The requester's GitHub login (without @); the requester never counts as an approver. */
  requester?: string;
  /** The CI ids the change names directly (its `cis`). */
  cis: readonly string[];
  /**
   * Every CI the change impacts, the directly named ones included (impact over the union of the
   * base and head CMDB), with the base's owner. A named CI missing here has no known owner: a
   * ciOwners rule then cannot be evaluated and fails closed.
   */
  impacted: readonly CiFacts[];
  /**
   * For a standard change: it names a template of the base policy and stays within it (the
   * standard-template rule found nothing). Ignored for other types. A standard change outside its
   * template is approved like a normal change.
   */
  withinTemplate: boolean;
}

/** A change the pull request adds or edits. */
export interface ChangeFacts extends ChangeVersionFacts {
  /** The change id, such as CHG-0042. */
  id: string;
  /** The record's file, repository-relative. */
  file: string;
  /**
   * The record as it is in the base commit, when the PR edits an existing change. The rules that
   * apply to either version apply (so a PR cannot lower its own bar by editing type, risk or CIs),
   * and the base's requester never counts either.
   */
  base?: ChangeVersionFacts;
}

/**
 * What the pull request edits of the repository's governance. A PR that edits the policy, the
 * schemas or the CMDB is itself a change that needs CAB approval.
 */
export interface GovernanceEdits {
  /** The PR adds, edits or deletes changeops.yaml (or changeops.yml). */
  policy: boolean;
  /** The PR adds, edits or deletes a file under schemas/. */
  schemas: boolean;
  /** The PR adds, edits or deletes a file under cmdb/. */
  cmdb: boolean;
  /** The CIs it adds, edits or deletes (base owner where the CI exists in the base). */
  cis: readonly CiFacts[];
}

/** One commit of the pull request, with the GitHub logins of its author and committer. */
export interface CommitFacts {
  sha: string;
  /** null when the author's e-mail belongs to no GitHub account. */
  author: string | null;
  /** null when the committer's e-mail belongs to no GitHub account. */
  committer: string | null;
}

/** The review states GitHub's REST API reports. */
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** A pull request review in GitHub's REST shape (`GET /repos/{o}/{r}/pulls/{n}/reviews`). */
export interface ReviewFacts {
  id: number;
  /** null for a deleted account ("ghost"). */
  user: { login: string; type?: string } | null;
  /** One of `ReviewState`; anything else makes the review list inconsistent (fails closed). */
  state: string;
  /** The commit the reviewer saw. */
  commit_id: string | null;
  /** ISO 8601; absent only on PENDING reviews. */
  submitted_at?: string | null;
}

/** Content digests of one commit: part -> hash, such as `CHG-0042`, `cmdb`, `code of payments-api`. */
export type ContentDigest = Readonly<Record<string, string>>;

/** The pull request under evaluation. */
export interface PullRequestFacts {
  number: number;
  /** The PR author's login. */
  author: string;
  /** The head commit: only approvals of it count (unless keepApprovalsOnUnrelatedPushes). */
  headSha: string;
  /** Every commit of the PR (all pages). */
  commits: readonly CommitFacts[];
  /** True when GitHub listed fewer commits than the PR has (it lists at most 250): fails closed. */
  commitsTruncated?: boolean;
  /** Every review of the PR (all pages), in any order. */
  reviews: readonly ReviewFacts[];
  /**
   * With `gate.keepApprovalsOnUnrelatedPushes`: per commit sha, the digest of the content an
   * approval binds to (change records, the CMDB, the code under impacted CIs' paths), for the head
   * and every reviewed commit. A reviewed commit without a digest counts as changed.
   */
  digests?: Readonly<Record<string, ContentDigest>>;
}

/** The members of one team as read at evaluation time, or why they could not be read. */
export type TeamMembership =
  { active: readonly string[]; pending: readonly string[] } | { error: string };

/**
 * A change the pull request adds or edits that the gate does not ask approval for now, and why:
 * `draft`, added or edited as a draft (the gate stays pending until it is proposed); `recorded`,
 * only its status moved, and out of proposed or approved (an outcome recorded, a change withdrawn
 * or sent back to draft): the move itself is the check's status-transition rule's to judge;
 * `unchanged`, its file changed but not its data (comments, layout).
 */
export interface UnaskedChange {
  id: string;
  why: 'draft' | 'recorded' | 'unchanged';
  /** Its status at the head. */
  status: string;
  /** Its status at the base, when the base has it. */
  baseStatus?: string;
}

/**
 * What decides the gate besides the approvals: the check of the same pull request and the reads
 * the use case made. The gate never passes what the check fails, nor what it could not read.
 */
export interface GateConditions {
  /** Why the base's policy cannot be used (nothing can be evaluated: fails closed). */
  policyUnusable?: string;
  /** The check's error-level findings: how many, and the rules that found them. */
  checkErrors?: { count: number; rules: readonly string[] };
  /** What could not be read from GitHub (reviews, commits), each a sentence: fails closed. */
  unreadable?: readonly string[];
  /** `changeops/cab` statuses on the commit that another identity created: ignored, and named. */
  foreignStatuses?: readonly { creator: string; state: string }[];
}

/** Everything the gate decides on. */
export interface ApprovalFacts {
  /** The BASE commit's policy, never the head's. */
  policy: GatePolicy;
  /** The changes the PR adds or edits. */
  changes: readonly ChangeFacts[];
  /** What the PR edits of the policy, the schemas and the CMDB. */
  governance: GovernanceEdits;
  pullRequest: PullRequestFacts;
  /**
   * By team principal (`@org/team`, any case): its members, or why they could not be read. A team
   * a requirement needs that is missing here fails closed. `teamsToRead` says which to read.
   */
  teams: Readonly<Record<string, TeamMembership>>;
  /** The gate runs with a GitHub App identity; without one it is advisory (its status can be forged). */
  appIdentity: boolean;
  /** The changes of the PR not asked approval for, and why (not in `changes`). */
  unasked?: readonly UnaskedChange[];
  /** The check's verdict and the reads that failed. */
  conditions?: GateConditions;
}

/** No governance edits: what a PR that touches only change records and code has. */
export const noGovernanceEdits: GovernanceEdits = Object.freeze({
  policy: false,
  schemas: false,
  cmdb: false,
  cis: Object.freeze([]) as readonly CiFacts[],
});
