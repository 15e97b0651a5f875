import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/records/policy.js';
import { riskAssessedRule } from '../../../src/rules/risk-assessed.js';
import { riskLevel } from '../../../src/rules/risk.js';
import { aChange, findingsOf, type Seen } from '../../fixtures/estate.js';

const missing = (type: string): Seen => ({
  id: 'CHG-0042',
  field: 'risk',
  severity: 'error',
  message: `risk is missing: ${type} needs an assessed risk, such as risk: {likelihood: medium, impact: high} (each low, medium or high); ${type === 'a standard change' ? "its level must be within the template's maxRisk, or the change is a normal one" : 'its level decides the approvals the change needs'}`,
});

describe('risk-assessed', () => {
  it.each<[string, Record<string, unknown>, Seen[]]>([
    ['an assessed normal change passes', {}, []],
    ['a normal change without a risk', { risk: undefined }, [missing('a normal change')]],
    [
      'an emergency change without a risk',
      { type: 'emergency', risk: undefined },
      [missing('an emergency change')],
    ],
    [
      'an approved change is checked too',
      { status: 'approved', risk: undefined },
      [missing('a normal change')],
    ],
    // An honest impact: high fails the template's maxRisk, so leaving risk out must fail too.
    [
      'a standard change without a risk',
      { type: 'standard', risk: undefined },
      [missing('a standard change')],
    ],
    ['a draft may be unassessed', { status: 'draft', risk: undefined }, []],
    ['a cancelled change is history', { status: 'cancelled', risk: undefined }, []],
  ])('%s', (_name, overrides, expected) => {
    expect(findingsOf(riskAssessedRule, { changes: [aChange(overrides)] })).toEqual(expected);
  });

  it('leaves a malformed risk to the schema', () => {
    expect(
      findingsOf(riskAssessedRule, { changes: [aChange({ risk: 'high' })], invalid: true }),
    ).toEqual([]);
  });

  it('asks only the types the policy lists, at its severity', () => {
    const policy = { rules: { 'risk-assessed': { severity: 'notice', types: ['normal'] } } };
    expect(
      findingsOf(riskAssessedRule, {
        policy,
        changes: [
          aChange({ type: 'standard', risk: undefined }),
          aChange({ id: 'CHG-0043', risk: undefined }),
        ],
      }),
    ).toEqual([{ ...missing('a normal change'), id: 'CHG-0043', severity: 'notice' }]);
  });
});

describe('riskLevel', () => {
  it.each([
    [{ likelihood: 'low', impact: 'low' }, 'low'],
    [{ likelihood: 'low', impact: 'high' }, 'medium'],
    [{ likelihood: 'medium', impact: 'high' }, 'high'],
    [{ likelihood: 'high', impact: 'low' }, 'medium'],
    [undefined, undefined],
    [{ likelihood: 'low' }, undefined],
    [{ likelihood: 'very', impact: 'low' }, undefined],
    ['high', undefined],
  ])('rates %j as %s with the default matrix', (risk, expected) => {
    expect(riskLevel(defaultPolicy, risk)).toBe(expected);
  });

  it("uses the policy's own matrix", () => {
    const riskMatrix = structuredClone(defaultPolicy.riskMatrix);
    riskMatrix.low.high = 'high';
    expect(riskLevel({ riskMatrix }, { likelihood: 'low', impact: 'high' })).toBe('high');
  });
});
