/**
 * The approval gate's decision: the requirements of the base policy (requirements.ts), the
 * reviews that can count (reviews.ts) and the team members read at evaluation time, into one
 * result tree (result.ts) whose root sentence is the commit status description.
 *
 * Linear in the input: every decision is filed once under each principal it belongs to (the user
 * `@login` and each active team), and a requirement looks only at the lists of its own principals,
 * taking as many entries as it can show; no requirement scans the reviews.
 */
import { gateDescription } from './description.js';
import type { ApprovalFacts, TeamMembership, UnaskedChange } from './facts.js';
import { loginKey, type Principal } from './principal.js';
import {
  governanceSubject,
  requiredApprovals,
  type Requirement,
  type SubjectNote,
} from './requirements.js';
import {
  allOf,
  commitStateOf,
  outcomeOf,
  type Approver,
  type Blocker,
  type ChangeNode,
  type GateResult,
  type HoldNode,
  type IgnoredApproval,
  type IgnoredNode,
  type NodeStatus,
  type NoteNode,
  type ProblemNode,
  type RequirementNode,
  type ResultChild,
  type RuleNode,
} from './result.js';
import { readReviews, type Decision } from './reviews.js';
import { joinAnd, listUpTo } from './wording.js';

/** How many blockers and ignored approvals a requirement lists; the root's ignored list. */
const shownBlockers = 5;
const shownIgnored = 10;
const shownRootIgnored = 20;

/** The fix a team whose members cannot be read needs, named in every such error. */
export const membershipFix = 'give the gate a GitHub App identity, or a token with members:read';

interface Team {
  active: Set<string>;
  pending: Set<string>;
}

/** The approval gate's verdict on a pull request: one result tree, its root the commit status. */
export function evaluateApprovals(facts: ApprovalFacts): GateResult {
  const required = requiredApprovals(facts);
  const reading = readReviews(
    facts.pullRequest,
    facts.changes,
    facts.policy.gate.keepApprovalsOnUnrelatedPushes,
  );
  const teams = readTeams(facts.teams);

  // The principals any requirement can be satisfied by, and the memberships that matter.
  const wanted = new Set<string>();
  const referencedTeams = new Set<string>();
  for (const requirement of required.requirements) {
    if (requirement.error !== undefined) continue;
    for (const principal of requirement.principals) {
      wanted.add(principal.key);
      if (principal.team) referencedTeams.add(principal.key);
    }
  }
  const activeTeams = new Map<string, string[]>();
  const pendingTeams = new Map<string, string[]>();
  for (const key of referencedTeams) {
    const team = teams.get(key);
    if (!team || 'error' in team) continue;
    for (const login of team.active) push(activeTeams, login, key);
    for (const login of team.pending) if (!team.active.has(login)) push(pendingTeams, login, key);
  }
  const principalsOf = (login: string) => [login, ...(activeTeams.get(login) ?? [])];
  // An approval by no known approver may still be by a member of a team that could not be read.
  const unread = [...referencedTeams].find((key) => {
    const team = teams.get(key);
    return !team || 'error' in team;
  });
  const noApprover =
    unread === undefined
      ? 'not an approver of any requirement'
      : `not known to be an approver (the members of ${unread} could not be read)`;

  // Every decision filed once under each wanted principal it belongs to, in review order.
  const approving = new Map<string, Decision[]>();
  const blocking = new Map<string, Decision[]>();
  const ignoredIn = new Map<string, Decision[]>();
  const invited = new Map<string, Decision[]>();
  const rootIgnored: IgnoredApproval[] = reading.ghosts.map((ghost) => ({
    login: 'ghost',
    reason: 'a deleted account never counts',
    reviewId: ghost.reviewId,
  }));
  for (const decision of reading.decisions) {
    if (decision.state === 'DISMISSED') continue;
    if (decision.notAPerson !== undefined) {
      if (decision.state === 'APPROVED')
        rootIgnored.push(ignoredEntry(decision, decision.notAPerson));
      continue;
    }
    const inSet = principalsOf(decision.key).filter((p) => wanted.has(p));
    if (decision.state === 'CHANGES_REQUESTED') {
      for (const principal of inSet) push(blocking, principal, decision);
      continue;
    }
    if (decision.ignoredBecause !== undefined) {
      if (inSet.length === 0) rootIgnored.push(ignoredEntry(decision, decision.ignoredBecause));
      for (const principal of inSet) push(ignoredIn, principal, decision);
      continue;
    }
    for (const principal of inSet) push(approving, principal, decision);
    const invitations = pendingTeams.get(decision.key) ?? [];
    for (const team of invitations) push(invited, team, decision);
    if (inSet.length === 0 && invitations.length === 0)
      rootIgnored.push(ignoredEntry(decision, noApprover));
  }

  const requirementNodes = required.requirements.map((requirement): RequirementNode => {
    const node = baseNode(requirement);
    const unreadable = membershipError(requirement.principals, teams);
    if (requirement.error !== undefined || unreadable !== undefined) {
      const error = requirement.error ?? unreadable!;
      return {
        ...node,
        status: 'error',
        error,
        sentence: `cannot be evaluated: ${error}${forWhom(requirement)}`,
      };
    }
    const approvedBy = firstOf(requirement.principals, approving, requirement.count).map(
      (d): Approver => ({
        login: d.login,
        reviewId: d.reviewId,
        commit: d.commitId ?? '',
        kept: d.kept === true,
      }),
    );
    const blockedBy = firstOf(requirement.principals, blocking, shownBlockers).map(
      (d): Blocker => ({ login: d.login, reviewId: d.reviewId }),
    );
    const ignored = firstOf(requirement.principals, ignoredIn, shownIgnored).map((d) =>
      ignoredEntry(d, d.ignoredBecause!),
    );
    if (ignored.length < shownIgnored) {
      const own = new Set(requirement.principals.map((p) => p.key));
      const isApprover = (d: Decision) => principalsOf(d.key).some((p) => own.has(p));
      for (const team of requirement.principals.filter((p) => p.team)) {
        for (const d of invited.get(team.key) ?? []) {
          if (ignored.length >= shownIgnored) break;
          if (isApprover(d) || ignored.some((i) => i.reviewId === d.reviewId)) continue;
          ignored.push(
            ignoredEntry(d, `not an active member of ${team.text} (invitation pending)`),
          );
        }
      }
    }
    const missing = Math.max(0, requirement.count - approvedBy.length);
    const status: NodeStatus =
      blockedBy.length > 0 ? 'disapproved' : missing === 0 ? 'approved' : 'pending';
    const filled = { ...node, status, approvedBy, missing, blockedBy, ignored };
    return { ...filled, sentence: requirementSentence(filled, requirement) };
  });

  const problemNodes = reading.problems.map((sentence): ProblemNode => ({
    kind: 'problem',
    status: 'error',
    name: 'reviews',
    sentence,
    children: [],
  }));

  const statusesOf = new Map<string, NodeStatus[]>();
  for (const node of requirementNodes) {
    for (const change of node.changes) push(statusesOf, change, node.status);
    if (node.governance) push(statusesOf, governanceSubject, node.status);
  }
  const changeNodes = required.subjects.map((subject) =>
    changeNode(subject, statusesOf.get(subject.governance ? governanceSubject : subject.id) ?? []),
  );
  const ruleNodes = required.skippedRules.map((rule): RuleNode => ({
    kind: 'rule',
    status: 'skipped',
    name: rule.name,
    sentence: rule.sentence,
    children: [],
  }));
  const holdNodes = holdsOf(facts);
  const children: ResultChild[] = [
    ...holdNodes,
    ...problemNodes,
    ...requirementNodes,
    ...changeNodes,
    ...ruleNodes,
  ];
  if (rootIgnored.length > 0) children.push(ignoredNode(rootIgnored));
  children.push(...notesOf(facts));
  if (reading.anonymousCommits > 0 && requirementNodes.length > 0) {
    const n = reading.anonymousCommits;
    children.push({
      kind: 'note',
      status: 'skipped',
      name: 'commits',
      sentence: `${n} commit${n === 1 ? ' has' : 's have'} an author or committer with no GitHub account: whoever made ${n === 1 ? 'it' : 'them'} cannot be told apart from the approvers, so check who wrote ${n === 1 ? 'it' : 'them'}`,
      children: [],
    });
  }

  const status = allOf([
    ...holdNodes.map((h) => h.status),
    ...problemNodes.map((p) => p.status),
    ...requirementNodes.map((r) => r.status),
  ]);
  const advisory = !facts.appIdentity;
  const sentence = gateDescription({
    status,
    requirements: requirementNodes,
    problems: problemNodes,
    holds: holdNodes,
    nothingNeeded: nothingNeeded(required.subjects, facts.unasked ?? []),
    advisory,
  });
  return {
    kind: 'gate',
    name: 'changeops/cab',
    status,
    sentence,
    headSha: facts.pullRequest.headSha,
    advisory,
    commitState: commitStateOf(status),
    outcome: outcomeOf(status),
    children,
  };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function readTeams(raw: ApprovalFacts['teams']): Map<string, Team | { error: string }> {
  const teams = new Map<string, Team | { error: string }>();
  for (const [name, membership] of Object.entries(raw)) {
    const key = loginKey(name);
    teams.set(key, normalise(membership));
  }
  return teams;
}

function normalise(membership: TeamMembership): Team | { error: string } {
  if (!membership || typeof membership !== 'object') return { error: 'no membership was read' };
  if ('error' in membership) return { error: String(membership.error) };
  if (!Array.isArray(membership.active) || !Array.isArray(membership.pending))
    return { error: 'the membership read has no active and pending lists' };
  return {
    active: new Set(membership.active.map((login) => loginKey(String(login)))),
    pending: new Set(membership.pending.map((login) => loginKey(String(login)))),
  };
}

function membershipError(
  principals: readonly Principal[],
  teams: Map<string, Team | { error: string }>,
): string | undefined {
  for (const principal of principals) {
    if (!principal.team) continue;
    const team = teams.get(principal.key);
    if (!team) return `the members of ${principal.text} were not read; ${membershipFix}`;
    if ('error' in team)
      return `cannot read the members of ${principal.text}: ${membershipFix} (${team.error.slice(0, 200)})`;
  }
  return undefined;
}

/** The first `limit` decisions, in review order, filed under any of the principals, each once. */
function firstOf(
  principals: readonly Principal[],
  index: Map<string, Decision[]>,
  limit: number,
): Decision[] {
  // Each list is in review order, so the overall first `limit` are among each list's first `limit`.
  const picked = new Map<string, Decision>();
  for (const principal of principals) {
    const list = index.get(principal.key);
    if (!list) continue;
    for (let i = 0; i < list.length && i < limit; i++) picked.set(list[i]!.key, list[i]!);
  }
  return [...picked.values()].sort((a, b) => a.order - b.order).slice(0, limit);
}

function ignoredEntry(decision: Decision, reason: string): IgnoredApproval {
  return { login: decision.login, reason, reviewId: decision.reviewId };
}

function baseNode(requirement: Requirement): RequirementNode {
  return {
    kind: 'requirement',
    status: 'pending',
    name: requirement.rule,
    sentence: '',
    rule: requirement.rule,
    source: requirement.source,
    label: requirement.label,
    from: requirement.principals.map((p) => p.text),
    cis: requirement.cis,
    changes: requirement.changes,
    governance: requirement.governance,
    count: requirement.count,
    approvedBy: [],
    missing: requirement.count,
    blockedBy: [],
    ignored: [],
    children: [],
  };
}

function approvals(n: number): string {
  return `${n} approval${n === 1 ? '' : 's'}`;
}

function fromPhrase(requirement: Requirement): string {
  return requirement.source === 'ciOwners' ? `the ${requirement.label}` : requirement.label;
}

function whoMay(requirement: Requirement): string {
  return listUpTo(
    requirement.principals.map((p) => p.text),
    4,
    ' or ',
  );
}

function forWhom(requirement: Requirement): string {
  const who = [...requirement.changes];
  if (requirement.governance) who.push('the governance edit');
  return who.length === 0 ? '' : ` (for ${listUpTo(who, 3)})`;
}

function requirementSentence(node: RequirementNode, requirement: Requirement): string {
  const done = node.approvedBy.length;
  const names = node.approvedBy
    .map((a) => (a.kept ? `${a.login} (on ${a.commit.slice(0, 7)}, unchanged since)` : a.login))
    .join(', ');
  const progress = `${done} of ${approvals(node.count)} from ${fromPhrase(requirement)}${done > 0 ? `: ${names}` : ''}`;
  const who = forWhom(requirement);
  if (node.status === 'disapproved') {
    const blockers = node.blockedBy.map((b) => b.login).join(', ');
    return `blocked: ${blockers} requested changes; ${progress}${who}`;
  }
  if (node.status === 'approved') return `${progress}${who}`;
  return `${progress}; missing ${node.missing} from ${whoMay(requirement)}${who}`;
}

function changeNode(subject: SubjectNote, statuses: readonly NodeStatus[]): ChangeNode {
  return {
    kind: 'change',
    status: subject.preApproved ? 'skipped' : allOf(statuses),
    name: subject.id,
    change: subject.id,
    needs: subject.needs,
    sentence: subject.sentence,
    children: [],
  };
}

function ignoredNode(all: IgnoredApproval[]): IgnoredNode {
  const shown = all.slice(0, shownRootIgnored);
  return {
    kind: 'ignored',
    status: 'skipped',
    name: 'ignored',
    sentence: `not counted: ${shown.map((i) => `${i.login}: ${i.reason}`).join('; ')}${
      all.length > shown.length ? `; and ${all.length - shown.length} more` : ''
    }`,
    ignored: shown,
    more: all.length - shown.length,
    children: [],
  };
}

function nothingNeeded(
  subjects: readonly SubjectNote[],
  unasked: readonly UnaskedChange[],
): string {
  const recorded = unasked.filter((u) => u.why !== 'draft');
  if (subjects.length === 0) {
    if (recorded.length === 1) {
      const only = recorded[0]!;
      return only.why === 'unchanged'
        ? `${only.id} changed only in comments or layout`
        : `${only.id} only moves from ${only.baseStatus ?? 'nothing'} to ${only.status}`;
    }
    if (recorded.length > 1)
      return `${listUpTo(
        recorded.map((u) => u.id),
        3,
      )} only record their status`;
    return 'this pull request adds or edits no change record';
  }
  if (subjects.length === 1) return `${subjects[0]!.id} is a standard change within its template`;
  return `${subjects.length} standard changes within their templates`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What holds the gate besides approvals: an unusable base policy, failed reads, the check, drafts. */
function holdsOf(facts: ApprovalFacts): HoldNode[] {
  const holds: HoldNode[] = [];
  const hold = (status: HoldNode['status'], name: string, sentence: string, short = sentence) =>
    holds.push({ kind: 'hold', status, name, sentence, short, children: [] });
  const conditions = facts.conditions ?? {};
  if (conditions.policyUnusable !== undefined)
    hold(
      'error',
      'policy',
      `the base's policy cannot be used, so nothing can be approved: ${conditions.policyUnusable}; fix changeops.yaml on the base branch`,
    );
  for (const sentence of conditions.unreadable ?? []) hold('error', 'github', sentence);
  const errors = conditions.checkErrors;
  if (errors && errors.count > 0) {
    const found = plural(errors.count, 'error-level finding');
    const rules = errors.rules.length > 0 ? ` (${listUpTo([...errors.rules], 4)})` : '';
    hold(
      'disapproved',
      'check',
      `the check found ${found}${rules}: the gate passes only what the check passes, so fix them first (see the report)`,
      `${found} in the check`,
    );
  }
  const drafts = (facts.unasked ?? []).filter((u) => u.why === 'draft').map((u) => u.id);
  if (drafts.length > 0) {
    const which =
      drafts.length === 1 ? `${drafts[0]} is a draft` : `${listUpTo(drafts, 3)} are drafts`;
    hold('pending', 'draft', `${which}: set status: proposed to ask for approval`, which);
  }
  return holds;
}

/** Notes that change no status: changes that only record their status, statuses not ours. */
function notesOf(facts: ApprovalFacts): NoteNode[] {
  const notes: NoteNode[] = [];
  const note = (name: string, sentence: string) =>
    notes.push({ kind: 'note', status: 'skipped', name, sentence, children: [] });
  for (const unasked of facts.unasked ?? []) {
    if (unasked.why === 'recorded')
      note(
        unasked.id,
        `${unasked.id} only moves from ${unasked.baseStatus ?? 'nothing'} to ${unasked.status}: recording that needs no approval (the check's status-transition rule judges the move)`,
      );
    else if (unasked.why === 'unchanged')
      note(
        unasked.id,
        `${unasked.id}: its file changed but not its data (comments or layout), so it needs no approval`,
      );
  }
  const foreign = facts.conditions?.foreignStatuses ?? [];
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).map((s) => `${s.creator} (${s.state})`);
    const more = foreign.length > 5 ? ` and ${foreign.length - 5} more` : '';
    note(
      'statuses',
      `not ours: ${plural(foreign.length, 'changeops/cab status', 'changeops/cab statuses')} on this commit by ${joinAnd(shown)}${more} ${foreign.length === 1 ? 'is' : 'are'} not the gate's and ignored; require changeops/cab from the gate's App in branch protection`,
    );
  }
  return notes;
}
