import * as YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { requiredContentRule } from '../../../src/rules/required-content.js';
import { evaluate } from '../../../src/rules/rule.js';
import {
  aChange,
  evaluateRule,
  findingsOf,
  ruleContext,
  type EstateInput,
  type Seen,
} from '../../fixtures/estate.js';

const backout = 'a back-out plan (how to undo the change if it goes wrong)';
const test = 'a test plan (how the change was tested before, and is verified after)';
const implementation = 'an implementation plan (the steps that carry out the change)';
const schedule =
  'a schedule (when it is carried out), such as schedule: {start: 2026-12-02T22:00:00Z, end: 2026-12-02T23:30:00Z}';
const reason = 'a reason (why the change is needed, and what happens if it is not approved)';

const error = (field: string, message: string): Seen => ({
  id: 'CHG-0042',
  field,
  severity: 'error',
  message,
});

describe('required-content', () => {
  it.each<[string, Record<string, unknown>, Seen[]]>([
    ['a complete normal change passes', {}, []],
    [
      'a draft may be incomplete',
      { status: 'draft', reason: undefined, plan: undefined, schedule: undefined },
      [],
    ],
    ['a closed change is history', { status: 'closed', plan: { backout: undefined } }, []],
    ['a rejected change is history', { status: 'rejected', plan: { test: 'TBD' } }, []],
    [
      'an emergency change may add its test plan and schedule later',
      { type: 'emergency', plan: { test: undefined }, schedule: undefined },
      [],
    ],
    [
      'a standard change needs no plan: its template carries it',
      { type: 'standard', plan: undefined },
      [],
    ],
    ['a risk is not asked for here (risk-assessed does)', { risk: undefined }, []],
    [
      'a missing back-out plan',
      { plan: { backout: undefined } },
      [error('plan.backout', `plan.backout is missing: a normal change needs ${backout}`)],
    ],
    [
      'an approved change is checked too',
      { status: 'approved', plan: { backout: undefined } },
      [error('plan.backout', `plan.backout is missing: a normal change needs ${backout}`)],
    ],
    [
      'a missing plan lacks every part of it',
      { plan: undefined },
      [
        error(
          'plan.implementation',
          `plan.implementation is missing: a normal change needs ${implementation}`,
        ),
        error('plan.test', `plan.test is missing: a normal change needs ${test}`),
        error('plan.backout', `plan.backout is missing: a normal change needs ${backout}`),
      ],
    ],
    [
      'a missing reason',
      { reason: undefined },
      [error('reason', `reason is missing: a normal change needs ${reason}`)],
    ],
    [
      'a missing schedule',
      { schedule: undefined },
      [error('schedule', `schedule is missing: a normal change needs ${schedule}`)],
    ],
    [
      'TBD is a placeholder',
      { plan: { backout: 'TBD' } },
      [
        error(
          'plan.backout',
          `plan.backout is "TBD", a placeholder: a normal change needs ${backout}`,
        ),
      ],
    ],
    [
      'placeholders are found whatever the case and punctuation',
      { plan: { test: '  N/A. ' } },
      [error('plan.test', `plan.test is "N/A.", a placeholder: a normal change needs ${test}`)],
    ],
    [
      'punctuation alone is a placeholder',
      { plan: { test: '...' } },
      [error('plan.test', `plan.test is "...", a placeholder: a normal change needs ${test}`)],
    ],
    [
      'a dash is a placeholder',
      { plan: { backout: '-' } },
      [
        error(
          'plan.backout',
          `plan.backout is "-", a placeholder: a normal change needs ${backout}`,
        ),
      ],
    ],
    [
      'see above is a placeholder',
      { plan: { test: 'See above' } },
      [
        error(
          'plan.test',
          `plan.test is "See above", a placeholder: a normal change needs ${test}`,
        ),
      ],
    ],
    [
      'lorem ipsum is a placeholder, however long',
      { reason: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.' },
      [
        error(
          'reason',
          `reason is "Lorem ipsum dolor sit amet, consectetur adipiscing elit.", a placeholder: a normal change needs ${reason}`,
        ),
      ],
    ],
    [
      'a placeholder padded with punctuation to any length is still one',
      { plan: { test: '------------------- TBD -------------------' } },
      [
        error(
          'plan.test',
          `plan.test is "------------------- TBD -------------------", a placeholder: a normal change needs ${test}`,
        ),
      ],
    ],
    [
      'lorem ipsum across a line break, after real words, is a placeholder',
      { reason: 'Upgrade the cluster and then LOREM\n   IPSUM dolor' },
      [
        error(
          'reason',
          `reason is "Upgrade the cluster and then LOREM\\n   IPSUM dolor", a placeholder: a normal change needs ${reason}`,
        ),
      ],
    ],
    [
      'characters beyond the basic plane count once each when too few',
      { plan: { backout: '𠀀'.repeat(9) } },
      [
        error(
          'plan.backout',
          `plan.backout is too short ("${'𠀀'.repeat(9)}", 9 of at least 10 characters): a normal change needs ${backout}`,
        ),
      ],
    ],
    [
      'ten characters beyond the basic plane are enough',
      { plan: { backout: '𠀀'.repeat(10) } },
      [],
    ],
    [
      'text that is only spaces is blank',
      { plan: { implementation: '   ' } },
      [
        error(
          'plan.implementation',
          `plan.implementation is blank: a normal change needs ${implementation}`,
        ),
      ],
    ],
    [
      'text shorter than 10 characters is too short',
      { plan: { backout: 'Revert it' } },
      [
        error(
          'plan.backout',
          `plan.backout is too short ("Revert it", 9 of at least 10 characters): a normal change needs ${backout}`,
        ),
      ],
    ],
    ['10 characters are enough', { plan: { backout: 'Revert it.' } }, []],
    [
      'an emergency change still needs a back-out plan',
      { type: 'emergency', plan: { backout: 'none' } },
      [
        error(
          'plan.backout',
          `plan.backout is "none", a placeholder: an emergency change needs ${backout}`,
        ),
      ],
    ],
    [
      'a standard change needs a schedule',
      { type: 'standard', schedule: undefined },
      [error('schedule', `schedule is missing: a standard change needs ${schedule}`)],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(findingsOf(requiredContentRule, { changes: [aChange(overrides)] })).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['empty text', { plan: { backout: '' } }],
    ['a number', { plan: { test: 42 } }],
    ['a plan that is not a mapping', { plan: 'see wiki' }],
    ['an unknown type', { type: 'minor', plan: undefined }],
  ])('leaves %s to the schema, without crashing', (_name, overrides) => {
    expect(
      findingsOf(requiredContentRule, { changes: [aChange(overrides)], invalid: true }),
    ).toEqual([]);
  });

  it('points at the line of the field', () => {
    const change = aChange({ plan: { backout: 'TBD' } });
    const line = YAML.stringify(change)
      .split('\n')
      .findIndex((text) => text.includes('backout:'));
    const [finding] = evaluateRule(requiredContentRule, { changes: [change] });
    expect(finding).toMatchObject({
      file: 'changes/CHG-0042.yaml',
      line: line + 1,
      rule: 'required-content',
      kind: 'Change',
    });
  });

  describe('as the policy sets it', () => {
    const run = (rules: Record<string, unknown>, overrides: Record<string, unknown>) =>
      findingsOf(requiredContentRule, {
        policy: { rules: { 'required-content': rules } },
        changes: [aChange(overrides)],
      } satisfies EstateInput);

    it('is off', () => {
      expect(
        findingsOf(requiredContentRule, {
          policy: { rules: { 'required-content': 'off' } },
          changes: [aChange({ plan: undefined })],
        }),
      ).toEqual([]);
    });

    it('is a warning with a longer minimum', () => {
      expect(
        run({ severity: 'warning', minLength: 20 }, { plan: { backout: 'Revert the commit.' } }),
      ).toEqual([
        {
          ...error(
            'plan.backout',
            `plan.backout is too short ("Revert the commit.", 18 of at least 20 characters): a normal change needs ${backout}`,
          ),
          severity: 'warning',
        },
      ]);
    });

    it('keeps the default severity when only a parameter is set', () => {
      expect(run({ minLength: 20 }, { plan: { backout: 'Revert the commit.' } })).toMatchObject([
        { severity: 'error', field: 'plan.backout' },
      ]);
    });

    it('asks emergency changes for a test plan, and leaves the other types alone', () => {
      const fields = { emergency: ['reason', 'plan.implementation', 'plan.backout', 'plan.test'] };
      expect(run({ fields }, { type: 'emergency', plan: { test: undefined } })).toEqual([
        error('plan.test', `plan.test is missing: an emergency change needs ${test}`),
      ]);
      expect(run({ fields }, { plan: { test: undefined } })).toEqual([
        error('plan.test', `plan.test is missing: a normal change needs ${test}`),
      ]);
    });

    it('takes its own placeholders', () => {
      expect(run({ placeholders: ['folgt'] }, { plan: { test: 'Folgt.' } })).toEqual([
        error('plan.test', `plan.test is "Folgt.", a placeholder: a normal change needs ${test}`),
      ]);
    });

    it.each<[string, Record<string, unknown>, Seen]>([
      [
        'minLength',
        { minLength: 'ten' },
        {
          id: 'test',
          field: 'rules.required-content.minLength',
          severity: 'error',
          message:
            'rules.required-content.minLength is "ten", but it must be a whole number from 1 to 10000; the default 10 is used instead',
        },
      ],
      [
        'fields',
        { fields: { normal: ['plan.rollback'] } },
        {
          id: 'test',
          field: 'rules.required-content.fields',
          severity: 'error',
          message:
            'rules.required-content.fields is a mapping, but it must be a mapping from change types (standard, normal, emergency) to lists of: reason, plan.implementation, plan.test, plan.backout, schedule; the default is used instead',
        },
      ],
      [
        'placeholders',
        { placeholders: 'TBD' },
        {
          id: 'test',
          field: 'rules.required-content.placeholders',
          severity: 'error',
          message:
            'rules.required-content.placeholders is "TBD", but it must be a list of texts; the default is used instead',
        },
      ],
    ])(
      'falls back to the default %s should a bad one get past the schema, and says so',
      (_name, rules, expected) => {
        // Loading refuses such a policy (test/unit/records/policy-validation.test.ts); the rule's
        // own guard is what stands if a policy reaches it some other way.
        const { context } = ruleContext({
          policy: {},
          changes: [aChange({ plan: { backout: 'TBD' } })],
        });
        context.estate.policy = { ...context.estate.policy, rules: { 'required-content': rules } };
        const seen = evaluate([requiredContentRule], context).map(
          ({ id, field, severity, message }) => ({
            id,
            field,
            severity,
            message,
          }),
        );
        expect(seen).toEqual([
          expected,
          error(
            'plan.backout',
            `plan.backout is "TBD", a placeholder: a normal change needs ${backout}`,
          ),
        ]);
      },
    );
  });
});
