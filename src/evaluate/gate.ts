import { evaluateApprovals } from '../approvals/evaluate.js';
import type {
  ChangeFacts,
  ChangeVersionFacts,
  CiFacts,
  GateConditions,
  GatePolicy,
  GovernanceEdits,
  PullRequestFacts,
  TeamMembership,
  UnaskedChange,
} from '../approvals/facts.js';
import { teamsToRead } from '../approvals/requirements.js';
import type { GateResult } from '../approvals/result.js';
import type { ChangeImpact } from '../impact/change-impact.js';
import { namedCis } from '../impact/change-impact.js';
import type { UnionCi } from '../impact/cmdb-union.js';
import type { LoadedRecord } from '../records/estate.js';
import {
  cmdbFolder,
  isGovernancePath,
  isPolicyPath,
  isSchemaPath,
  policyFiles,
  schemaFolder,
  editorSchemaFolder,
} from '../records/layout.js';
import { changedFields, sameData } from '../records/same-data.js';
import type { Change } from '../records/types.generated.js';
import { renderedChecklist } from '../render/approvals.js';
import { retrospectiveIssue, type RetrospectiveIssue } from '../render/retrospective.js';
import { rules as registeredRules } from '../rules/registry.js';
import { riskLevel } from '../rules/risk.js';
import type { Rule, RuleContext } from '../rules/rule.js';
import { standardTemplateRule } from '../rules/standard-template.js';
import { changeType, isPending } from '../rules/status.js';
import { evaluateCheck, type CheckOutcome } from './check.js';
import { checkOutputs } from './outputs.js';
import type { CheckDecision } from './decide.js';
import type { CheckFacts } from './facts.js';
import { judgedBy, type Judgement } from './judged-by.js';
import { releasesReadiness } from './release.js';
import type { ReleaseReadiness } from '../report/readiness.js';
import { renderCheckReport, type ReportMeta } from './report.js';

/**
 * A part of what an approval binds to, with `gate.keepApprovalsOnUnrelatedPushes`: a change
 * record (`CHG-0042`), the policy, the CMDB or the schemas, or the code under a CI's paths
 * (`code of payments-api`). The git edge hashes each at a commit.
 */
export type DigestPart =
  | { part: string; kind: 'files'; paths: readonly string[] }
  | { part: string; kind: 'folder'; prefix: string }
  | { part: string; kind: 'code'; globs: readonly string[] };

/**
 * The approval gate's first step, pure: the check of the pull request evaluated once, the
 * changes the gate asks approval for (with their base versions, impact on the union CMDB and the
 * base's CI owners), the governance edit, and the teams whose members the evaluation needs.
 */
export interface GatePlan {
  outcome: CheckOutcome;
  /** The policy in force (the base commit's): approval rules, boards and gate settings. */
  policy: GatePolicy;
  /** The changes the gate asks approval for. */
  changes: ChangeFacts[];
  /** The changes of the PR it does not ask approval for, and why. */
  unasked: UnaskedChange[];
  governance: GovernanceEdits;
  /** The team principals whose active members must be read (`@org/team`, lowercase). */
  teams: string[];
  /** The records of the asked changes, for the retrospective of an emergency change. */
  records: ReadonlyMap<string, Change>;
  conditions: Pick<GateConditions, 'policyUnusable' | 'checkErrors'>;
  /** Each evaluated release's readiness, when the base branch's history was read (as check does). */
  readiness?: ReadonlyMap<string, ReleaseReadiness>;
  /**
   * With `gate.keepApprovalsOnUnrelatedPushes`: what an approval binds to, to hash at the head and
   * at each approved older commit. An approval survives a push only when every part is unchanged.
   */
  digestParts?: DigestPart[];
}

/**
 * Plans the gate of a pull request: evaluates the check (the judgement worked out once, as the
 * check itself does) and picks the changes to ask approval for. Which ones: every change the PR
 * adds or edits whose data changed, and whose head status is proposed or approved, or whose
 * edit goes beyond its status (a record that moves to implemented and changes its cis is an
 * edit). A draft holds the gate (pending: "set status: proposed to ask for approval"); a change
 * whose only edit is its status moving out of proposed or approved (an outcome recorded, a change
 * withdrawn or sent back to draft) needs none, the status-transition rule judging the move; a
 * change whose file changed but not its data needs none.
 */
export function planGate(facts: CheckFacts, options: { rules?: readonly Rule[] } = {}): GatePlan {
  const rules = options.rules ?? registeredRules;
  const judged = judgedBy(facts, rules);
  const outcome = evaluateCheck(facts, { rules, judged });
  const readiness = facts.branchHistory
    ? releasesReadiness(
        { ...judged, sources: facts.workspace.sources },
        facts.branchHistory,
        outcome.releases,
        facts.now,
      )
    : undefined;
  const policy = judged.estate.policy;
  const owners = ownerLookup(judged);
  const within = templateJudge(facts, judged);
  const changes: ChangeFacts[] = [];
  const unasked: UnaskedChange[] = [];
  const records = new Map<string, Change>();
  for (const summary of outcome.changes) {
    const record = judged.estate.changes.get(summary.id);
    if (!record) continue;
    const head = record.data;
    const base = judged.history?.changes.get(summary.id);
    const baseStatus = base ? { baseStatus: String(base.status) } : {};
    const onlyStatus =
      base !== undefined &&
      changedFields(
        base as unknown as Record<string, unknown>,
        head as unknown as Record<string, unknown>,
      ).every((field) => field === 'status');
    if (base && sameData(base, head)) {
      unasked.push({
        id: summary.id,
        why: 'unchanged',
        status: String(head.status),
        ...baseStatus,
      });
      continue;
    }
    if (!isPending(head) && onlyStatus && isPending(base!)) {
      unasked.push({ id: summary.id, why: 'recorded', status: String(head.status), ...baseStatus });
      continue;
    }
    if (head.status === 'draft') {
      unasked.push({ id: summary.id, why: 'draft', status: 'draft', ...baseStatus });
      continue;
    }
    if (!isPending(head) && onlyStatus) {
      unasked.push({ id: summary.id, why: 'recorded', status: String(head.status), ...baseStatus });
      continue;
    }
    const version = (data: Change, impact: ChangeImpact): ChangeVersionFacts => ({
      ...(changeType(data) ? { type: changeType(data)! } : {}),
      ...(riskLevel(policy, data.risk) ? { risk: riskLevel(policy, data.risk)! } : {}),
      ...(typeof data.requester === 'string' ? { requester: data.requester } : {}),
      cis: namedCis(data),
      impacted: owners(impact.ids),
      withinTemplate: within(record, data),
    });
    const facts: ChangeFacts = {
      id: summary.id,
      file: summary.file,
      ...version(head, summary.impact),
      ...(base ? { base: version(base, judged.changeImpact(base)) } : {}),
    };
    changes.push(facts);
    records.set(summary.id, head);
  }
  const governance = governanceOf(facts, judged, owners);
  const conditions: GatePlan['conditions'] = {};
  if (!outcome.policyUsable)
    conditions.policyUnusable =
      judged.findings[0]?.message ?? 'the policy in force does not validate (see the report)';
  if (outcome.counts.errors > 0) {
    const found = new Set<string>();
    for (const finding of outcome.findings)
      if (finding.severity === 'error' && found.size < 4) found.add(finding.rule);
    conditions.checkErrors = { count: outcome.counts.errors, rules: [...found] };
  }
  const gatePolicy: GatePolicy = {
    boards: policy.boards,
    approvals: policy.approvals,
    gate: policy.gate,
  };
  return {
    outcome,
    policy: gatePolicy,
    changes,
    unasked,
    governance,
    teams: teamsToRead({ policy: gatePolicy, changes, governance }),
    records,
    conditions,
    ...(readiness ? { readiness } : {}),
    ...(policy.gate.keepApprovalsOnUnrelatedPushes
      ? { digestParts: digestParts(changes, judged) }
      : {}),
  };
}

/**
 * The parts an approval binds to: each change asked (its record file), the policy, the CMDB, the
 * schemas, and the code under the paths of every CI the changes impact, in either version of the
 * CI (more paths can only invalidate more approvals: fail closed).
 */
function digestParts(changes: readonly ChangeFacts[], judged: Judgement): DigestPart[] {
  const parts: DigestPart[] = changes.map((change) => ({
    part: change.id,
    kind: 'files',
    paths: [change.file],
  }));
  parts.push({ part: 'changeops.yaml', kind: 'files', paths: [...policyFiles] });
  parts.push({ part: 'cmdb', kind: 'folder', prefix: `${cmdbFolder}/` });
  parts.push({ part: 'schemas', kind: 'folder', prefix: `${schemaFolder}/` });
  parts.push({ part: editorSchemaFolder, kind: 'folder', prefix: `${editorSchemaFolder}/` });
  const impacted = new Set<string>();
  for (const change of changes)
    for (const version of [change, ...(change.base ? [change.base] : [])])
      for (const ci of version.impacted) impacted.add(ci.id);
  const globs = new Map<string, Set<string>>();
  for (const version of judged.cmdb.versions()) {
    if (!impacted.has(version.ci)) continue;
    const paths = Array.isArray(version.record.data.paths) ? version.record.data.paths : [];
    for (const raw of paths) {
      if (typeof raw !== 'string' || raw.startsWith('!') || raw.trim() === '') continue;
      let set = globs.get(version.ci);
      if (!set) globs.set(version.ci, (set = new Set()));
      set.add(raw.trim().replace(/^\.?\//, ''));
    }
  }
  for (const [ci, set] of [...globs].sort(([a], [b]) => (a < b ? -1 : 1)))
    parts.push({ part: `code of ${ci}`, kind: 'code', globs: [...set] });
  return parts;
}

/** What the gate's second step reads besides the plan: the pull request and the teams, from GitHub. */
export interface GateInput {
  pullRequest: PullRequestFacts;
  teams: Readonly<Record<string, TeamMembership>>;
  appIdentity: boolean;
  /** What could not be read from GitHub, each a sentence. */
  unreadable?: readonly string[];
  /** `changeops/cab` statuses on the commit that another identity created. */
  foreignStatuses?: GateConditions['foreignStatuses'];
}

/** Everything the gate decides: the check's decision, the approval result, the retrospectives. */
export interface GateDecision extends CheckDecision {
  approvals: GateResult;
  /**
   * One retrospective-review issue per emergency change the pull request asks approval for (the
   * policy's `gate.emergencyFollowUp`, on by default); the use case opens them when the PR merges.
   */
  retrospectives: RetrospectiveIssue[];
}

/**
 * The gate's second step, pure: the approval result tree from the plan and what GitHub said,
 * the check's outputs, and for a workflow run the report (job summary and the one sticky comment,
 * with the approval checklist in it), all from the same outcome.
 */
export function decideGate(
  plan: GatePlan,
  input: GateInput,
  options: { report?: ReportMeta; pullRequestUrl?: string; merged?: boolean } = {},
): GateDecision {
  const approvals = evaluateApprovals({
    policy: plan.policy,
    changes: plan.changes,
    governance: plan.governance,
    pullRequest: input.pullRequest,
    teams: input.teams,
    appIdentity: input.appIdentity,
    unasked: plan.unasked,
    conditions: {
      ...plan.conditions,
      ...(input.unreadable?.length ? { unreadable: input.unreadable } : {}),
      ...(input.foreignStatuses?.length ? { foreignStatuses: input.foreignStatuses } : {}),
    },
  });
  const retrospectives = plan.policy.gate.emergencyFollowUp
    ? plan.changes
        .filter((change) => change.type === 'emergency')
        .map((change) =>
          retrospectiveIssue({
            change,
            record: plan.records.get(change.id),
            result: approvals,
            pullRequest: input.pullRequest.number,
            ...(options.pullRequestUrl ? { pullRequestUrl: options.pullRequestUrl } : {}),
          }),
        )
    : [];
  // The gate always publishes its outputs: worked out now.
  const outputs = checkOutputs(plan.outcome);
  return {
    outcome: plan.outcome,
    outputs: () => outputs,
    ...(options.report
      ? {
          report: renderCheckReport(plan.outcome, options.report, plan.readiness, {
            approvals: renderedChecklist(approvals, {
              retrospectives: retrospectives.map((issue) => issue.change),
              merged: options.merged === true,
            }),
            ...(approvals.advisory ? { advisory: { statusContext: approvals.name } } : {}),
          }),
        }
      : {}),
    ...(plan.readiness ? { readiness: plan.readiness } : {}),
    approvals,
    retrospectives,
  };
}

/** CI facts by id from the union CMDB, each built once: the owner is the base's where it has one. */
function ownerLookup(judged: Judgement): (ids: readonly string[]) => CiFacts[] {
  const cache = new Map<string, CiFacts | null>();
  const of = (union: UnionCi): CiFacts => {
    const record = union.base ?? union.head;
    const owner = record?.data.owner;
    return {
      id: union.id,
      owner: typeof owner === 'string' ? owner : '',
      criticality: union.criticality,
      environments: union.environments,
    };
  };
  return (ids) => {
    const cis: CiFacts[] = [];
    for (const id of ids) {
      let ci = cache.get(id);
      if (ci === undefined) {
        const union = judged.cmdb.ci(id);
        ci = union ? of(union) : null;
        cache.set(id, ci);
      }
      // A CI the CMDB does not have has no known owner: the core fails closed on it.
      if (ci) cis.push(ci);
    }
    return cis;
  };
}

/**
 * Whether a version of a standard change stays within its template: it names a template of the
 * policy in force, and the standard-template rule finds nothing wrong with it, whatever severity
 * the policy gives that rule (turning the rule off does not pre-approve anything).
 */
function templateJudge(
  facts: CheckFacts,
  judged: Judgement,
): (record: LoadedRecord<Change>, data: Change) => boolean {
  const templates = new Set(judged.estate.policy.templates.map((template) => template.id));
  return (record, data) => {
    if (changeType(data) !== 'standard') return false;
    if (typeof data.template !== 'string' || !templates.has(data.template)) return false;
    let clean = true;
    const context: RuleContext = {
      estate: judged.estate,
      sources: facts.workspace.sources,
      now: facts.now,
      // The rule judges proposed and approved changes: a draft base version is judged as proposed.
      changes: [{ ...record, data: { ...data, status: 'proposed' } }],
      releases: [],
      cmdb: judged.cmdb,
      changeImpact: judged.changeImpact,
    };
    standardTemplateRule.check(context, () => (clean = false), {});
    return clean;
  };
}

/** What the PR edits of the policy, the schemas and the CMDB, with the base's owners of its CIs. */
function governanceOf(
  facts: CheckFacts,
  judged: Judgement,
  owners: (ids: readonly string[]) => CiFacts[],
): GovernanceEdits {
  const paths = (facts.base?.changedFiles ?? []).flatMap((file) =>
    file.previousPath ? [file.path, file.previousPath] : [file.path],
  );
  return {
    policy: paths.some(isPolicyPath),
    schemas: paths.some(isSchemaPath),
    cmdb: paths.some(
      (path) => isGovernancePath(path) && !isPolicyPath(path) && !isSchemaPath(path),
    ),
    cis: owners(judged.cmdb.edits.map((edit) => edit.id)),
  };
}
