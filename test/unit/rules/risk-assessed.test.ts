import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/records/policy.js';
import { riskAssessedRule } from '../../../src/rules/risk-assessed.js';
import { riskLevel } from '../../../src/rules/risk.js';
import { aChange, findingsOf, type Seen } from '../../fixtures/estate.js';

const missing = (type: string): Seen => ({
  id: 'CHG-0042',
  field: 'risk',
  severity: 'error',
  message: `risk is missing: ${type} needs an assessed risk, such as risk: {likelihood: medium, impact: high} (each low, medium or high); its level decides the approvals the change needs`,
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
    ['a standard change is assessed by its template', { type: 'standard', risk: undefined }, []],
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

  it('asks standard changes too when the policy says so, at its severity', () => {
    expect(
      findingsOf(riskAssessedRule, {
        policy: {
          rules: { 'risk-assessed': { severity: 'notice', types: ['standard', 'normal'] } },
        },
        changes: [aChange({ type: 'standard', risk: undefined })],
      }),
    ).toEqual([{ ...missing('a standard change'), severity: 'notice' }]);
  });

  it('reports a bad types parameter at the policy and uses the default', () => {
    expect(
      findingsOf(riskAssessedRule, {
        policy: { rules: { 'risk-assessed': { types: ['minor'] } } },
        changes: [aChange({ risk: undefined })],
      }),
    ).toEqual([
      {
        id: 'test',
        field: 'rules.risk-assessed.types',
        severity: 'error',
        message:
          'rules.risk-assessed.types is ["minor"], but it must be a list of change types (standard, normal, emergency); the default is used instead',
      },
      missing('a normal change'),
    ]);
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
