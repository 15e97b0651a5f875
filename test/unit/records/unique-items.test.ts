import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../../../src/records/schemas.js';

/**
 * uniqueItems in the generated validators looks items up in a Map (scripts/gen-validators.mjs),
 * not as the keys of a plain object: an id that is also the name of an object's property, or
 * `__proto__`, is counted like any other.
 */
const duplicates = (dependsOn: unknown[]) =>
  schemaErrors('ConfigurationItem', { dependsOn })
    .filter((error) => error.keyword === 'uniqueItems')
    .map((error) => error.params);

describe('a CI that depends on the same CI twice', () => {
  it.each(['pg-payments', 'constructor', 'tostring', '__proto__', 'hasOwnProperty'])(
    'is told it lists %s twice, with both places',
    (id) => {
      expect(duplicates(['api', id, 'web', id])).toEqual([{ i: 1, j: 3 }]);
    },
  );

  it.each([
    ['two items', ['api', 'api'], { i: 0, j: 1 }],
    ['eight items, the repeat far apart', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'a'], { i: 0, j: 7 }],
    [
      'nine items (past the pairwise check)',
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'a'],
      { i: 0, j: 8 },
    ],
    ['three repeats, the last two found first', ['x', 'y', 'x', 'x'], { i: 2, j: 3 }],
  ])('is told of a repeat in %s, with both places', (_, dependsOn, params) => {
    expect(duplicates(dependsOn)).toEqual([params]);
  });

  it('is told nothing when every item differs, short or long', () => {
    expect(duplicates(['api', 'web'])).toEqual([]);
    expect(duplicates(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])).toEqual([]);
  });

  it('is told nothing when every item differs, text or not', () => {
    expect(duplicates(['api', 'web', 'constructor', '__proto__', 7, 7])).toEqual([]);
  });
});
