import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { standardTemplateRule } from '../../../src/rules/standard-template.js';
import { aChange, aCi, findingsOf, type EstateInput, type Seen } from '../../fixtures/estate.js';

const policy = {
  templates: [
    {
      id: 'std-restart-pod',
      title: 'Restart the pods of an application',
      classes: ['application'],
      maxRisk: 'low',
    },
    {
      id: 'std-db-failover',
      title: 'Fail over the payments database',
      cis: ['pg-payments'],
      maxRisk: 'medium',
    },
    {
      id: 'std-mixed',
      title: 'Rotate a certificate or restart',
      cis: ['pg-payments'],
      classes: ['application', 'certificate'],
      maxRisk: 'low',
    },
    { id: 'std-anything', title: 'Any CI at all', maxRisk: 'low' },
  ],
};
const cis = [aCi('pg-payments'), aCi('pg-orders'), aCi('payments-api', { class: 'application' })];
const standard = (overrides: Record<string, unknown>) =>
  aChange({ type: 'standard', template: 'std-restart-pod', cis: ['payments-api'], ...overrides });
const finding = (field: string, message: string): Seen => ({
  id: 'CHG-0042',
  field,
  severity: 'error',
  message,
});
const run = (change: Record<string, unknown>, input: Partial<EstateInput> = {}) =>
  findingsOf(standardTemplateRule, { policy, cis, changes: [change], ...input });

describe('standard-template', () => {
  it.each<[string, Record<string, unknown>, Seen[]]>([
    ['a standard change within its template passes', standard({}), []],
    [
      'a template that lists the CI',
      standard({ template: 'std-db-failover', cis: ['pg-payments'] }),
      [],
    ],
    [
      'a template without cis or classes allows any CI',
      standard({ template: 'std-anything', cis: ['pg-payments'] }),
      [],
    ],
    [
      'a standard change without a risk takes its template as assessed',
      standard({ risk: undefined }),
      [],
    ],
    ['a normal change without a template passes', aChange({}), []],
    [
      'a draft may not have chosen its template yet',
      standard({ status: 'draft', template: undefined }),
      [],
    ],
    ['a closed change is history', standard({ status: 'closed', cis: ['pg-payments'] }), []],
    [
      'a standard change without a template',
      standard({ template: undefined }),
      [
        finding(
          'template',
          "template is missing: a standard change names the pre-approved template it follows; the policy's templates are: std-restart-pod, std-db-failover, std-mixed, std-anything",
        ),
      ],
    ],
    [
      'a CI of a class the template does not allow',
      standard({ cis: ['payments-api', 'pg-payments'] }),
      [
        finding(
          'cis[1]',
          'the template std-restart-pod does not allow pg-payments (class database); it allows only CIs of class application. Touch only those, or make it a normal change (type: normal)',
        ),
      ],
    ],
    [
      'a CI the template does not list',
      standard({ template: 'std-db-failover' }),
      [
        finding(
          'cis[0]',
          'the template std-db-failover does not allow payments-api (class application); it allows only the CIs pg-payments. Touch only those, or make it a normal change (type: normal)',
        ),
      ],
    ],
    [
      'a template with both CIs and classes allows either',
      standard({ template: 'std-mixed', cis: ['pg-payments', 'payments-api'] }),
      [],
    ],
    [
      'a template with both CIs and classes names both',
      standard({ template: 'std-mixed', cis: ['pg-orders'] }),
      [
        finding(
          'cis[0]',
          'the template std-mixed does not allow pg-orders (class database); it allows only the CIs pg-payments and CIs of classes application, certificate. Touch only those, or make it a normal change (type: normal)',
        ),
      ],
    ],
    [
      'a risk above the maxRisk of the template',
      standard({ risk: { likelihood: 'medium', impact: 'medium' } }),
      [
        finding(
          'risk',
          'risk is likelihood medium, impact medium, which the risk matrix rates medium, above the maxRisk low of the template std-restart-pod; a riskier change is a normal change (type: normal), assessed by the CAB',
        ),
      ],
    ],
    [
      'a risk rated by the matrix, not by its parts',
      standard({
        template: 'std-db-failover',
        cis: ['pg-payments'],
        risk: { likelihood: 'low', impact: 'high' },
      }),
      [],
    ],
    [
      'a normal change that names a template',
      aChange({ template: 'std-restart-pod' }),
      [
        finding(
          'template',
          'template names std-restart-pod, but this is a normal change; only standard changes follow a template: set type: standard, or remove template',
        ),
      ],
    ],
    [
      'an emergency change that names a template',
      aChange({ type: 'emergency', template: 'std-db-failover' }),
      [
        finding(
          'template',
          'template names std-db-failover, but this is an emergency change; only standard changes follow a template: set type: standard, or remove template',
        ),
      ],
    ],
  ])('%s', (_name, change, expected) => {
    expect(run(change)).toEqual(expected);
  });

  it('says so when the policy has no templates at all', () => {
    expect(run(standard({ template: undefined }), { policy: {} })).toEqual([
      finding(
        'template',
        'template is missing: a standard change follows a pre-approved template of the policy, but the policy has none; make it a normal change (type: normal)',
      ),
    ]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown template', standard({ template: 'std-nope', cis: ['pg-payments'] })],
    ['an unknown template on a normal change', aChange({ template: 'std-nope' })],
    ['an unknown CI', standard({ cis: ['nope'] })],
  ])('leaves %s to the reference check', (_name, change) => {
    expect(run(change, { invalid: true })).toEqual([]);
  });

  it('is off when the policy says so', () => {
    expect(
      run(standard({ template: undefined }), {
        policy: { ...policy, rules: { 'standard-template': 'off' } },
      }),
    ).toEqual([]);
  });

  it('allows a CI only when its class at the base is allowed too: the branch cannot re-class it into a template', () => {
    const reclassed = [aCi('pg-payments', { class: 'application' })];
    const change = standard({ cis: ['pg-payments'] });
    expect(run(change, { cis: reclassed })).toEqual([]);
    expect(
      run(change, {
        cis: reclassed,
        base: { 'cmdb/pg-payments.yaml': YAML.stringify(aCi('pg-payments')) },
      }),
    ).toEqual([
      finding(
        'cis[0]',
        'the template std-restart-pod does not allow pg-payments (class application and database); it allows only CIs of class application. Touch only those, or make it a normal change (type: normal)',
      ),
    ]);
  });
});
