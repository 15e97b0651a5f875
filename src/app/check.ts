import {
  changedFiles,
  findMergeBase,
  openRepository,
  readFilesAt,
  resolveBase,
  type ChangedFile,
} from '../git/repository.js';
import { isRecordFilePath } from '../records/layout.js';
import { sortFindings, type Finding } from '../records/finding.js';
import type { SourceText } from '../records/parse-yaml.js';
import type { Level } from '../records/policy.js';
import type { Change, Release } from '../records/types.generated.js';
import { rules as registeredRules } from '../rules/registry.js';
import { riskLevel } from '../rules/risk.js';
import { evaluate, type Rule, type RuleContext } from '../rules/rule.js';
import { baseRecords, impactResolver, selectUnderEvaluation } from './evaluate-context.js';
import type { LoadResult } from '../records/load.js';
import { loadWorkspace } from './load-workspace.js';

export type { ChangedFile } from '../git/repository.js';
/** What `gatherFromGit` throws when git cannot answer (BaseRefError: the base is unusable). */
export { BaseRefError, GitError } from '../git/repository.js';

/** Where the branch left the base: the ref as given, the commit it names, and the merge base. */
export interface BaseRevision {
  ref: string;
  sha: string;
  mergeBase: string;
}

/**
 * Everything `checkRecords` needs, gathered by an edge: from git (`gatherFromGit`) for the CLI,
 * or from the GitHub API by the action. Plain data, so the evaluation itself does no IO.
 */
export interface CheckFacts {
  /** The records now (the working tree, or the pull request's head). */
  workspace: LoadResult;
  /** The evaluation time; lead times and schedules are measured from it. */
  now: Date;
  /** The base to compare with; without it every pending change and open release is evaluated. */
  base?: BaseRevision & {
    /** The files changed since the merge base, code included. */
    changedFiles: readonly ChangedFile[];
    /**
     * The text at the merge base of each changed record file that existed there, by its path at
     * the base (for a renamed file, the previous path).
     */
    files: readonly SourceText[];
    /** Record files at the base (by path there) whose text could not be read. */
    unreadable?: readonly string[];
  };
}

/** One evaluated change, as the report and the action's outputs show it. */
export interface ChangeSummary {
  id: string;
  title: string;
  type: Change['type'];
  status: Change['status'];
  file: string;
  /** From the policy's risk matrix; absent when the risk is not assessed. */
  riskLevel?: Level;
  /** The impact computed from the CMDB: its level and every impacted CI, ascending. */
  impact: { level: Level; ids: string[] };
  findings: Finding[];
}

/** One evaluated release. */
export interface ReleaseSummary {
  id: string;
  title: string;
  status: Release['status'];
  file: string;
  changes: string[];
  findings: Finding[];
}

/** The outcome of `check`: plain data for the CLI, the JSON output and the action. */
export interface CheckOutcome {
  /** No error-level finding, and the policy could be used. */
  ok: boolean;
  /** False when changeops.yaml exists but cannot be used: a configuration error, rules not run. */
  policyUsable: boolean;
  /** Every finding, validation and rules, sorted by file and line. */
  findings: Finding[];
  changes: ChangeSummary[];
  releases: ReleaseSummary[];
  /** The findings on no evaluated change or release: CIs, the policy, other records. */
  repository: Finding[];
  base?: BaseRevision;
  /** How many files changed since the merge base (0 without a base). */
  changedFiles: number;
  files: number;
  records: number;
}

/** Options of `gatherFromGit`. */
export interface GatherOptions {
  /** The base ref (branch, tag, sha, origin/main); without it, no git is used at all. */
  base?: string;
  now?: Date;
  /** Fetch a base that is missing locally, and deepen a shallow clone (default true). */
  fetch?: boolean;
  /**
   * Compare the merge base with the working tree (default, because the records are read from
   * disk: uncommitted and untracked files count) or, when false, with the HEAD commit.
   */
  workingTree?: boolean;
}

/**
 * Gathers the facts of a check from a local repository: the records on disk and, with a base,
 * the files changed since the merge base with HEAD and the base's text of the changed record
 * files. Throws a GitError (BaseRefError for a base that cannot be used) when git fails.
 */
export async function gatherFromGit(dir: string, options: GatherOptions = {}): Promise<CheckFacts> {
  const workspace = loadWorkspace(dir);
  const now = options.now ?? new Date();
  if (options.base === undefined) return { workspace, now };
  const repo = await openRepository(dir);
  const fetch = options.fetch ?? true;
  const resolved = await resolveBase(repo, options.base, { fetch });
  const mergeBase = await findMergeBase(repo, resolved.sha, { fetch });
  const changed = await changedFiles(
    repo,
    mergeBase,
    options.workingTree === false ? { to: 'HEAD' } : {},
  );
  const basePaths = changed
    .filter((file) => file.status !== 'added')
    .map((file) => file.previousPath ?? file.path)
    .filter(isRecordFilePath);
  const read = await readFilesAt(
    repo,
    mergeBase,
    [...new Set(basePaths)],
    workspace.estate.policy.limits.maxFileBytes,
  );
  return {
    workspace,
    now,
    base: {
      ref: options.base,
      sha: resolved.sha,
      mergeBase,
      changedFiles: changed,
      files: read.files,
      unreadable: read.findings.map((finding) => finding.file),
    },
  };
}

/**
 * Evaluates the records: validation findings, then every rule over the changes and releases
 * under evaluation (those in record files changed since the base, or without a base every
 * pending change and open release). No IO: the facts hold everything.
 */
export function checkRecords(
  facts: CheckFacts,
  options: { rules?: readonly Rule[] } = {},
): CheckOutcome {
  const { workspace, base } = facts;
  const { estate, sources } = workspace;
  const findings: Finding[] = [...workspace.findings];
  let changedRecordFiles: Set<string> | undefined;
  let changedPaths: string[] | undefined;
  if (base) {
    changedRecordFiles = new Set(
      base.changedFiles.filter((file) => file.status !== 'deleted').map((file) => file.path),
    );
    changedPaths = [
      ...new Set(base.changedFiles.flatMap((file) => [file.path, file.previousPath ?? file.path])),
    ];
  }
  const selected = selectUnderEvaluation(estate, changedRecordFiles);
  const impactOf = impactResolver(estate);
  if (workspace.policyUsable) {
    const context: RuleContext = {
      estate,
      sources,
      now: facts.now,
      changes: selected.changes,
      releases: selected.releases,
      impactOf,
    };
    if (base) {
      context.base = baseRecords(estate, base);
      if (changedPaths) context.changedPaths = changedPaths;
    }
    findings.push(...evaluate(options.rules ?? registeredRules, context));
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
  const changes = selected.changes.map((record): ChangeSummary => {
    const change = record.data;
    const impact = impactOf(change);
    const risk = riskLevel(estate.policy, change.risk);
    return {
      id: record.id,
      title: typeof change.title === 'string' ? change.title : '',
      type: change.type,
      status: change.status,
      file: record.source.file,
      ...(risk ? { riskLevel: risk } : {}),
      impact: { level: impact.level, ids: [...impact.ids].sort() },
      findings: findingsOf('Change', record.id),
    };
  });
  const releases = selected.releases.map((record): ReleaseSummary => ({
    id: record.id,
    title: typeof record.data.title === 'string' ? record.data.title : '',
    status: record.data.status,
    file: record.source.file,
    changes: Array.isArray(record.data.changes) ? [...record.data.changes] : [],
    findings: findingsOf('Release', record.id),
  }));
  return {
    ok: workspace.policyUsable && !sorted.some((finding) => finding.severity === 'error'),
    policyUsable: workspace.policyUsable,
    findings: sorted,
    changes,
    releases,
    repository: sorted.filter((finding) => !attributed.has(finding)),
    ...(base ? { base: { ref: base.ref, sha: base.sha, mergeBase: base.mergeBase } } : {}),
    changedFiles: base?.changedFiles.length ?? 0,
    files: workspace.files,
    records: workspace.records,
  };
}

/** Runs a check of a local repository: gathers the facts from disk and git, then evaluates. */
export async function check(dir: string, options: GatherOptions = {}): Promise<CheckOutcome> {
  return checkRecords(await gatherFromGit(dir, options));
}
