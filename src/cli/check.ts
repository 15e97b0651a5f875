import { missingChangeModel } from '../render/missing-change.js';
import { check, type CheckResult } from '../app/check.js';
import type { ChangeSummary, CheckOutcome, ReleaseSummary } from '../evaluate/check.js';
import type { Finding } from '../records/finding.js';
import type { ReleaseReadiness } from '../report/readiness.js';
import { oneLine } from '../render/terminal.js';
import type { Command } from './command.js';
import { parseDate } from './dates.js';
import {
  countSummary,
  exitCodes,
  findingJson,
  formatFinding,
  printJson,
  type Io,
} from './output.js';

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
  --json      print the outcome as JSON: {"ok", "changes", "releases", "repository", ...}
              (schemas/output/check.schema.json); with --base, a release edited has
              "readiness": {"ready", "branch", "summary", "reasons"}, else null
  --now TIME  evaluate as of this time instead of now (lead times, schedules): a date
              (2026-12-01, its start in UTC) or a date and time with a zone
              (2026-12-01T09:00:00Z), as every date option takes
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
  help: checkHelp,
  options: checkOptions,
  run: ({ values, dir }, io) =>
    runCheck(
      {
        dir,
        ...(typeof values.dir === 'string' ? { dirAsGiven: values.dir } : {}),
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
  options: {
    dir: string;
    dirAsGiven?: string;
    json: boolean;
    base?: string;
    now?: Date;
    cache?: boolean;
  },
  io: Io,
): Promise<number> {
  // A base that cannot be resolved, or no repository, throws a GitError: main says so (exit 2).
  const { outcome, readiness } = await check({
    root: options.dir,
    ...(options.base !== undefined ? { base: options.base } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.cache === false ? { cache: false } : {}),
  });
  if (options.json) printJson(io, toJson(outcome, readiness));
  else printReport(outcome, io, readiness, options.dirAsGiven);
  if (!outcome.policyUsable) return exitCodes.usage;
  return outcome.ok ? exitCodes.ok : exitCodes.failed;
}

/** The --json shape, which scripts depend on: the findings on no record stay `repository`. */
function toJson(outcome: CheckOutcome, readiness: CheckResult['readiness']) {
  return {
    ok: outcome.ok && outcome.policyUsable,
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
      riskLevel: change.riskLevel ?? null,
      impact: { level: change.impact.level, ids: change.impact.ids },
      findings: change.findings.map(findingJson),
      problemLinks: change.problemLinks ?? [],
    })),
    releases: outcome.releases.map((release) => ({
      id: release.id,
      title: release.title,
      status: release.status,
      file: release.file,
      changes: release.changes,
      findings: release.findings.map(findingJson),
      readiness: readiness?.has(release.id) ? readinessJson(readiness.get(release.id)!) : null,
    })),
    repository: outcome.otherFindings.map(findingJson),
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
    reasons: readiness.reasons.map((reason) => ({ ...reason, change: reason.change ?? null })),
  };
}

function printReport(
  outcome: CheckOutcome,
  io: Io,
  readiness: CheckResult['readiness'],
  dir: string | undefined,
): void {
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
  const missing =
    outcome.missingChange &&
    missingChangeModel({ ...outcome.missingChange, ...(dir ? { dir } : {}) });
  if (missing) {
    io.out('');
    io.out(`Missing change record: ${missing.command} writes one for this branch`);
  }
  io.out('');
  const evaluated = `${plural(outcome.changes.length, 'change')} and ${plural(outcome.releases.length, 'release')} evaluated`;
  const counts = countSummary(outcome.counts);
  io.out(outcome.ok ? `✓ ${evaluated}: ${counts}` : `✗ ${evaluated}: ${counts}`);
}

function printChange(change: ChangeSummary, io: Io): void {
  io.out('');
  io.out(`${change.id}  ${oneLine(change.title)}`);
  const impacted = change.impact.count;
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

/** --now read like every other date option: a day alone is the start of that day (UTC). */
function parseNow(value: string): Date {
  return new Date(parseDate('--now', value, 'start'));
}
