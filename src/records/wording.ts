import type { FieldPath } from './locate.js';

/**
 * Wording helpers every message uses: a value quoted safely, a field path as people write it,
 * the closest known word to a typo, and a short list of many items.
 */

/** A value quoted for a message, shortened so a hostile value cannot flood the output. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(short);
  }
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping';
  return String(value);
}

/** A path as people write it: `plan.backout`, `cis[1]`. */
export function fieldName(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/**
 * The allowed word closest to a misspelling, when it is close enough to be a likely typo: a few
 * edits away (a swap of neighbouring letters is one), but not so short that any word would be
 * close ("5" is not a typo of "1"), or the start of exactly one allowed word ("warn").
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  const close =
    bestDistance <= Math.max(1, Math.floor(word.length / 3)) && bestDistance < word.length;
  if (best !== undefined && close) return best;
  if (lower.length >= 3) {
    const prefixed = candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

/** Edit distance where swapping two neighbouring letters is one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let cost = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        cost = Math.min(cost, before[j - 2]! + 1);
      }
      current[j] = cost;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** The first few items of a list and how many more: `a, b, c and 4 more`. */
export function listSome(items: readonly string[], few = 5): string {
  if (items.length <= few) {
    return items.length <= 1
      ? (items[0] ?? '')
      : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  }
  return `${items.slice(0, few).join(', ')} and ${items.length - few} more`;
}
