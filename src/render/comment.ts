import { githubLength, renderFitted } from './fit.js';
import type { ReportView } from './report-view.js';

/** The hidden first line that names our sticky comment (of the repository at the workspace root). */
export const reportMarker = '<!-- changeops:report -->';

/**
 * The folder a report is about as the comment names it: POSIX separators, no `.` parts, no
 * slash at either end; undefined for the workspace root itself (`.`, empty).
 */
export function reportDir(dir: string | undefined): string | undefined {
  const parts = (dir ?? '').split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  return parts.length > 0 ? parts.join('/') : undefined;
}

/**
 * The marker of the report of one repository root, so two changeops steps on one pull request
 * with different `dir` keep two reports: `<!-- changeops:report -->` for the workspace root (as
 * always), `<!-- changeops:report dir=services/a -->` for another folder, percent-encoded so
 * that no folder name can end the HTML comment or hold `--`.
 */
export function reportMarkerFor(dir: string | undefined): string {
  const folder = reportDir(dir);
  if (folder === undefined) return reportMarker;
  const encoded = encodeURIComponent(folder).replace(/%2F/g, '/').replace(/--/g, '-%2D');
  return `<!-- changeops:report dir=${encoded} -->`;
}

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
