import { renderFitted } from './fit.js';
import type { ReportView } from './report-view.js';

/** GitHub's limit for the job summary of one step: 1 MiB. */
export const summaryLimit = 1024 * 1024;

/** How to render the job summary. */
export interface SummaryOptions {
  /**
   * The most UTF-8 bytes the summary may take; default 1 MiB less 16 KiB, room for whatever else
   * the step appends to `GITHUB_STEP_SUMMARY` (such as annotations that did not fit).
   */
  maxBytes?: number;
  /** Where file links point; default `https://github.com`. */
  serverUrl?: string;
}

/**
 * The full report for `GITHUB_STEP_SUMMARY`: the comment's sections with every finding, graph and
 * CI table. Pure. Over the size limit it drops the CI tables, then the graphs, then whole change
 * sections, and says so in a closing note; it never cuts text in the middle.
 */
export function renderSummary(view: ReportView, options: SummaryOptions = {}): string {
  const body = renderFitted(view, {
    kind: 'summary',
    serverUrl: options.serverUrl,
    budget: options.maxBytes ?? summaryLimit - 16 * 1024,
    measure: utf8Length,
    levels: [
      { ciTables: true, graphs: true, findings: Infinity },
      { ciTables: false, graphs: true, findings: Infinity },
      { ciTables: false, graphs: false, findings: Infinity },
    ],
  });
  // Sections end with a blank line; the file should end with one newline (only ever shorter).
  return body.replace(/\n+$/, '\n');
}

/** The UTF-8 size of a string, without encoding it (the summary limit is in bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      i++;
    }
    // Any other unit takes 3 bytes, a lone surrogate too (it would be written as U+FFFD).
    else bytes += 3;
  }
  return bytes;
}
