import type { KpiReport } from '../report/kpi.js';
import { kpiNotes, kpiRows, kpiScope, plainValue } from './kpi-rows.js';
import { oneLine } from './terminal.js';

/** The KPI report for a terminal: where the numbers come from, a line per measure, the notes. */
export function renderKpiText(report: KpiReport): string {
  const rows = kpiRows(report);
  const width = Math.max(...rows.map((row) => row.measure.length));
  const lines = [
    `${oneLine(kpiScope(report))}:`,
    ...rows.map((row) => `  ${row.measure.padEnd(width)}  ${plainValue(row.value, oneLine)}`),
    ...kpiNotes(report).map((note) => `note: ${oneLine(note)}`),
  ];
  return `${lines.join('\n')}\n`;
}
