/**
 * The YAML mistakes everyone makes in records, found in the text when the parser has given up:
 * a value that starts with `@` (`owner: @acme/payments`) or a backtick, which YAML reserves and
 * refuses, so the whole file would be lost and every reference to its records would fail too.
 */

/** A line with plain values that start with a reserved character, and how to write it. */
export interface ReservedStart {
  /** 1-based line, and column of the line's first such value. */
  line: number;
  column: number;
  /** The reserved character: `@` or a backtick. */
  character: string;
  /** The line with its values quoted, trimmed, without a comment: `owner: "@acme/payments"`. */
  suggestion: string;
}

/** What quoting the reserved starts of a text gives: the text as it parses, and what was quoted. */
export interface QuotedText {
  text: string;
  found: ReservedStart[];
}

const reserved = new Set(['@', '`']);
// A block scalar header at the end of a line: `key: |`, `- >-`, `key: |2+`, before any comment.
const blockScalarHeader = /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/;
// How long a suggestion may be: a line of a record, not a whole hostile file.
const maxSuggestion = 160;

/**
 * Quotes every plain value of a text that starts with `@` or a backtick (block values after
 * `key:` or `- `, flow values after `[`, `{` or `,`), leaving block scalars, quoted text and
 * comments alone. One pass over the text; lines stay where they were, so every other position
 * holds.
 */
export function quoteReservedStarts(text: string): QuotedText {
  const found: ReservedStart[] = [];
  const lines = text.split('\n');
  // Lines more indented than this belong to a block scalar (`|`, `>`), whose text is anything.
  let blockIndent = -1;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    const quoted = quoteLine(line);
    const first = quoted.columns[0];
    if (first) {
      // One finding a line, at its first such value: the suggestion fixes them all.
      lines[n] = quoted.line;
      const suggestion = withoutComment(quoted.line).trim();
      found.push({
        line: n + 1,
        column: first[0],
        character: first[1],
        suggestion:
          suggestion.length > maxSuggestion ? `${suggestion.slice(0, maxSuggestion)}…` : suggestion,
      });
    }
    if (blockScalarHeader.test(withoutComment(line))) blockIndent = indent;
  }
  return { text: found.length > 0 ? lines.join('\n') : text, found };
}

/** The line's text before a comment (`#` at its start or after a space), quotes respected. */
function withoutComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t'))
      return line.slice(0, i).trimEnd();
  }
  return line;
}

/**
 * One line with its reserved plain values quoted, and the 1-based columns where they started.
 * Flow depth is counted on the line alone: a flow list spread over lines is rare in records.
 */
function quoteLine(line: string): { line: string; columns: Array<[number, string]> } {
  const columns: Array<[number, string]> = [];
  let out = '';
  let depth = 0;
  let quote = '';
  // Where a value may start: after `- ` or `key: ` in block context, after [ { , in flow. Not at
  // the start of a line, which may go on a plain value of the line before (where @ is text).
  let valueMayStart = false;
  let lineStart = true;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      out += c;
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < line.length) out += line[++i];
      continue;
    }
    if (c === ' ' || c === '\t') {
      out += c;
      continue;
    }
    const first = lineStart;
    lineStart = false;
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      out += line.slice(i);
      break;
    }
    if (valueMayStart && reserved.has(c)) {
      const end = plainEnd(line, i, depth > 0);
      const value = line.slice(i, end).trimEnd();
      columns.push([i + 1, c]);
      out += JSON.stringify(value) + line.slice(i + value.length, end);
      i = end - 1;
      valueMayStart = false;
      continue;
    }
    if (valueMayStart && (c === '"' || c === "'")) {
      quote = c;
      out += c;
      valueMayStart = false;
      continue;
    }
    out += c;
    if (c === '[' || c === '{') {
      depth++;
      valueMayStart = true;
    } else if (c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
      valueMayStart = false;
    } else if (c === ',' && depth > 0) valueMayStart = true;
    else if (c === '-' && (first || valueMayStart) && /^\s/.test(line[i + 1] ?? '')) {
      // A list item's dash: what follows on the line may be its value, or another dash.
      valueMayStart = true;
      lineStart = true;
    } else if (c === ':' && /\s|$/.test(line[i + 1] ?? '')) valueMayStart = true;
    else valueMayStart = false;
  }
  return { line: out, columns };
}

/** Where a plain value that starts at `start` ends: a comment, the line's end, or in flow , ] }. */
function plainEnd(line: string, start: number, inFlow: boolean): number {
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '#' && (line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
    if (inFlow && (c === ',' || c === ']' || c === '}')) return i;
    if (c === ':' && /\s/.test(line[i + 1] ?? ' ') && inFlow) return i;
  }
  return line.length;
}

/** The finding's sentence for a reserved start: what is wrong and the line to write instead. */
export function reservedStartMessage(found: ReservedStart): string {
  const what = found.character === '@' ? '@' : 'a backtick (`)';
  return `values that start with ${what} must be quoted: ${found.suggestion}`;
}
