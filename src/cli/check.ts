import { check, type CheckResult } from '../app/check.js';
import type { ChangeSummary, CheckOutcome, ReleaseSummary } from '../evaluate/check.js';
import { GitError } from '../git/errors/git-error.js';
import type { Finding } from '../records/finding.js';
import type { ReleaseReadiness } from '../report/readiness.js';
import { oneLine } from '../render/terminal.js';
import { parseInstant } from '../rules/time.js';
import type { Command } from './command.js';
import { countSummary, exitCodes, formatFinding, type Io } from './output.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops check`. */
export const checkHelp = `Usage: changeops check [--base REF] [--dir DIR] [--json] [--now TIME]

Evaluates changes and releases against the policy (changeops.yaml): validation, then every
evaluation rule (required content, risk and impact, lead time, windows and freezes, collisions,
status transitions, release consistency, rogue changes). Prints each change with its risk and
impact level, its problem links ("CHG-0051 remediates #123, opened by the failure of CHG-0042")
and its findings, then the findings on the rest of the repository.

With --base, evaluates what changed since the branch left REF (a branch, tag, sha or
origin/main): the change and release records in files changed between the merge base and the
working tree (committed, staged, unstaged and untracked files), status transitions and the audit
trail against the base, code under a CI's paths and CMDB edits without a change record. The base
decides: the policy in force (rules, severities, limits) is REF's changeops.yaml; the branch's
own is validated and what it changes is reported (policy-change), taking effect after merge.
Impact, windows and collisions are judged on the base's and the branch's CMDB together, so an
edit of the CMDB cannot lower them. A base missing from a shallow clone is fetched from origin.
A release the branch adds or edits also gets its readiness (as changeops release says it)
against the base's history of the records; it informs and does not change the exit code.
Without --base, evaluates every proposed or approved change and every release that is not
closed, under the working tree's policy.

Options:
  --base REF  compare with the merge base of REF and HEAD; REF is a branch, tag or commit sha
              (HEAD~1 too), never anything git could read as an option or a refspec
  --dir DIR   the repository root (default: the current directory)
  --json      print the outcome as JSON: {"ok", "changes", "releases", "repository", ...};
              with --base, a release edited also has "readiness": {"ready", "branch",
              "summary", "reasons"}
  --now TIME  evaluate as of this RFC 3339 time instead of now (lead times, schedules)
  --no-cache  read and parse every record file, without the estate snapshot in .git/changeops/
              (by default the records of files unchanged since the snapshot's commit come from
              it; the outcome is the same)

A changeops.yaml with any error (an unknown rule or parameter, a bad time zone, a freeze that
ends before it starts, anything its schema refuses) cannot be used: no evaluation rule runs,
rather than running them under the defaults, and the run fails with exit 2. Without a
changeops.yaml the defaults apply, and a notice says so.

Exit codes: 0 no error-level finding, 1 an error-level finding, 2 usage or configuration error
(DIR holds no changeops.yaml, changes/ or cmdb/; the changeops.yaml in force unusable; a base
ref that cannot be found).`;

/** The options `check` adds to the common ones. */
export const checkOptions = {
  base: { type: 'string' },
  now: { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;

/** The `check` entry of the CLI's command table. */
export const checkCommand: Command = {
  summary:
    'evaluate changes and releases (changed since --base, or all pending) against the policy',
  help: checkHelp,
  options: checkOptions,
  run: ({ values, dir }, io) =>
    runCheck(
      {
        dir,
        json: values.json === true,
        ...(typeof values.base === 'string' ? { base: values.base } : {}),
        ...(typeof values.now === 'string' ? { now: parseNow(values.now) } : {}),
        ...(values['no-cache'] === true ? { cache: false } : {}),
      },
      io,
    ),
};

/** Runs `changeops check`: prints the report (or JSON) and returns the exit code. */
export async function runCheck(
  options: { dir: string; json: boolean; base?: string; now?: Date; cache?: boolean },
  io: Io,
): Promise<number> {
  let outcome: CheckOutcome;
  let readiness: CheckResult['readiness'];
  try {
    ({ outcome, readiness } = await check({
      root: options.dir,
      ...(options.base !== undefined ? { base: options.base } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.cache === false ? { cache: false } : {}),
    }));
  } catch (error) {
    // A base that cannot be resolved, or no repository: the command line is at fault, not the
    // records.
    if (error instanceof GitError) {
      io.err(`changeops check: ${oneLine(error.message)}`);
      return exitCodes.usage;
    }
    throw error;
  }
  if (options.json) io.out(JSON.stringify(toJson(outcome, readiness), null, 2));
  else printReport(outcome, io, readiness);
  if (!outcome.policyUsable) return exitCodes.usage;
  return outcome.ok ? exitCodes.ok : exitCodes.failed;
}

/** The --json shape, which scripts depend on: the findings on no record stay `repository`. */
function toJson(outcome: CheckOutcome, readiness: CheckResult['readiness']) {
  return {
    ok: outcome.ok,
    policyUsable: outcome.policyUsable,
    policyFrom: outcome.policyFrom,
    base: outcome.base ?? null,
    changedFiles: outcome.changedFiles,
    changes: outcome.changes.map((change) => ({
      id: change.id,
      title: change.title,
      type: change.type,
      status: change.status,
      file: change.file,
      ...(change.riskLevel ? { riskLevel: change.riskLevel } : {}),
      impact: { level: change.impact.level, ids: change.impact.ids },
      findings: change.findings,
      ...(change.problemLinks ? { problemLinks: change.problemLinks } : {}),
    })),
    releases: outcome.releases.map((release) => ({
      id: release.id,
      title: release.title,
      status: release.status,
      file: release.file,
      changes: release.changes,
      findings: release.findings,
      ...(readiness?.has(release.id)
        ? { readiness: readinessJson(readiness.get(release.id)!) }
        : {}),
    })),
    repository: outcome.otherFindings,
    counts: outcome.counts,
    files: outcome.files,
    records: outcome.records,
  };
}

/** A release's readiness in --json: the verdict and every reason (see `changeops release`). */
function readinessJson(readiness: ReleaseReadiness) {
  return {
    ready: readiness.ready,
    branch: readiness.branch,
    summary: readiness.summary,
    reasons: readiness.reasons,
  };
}

function printReport(outcome: CheckOutcome, io: Io, readiness: CheckResult['readiness']): void {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  io.out(
    outcome.base
      ? `Checking against ${oneLine(outcome.base.ref)} (merge base ${outcome.base.mergeBase.slice(0, 12)}): ${plural(outcome.changedFiles, 'file')} changed; the base's policy is in force`
      : "Checking every pending change and open release (no --base: the working tree's policy is in force)",
  );
  if (!outcome.policyUsable)
    io.out(
      outcome.policyFrom === 'base'
        ? "the base's changeops.yaml cannot be used, so no evaluation rule ran; fix it on the base branch first"
        : 'changeops.yaml cannot be used, so no evaluation rule ran; fix it first',
    );
  for (const change of outcome.changes) printChange(change, io);
  for (const release of outcome.releases) printRelease(release, io, readiness?.get(release.id));
  if (outcome.otherFindings.length > 0) {
    io.out('');
    io.out('Repository');
    for (const finding of outcome.otherFindings) io.out(`  ${formatFinding(finding)}`);
  }
  io.out('');
  const evaluated = `${plural(outcome.changes.length, 'change')} and ${plural(outcome.releases.length, 'release')} evaluated`;
  const counts = countSummary(outcome.counts);
  io.out(outcome.ok ? `✓ ${evaluated}: ${counts}` : `✗ ${evaluated}: ${counts}`);
}

function printChange(change: ChangeSummary, io: Io): void {
  io.out('');
  io.out(`${change.id}  ${oneLine(change.title)}`);
  const impacted = change.impact.ids.length;
  io.out(
    `  ${change.type}, ${change.status} · risk ${change.riskLevel ?? 'not assessed'} · impact ${change.impact.level} (${impacted} CI${impacted === 1 ? '' : 's'})`,
  );
  for (const link of change.problemLinks ?? []) io.out(`  ${oneLine(link)}`);
  printFindings(change.findings, io);
}

function printRelease(
  release: ReleaseSummary,
  io: Io,
  readiness: ReleaseReadiness | undefined,
): void {
  io.out('');
  io.out(`${release.id}  ${oneLine(release.title)}`);
  const n = release.changes.length;
  io.out(`  release, ${release.status} · ${n} change${n === 1 ? '' : 's'}`);
  if (readiness) {
    io.out(`  ${oneLine(readiness.summary)}`);
    for (const reason of readiness.reasons) io.out(`    - ${oneLine(reason.message)}`);
  }
  printFindings(release.findings, io);
}

function printFindings(findings: readonly Finding[], io: Io): void {
  if (findings.length === 0) io.out('  no findings');
  for (const finding of findings) io.out(`  ${formatFinding(finding)}`);
}

function parseNow(value: string): Date {
  const ms = parseInstant(value);
  if (ms === undefined)
    throw new UsageError(
      `--now ${JSON.stringify(value)} is not a date and time like 2026-12-01T09:00:00Z`,
    );
  return new Date(ms);
}
