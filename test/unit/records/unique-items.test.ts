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

  it('is told nothing when every item differs, text or not', () => {
    expect(duplicates(['api', 'web', 'constructor', '__proto__', 7, 7])).toEqual([]);
  });
});
