import { impactResolver, type ChangeImpact } from '../impact/change-impact.js';
import { cmdbUnion, type CmdbUnion } from '../impact/cmdb-union.js';
import type { Estate } from '../records/estate.js';
import type { Finding } from '../records/finding.js';
import type { LoadResult } from '../records/load.js';
import type { Change } from '../records/types.generated.js';
import type { ProposedPolicy, Rule, RuleContext } from '../rules/rule.js';
import { baseRecords } from './base-records.js';
import type { BaseFacts, CheckFacts } from './facts.js';
import { policyDifferences } from './policy-diff.js';

/**
 * What a branch is judged by and on, worked out once from the facts: the policy in force, the
 * CMDB, the history. The check and the approval gate both start from it, so neither can be
 * judged by a policy or a CMDB the other would not use.
 */
export interface Judgement {
  /** The records now, under the policy in force (with a base, the base commit's). */
  estate: Estate;
  /** False when the policy in force cannot be used: a configuration error, no rule runs. */
  policyUsable: boolean;
  /** The base policy's own errors when it cannot be used, said to be the base's. */
  findings: Finding[];
  /** The policy the branch proposes, when its policy file differs from the base's. */
  proposedPolicy?: ProposedPolicy;
  /** The changes and releases at the base, and those the branch removed; with a base only. */
  history?: NonNullable<RuleContext['base']>;
  /** The union of the base's and the head's CMDB (the head's alone without a base). */
  cmdb: CmdbUnion;
  /** The impact of a change on `cmdb`, computed once per set of named CIs. */
  changeImpact(change: Change): ChangeImpact;
}

/**
 * The policy, CMDB and history a branch is judged by. Without a base, the working tree's
 * policy and CMDB. With one, the base commit's policy (the branch's own is only proposed), the
 * union of the base's and the branch's CMDB, and the records as they were at the base.
 */
export function judgedBy(facts: CheckFacts, rules: readonly Rule[]): Judgement {
  const { workspace, base } = facts;
  const inForce = base ? basePolicyInForce(workspace, base, rules) : undefined;
  const estate = inForce?.estate ?? workspace.estate;
  const records = base ? baseRecords(estate, base, estate.policy.limits) : undefined;
  // One CMDB for every rule, the summaries and the report: the union of base and head.
  const cmdb = cmdbUnion(estate, records?.cmdb);
  return {
    estate,
    policyUsable: inForce ? inForce.usable : workspace.policyUsable,
    findings: inForce?.findings ?? [],
    ...(inForce?.proposed ? { proposedPolicy: inForce.proposed } : {}),
    ...(records ? { history: records.history } : {}),
    cmdb,
    changeImpact: impactResolver(estate, () => cmdb.graph()),
  };
}

/** The policy in force with a base: the base commit's, and what the branch proposes instead. */
interface BasePolicyInForce {
  /** The records now, under the base's policy. */
  estate: Estate;
  usable: boolean;
  /** The base policy's own errors when it cannot be used, said to be the base's. */
  findings: Finding[];
  /** Set when the branch's policy file differs from the base's. */
  proposed?: ProposedPolicy;
}

/**
 * With a base, its policy is in force: the records now are judged by it, and the branch's own
 * policy, when its file differs, is only proposed (validated, and its differences reported).
 * Positions in the policy point into the branch's file, so the base policy keeps its source only
 * when the two files are the same text; otherwise the base's own problems are its own business.
 */
function basePolicyInForce(
  workspace: LoadResult,
  base: BaseFacts,
  rules: readonly Rule[],
): BasePolicyInForce {
  const head = workspace.estate;
  const policy = base.policy;
  const estate: Estate = { ...head, policy: policy.policy };
  delete estate.policySource;
  const headFile = workspace.policyFile;
  const baseFile = base.policyFile;
  const same =
    headFile?.path === baseFile?.path &&
    headFile?.text === baseFile?.text &&
    (headFile !== undefined || workspace.policyUsable);
  if (same && head.policySource) estate.policySource = head.policySource;
  // The same text was validated as the branch's already: its findings say it.
  const findings =
    policy.usable || same
      ? []
      : policy.findings.map((finding) => ({
          ...finding,
          message: `the base's ${finding.file} (at ${base.sha.slice(0, 12)}): ${finding.message}`,
        }));
  if (same) return { estate, usable: policy.usable, findings };
  const file = headFile?.path ?? baseFile?.path ?? 'changeops.yaml';
  const proposed: ProposedPolicy = {
    record: {
      kind: 'Policy',
      id: head.policy.id,
      source: head.policySource ?? { file, doc: 0 },
    },
    usable: workspace.policyUsable,
    deleted: workspace.policyUsable && headFile === undefined,
    differences: workspace.policyUsable ? policyDifferences(policy.policy, head.policy, rules) : [],
  };
  return { estate, usable: policy.usable, findings, proposed };
}
