import { escapeText, ZERO_WIDTH_SPACE } from '../render/markdown.js';

/** GitHub's limit for an issue or comment body, in characters. */
export const bodyLimit = 65_536;

/**
 * The most characters GitHub could count for a body: UTF-16 code units, plus one per newline in
 * case it is stored as CRLF (the same measure as the sticky comment's).
 */
export function bodyLength(body: string): number {
  let newlines = 0;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) newlines++;
  return body.length + newlines;
}

// Terminal escape sequences (colours, cursor moves, titles): noise in an issue.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ansi = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g;
// Controls other than tab and newline, bidirectional overrides and marks ("Trojan Source"), BOM.
const invisible =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A check's output made fit for a code block: terminal escapes and invisible controls removed, a
 * line redrawn with carriage returns shown as the terminal last showed it, no `<!--` left whole
 * (no body of ours holds a second marker), trailing blank lines dropped.
 */
export function cleanOutput(output: string): string {
  // Line by line, with no pattern that can backtrack over a megabyte line.
  const lines = output.replace(ansi, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const redrawn = line.lastIndexOf('\r');
    if (redrawn !== -1) line = line.slice(redrawn + 1); // what a progress bar overwrote
    lines[i] = line;
  }
  return lines
    .join('\n')
    .replace(invisible, '')
    .replace(loneSurrogate, '\ufffd')
    .replaceAll('<!--', `<${ZERO_WIDTH_SPACE}!--`)
    .trimEnd();
}

/** The longest a fence may be; longer runs of backticks in the output are shortened to fit. */
const maxFence = 33;

/**
 * Fences untrusted text as a code block that it cannot close: a fence of backticks longer than
 * any run of backticks inside (or tildes, when backticks run long), at least three. Runs too long
 * for either are shortened, so a hostile output cannot make the fence itself blow the budget.
 */
export function fenceFor(text: string): { text: string; fence: string } {
  const backticks = longestRun(text, '`');
  if (backticks < maxFence) return { text, fence: '`'.repeat(Math.max(3, backticks + 1)) };
  const tildes = longestRun(text, '~');
  if (tildes < maxFence) return { text, fence: '~'.repeat(Math.max(3, tildes + 1)) };
  const short = text.replace(new RegExp(`\`{${maxFence},}`, 'g'), '`'.repeat(maxFence - 1));
  return { text: short, fence: '`'.repeat(maxFence) };
}

function longestRun(text: string, char: '`' | '~'): number {
  let longest = 0;
  for (const run of text.matchAll(char === '`' ? /`+/g : /~+/g))
    longest = Math.max(longest, run[0].length);
  return longest;
}

/** The end of a text that fits a budget, and how much of it that is. */
export interface FittedTail {
  text: string;
  /** Something was cut from the front. */
  cut: boolean;
  /** Lines shown (a cut last line counts). */
  lines: number;
}

/**
 * The longest end of `text` that measures at most `budget` (see `bodyLength`), starting at a line
 * when it can: the front is cut, never the end, so the last line is always shown (when it alone
 * is longer than the budget, its end is). Linear in what is kept, not in the whole text.
 */
export function tailThatFits(text: string, budget: number): FittedTail {
  let used = 0;
  let start = text.length;
  let lineStart = -1;
  let i = text.length - 1;
  for (; i >= 0; i--) {
    const cost = text.charCodeAt(i) === 10 ? 2 : 1;
    if (used + cost > budget) break;
    used += cost;
    start = i;
    if (i === 0 || text.charCodeAt(i - 1) === 10) lineStart = i;
  }
  if (i < 0) return { text, cut: false, lines: countLines(text) };
  if (lineStart !== -1) start = lineStart;
  else if (start < text.length && isLowSurrogate(text.charCodeAt(start))) start++;
  const kept = text.slice(start);
  return { text: kept, cut: true, lines: countLines(kept) };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function countLines(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/**
 * Untrusted multi-line text (a back-out plan) as inert markdown that keeps its lines: each line
 * escaped by `escapeText` (no headings, lists, links, mentions, HTML), blank lines kept as one
 * paragraph break, the whole capped at `maxLength` code points and `maxLines` lines.
 */
export function inertLines(untrusted: string, maxLength = 4000, maxLines = 100): string {
  const out: string[] = [];
  let left = maxLength;
  let lines = 0;
  let cut = false;
  for (const raw of untrusted.split(/\r\n|\r|\n/)) {
    if (raw.trim() === '') {
      if (out.length > 0 && out.at(-1) !== '') out.push('');
      continue;
    }
    if (left <= 0 || lines >= maxLines) {
      cut = true;
      break;
    }
    const points = [...raw.trim()].length;
    out.push(escapeText(raw, { maxLength: Math.max(1, Math.min(left, 1000)) }));
    left -= points;
    lines++;
  }
  while (out.at(-1) === '') out.pop();
  if (cut) out.push('…');
  return out.join('\n');
}
