import { describe, expect, it } from 'vitest';
import type { ChangeImpact } from '../../../src/impact/change-impact.js';
import { impactUnderstatedRule } from '../../../src/rules/impact-understated.js';
import { aChange, aCi, findingsOf, stubImpact, type Seen } from '../../fixtures/estate.js';

const throughPayments: ChangeImpact = stubImpact(['pg-payments', 'payments-api'], 'high', {
  id: 'payments-api',
  criticality: 1,
  via: ['pg-payments', 'payments-api'],
});

const understated = (message: string): Seen => ({
  id: 'CHG-0042',
  field: 'risk.impact',
  severity: 'error',
  message,
});

describe('impact-understated', () => {
  it.each<[string, Record<string, unknown>, ChangeImpact, Seen[]]>([
    [
      'an impact as high as the CMDB says passes',
      { risk: { impact: 'high' } },
      throughPayments,
      [],
    ],
    [
      'an impact higher than the CMDB says passes',
      { risk: { impact: 'high' } },
      stubImpact(['pg-payments'], 'low'),
      [],
    ],
    [
      'a low impact on a change that reaches a criticality 1 CI',
      { risk: { impact: 'low' } },
      throughPayments,
      [
        understated(
          'risk.impact is low, but the change reaches payments-api (criticality 1) through pg-payments -> payments-api; the CMDB puts its impact at high, so assess it as high',
        ),
      ],
    ],
    [
      'a path through a 20,000-CI chain is named by its first and last hop',
      { risk: { impact: 'low' } },
      {
        ...throughPayments,
        mostCritical: {
          id: 'ci-19999',
          criticality: 1,
          via: Array.from({ length: 20_000 }, (_, i) => `ci-${i}`),
        },
      },
      [
        understated(
          'risk.impact is low, but the change reaches ci-19999 (criticality 1) through ci-0 -> ci-1 -> … -> ci-19998 -> ci-19999; the CMDB puts its impact at high, so assess it as high',
        ),
      ],
    ],
    [
      'a path that leaves out its end still ends at the CI',
      { risk: { impact: 'medium' } },
      {
        ...throughPayments,
        mostCritical: { id: 'payments-api', criticality: 1, via: ['pg-payments'] },
      },
      [
        understated(
          'risk.impact is medium, but the change reaches payments-api (criticality 1) through pg-payments -> payments-api; the CMDB puts its impact at high, so assess it as high',
        ),
      ],
    ],
    [
      'a CI the change touches directly',
      { risk: { impact: 'low' } },
      stubImpact(['pg-payments'], 'medium', {
        id: 'pg-payments',
        criticality: 2,
        via: ['pg-payments'],
      }),
      [
        understated(
          'risk.impact is low, but the change touches pg-payments (criticality 2) directly; the CMDB puts its impact at medium, so assess it as medium or high',
        ),
      ],
    ],
    [
      'an impact without a CI to explain it',
      { risk: { impact: 'low' } },
      stubImpact([], 'medium'),
      [
        understated(
          'risk.impact is low, but the CMDB puts its impact at medium, so assess it as medium or high',
        ),
      ],
    ],
    [
      'a draft is not judged yet',
      { status: 'draft', risk: { impact: 'low' } },
      throughPayments,
      [],
    ],
    [
      'an implemented change is history',
      { status: 'implemented', risk: { impact: 'low' } },
      throughPayments,
      [],
    ],
    ['no risk: risk-assessed speaks', { risk: undefined }, throughPayments, []],
  ])('%s', (_name, overrides, impact, expected) => {
    expect(
      findingsOf(impactUnderstatedRule, { changes: [aChange(overrides)], impact: () => impact }),
    ).toEqual(expected);
  });

  it("follows the policy's impactByCriticality through the context", () => {
    // The stub impact of build-context reads the policy: criticality 2 is low here.
    const input = {
      cis: [aCi('pg-payments', { criticality: 2 })],
      changes: [aChange({ risk: { impact: 'low' } })],
    };
    expect(findingsOf(impactUnderstatedRule, input)).toHaveLength(1);
    expect(
      findingsOf(impactUnderstatedRule, {
        ...input,
        policy: { impactByCriticality: { 2: 'low' } },
      }),
    ).toEqual([]);
  });

  it('is a warning when the policy says so', () => {
    expect(
      findingsOf(impactUnderstatedRule, {
        policy: { rules: { 'impact-understated': 'warning' } },
        changes: [aChange({ risk: { impact: 'low' } })],
        impact: () => throughPayments,
      }),
    ).toMatchObject([{ severity: 'warning', field: 'risk.impact' }]);
  });
});
