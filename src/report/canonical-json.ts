import { createHash } from 'node:crypto';

/**
 * One text for one value, whatever order its keys were built in: JSON with every object's keys
 * sorted by UTF-16 code units and no whitespace, numbers and strings as ECMAScript writes them
 * (the form of RFC 8785, JSON Canonicalization). `undefined` members are left out as JSON
 * leaves them out; a number that is not finite, which JSON cannot hold, is written null.
 * Iterative, so a deep value cannot overflow the stack.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // Work items: a value to write, or a literal piece of punctuation.
  const stack: Array<{ value: unknown } | { text: string }> = [{ value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const current = toJsonValue(item.value);
    if (current === null || typeof current !== 'object') {
      out.push(scalar(current));
      continue;
    }
    const pieces: Array<{ value: unknown } | { text: string }> = [];
    if (Array.isArray(current)) {
      pieces.push({ text: '[' });
      current.forEach((element, index) => {
        if (index > 0) pieces.push({ text: ',' });
        // JSON writes an undefined element or a function in an array as null.
        pieces.push({ value: element === undefined ? null : element });
      });
      pieces.push({ text: ']' });
    } else {
      pieces.push({ text: '{' });
      const keys = Object.keys(current)
        .filter((key) => (current as Record<string, unknown>)[key] !== undefined)
        .sort();
      keys.forEach((key, index) => {
        if (index > 0) pieces.push({ text: ',' });
        pieces.push({ text: `${JSON.stringify(key)}:` });
        pieces.push({ value: (current as Record<string, unknown>)[key] });
      });
      pieces.push({ text: '}' });
    }
    for (let i = pieces.length - 1; i >= 0; i--) stack.push(pieces[i]!);
  }
  return out.join('');
}

/** `sha256:` and the hex SHA-256 of a value's canonical JSON, in UTF-8. */
export function digestOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}

function toJsonValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'toJSON' in value) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return (toJSON as () => unknown).call(value);
  }
  return value;
}

function scalar(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  // null, and what JSON cannot hold in a member's place (a function, a symbol, a bigint).
  return 'null';
}
