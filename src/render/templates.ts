import type Handlebars from 'handlebars';
import { Handlebars as runtime } from './handlebars.js';
import type { Impact } from '../impact/impact.js';
import { checklistMarkdown } from './approvals.js';
import { safeUrl } from './links.js';
import { escapeText, inlineCode, tableCell } from './markdown.js';
import type { ChangeModel, ReportModel, Route } from './report-model.js';
import { reportMermaid } from './report-mermaid.js';
import { templateSpec, templateText } from './templates.generated.js';

/**
 * The handlebars environment of the report: private (no global helpers leak in or out),
 * compiled once, and with noEscape, because HTML escaping is the wrong escaping for markdown.
 * Every value reaches the output through one of these helpers; a test checks that the
 * templates use nothing else.
 */

const icons: Record<string, string> = {
  error: '❌',
  warning: '⚠️',
  notice: 'ℹ️',
  ok: '✅',
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
  /** A chain of CI ids in a table cell: all of a short one, the first two and last three of a long one. */
  path: (route: Route) => {
    if (!route || (route.head.length === 0 && !route.tail)) return 'named';
    const code = (id: unknown) => inlineCode(id, { maxLength: 80, inTable: true });
    const shown = route.tail
      ? [...route.head.map(code), '…', ...route.tail.map(code)]
      : route.head.map(code);
    return shown.join(' → ');
  },
  /** A count, with thousands separators. */
  num: (value: unknown) => grouped(value),
  /** A count and a noun: `1 change`, `5,000 changes`. */
  plural: (value: unknown, one: unknown, many: unknown) =>
    `${grouped(value)} ${Number(value) === 1 ? String(one) : String(many)}`,
  /** The emoji of a severity, or ok; nothing for an unknown one. */
  icon: (value: unknown) => (Object.hasOwn(icons, String(value)) ? icons[String(value)]! : ''),
  /** A URL we built or checked; empty when it does not check out. */
  url: (value: unknown) => (typeof value === 'string' && safeUrl(value) ? value : ''),
  /** The mermaid block of a change's impact. */
  mermaid: (impact: Impact) => reportMermaid(impact),
  /** The gate's approval checklist: only one `renderedChecklist` made (every part escaped there). */
  checklist: (value: unknown) => checklistMarkdown(value),
  /** The marker line, validated by `renderComment`. */
  marker: (options: HelperOptions) =>
    String((options.data as { root: ReportModel }).root.marker ?? ''),
};

function grouped(value: unknown): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return '0';
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The compiled templates: the two documents and the change section they are measured by. */
export interface Templates {
  comment: Handlebars.TemplateDelegate<ReportModel>;
  summary: Handlebars.TemplateDelegate<ReportModel>;
  change: Handlebars.TemplateDelegate<ChangeModel>;
}

let compiled: Templates | undefined;

/** The templates, precompiled at build time, set up on first use. */
export function templates(): Templates {
  if (compiled) return compiled;
  const hb = runtime.create();
  for (const [name, helper] of Object.entries(templateHelpers)) {
    hb.registerHelper(name, helper as Handlebars.HelperDelegate);
  }
  for (const name of ['header', 'change', 'release', 'findings', 'approvals'] as const)
    hb.registerPartial(name, hb.template(templateSpec[name]));
  hb.registerPartial('missing-change', hb.template(templateSpec.missingChange));
  compiled = {
    comment: hb.template<ReportModel>(templateSpec.comment),
    summary: hb.template<ReportModel>(templateSpec.summary),
    change: hb.template<ChangeModel>(templateSpec.change),
  };
  return compiled;
}

/** The template sources, for the test that checks every output goes through a helper. */
export const templateSources: Readonly<Record<string, string>> = {
  comment: templateText.comment,
  summary: templateText.summary,
  header: templateText.header,
  change: templateText.change,
  release: templateText.release,
  findings: templateText.findings,
  approvals: templateText.approvals,
  'missing-change': templateText.missingChange,
};
