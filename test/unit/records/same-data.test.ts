import { describe, expect, it } from 'vitest';
import { changedFields, sameData } from '../../../src/records/same-data.js';

describe('sameData: whether two parsed records hold the same data', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['the same scalars', 'a', 'a', true],
    ['mappings with their keys in another order', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    ['a list in another order', [1, 2], [2, 1], false],
    ['a key more', { a: 1 }, { a: 1, b: undefined }, false],
    ['a number and its text', { a: 1 }, { a: '1' }, false],
    ['a list and a mapping', [], {}, false],
    ['null and a mapping', null, {}, false],
    [
      'nested values that differ deep down',
      { a: { b: { c: [1] } } },
      { a: { b: { c: [2] } } },
      false,
    ],
  ])('%s', (_, a, b, same) => {
    expect(sameData(a, b)).toBe(same);
  });

  it('compares a value nested 100,000 deep without overflowing the stack', () => {
    const deep = (leaf: number) => {
      let value: unknown = leaf;
      for (let i = 0; i < 100_000; i++) value = [value];
      return value;
    };
    expect(sameData(deep(1), deep(1))).toBe(true);
    expect(sameData(deep(1), deep(2))).toBe(false);
  });

  it('names the top-level fields that differ', () => {
    expect(
      changedFields(
        { id: 'a', criticality: 1, paths: ['x'] },
        { id: 'a', criticality: 4, owner: 'b' },
      ),
    ).toEqual(['criticality', 'paths', 'owner']);
  });
});
