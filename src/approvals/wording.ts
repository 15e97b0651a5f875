/**
 * Wording helpers of the gate's sentences. (records/messages.ts has a listSome that joins with
 * "and"; the gate's lists keep commas, so that "for CHG-0042, CHG-0043" reads as a list of ids.)
 */

/** At most `max` items, then "and N more". */
export function listUpTo(items: readonly string[], max: number, separator = ', '): string {
  if (items.length <= max) return items.join(separator);
  return `${items.slice(0, max).join(separator)} and ${items.length - max} more`;
}

/** "a, b and c". */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "a, b or c". */
export function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
