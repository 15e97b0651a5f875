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
  // A typo is at most this many edits away; a candidate whose length differs by more cannot be
  // that close, so a 1 MB unknown key costs a length comparison per candidate, not an alignment.
  const allowed = Math.min(Math.max(1, Math.floor(word.length / 3)), word.length - 1);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > allowed + 1) continue;
    const bound = Math.min(allowed, bestDistance - 1);
    if (bound < 0) break;
    const distance = editDistance(lower, candidate.toLowerCase(), bound);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  if (best !== undefined && bestDistance <= allowed) return best;
  if (lower.length >= 3) {
    let prefixed: string | undefined;
    for (const candidate of candidates) {
      if (candidate.length < lower.length || !candidate.toLowerCase().startsWith(lower)) continue;
      if (prefixed !== undefined) return undefined;
      prefixed = candidate;
    }
    return prefixed;
  }
  return undefined;
}

/**
 * Edit distance where swapping two neighbouring letters is one edit (optimal string alignment),
 * or `bound + 1` as soon as it is sure to be more than `bound`: a row whose every cell is past
 * the bound can only grow.
 */
function editDistance(a: string, b: string, bound: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  let previousBest = 0;
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
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
      if (cost < rowBest) rowBest = cost;
    }
    // A swap reaches back two rows, so stop only when the row before was past the bound too.
    if (rowBest > bound && previousBest > bound) return bound + 1;
    before = previous;
    previous = current;
    previousBest = rowBest;
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
