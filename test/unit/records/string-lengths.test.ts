import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../../../src/records/schemas.js';
import type { RecordKind } from '../../../src/records/kinds.js';

/**
 * The generated validators compare a string's plain length (UTF-16 units) with its bounds first
 * and count code points only where that cannot settle it (scripts/gen-validators.mjs): the
 * outcome must be the schema's, which counts code points, for every string. A rocket emoji is one
 * code point and two units; a lone surrogate is one of each.
 */
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

const fields: Array<{ kind: RecordKind; field: string; min: number; max: number }> = [
  { kind: 'ConfigurationItem', field: 'name', min: 1, max: 200 },
  { kind: 'Change', field: 'title', min: 3, max: 200 },
];

/** The length keywords the schema reports on the field, if any. */
function lengthErrors(kind: RecordKind, field: string, value: string): string[] {
  return schemaErrors(kind, { [field]: value })
    .filter((error) => error.instancePath === `/${field}`)
    .map((error) => error.keyword)
    .filter((keyword) => keyword === 'minLength' || keyword === 'maxLength');
}

/** What the schema says of a string's length, in code points (a lone surrogate is one). */
function expected(value: string, min: number, max: number): string[] {
  const count = [...value].length;
  return count > max ? ['maxLength'] : count < min ? ['minLength'] : [];
}

describe.each(fields)('the length of a $kind $field', ({ kind, field, min, max }) => {
  it.each([
    ['the longest name of emoji', '🚀'.repeat(max), []],
    ['one emoji past the longest', '🚀'.repeat(max + 1), ['maxLength']],
    ['the shortest of emoji', '🚀'.repeat(min), []],
    ['one emoji short of the shortest', '🚀'.repeat(min - 1), ['minLength']],
    ['plain text at the longest', 'a'.repeat(max), []],
    ['plain text a letter over', 'a'.repeat(max + 1), ['maxLength']],
    ['lone surrogates at the longest', '\uD800'.repeat(max), []],
  ])('counts %s in characters, as the schema does', (_, value, keywords) => {
    expect(lengthErrors(kind, field, value)).toEqual(keywords);
  });

  it('agrees with a count of code points for any mix of letters, emoji and lone surrogates', () => {
    const unit = fc.constantFrom('a', 'é', '🚀', '\uD83D', '\uDE80');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 2 * max + 4 }), (value) => {
        expect(lengthErrors(kind, field, value)).toEqual(expected(value, min, max));
      }),
      { numRuns: 500, ...seed },
    );
  });
});
