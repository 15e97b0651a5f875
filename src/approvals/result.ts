/**
 * The approval gate's one result tree. The sticky comment's checklist, the commit status (its
 * state and its description, the root's sentence) and `--json` are all rendered from it.
 *
 * Every node has a status, a name, a sentence a user reads, and children. The statuses of an
 * approval are ordered skipped < pending < approved < disapproved (as in palantir/policy-bot), and
 * `error` says "cannot evaluate": it dominates everything when nodes combine, so it never turns
 * into success.
 */

/** How a node fares: skipped < pending < approved < disapproved, and error (cannot evaluate). */
export type NodeStatus = 'skipped' | 'pending' | 'approved' | 'disapproved' | 'error';

/** The commit status state GitHub shows for `changeops/cab`. */
export type CommitState = 'success' | 'pending' | 'failure' | 'error';

/** The gate's `approval` action output. */
export type ApprovalOutcome = 'approved' | 'pending' | 'blocked' | 'error';

/** An approval that counts toward a requirement. */
export interface Approver {
  login: string;
  reviewId: number;
  /** The commit the approval was given on (the head, or an older one whose content is unchanged). */
  commit: string;
  /** True when the approval is of an older commit, kept because the content it approved is unchanged. */
  kept: boolean;
}

/** An approval (or a review) that does not count, and why: "alice: the PR author". */
export interface IgnoredApproval {
  /** The reviewer's login; `ghost` for a deleted account. */
  login: string;
  /** Why it does not count, such as "the PR author" or "approved an older commit 1a2b3c4". */
  reason: string;
  reviewId: number;
}

/** A CHANGES_REQUESTED review from someone who could satisfy the requirement. */
export interface Blocker {
  login: string;
  reviewId: number;
}

interface NodeBase {
  status: NodeStatus;
  /** A short name: the rule's, the change's id, `governance`, `ignored`. */
  name: string;
  /** What a user reads about this node. Contains untrusted text: renderers escape it. */
  sentence: string;
}

/** Where a requirement comes from: a rule's board, its principals, its CI owners, or the fail-closed fallback. */
export type RequirementSource = 'board' | 'principals' | 'ciOwners' | 'fallback';

/** One required approval: a rule and an approver set, for every change that needs it. */
export interface RequirementNode extends NodeBase {
  kind: 'requirement';
  /** The approval rule's name; `fallback` when no rule of the policy asked anyone (fail closed). */
  rule: string;
  source: RequirementSource;
  /** What the status description calls it: `cab`, `owner of pg-payments`, `@acme/security`. */
  label: string;
  /** The principals who may approve (`@org/team`, `@login`). */
  from: readonly string[];
  /** With source ciOwners: the CIs this owner owns among those concerned. */
  cis: readonly string[];
  /** The change ids that need it. */
  changes: readonly string[];
  /** The PR's governance edit (policy, schemas, CMDB) needs it. */
  governance: boolean;
  /** How many distinct approvals are needed (the largest count any change needs). */
  count: number;
  /** The approvals that satisfy it, in the order they were given (at most `count`). */
  approvedBy: readonly Approver[];
  /** How many approvals are still missing. */
  missing: number;
  /** CHANGES_REQUESTED reviews from its approvers (at most five are listed). */
  blockedBy: readonly Blocker[];
  /** Approvals by people of its approver set that do not count (at most ten are listed). */
  ignored: readonly IgnoredApproval[];
  /** Why it cannot be evaluated, when its status is error. */
  error?: string;
  children: readonly [];
}

/** How one change (or the governance edit) came to its requirements. */
export interface ChangeNode extends NodeBase {
  kind: 'change';
  /** The change id; `governance` for the PR's edit of the policy, schemas or CMDB. */
  change: string;
  /** The names of the rules it needs (empty when pre-approved). */
  needs: readonly string[];
  children: readonly [];
}

/** An approval rule of the policy that applies to nothing in this PR: shown, greyed. */
export interface RuleNode extends NodeBase {
  kind: 'rule';
  status: 'skipped';
  children: readonly [];
}

/** The approvals that count toward no requirement, and why. */
export interface IgnoredNode extends NodeBase {
  kind: 'ignored';
  status: 'skipped';
  /** At most 20 are listed; `more` says how many were left out. */
  ignored: readonly IgnoredApproval[];
  more: number;
  children: readonly [];
}

/** A reason the whole evaluation cannot be trusted (an inconsistent review list, missing commits). */
export interface ProblemNode extends NodeBase {
  kind: 'problem';
  status: 'error';
  children: readonly [];
}

/**
 * Something other than an approval that holds the gate: a draft change (pending), the check's
 * error-level findings (disapproved), an unusable base policy or a failed read (error).
 */
export interface HoldNode extends NodeBase {
  kind: 'hold';
  status: 'pending' | 'disapproved' | 'error';
  /** What the status description says of it: "CHG-0042 is a draft", "2 error-level findings". */
  short: string;
  children: readonly [];
}

/** Something a reviewer should know that changes no status. */
export interface NoteNode extends NodeBase {
  kind: 'note';
  status: 'skipped';
  children: readonly [];
}

/** A child of the gate's root. */
export type ResultChild =
  RequirementNode | ChangeNode | RuleNode | IgnoredNode | ProblemNode | HoldNode | NoteNode;

/** The root: the gate's verdict on the PR's head commit. */
export interface GateResult extends NodeBase {
  kind: 'gate';
  name: 'changeops/cab';
  /** The commit status description: at most 140 characters, always. */
  sentence: string;
  /** The commit the status belongs on. */
  headSha: string;
  /** No App identity: the status can be forged, so it only advises. */
  advisory: boolean;
  commitState: CommitState;
  outcome: ApprovalOutcome;
  /** Holds and problems first, then requirements, changes, skipped rules, ignored approvals and notes. */
  children: readonly ResultChild[];
}

const rank: Record<NodeStatus, number> = {
  skipped: 0,
  approved: 1,
  pending: 2,
  disapproved: 3,
  error: 4,
};

/**
 * The status of nodes that must all hold (every requirement must be met): an error anywhere is an
 * error, then any disapproval blocks, then anything pending is pending; approved when at least one
 * node is approved and the rest are skipped; skipped when all are.
 */
export function allOf(statuses: Iterable<NodeStatus>): NodeStatus {
  let worst: NodeStatus = 'skipped';
  for (const status of statuses) if (rank[status] > rank[worst]) worst = status;
  return worst;
}

/** The commit status state of a root status: skipped (nothing to approve) and approved are success. */
export function commitStateOf(status: NodeStatus): CommitState {
  switch (status) {
    case 'skipped':
    case 'approved':
      return 'success';
    case 'pending':
      return 'pending';
    case 'disapproved':
      return 'failure';
    case 'error':
      return 'error';
  }
}

/** The action output of a root status. */
export function outcomeOf(status: NodeStatus): ApprovalOutcome {
  switch (status) {
    case 'skipped':
    case 'approved':
      return 'approved';
    case 'pending':
      return 'pending';
    case 'disapproved':
      return 'blocked';
    case 'error':
      return 'error';
  }
}
