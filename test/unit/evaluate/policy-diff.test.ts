import { describe, expect, it } from 'vitest';
import { policyDifferences } from '../../../src/evaluate/policy-diff.js';
import { effectivePolicy } from '../../../src/records/policy.js';
import type { Policy } from '../../../src/records/types.generated.js';
import { rules } from '../../../src/rules/registry.js';

const policy = (fields: Record<string, unknown> = {}) =>
  effectivePolicy({ apiVersion: 'changeops/v1', kind: 'Policy', id: 'acme', ...fields } as Policy);
const night = {
  name: 'Night',
  days: ['mon'],
  from: '22:00',
  to: '02:00',
};
/** Each difference as a reader sees it: `path: before -> after`, and where it points. */
const seen = (base: Record<string, unknown>, proposed: Record<string, unknown>) =>
  policyDifferences(policy(base), policy(proposed), rules).map(
    (d) =>
      `${d.path}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)} @ ${d.at.join('.')}`,
  );

describe('policyDifferences: what a branch changes in the effective policy', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    [
      'a rule turned off, against its default severity',
      {},
      { rules: { 'required-content': 'off' } },
      ['rules.required-content: "error" -> "off" @ rules.required-content'],
    ],
    [
      'a rule set to the severity it has by default: no difference',
      {},
      { rules: { collision: 'error' } },
      [],
    ],
    [
      'a rule parameter, with the default filled in',
      { rules: { 'required-content': { severity: 'error', minLength: 20 } } },
      { rules: { 'required-content': { minLength: 3 } } },
      ['rules.required-content.minLength: 20 -> 3 @ rules.required-content.minLength'],
    ],
    [
      'a rule id that does not exist, which a reader should still see',
      {},
      { rules: { 'rouge-change': 'off' } },
      ['rules.rouge-change: undefined -> "off" @ rules.rouge-change'],
    ],
    [
      'the limits, each against its default',
      {},
      { limits: { maxAliases: 10000, maxDepth: 64 } },
      ['limits.maxAliases: 100 -> 10000 @ limits.maxAliases'],
    ],
    [
      'a window by its name, wherever it moved in the list',
      { windows: [night, { ...night, name: 'Day', from: '08:00', to: '17:00' }] },
      { windows: [{ ...night, name: 'Day', from: '06:00', to: '17:00' }, night] },
      ['windows[Day].from: "08:00" -> "06:00" @ windows.0.from'],
    ],
    [
      'a window added and a freeze removed',
      { freezes: [{ name: 'Peak', start: '2026-12-18T00:00:00Z', end: '2027-01-04T00:00:00Z' }] },
      { windows: [night] },
      [
        'freezes[Peak]: {"name":"Peak","start":"2026-12-18T00:00:00Z","end":"2027-01-04T00:00:00Z"} -> undefined @ freezes',
        'windows[Night]: undefined -> {"name":"Night","days":["mon"],"from":"22:00","to":"02:00"} @ windows.0',
      ],
    ],
    [
      'a list of principals, as a whole',
      { boards: { cab: { members: ['@acme/cab'] } } },
      { boards: { cab: { members: ['@acme/cab', '@mallory'] } } },
      ['boards.cab.members: ["@acme/cab"] -> ["@acme/cab","@mallory"] @ boards.cab.members'],
    ],
    ['nothing but the same policy', { leadTimeHours: { normal: 48 } }, {}, []],
  ])('%s', (_, base, proposed, expected) => {
    expect(seen(base, proposed)).toEqual(expected);
  });

  it('puts what relaxes the checks first: rules, then limits, then approvals', () => {
    const paths = policyDifferences(
      policy({ id: 'acme' }),
      policy({
        id: 'other',
        leadTimeHours: { normal: 0 },
        limits: { maxDepth: 100 },
        rules: { freeze: 'off' },
        approvals: [],
      }),
      rules,
    ).map((difference) => difference.path);
    expect(paths).toEqual([
      'rules.freeze',
      'limits.maxDepth',
      'approvals[ci-owners]',
      'leadTimeHours.normal',
      'id',
    ]);
  });
});
