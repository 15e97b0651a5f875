import type { KpiReport } from '../report/kpi.js';
import { changeOutcomes } from '../report/standing.js';
import { escapeText, inlineCode } from './markdown.js';
import { kpiNotes, kpiRows, kpiScope, plainValue } from './kpi-rows.js';

/** Options of the markdown report. */
export interface KpiMarkdownOptions {
  /** The most recent weeks the bar chart draws (default 26); the table has the totals. */
  chartWeeks?: number;
}

/**
 * The KPI report in GitHub-flavoured markdown, for the job summary: a table of the measures, a
 * mermaid pie of the outcomes and a mermaid bar chart of changes per week, which GitHub draws,
 * and the notes on the history. Ids and issue references are made inert; the charts' labels are
 * our own words and dates only.
 */
export function renderKpiMarkdown(report: KpiReport, options: KpiMarkdownOptions = {}): string {
  const lines = [
    '## Change KPIs',
    '',
    `${escapeText(kpiScope(report), { maxLength: 400 })}.`,
    '',
    '| measure | value |',
    '|---|---|',
    ...kpiRows(report).map(
      (row) =>
        `| ${row.measure} | ${plainValue(row.value, (text) => inlineCode(text, { maxLength: 100, inTable: true }))} |`,
    ),
  ];
  const outcomes = changeOutcomes.filter((outcome) => report.changes.byOutcome[outcome] > 0);
  if (outcomes.length > 0) {
    lines.push(
      '',
      '### Outcomes',
      '',
      '```mermaid',
      'pie showData',
      `  title Outcomes of ${report.changes.total} change${report.changes.total === 1 ? '' : 's'}`,
      ...outcomes.map((outcome) => `  "${outcome}" : ${report.changes.byOutcome[outcome]}`),
      '```',
    );
  }
  const weeks = report.perWeek.slice(-(options.chartWeeks ?? 26));
  if (weeks.length > 0) {
    const most = Math.max(1, ...weeks.map((week) => week.changes));
    lines.push(
      '',
      '### Changes per week',
      '',
      '```mermaid',
      'xychart-beta',
      `  title "Changes per week${weeks.length < report.perWeek.length ? `, the last ${weeks.length}` : ''}"`,
      `  x-axis [${weeks.map((week) => `"${week.week.slice(5)}"`).join(', ')}]`,
      `  y-axis "changes" 0 --> ${most}`,
      `  bar [${weeks.map((week) => week.changes).join(', ')}]`,
      '```',
    );
  }
  const notes = kpiNotes(report);
  if (notes.length > 0) {
    lines.push('', '> [!NOTE]');
    for (const note of notes) lines.push(`> - ${escapeText(note, { maxLength: 600 })}`);
  }
  return `${lines.join('\n')}\n`;
}
