/**
 * Whether two parsed YAML values hold the same data: the same scalars, lists in the same order,
 * mappings with the same keys (in any order). Comments, quoting, key order and layout are not
 * data, so a record that only changed in them is the same record. Iterative, so a deeply nested
 * value cannot overflow the stack; a value seen twice on one side (a YAML alias) is compared
 * once per pair.
 */
export function sameData(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  const compared = new Map<object, Set<object>>();
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (Object.is(x, y)) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    const seen = compared.get(x);
    if (seen?.has(y)) continue;
    if (seen) seen.add(y);
    else compared.set(x, new Set([y]));
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const other = y as unknown[];
      if (x.length !== other.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], other[i]]);
      continue;
    }
    const xKeys = Object.keys(x);
    const yObject = y as Record<string, unknown>;
    if (xKeys.length !== Object.keys(yObject).length) return false;
    for (const key of xKeys) {
      if (!Object.hasOwn(yObject, key)) return false;
      stack.push([(x as Record<string, unknown>)[key], yObject[key]]);
    }
  }
  return true;
}

/** The top-level fields whose data differ between two mappings: `a`'s keys in order, then `b`'s new ones. */
export function changedFields(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter(
    (key) => Object.hasOwn(a, key) !== Object.hasOwn(b, key) || !sameData(a[key], b[key]),
  );
}
