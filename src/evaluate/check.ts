import { impactResolver, namedCis, type ChangeImpact } from '../impact/change-impact.js';
import { cmdbUnion } from '../impact/cmdb-union.js';
import type { Estate } from '../records/estate.js';
import {
  countSeverities,
  sortFindings,
  type Finding,
  type SeverityCounts,
} from '../records/finding.js';
import type { Level } from '../records/level.js';
import type { LoadResult } from '../records/load.js';
import type { Change, Release } from '../records/types.generated.js';
import { rules as registeredRules } from '../rules/registry.js';
import { riskLevel } from '../rules/risk.js';
import { evaluate, type ProposedPolicy, type Rule, type RuleContext } from '../rules/rule.js';
import { baseRecords } from './base-records.js';
import type { BaseFacts, BaseRevision, CheckFacts } from './facts.js';
import { policyDifferences } from './policy-diff.js';
import { presentPaths, selectUnderEvaluation, touchedPaths } from './select.js';

/** One evaluated change: what the CLI prints, the report shows and the action outputs. */
export interface ChangeSummary {
  id: string;
  title: string;
  type: Change['type'];
  status: Change['status'];
  file: string;
  /** From the policy's risk matrix; absent when the risk is not assessed. */
  riskLevel?: Level;
  /** The impact computed from the CMDB, once: its level, every impacted CI, the explanations. */
  impact: ChangeImpact;
  requester?: string;
  schedule?: { start: string; end: string };
  /** The CIs the change names. */
  cis: string[];
  findings: Finding[];
}

/** One evaluated release. */
export interface ReleaseSummary {
  id: string;
  title: string;
  version: string;
  status: Release['status'];
  file: string;
  changes: string[];
  findings: Finding[];
}

/** The outcome of a check: plain data for the CLI, the JSON output, the report and the action. */
export interface CheckOutcome {
  /** No error-level finding, and the policy could be used. */
  ok: boolean;
  /**
   * False when the policy in force cannot be used (the working tree's changeops.yaml, or with a
   * base the base commit's): a configuration error, rules not run.
   */
  policyUsable: boolean;
  /**
   * Where the policy in force comes from: the base commit (with a base; the branch's own policy
   * is only proposed) or the working tree (without one, it is all there is).
   */
  policyFrom: 'base' | 'working tree';
  /** Every finding, validation and rules, sorted by file and line. */
  findings: Finding[];
  /** How many of `findings` there are of each severity. */
  counts: SeverityCounts;
  changes: ChangeSummary[];
  releases: ReleaseSummary[];
  /** The findings on no evaluated change or release: CIs, the policy, other records. */
  otherFindings: Finding[];
  base?: BaseRevision;
  /** How many files changed since the merge base (0 without a base). */
  changedFiles: number;
  files: number;
  records: number;
}

/**
 * Evaluates a branch: validation findings, then every rule over the changes and releases under
 * evaluation (those in record files changed since the base, or without a base every pending
 * change and open release), each change's impact computed once. No IO: the facts hold everything.
 */
export function evaluateCheck(
  facts: CheckFacts,
  options: { rules?: readonly Rule[] } = {},
): CheckOutcome {
  const { workspace, base } = facts;
  const { sources } = workspace;
  const rules = options.rules ?? registeredRules;
  const findings: Finding[] = [...workspace.findings];
  const inForce = base ? basePolicyInForce(workspace, base, rules) : undefined;
  if (inForce) findings.push(...inForce.findings);
  const estate = inForce?.estate ?? workspace.estate;
  const policyUsable = inForce ? inForce.usable : workspace.policyUsable;
  const selected = selectUnderEvaluation(estate, base && presentPaths(base.changedFiles));
  const history = base ? baseRecords(estate, base, estate.policy.limits) : undefined;
  // One CMDB for every rule, the summaries and the report: the union of base and head.
  const cmdb = cmdbUnion(estate, history?.cmdb);
  const changeImpact = impactResolver(estate, () => cmdb.graph());
  if (policyUsable) {
    const context: RuleContext = {
      estate,
      sources,
      now: facts.now,
      changes: selected.changes,
      releases: selected.releases,
      cmdb,
      changeImpact,
    };
    if (base && history) {
      context.base = history.history;
      context.changedPaths = touchedPaths(base.changedFiles);
      if (inForce?.proposed) context.proposedPolicy = inForce.proposed;
    }
    for (const finding of evaluate(rules, context)) findings.push(finding);
    // The proposed policy's own problems (a window's time zone, a rule parameter of the wrong
    // type) are reported by the rules that read them: run them under it, over no record.
    if (inForce?.proposed?.usable) {
      const proposedContext: RuleContext = {
        estate: workspace.estate,
        sources,
        now: facts.now,
        changes: [],
        releases: [],
        cmdb,
        changeImpact,
      };
      for (const finding of evaluate(rules, proposedContext)) findings.push(finding);
    }
  }
  const sorted = sortFindings(findings);

  // Group once: with thousands of changes, filtering every finding per change is quadratic.
  const byRecord = new Map<string, Finding[]>();
  for (const finding of sorted) {
    if (!finding.kind || finding.id === undefined) continue;
    const key = `${finding.kind}\u0000${finding.id}`;
    const list = byRecord.get(key);
    if (list) list.push(finding);
    else byRecord.set(key, [finding]);
  }
  const attributed = new Set<Finding>();
  const findingsOf = (kind: Finding['kind'], id: string) => {
    const list = byRecord.get(`${kind}\u0000${id}`) ?? [];
    for (const finding of list) attributed.add(finding);
    return list;
  };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const changes = selected.changes.map((record): ChangeSummary => {
    const change = record.data;
    const risk = riskLevel(estate.policy, change.risk);
    return {
      id: record.id,
      title: text(change.title),
      type: change.type,
      status: change.status,
      file: record.source.file,
      ...(risk ? { riskLevel: risk } : {}),
      impact: changeImpact(change),
      ...(change.requester ? { requester: change.requester } : {}),
      ...(change.schedule
        ? { schedule: { start: change.schedule.start, end: change.schedule.end } }
        : {}),
      cis: namedCis(change),
      findings: findingsOf('Change', record.id),
    };
  });
  const releases = selected.releases.map((record): ReleaseSummary => ({
    id: record.id,
    title: text(record.data.title),
    version: String(record.data.version ?? ''),
    status: record.data.status,
    file: record.source.file,
    changes: Array.isArray(record.data.changes) ? [...record.data.changes] : [],
    findings: findingsOf('Release', record.id),
  }));
  const counts = countSeverities(sorted);
  return {
    ok: policyUsable && counts.errors === 0,
    policyUsable,
    policyFrom: base ? 'base' : 'working tree',
    findings: sorted,
    counts,
    changes,
    releases,
    otherFindings: sorted.filter((finding) => !attributed.has(finding)),
    ...(base ? { base: { ref: base.ref, sha: base.sha, mergeBase: base.mergeBase } } : {}),
    changedFiles: base?.changedFiles.length ?? 0,
    files: workspace.files,
    records: workspace.records,
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
