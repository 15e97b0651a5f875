import { githubLength, renderFitted } from './fit.js';
import type { ReportView } from './report-view.js';

/** The hidden first line that names our sticky comment. */
export const reportMarker = '<!-- changeops:report -->';

/** GitHub's limit for an issue or pull request comment body. */
export const commentLimit = 65_536;

/**
 * Room kept free below `maxLength` for the line `upsertStickyComment` inserts under the marker
 * (`<!-- changeops:meta run=… nonce=… -->`, about 60 characters).
 */
export const stickyHeadroom = 128;

/** How to render the sticky comment. */
export interface CommentOptions {
  /** The most characters the body may have; default 65,536 (GitHub's limit). */
  maxLength?: number;
  /** The hidden first line; default `<!-- changeops:report -->`. A single-line HTML comment. */
  marker?: string;
  /** Where file links point; default `https://github.com` (GitHub Enterprise Server differs). */
  serverUrl?: string;
}

/**
 * The sticky PR comment: a marker line, the outcome, a section per change, releases, other
 * findings, where approvals are evaluated and a link to the run. Pure; the body (counted the
 * way GitHub could count it at worst, see `githubLength`) stays `stickyHeadroom` below
 * `maxLength`: it drops the CI tables, then the impact graphs, then findings beyond the first 5
 * of each change, then whole change sections, and then ends with a line that points to the job
 * summary.
 */
export function renderComment(view: ReportView, options: CommentOptions = {}): string {
  const marker = options.marker ?? reportMarker;
  if (!/^<!-- [^\n]*? -->$/.test(marker) || marker.slice(4, -3).includes('--')) {
    throw new RangeError(
      `The comment marker must be one HTML comment on one line, such as ${reportMarker}`,
    );
  }
  const maxLength = options.maxLength ?? commentLimit;
  return renderFitted(view, {
    kind: 'comment',
    marker,
    serverUrl: options.serverUrl,
    budget: maxLength - stickyHeadroom,
    measure: githubLength,
    levels: [
      { ciTables: true, graphs: true, findings: Infinity },
      { ciTables: false, graphs: true, findings: Infinity },
      { ciTables: false, graphs: false, findings: Infinity },
      { ciTables: false, graphs: false, findings: 5 },
    ],
  });
}
