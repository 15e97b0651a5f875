import { describe, expect, it } from 'vitest';
import { policyChangeRule } from '../../../src/rules/policy-change.js';
import type { PolicyDifference, ProposedPolicy } from '../../../src/rules/rule.js';
import { evaluate } from '../../../src/rules/rule.js';
import { crossContext } from '../../fixtures/estate.js';

const record: ProposedPolicy['record'] = {
  kind: 'Policy',
  id: 'acme',
  source: { file: 'changeops.yaml', doc: 0 },
};
/** What a reader sees of the rule's finding on a proposed policy. */
function message(proposed: Partial<ProposedPolicy>): string[] {
  const { context } = crossContext({});
  context.proposedPolicy = { record, usable: true, deleted: false, differences: [], ...proposed };
  return evaluate([policyChangeRule], context).map((finding) => finding.message);
}
const change = (path: string, before: unknown, after: unknown): PolicyDifference => ({
  path,
  at: path.split('.'),
  ...(before === undefined ? {} : { before }),
  ...(after === undefined ? {} : { after }),
});
const tail = "; it takes effect after merge, and until then the base's policy is in force";

describe('policy-change: a pull request is told what it changes in the policy', () => {
  it.each<[string, Partial<ProposedPolicy>, string[]]>([
    [
      'names each change, old -> new',
      {
        differences: [
          change('rules.required-content', 'error', 'off'),
          change('limits.maxAliases', 100, 10000),
        ],
      },
      [
        `this pull request changes the policy: rules.required-content error -> off; limits.maxAliases 100 -> 10000${tail}`,
      ],
    ],
    [
      'says what is added and removed, and quotes text that is not a plain word',
      {
        differences: [
          change('windows[Night]', undefined, { days: ['mon'], from: '22:00' }),
          change('boards.cab.description', 'The CAB', undefined),
        ],
      },
      [
        `this pull request changes the policy: windows[Night] added: {days: [mon], from: 22:00}; boards.cab.description removed (was "The CAB")${tail}`,
      ],
    ],
    [
      'lists ten, then how many more',
      {
        differences: Array.from({ length: 13 }, (_, i) => change(`leadTimeHours.t${i}`, i, i + 1)),
      },
      [
        `this pull request changes the policy: ${Array.from({ length: 10 }, (_, i) => `leadTimeHours.t${i} ${i} -> ${i + 1}`).join('; ')}; and 3 more${tail}`,
      ],
    ],
    [
      'shortens a long value and a long key',
      {
        differences: [
          change(`boards.${'b'.repeat(100)}`, undefined, { members: ['@x'.repeat(50)] }),
        ],
      },
      [
        `this pull request changes the policy: boards.${'b'.repeat(70)}... added: {members: [${'@x'.repeat(23)}...${tail}`,
      ],
    ],
    [
      'says that deleting the policy would bring in the defaults',
      { deleted: true, differences: [change('rules.rogue-change', 'error', 'warning')] },
      [
        `this pull request deletes the policy, so the defaults would be in force: rules.rogue-change error -> warning${tail}`,
      ],
    ],
    [
      'says that a proposed policy that cannot be used changes nothing',
      { usable: false },
      [
        "this pull request changes the policy, but the changeops.yaml it proposes cannot be used (see its errors); the base's policy stays in force, and a policy that cannot be used must not be merged",
      ],
    ],
    ['says nothing when only comments or layout changed', { differences: [] }, []],
  ])('%s', (_, proposed, expected) => {
    expect(message(proposed)).toEqual(expected);
  });

  it('says nothing when the branch proposes no policy', () => {
    const { context } = crossContext({});
    expect(evaluate([policyChangeRule], context)).toEqual([]);
  });
});
