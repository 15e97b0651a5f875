import type { KpiReport } from '../report/kpi.js';
import { changeOutcomes } from '../report/standing.js';

/** A piece of a value: our own words, or text from a record (an id, an issue reference). */
export type KpiSegment = string | { untrusted: string };

/** One line of the KPI table: what is measured, and its value as words and record text. */
export interface KpiRow {
  measure: string;
  value: KpiSegment[];
}

/** How many ids a row names before it says how many more. */
const maxIdsShown = 10;

/** The KPI report as rows of words, shared by the terminal and markdown renderers. */
export function kpiRows(report: KpiReport): KpiRow[] {
  const { changes } = report;
  const finished =
    changes.byOutcome.implemented + changes.byOutcome.failed + changes.byOutcome['backed-out'];
  const outcomes = changeOutcomes
    .filter((outcome) => changes.byOutcome[outcome] > 0)
    .map((outcome) => `${outcome} ${changes.byOutcome[outcome]}`);
  const { proposedToApproved, approvedToImplemented } = report.leadTimeHours;
  const problems = report.problems;
  const rows: Array<{ measure: string; value: string | KpiSegment[] }> = [
    {
      measure: 'changes',
      value: `${changes.total} (standard ${changes.byType.standard}, normal ${changes.byType.normal}, emergency ${changes.byType.emergency})`,
    },
    { measure: 'outcomes', value: outcomes.length > 0 ? outcomes.join(', ') : 'none' },
    {
      measure: 'change success rate',
      value:
        report.successRate === null
          ? 'no change was implemented, failed or backed out'
          : `${percent(report.successRate)} (${changes.byOutcome.implemented} implemented of ${finished} implemented, failed or backed out)`,
    },
    {
      measure: 'emergency changes',
      value:
        report.emergencyRatio === null
          ? 'no changes'
          : `${percent(report.emergencyRatio)} (${changes.byType.emergency} of ${changes.total})`,
    },
    { measure: 'lead time, proposed to approved', value: spread(proposedToApproved) },
    { measure: 'lead time, approved to implemented', value: spread(approvedToImplemented) },
    {
      measure: 'changes that led to problems',
      value:
        problems.ledToProblems === 0
          ? 'none'
          : [
              `${problems.ledToProblems}${problems.rate === null ? '' : ` (${percent(problems.rate)} of those finished)`}: `,
              ...some(
                problems.changes.map((c) => [
                  { untrusted: c.change },
                  ' (',
                  ...joined(
                    c.issues.map((issue) => [{ untrusted: issue }]),
                    ', ',
                  ),
                  ')',
                ]),
              ),
            ],
    },
    {
      measure: 'changes that remediate a problem',
      value:
        problems.remediations.length === 0
          ? 'none'
          : [
              `${problems.remediations.length}: `,
              ...some(
                problems.remediations.map((r) => [
                  { untrusted: r.change },
                  ' remediates ',
                  { untrusted: r.problem },
                  ...(r.causedBy.length > 0
                    ? [
                        ', opened by ',
                        ...joined(
                          r.causedBy.map((id) => [{ untrusted: id }]),
                          ', ',
                        ),
                      ]
                    : []),
                ]),
              ),
            ],
    },
    {
      measure: 'releases',
      value:
        report.releases.total === 0
          ? 'none'
          : `${report.releases.total}, ${report.releases.changesPerRelease} changes each on average`,
    },
    {
      measure: 'collisions',
      value:
        report.collisions.count === 0
          ? 'none'
          : [
              `${report.collisions.count}: `,
              ...some(
                report.collisions.pairs.map(([a, b]) => [
                  { untrusted: a },
                  ' with ',
                  { untrusted: b },
                ]),
              ),
            ],
    },
    {
      measure: 'freeze exceptions',
      value:
        report.freezeExceptions.count === 0
          ? 'none'
          : [
              `${report.freezeExceptions.count}: `,
              ...some(report.freezeExceptions.changes.map((id) => [{ untrusted: id }])),
            ],
    },
  ];
  return rows.map((row) => ({
    measure: row.measure,
    value: typeof row.value === 'string' ? [row.value] : row.value,
  }));
}

/** A value as plain text, record text included as it is (the caller escapes for its medium). */
export function plainValue(value: readonly KpiSegment[], escape: (text: string) => string): string {
  return value.map((part) => (typeof part === 'string' ? part : escape(part.untrusted))).join('');
}

/** Where the numbers come from: the window and the history read, in a sentence. */
export function kpiScope(report: KpiReport): string {
  const window =
    report.since && report.until
      ? `from ${report.since} to ${report.until}`
      : report.since
        ? `from ${report.since} on`
        : report.until
          ? `until ${report.until}`
          : 'over the whole history';
  const { history } = report;
  return `Changes ${window}, as recorded on ${history.ref} (${history.commits} commit${history.commits === 1 ? '' : 's'} that touched records)`;
}

/** What the reader should know about the history: its notes, and the versions skipped. */
export function kpiNotes(report: KpiReport): string[] {
  const skipped = report.history.skippedVersions;
  return [
    ...report.history.notes,
    ...(skipped > 0
      ? [
          `${skipped} record version${skipped === 1 ? '' : 's'} could not be read and ${skipped === 1 ? 'was' : 'were'} skipped`,
        ]
      : []),
  ];
}

/** A ratio as a percentage to one decimal: "60%", "18.2%". */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

function spread(value: { median: number | null; p90: number | null; count: number }): string {
  if (value.count === 0 || value.median === null || value.p90 === null) return 'none measured';
  return `median ${value.median} h, p90 ${value.p90} h (${value.count} change${value.count === 1 ? '' : 's'})`;
}

/** The first items, separated by semicolons, and how many more. */
function some(items: ReadonlyArray<KpiSegment[]>): KpiSegment[] {
  const shown = joined(items.slice(0, maxIdsShown), '; ');
  const more = items.length - maxIdsShown;
  return more > 0 ? [...shown, `; and ${more} more`] : shown;
}

function joined(items: ReadonlyArray<KpiSegment[]>, separator: string): KpiSegment[] {
  return items.flatMap((item, index) => (index === 0 ? item : [separator, ...item]));
}
