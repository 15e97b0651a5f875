import { describe, expect, it } from 'vitest';
import { aChangeOfType, changeType, isPending } from '../../../src/rules/status.js';
import type { Change } from '../../../src/records/types.generated.js';

describe('isPending', () => {
  it.each<[Change['status'], boolean]>([
    ['draft', false],
    ['proposed', true],
    ['approved', true],
    ['implemented', false],
    ['failed', false],
    ['backed-out', false],
    ['closed', false],
    ['rejected', false],
    ['cancelled', false],
  ])('%s is pending: %s', (status, expected) => {
    expect(isPending({ status })).toBe(expected);
  });
});

describe('change types', () => {
  it('knows the three types and nothing else', () => {
    expect(
      ['standard', 'normal', 'emergency', 'minor'].map((type) =>
        changeType({ type } as Pick<Change, 'type'>),
      ),
    ).toEqual(['standard', 'normal', 'emergency', undefined]);
  });

  it('names a type with its article', () => {
    expect([
      aChangeOfType('normal'),
      aChangeOfType('emergency'),
      aChangeOfType('standard'),
    ]).toEqual(['a normal change', 'an emergency change', 'a standard change']);
  });
});
