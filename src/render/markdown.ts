/**
 * Escaping of untrusted text for GitHub-flavoured markdown. Everything a record says (titles,
 * messages quoting values, file names, CI names) comes from a pull request, so the report shows it
 * as inert text: it never becomes markup, a link, a mention that notifies, a cross-reference that
 * writes into another issue's timeline, or a hidden marker that our own comment lookup would trust.
 *
 * Three layers, because GitHub processes a comment in three stages:
 * 1. the markdown parser (headings, lists, tables, links, HTML, code, math): the characters that
 *    start a construct are written as numeric HTML entities. An entity is decoded into the text
 *    node after parsing, so the parser (and every GitHub parser extension that scans raw sequences,
 *    such as math or table pipes) never sees the character. Backslash escapes would also work for
 *    CommonMark, but not for every extension, and table cells treat `\|` specially.
 * 2. the filters that run on the rendered text nodes (mentions, issue references, bare-URL
 *    autolinks, commit SHAs, emoji shortcodes): entities are already decoded there, so a zero-width space (U+200B)
 *    is inserted where the pattern would match (after `@`, between `#` and digits, inside `://`).
 *    It is invisible; a reader who copies the text gets it too, the price of not notifying.
 * 3. GitHub's limits: newlines are collapsed (the text never spans a line, so it cannot start a
 *    block or end our construct), invisible controls are removed, and the length is capped.
 */

/** The zero-width space that breaks mention, reference and URL patterns without being seen. */
export const ZERO_WIDTH_SPACE = '\u200B';

/** How long a text may be (in code points, before escaping) unless the caller says otherwise. */
export const defaultMaxLength = 1000;

/** Options of the escaping functions. */
export interface EscapeOptions {
  /** Cap in code points before escaping; longer text ends with `…`. */
  maxLength?: number;
}

/**
 * Makes untrusted text inert in GitHub-flavoured markdown, on one line, capped in length: it shows
 * as the same characters, but creates no markup, link, mention, reference or HTML.
 */
export function escapeText(untrusted: unknown, options: EscapeOptions = {}): string {
  const text = cap(clean(untrusted), options.maxLength ?? defaultMaxLength);
  if (text === '') return '';
  return guardLineStart(encodeMarkup(breakAutolinks(text)));
}

/**
 * Escapes untrusted text for a GFM table cell. `escapeText` already writes `|` as an entity (the
 * table splitter never sees it), so a cell differs only by its shorter default cap.
 */
export function tableCell(untrusted: unknown, options: EscapeOptions = {}): string {
  return escapeText(untrusted, { maxLength: options.maxLength ?? 200 });
}

/** Options of `inlineCode`. */
export interface InlineCodeOptions extends EscapeOptions {
  /** The span sits in a GFM table cell: pipes are written `\|`, which the table splitter needs. */
  inTable?: boolean;
}

/**
 * Shows untrusted text as a code span: fenced by one more backtick than the longest run inside, so
 * the text cannot close it. Inside a code span GitHub renders no markup, links, mentions or
 * references, so nothing else is escaped, except that `<!--` is broken: the body of our comment
 * must contain no second `<!-- changeops:... -->` marker, not even inside code.
 */
export function inlineCode(untrusted: unknown, options: InlineCodeOptions = {}): string {
  let text = cap(clean(untrusted), options.maxLength ?? 300);
  if (text === '') return '';
  text = text.replaceAll('<!--', `<${ZERO_WIDTH_SPACE}!--`);
  // In a table, the splitter ends a cell at any `|` not preceded by a backslash (even in a code
  // span), then removes one backslash before each pipe: `\|` comes out as `|`, `\\|` as `\|`.
  if (options.inTable) text = text.replaceAll('|', '\\|');
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from both ends of a span; a span that starts or ends with a
  // backtick needs that space, or the backtick would join the fence.
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

// C0 and C1 controls (other than whitespace), bidirectional overrides, isolates and marks (they can
// make text read differently from what it is: "Trojan Source"), and the byte-order mark.
const invisible =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// A lone surrogate cannot be encoded as UTF-8: GitHub would reject the whole body.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text on one line, without invisible controls, well-formed, trimmed. */
function clean(untrusted: unknown): string {
  if (untrusted === undefined || untrusted === null) return '';
  return String(untrusted)
    .replace(loneSurrogate, '\ufffd')
    .replace(invisible, '')
    .replace(/[\s\u0085]+/g, ' ')
    .trim();
}

/** At most `max` code points (never half a surrogate pair), the last one an ellipsis when cut. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  let points = 0;
  let cut = 0;
  for (let i = 0; i < text.length;) {
    const step = text.codePointAt(i)! > 0xffff ? 2 : 1;
    points++;
    if (points === max) cut = i;
    if (points > max) return `${text.slice(0, cut).trimEnd()}…`;
    i += step;
  }
  return text;
}

/**
 * Breaks what GitHub links or notifies on after parsing, in the decoded text:
 * - `@user`, `@org/team` (mentions notify) and `user@example.com` (email autolinks): after every
 *   `@`;
 * - `#123`, `owner/repo#123`, `GH-123` (references autolink and add an event to the timeline of
 *   the issue referred to, in any repository): between the marker and the digits;
 * - bare URLs `https://…`, `ftp://…`, `www.…` (GFM extended autolinks): inside `://`, `www.`;
 * - commit SHAs (7 to 40 hex characters with a letter and a digit, autolinked to a commit that
 *   may live in a fork): every six characters.
 * - emoji shortcodes (`:white_check_mark: Approved by the CAB` would show a green tick that
 *   looks like our own): after the opening colon. A bare pair of digits (the `:30:` of 22:30:00)
 *   names no emoji and stays as it is.
 * Autolink prefixes a repository admin configured (such as `JIRA-123`) are left alone: they link
 * to where the admins chose.
 */
function breakAutolinks(text: string): string {
  const z = ZERO_WIDTH_SPACE;
  return text
    .replace(/:(?=(?!\d\d:)[\w+-]+:)/g, `:${z}`)
    .replaceAll('@', `@${z}`)
    .replace(/#(?=\d)/g, `#${z}`)
    .replace(/\bGH-(?=\d)/gi, (m) => `${m}${z}`)
    .replaceAll('://', `:${z}//`)
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}${z}.`)
    .replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b/gi, (m) =>
      (m.match(/.{1,6}/g) ?? []).join(z),
    );
}

// The characters that start an inline or block construct anywhere on a line: HTML and autolinks
// (`<`), entities (`&`, or `&#64;` would decode to a live `@`), code (`` ` ``, `~`), emphasis and
// strikethrough (`*`, `_`, `~`), links, images and footnotes (`[`, `]`), tables (`|`), headings
// and references (`#`), math (`$`, and `\\(`), backslash escapes (`\`).
const markup: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '~': '&#126;',
  '#': '&#35;',
  $: '&#36;',
};

function encodeMarkup(text: string): string {
  return text.replace(/[&<>\\`*_[\]|~#$]/g, (c) => markup[c]!);
}

/**
 * The characters that start a block only at the start of a line: list items (`-`, `+`, `1.`,
 * `1)`), setext underlines and thematic breaks (`-`, `=`). A text is never placed at a line start
 * by our templates, but a caller might.
 */
function guardLineStart(text: string): string {
  const first = text[0];
  if (first === '-') return `&#45;${text.slice(1)}`;
  if (first === '+') return `&#43;${text.slice(1)}`;
  if (first === '=') return `&#61;${text.slice(1)}`;
  return text.replace(
    /^(\d+)([.)])/,
    (_m, digits: string, mark: string) => `${digits}&#${mark.charCodeAt(0)};`,
  );
}
