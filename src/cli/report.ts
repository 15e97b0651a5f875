import { report } from '../app/report.js';
import type { ReportResult } from '../app/report.js';
import { show } from '../records/wording.js';
import { renderKpiMarkdown } from '../render/kpi-markdown.js';
import { renderKpiText } from '../render/kpi-text.js';
import { formatInstant } from '../rules/time.js';
import type { Command } from './command.js';
import { exitCodes, printJson, type Io } from './output.js';
import { parseDate } from './dates.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops report`. */
export const reportHelp = `Usage: changeops report [--since DATE] [--until DATE] [--branch REF] [--format text|markdown]
                        [--dir DIR] [--json]

The change KPIs of a window, computed from the records and their git history on the default
branch (the commit that added each record, and the commits that moved it to approved,
implemented, failed...; one git log and one cat-file, however many records):
  changes by type and by outcome; the change success rate, implemented / (implemented + failed
  + backed-out); the emergency-change ratio; changes that led to problems (the problem issue
  verify records in the change's review.problemIssue) and changes that remediate one (their
  problem field); lead times from proposed to approved and from approved to implemented
  (median and p90 by nearest rank, hours); changes per release; collisions and freeze
  exceptions (the evaluation core's collision sweep and the policy's freezes, on the records
  in the working tree); changes per week.
Each change counts once, in the window that holds the commit that decided where it stands (its
last outcome, else its last status move): see docs/report.md.

Options:
  --since DATE   the window's start (default: the history's start)
  --until DATE   the window's end, exclusive (default: open)
                 DATE is a date (2026-01-01, UTC) or an RFC 3339 date-time with a zone; a date
                 alone means the start of that day for --since and the end of it for --until,
                 so --until 2026-03-31 includes 31 March
  --branch REF   the branch whose history counts (default: origin/HEAD, else main, else
                 master, else HEAD)
  --format F     text (default), or markdown: the job summary the action writes, with mermaid
                 charts (a pie of outcomes, a bar chart of changes per week) that GitHub draws
  --dir DIR      the repository root (default: the current directory)
  --json         print {"ok", "since", "until", "changes": {"total", "byType", "byOutcome"},
                 "successRate", "emergencyRatio", "leadTimeHours": {"proposedToApproved":
                 {"median", "p90", "count"}, "approvedToImplemented": {...}}, "problems",
                 "releases", "collisions", "freezeExceptions", "perWeek", "history"}; absent
                 values are null (schemas/output/report.schema.json); not with --format

Exit codes: 0 the report was printed, 2 a bad date or option, no git history, or
changeops.yaml unusable (collisions and freezes are then not counted; the report is still
printed).`;

const formats = ['text', 'markdown'] as const;

/** The `report` entry of the CLI's command table. */
export const reportCommand: Command = {
  help: reportHelp,
  options: {
    since: { type: 'string' },
    until: { type: 'string' },
    branch: { type: 'string' },
    format: { type: 'string' },
  },
  run: ({ values, positionals, dir }, io) => {
    if (positionals.length > 0)
      throw new UsageError(`report takes no arguments, not ${positionals.join(' ')}`);
    const format = values.format ?? 'text';
    if (!(formats as readonly unknown[]).includes(format))
      throw new UsageError(`--format is ${show(format)}; use text or markdown`);
    if (values.format !== undefined && values.json === true)
      throw new UsageError('--json and --format exclude each other; give one of them');
    const since =
      typeof values.since === 'string' ? parseDate('--since', values.since, 'start') : undefined;
    const until =
      typeof values.until === 'string' ? parseDate('--until', values.until, 'end') : undefined;
    if (since !== undefined && until !== undefined && until <= since)
      throw new UsageError(
        `--until (${formatInstant(until)}) is not after --since (${formatInstant(since)})`,
      );
    if (values.branch === '') throw new UsageError('--branch needs a ref');
    return runReport(
      {
        dir,
        json: values.json === true,
        format: format as (typeof formats)[number],
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(typeof values.branch === 'string' ? { branch: values.branch } : {}),
      },
      io,
    );
  },
};

/** Runs `changeops report`: prints the KPIs (text, markdown or JSON), returns the exit code. */
export async function runReport(
  options: {
    dir: string;
    json: boolean;
    format: 'text' | 'markdown';
    since?: number;
    until?: number;
    branch?: string;
  },
  io: Io,
): Promise<number> {
  // No history to read throws a GitError: main says so (exit 2).
  const result: ReportResult = await report({
    root: options.dir,
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.until !== undefined ? { until: options.until } : {}),
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
  });
  if (result.recordErrors > 0)
    io.err(
      `note: the records have ${result.recordErrors} error${result.recordErrors === 1 ? '' : 's'} (run changeops validate)`,
    );
  if (options.json) printJson(io, { ok: result.policyUsable, ...result.report });
  else if (options.format === 'markdown') io.out(renderKpiMarkdown(result.report).trimEnd());
  else io.out(renderKpiText(result.report).trimEnd());
  return result.policyUsable ? exitCodes.ok : exitCodes.usage;
}
