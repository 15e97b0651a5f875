import { namedCis, type ChangeImpact } from '../impact/change-impact.js';
import { namesProblem, problemLinks } from '../problems/links.js';
import {
  countSeverities,
  sortFindings,
  type Finding,
  type SeverityCounts,
} from '../records/finding.js';
import { capFindings } from '../records/finding-cap.js';
import { nextChangeId } from '../records/change-ids.js';
import { isCiId } from '../records/id-patterns.js';
import type { Level } from '../records/level.js';
import type { Change, Release } from '../records/types.generated.js';
import { rules as registeredRules } from '../rules/registry.js';
import { riskLevel } from '../rules/risk.js';
import { evaluate, type Rule, type RuleContext } from '../rules/rule.js';
import type { BaseRevision, CheckFacts } from './facts.js';
import { judgedBy, type Judgement } from './judged-by.js';
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
  /** Problem <-> change sentences: "CHG-0051 remediates #123, opened by the failure of CHG-0042". */
  problemLinks?: string[];
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
  /**
   * The change record the branch lacks, when code under CIs' paths changed with no change that
   * counts naming them (the rogue-change findings): what `changeops new` and the comment's link
   * to GitHub's editor propose.
   */
  missingChange?: MissingChange;
}

/** A change record to add: the next free id and the CIs it must name (ids the schema allows). */
export interface MissingChange {
  id: string;
  cis: string[];
}

/**
 * Evaluates a branch: validation findings, then every rule over the changes and releases under
 * evaluation (those in record files changed since the base, or without a base every pending
 * change and open release), each change's impact computed once. No IO: the facts hold everything.
 */
export function evaluateCheck(
  facts: CheckFacts,
  options: { rules?: readonly Rule[]; judged?: Judgement } = {},
): CheckOutcome {
  const { workspace, base } = facts;
  const { sources } = workspace;
  const rules = options.rules ?? registeredRules;
  // A caller that needs the judgement too (release readiness) works it out once and passes it.
  const judged = options.judged ?? judgedBy(facts, rules);
  const { estate, policyUsable, cmdb, changeImpact } = judged;
  const findings: Finding[] = [...workspace.findings, ...judged.findings];
  const selected = selectUnderEvaluation(estate, base && presentPaths(base.changedFiles));
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
    if (base && judged.history) {
      context.base = judged.history;
      context.changedPaths = base.codePaths ?? touchedPaths(base.changedFiles);
      if (judged.proposedPolicy) context.proposedPolicy = judged.proposedPolicy;
    }
    for (const finding of evaluate(rules, context)) findings.push(finding);
    // The proposed policy's own problems (a window's time zone, a rule parameter of the wrong
    // type) are reported by the rules that read them: run them under it, over no record.
    if (judged.proposedPolicy?.usable) {
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
  // Capped per file and per run; the counts stay the totals (countSeverities).
  const sorted = sortFindings(capFindings(sortFindings(findings)));

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
  // A change's problem links name other changes only through its own `problem` or opened issue:
  // when no change under evaluation has either (nearly every pull request), no other change's
  // data is read (5,000 of them through a snapshot).
  const linked = selected.changes.some(({ data }) => namesProblem(data));
  const links = linked
    ? problemLinks([...estate.changes.values()].map((record) => record.data))
    : new Map<string, string[]>();
  const changes = selected.changes.map((record): ChangeSummary => {
    const change = record.data;
    const linked = links.get(record.id);
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
      ...(linked ? { problemLinks: linked } : {}),
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
    ...missingChangeOf(sorted, estate.changes.keys()),
  };
}

/** The CIs of the rogue-change findings, sorted, with the id a new change would get; or nothing. */
function missingChangeOf(
  findings: readonly Finding[],
  changeIds: Iterable<string>,
): { missingChange?: MissingChange } {
  const cis = new Set<string>();
  for (const finding of findings)
    if (
      finding.rule === 'rogue-change' &&
      finding.kind === 'ConfigurationItem' &&
      isCiId(finding.id)
    )
      cis.add(finding.id);
  if (cis.size === 0) return {};
  return { missingChange: { id: nextChangeId(changeIds), cis: [...cis].sort() } };
}
