import Handlebars from 'handlebars';
import { sortFindings, type Finding, type Severity } from '../records/finding.js';
import type { Impact, ImpactedCi } from '../impact/impact.js';
import { renderImpactMermaid } from './impact-mermaid.js';
import { escapeText, inlineCode, tableCell } from './markdown.js';
import type { ChangeView, ImpactedCiView, ReleaseView, ReportView } from './report-view.js';
import approvalsSource from './templates/approvals.hbs';
import changeSource from './templates/change.hbs';
import commentSource from './templates/comment.hbs';
import findingsSource from './templates/findings.hbs';
import headerSource from './templates/header.hbs';
import releaseSource from './templates/release.hbs';
import summarySource from './templates/summary.hbs';

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
 * findings, the approval checklist and a link to the run. Pure; the body (counted the way GitHub
 * could count it at worst, see `githubLength`) stays `stickyHeadroom` below `maxLength`: it drops
 * the CI tables, then the impact graphs, then findings beyond the first 5 of each change, then
 * whole change sections, and then ends with a line that points to the job summary.
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

/**
 * The most characters GitHub could count for a body: UTF-16 code units (at least the number of
 * code points or graphemes; a body whose UTF-16 length is under 65,536 is also under GitHub's
 * 262,144-byte storage cap), plus one for each newline in case it is stored as CRLF.
 */
export function githubLength(body: string): number {
  let newlines = 0;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) newlines++;
  return body.length + newlines;
}

/** How much one rendering shows; renderers step down through a list of these until it fits. */
export interface Detail {
  /** The collapsible table of impacted CIs under each change. */
  ciTables: boolean;
  /** The mermaid graph of impacted CIs under each change. */
  graphs: boolean;
  /** How many findings each change, release and "other findings" list shows (Infinity: all). */
  findings: number;
}

/** What `renderFitted` needs to know about the document it renders. */
export interface Layout {
  kind: 'comment' | 'summary';
  marker?: string;
  serverUrl?: string | undefined;
  /** The most the document may measure. */
  budget: number;
  /** How the document is measured: characters for a comment, bytes for a summary. */
  measure: (text: string) => number;
  /** From the most detailed to the least; change sections are cut at the last one. */
  levels: readonly Detail[];
}

/**
 * Renders the report at the first level of detail that fits the budget, else at the last level
 * with as many change sections as fit (then without releases, other findings and approvals).
 * Shared by the comment and the job summary. Never cuts text: it renders less of it.
 */
export function renderFitted(view: ReportView, layout: Layout): string {
  const t = templates();
  const main = layout.kind === 'comment' ? t.comment : t.summary;
  const link = fileLinker(view, layout.serverUrl);
  const { budget, measure, levels } = layout;
  if (levels.length === 0) throw new RangeError('renderFitted needs at least one level of detail');
  const count = view.changes.length;
  // One level's renderings. Section models are built when first rendered: a 5,000-change report
  // that fits only a few sections should not allocate 5,000 of them at every level.
  const at = (i: number) => {
    const detail = levels[i]!;
    const models: ChangeModel[] = [];
    const section = (index: number) =>
      (models[index] ??= changeModel(view.changes[index]!, detail, link, layout.kind));
    const frame = (shown: number, cut: Cut) => {
      const changes = Array.from({ length: shown }, (_, index) => section(index));
      return reportModel(view, detail, link, layout, changes, cut, i > 0);
    };
    return { section, frame };
  };
  for (let i = 0; i < levels.length; i++) {
    const { section, frame } = at(i);
    // Measure section by section and stop early: a 5,000-change report renders no more than the
    // budget at each level. Sections are partials at the start of a line, so lengths add up.
    let total = measure(main(frame(0, 'none')));
    for (let index = 0; index < count && total <= budget; index++) {
      total += measure(t.change(section(index)));
    }
    if (total <= budget) {
      const body = main(frame(count, 'none'));
      if (measure(body) <= budget) return body;
    }
  }
  // Cut change sections at the last level: as many as fit with the note that says how many are
  // not shown, then one fewer until the whole body fits (the note's numbers change its length).
  const { section, frame } = at(levels.length - 1);
  let total = measure(main(frame(0, 'changes')));
  let shown = 0;
  while (shown < count) {
    const next = total + measure(t.change(section(shown)));
    if (next > budget) break;
    total = next;
    shown++;
  }
  for (; shown >= 0; shown--) {
    const body = main(frame(shown, 'changes'));
    if (measure(body) <= budget) return body;
  }
  const bare = main(frame(0, 'sections'));
  if (measure(bare) <= budget) return bare;
  throw new RangeError(`The report does not fit in ${budget} even with nothing but its outcome`);
}

// ---------------------------------------------------------------------------------------------
// The models the templates read: untrusted strings stay raw here and are escaped by the helpers.

interface FindingModel {
  severity: Severity;
  location: string;
  url?: string;
  message: string;
  rule: string;
}

interface FindingsModel {
  findings: FindingModel[];
  moreFindings: number;
  inComment: boolean;
}

interface ChangeModel extends FindingsModel {
  change: ChangeView;
  worst: Severity | 'ok';
  schedule?: string;
  impactedCount: number;
  graph?: readonly ImpactedCiView[];
  table?: { ci: ImpactedCiView; route: readonly string[] }[];
}

interface ReleaseModel extends FindingsModel {
  release: ReleaseView;
  worst: Severity | 'ok';
}

interface ReportModel {
  marker?: string;
  counts: ReportView['counts'];
  changeCount: number;
  releaseCount: number;
  base?: string;
  advisory: boolean;
  changes: ChangeModel[];
  releases: ReleaseModel[];
  others?: FindingsModel;
  approvals?: {
    approved: boolean;
    pending: boolean;
    blocked: boolean;
    advisory: boolean;
    items: NonNullable<ReportView['approvals']>['items'];
  };
  bare: boolean;
  runUrl?: string;
  truncated: boolean;
  omittedChanges: number;
  omittedSections: boolean;
}

type Linker = (finding: Finding) => string | undefined;

/** What a rendering leaves out beyond its detail: nothing, change sections, all but the outcome. */
type Cut = 'none' | 'changes' | 'sections';

const severityRank: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

function reportModel(
  view: ReportView,
  detail: Detail,
  link: Linker,
  layout: Layout,
  changes: ChangeModel[],
  cut: Cut,
  reduced: boolean,
): ReportModel {
  const inComment = layout.kind === 'comment';
  const bare = cut === 'sections';
  const others = bare ? [] : view.otherFindings;
  const approvals = view.approvals;
  return {
    ...(layout.marker ? { marker: layout.marker } : {}),
    counts: view.counts,
    changeCount: view.changes.length,
    releaseCount: view.releases.length,
    ...(view.base ? { base: view.base } : {}),
    advisory: view.advisory === true,
    changes,
    releases: bare
      ? []
      : view.releases.map((release) => ({
          release,
          worst: worst(release.findings),
          ...findingsModel(release.findings, detail, link, inComment),
        })),
    ...(others.length > 0 ? { others: findingsModel(others, detail, link, inComment) } : {}),
    ...(approvals
      ? {
          approvals: {
            approved: approvals.state === 'approved',
            pending: approvals.state === 'pending',
            blocked: approvals.state === 'blocked',
            advisory: approvals.state === 'advisory',
            items: approvals.items,
          },
        }
      : {}),
    bare,
    ...(safeUrl(view.runUrl) ? { runUrl: view.runUrl } : {}),
    truncated: reduced || cut !== 'none',
    omittedChanges: view.changes.length - changes.length,
    omittedSections: bare,
  };
}

function changeModel(
  change: ChangeView,
  detail: Detail,
  link: Linker,
  kind: Layout['kind'],
): ChangeModel {
  const impacted = [...change.impacted].sort((a, b) => a.depth - b.depth);
  return {
    change,
    worst: worst(change.findings),
    ...(change.schedule ? { schedule: `${change.schedule.start} → ${change.schedule.end}` } : {}),
    ...findingsModel(change.findings, detail, link, kind === 'comment'),
    impactedCount: impacted.length,
    ...(detail.graphs && impacted.length > 0 ? { graph: impacted } : {}),
    ...(detail.ciTables && impacted.length > 0
      ? { table: impacted.map((ci) => ({ ci, route: ci.via.slice(0, -1) })) }
      : {}),
  };
}

/** Errors first, then the order a compiler prints them in; at most `detail.findings` of them. */
function findingsModel(
  all: readonly Finding[],
  detail: Detail,
  link: Linker,
  inComment: boolean,
): FindingsModel {
  const sorted = sortFindings(all).sort(
    (a, b) => severityRank[a.severity] - severityRank[b.severity],
  );
  const shown = sorted.slice(0, detail.findings);
  return {
    findings: shown.map((f) => {
      const url = link(f);
      return {
        severity: f.severity,
        location: f.line >= 1 ? `${f.file}:${f.line}` : f.file,
        ...(url ? { url } : {}),
        message: f.message,
        rule: f.rule,
      };
    }),
    moreFindings: all.length - shown.length,
    inComment,
  };
}

function worst(findings: readonly Finding[]): Severity | 'ok' {
  let best: Severity | 'ok' = 'ok';
  for (const f of findings) {
    if (f.severity === 'error') return 'error';
    if (f.severity === 'warning' || best === 'ok') best = f.severity;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Links, built only from parts we can check: the repository and commit from the event, the path
// segment by segment. An untrusted part that does not check out gives no link, just the text.

const repositoryPattern = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const shaPattern = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function fileLinker(view: ReportView, serverUrl = 'https://github.com'): Linker {
  const server = serverUrl.replace(/\/+$/, '');
  const repository = view.repository ?? '';
  const sha = view.headSha ?? '';
  if (!safeUrl(server) || !repositoryPattern.test(repository) || !shaPattern.test(sha)) {
    return () => undefined;
  }
  if (repository.split('/').some((part) => part === '.' || part === '..')) return () => undefined;
  return (finding) => {
    const segments = finding.file.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
    const path = segments.map(encodePathSegment).join('/');
    const anchor = Number.isInteger(finding.line) && finding.line >= 1 ? `#L${finding.line}` : '';
    return `${server}/${repository}/blob/${sha}/${path}${anchor}`;
  };
}

/** encodeURIComponent leaves `!'()*` alone; a `)` would end a markdown link destination. */
function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** An http(s) URL with nothing that could end a markdown link or an HTML attribute. */
function safeUrl(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\/[^\s<>()[\]`"'\\|]+$/.test(url) && url.length <= 2000;
}

// ---------------------------------------------------------------------------------------------
// The mermaid graph of a change's impact, drawn by the same renderer as `changeops impact` (node
// ids generated, every label escaped for mermaid, see impact-mermaid.ts) inside a fenced block.
// Its labels never hold a backtick, so nothing from a record can close the fence.

/** How many CIs a graph draws; the CI table lists them all. */
const graphNodeCap = 40;

/** A fenced mermaid `graph` of impacted CIs, the nearest first, from the view's explanations. */
export function impactMermaid(impacted: readonly ImpactedCiView[]): string {
  const sorted = [...impacted].sort((a, b) => a.depth - b.depth);
  const position = new Map<string, number>();
  const entries: ImpactedCi[] = [];
  const parents: number[] = [];
  for (const ci of sorted) {
    if (position.has(ci.id)) continue;
    // The renderer draws an edge from each CI's parent, which must come before it. A view whose
    // explanation names no earlier CI gets its CI drawn as a start rather than a dangling edge.
    const parent =
      ci.relation === 'direct' ? -1 : (position.get(ci.via[ci.via.length - 2] ?? '') ?? -1);
    position.set(ci.id, entries.length);
    entries.push({
      id: ci.id,
      name: ci.name,
      depth: ci.depth,
      relation: parent === -1 ? 'direct' : ci.relation,
      criticality: ci.criticality,
      environment: ci.environment ?? null,
    });
    parents.push(parent);
  }
  const impact: Impact = {
    start: entries.filter((e) => e.relation === 'direct').map((e) => e.id),
    unknown: [],
    impacted: entries,
    indices: new Int32Array(entries.length),
    parents: Int32Array.from(parents),
  };
  return `\`\`\`mermaid\n${renderImpactMermaid(impact, { maxNodes: graphNodeCap })}\`\`\``;
}

// ---------------------------------------------------------------------------------------------
// The handlebars environment: private (no global helpers leak in or out), compiled once, and
// with noEscape, because HTML escaping is the wrong escaping for markdown. Every value reaches
// the output through one of these helpers; a test checks that the templates use nothing else.

const icons: Record<string, string> = {
  error: '❌',
  warning: '⚠️',
  notice: 'ℹ️',
  ok: '✅',
  satisfied: '✅',
  pending: '⏳',
  blocked: '⛔',
  skipped: '➖',
};

type HelperOptions = Handlebars.HelperOptions;
const maxOf = (options: HelperOptions): number | undefined =>
  typeof options.hash['max'] === 'number' ? (options.hash['max'] as number) : undefined;
const orDash = (text: string): string => (text === '' ? '—' : text);

/** The helpers the templates may call, by name: the test of the templates reads this list. */
export const templateHelpers = {
  /** Untrusted text in a paragraph, heading or list item. */
  text: (value: unknown, options: HelperOptions) =>
    escapeText(value, { maxLength: maxOf(options) }),
  /** Untrusted text as a code span. */
  code: (value: unknown, options: HelperOptions) =>
    inlineCode(value, { maxLength: maxOf(options) }),
  /** Untrusted text in a table cell; an em dash when empty. */
  cell: (value: unknown, options: HelperOptions) =>
    orDash(tableCell(value, { maxLength: maxOf(options) })),
  /** Untrusted text as a code span in a table cell. */
  cellcode: (value: unknown, options: HelperOptions) =>
    orDash(inlineCode(value, { maxLength: maxOf(options) ?? 100, inTable: true })),
  /** A chain of CI ids in a table cell: the first two, an ellipsis, the last three when long. */
  path: (ids: readonly unknown[]) => {
    if (!Array.isArray(ids) || ids.length === 0) return 'named';
    const code = (id: unknown) => inlineCode(id, { maxLength: 80, inTable: true });
    const shown =
      ids.length > 6
        ? [...ids.slice(0, 2).map(code), '…', ...ids.slice(-3).map(code)]
        : ids.map(code);
    return shown.join(' → ');
  },
  /** A count, with thousands separators. */
  num: (value: unknown) => grouped(value),
  /** A count and a noun: `1 change`, `5,000 changes`. */
  plural: (value: unknown, one: unknown, many: unknown) =>
    `${grouped(value)} ${Number(value) === 1 ? String(one) : String(many)}`,
  /** The emoji of a severity or approval state; nothing for an unknown one. */
  icon: (value: unknown) => (Object.hasOwn(icons, String(value)) ? icons[String(value)]! : ''),
  /** A URL we built or checked; empty when it does not check out. */
  url: (value: unknown) => (typeof value === 'string' && safeUrl(value) ? value : ''),
  /** The mermaid block of a change's impacted CIs. */
  mermaid: (impacted: readonly ImpactedCiView[]) => impactMermaid(impacted),
  /** The marker line, validated by `renderComment`. */
  marker: (options: HelperOptions) =>
    String((options.data as { root: ReportModel }).root.marker ?? ''),
};

function grouped(value: unknown): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return '0';
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

interface Templates {
  comment: Handlebars.TemplateDelegate<ReportModel>;
  summary: Handlebars.TemplateDelegate<ReportModel>;
  change: Handlebars.TemplateDelegate<ChangeModel>;
}

let compiled: Templates | undefined;

function templates(): Templates {
  if (compiled) return compiled;
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(templateHelpers)) {
    hb.registerHelper(name, helper as Handlebars.HelperDelegate);
  }
  hb.registerPartial({
    header: headerSource,
    change: changeSource,
    release: releaseSource,
    findings: findingsSource,
    approvals: approvalsSource,
  });
  // preventIndent: a partial's lines are markdown, where leading spaces change the meaning.
  const options = { noEscape: true, preventIndent: true, knownHelpersOnly: false };
  compiled = {
    comment: hb.compile<ReportModel>(commentSource, options),
    summary: hb.compile<ReportModel>(summarySource, options),
    change: hb.compile<ChangeModel>(changeSource, options),
  };
  return compiled;
}

/** The template sources, for the test that checks every output goes through a helper. */
export const templateSources: Readonly<Record<string, string>> = {
  comment: commentSource,
  summary: summarySource,
  header: headerSource,
  change: changeSource,
  release: releaseSource,
  findings: findingsSource,
  approvals: approvalsSource,
};
