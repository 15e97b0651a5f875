import { shortPaths, type Impact } from '../impact/impact.js';
import { unknownLine } from './impact-labels.js';
import { printable } from './terminal.js';

/** Names the CIs an impact started from, shortened when a change names many. */
export function describeStart(impact: Impact, limit = 5): string {
  const shown = impact.start.slice(0, limit).join(', ');
  const more = impact.start.length - limit;
  return printable(more > 0 ? `${shown} and ${more} more` : shown);
}

/**
 * Renders an impact as a plain-text table, one line per CI by depth then id: id, depth,
 * criticality and the path that explains it, shortened past five CIs to its first and last hop
 * (`a > b > … > y > z`), so the table grows with the CIs, not with the CIs times their depth.
 * Unknown named ids are listed after it.
 */
export function renderImpactText(impact: Impact): string {
  const lines: string[] = [];
  const count = impact.impacted.length;
  if (count === 0) lines.push('No CI of the CMDB is impacted.');
  else {
    lines.push(`Impact of ${describeStart(impact)}: ${count} ${count === 1 ? 'CI' : 'CIs'}`);
    const pathOf = shortPaths(impact);
    const rows = impact.impacted.map((ci, p) => [
      printable(ci.id),
      String(ci.depth),
      String(ci.criticality),
      pathOf(p).map(printable).join(' > '),
    ]);
    const header = ['ID', 'DEPTH', 'CRIT', 'VIA'];
    const widths = header.map((title, column) =>
      rows.reduce((width, row) => Math.max(width, row[column]!.length), title.length),
    );
    for (const row of [header, ...rows]) {
      // The last column is not padded: no trailing blanks.
      lines.push(
        row.map((cell, c) => (c < row.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('  '),
      );
    }
  }
  lines.push(...unknownLine(impact.unknown));
  return `${lines.join('\n')}\n`;
}
