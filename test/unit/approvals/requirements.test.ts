import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/approvals/evaluate.js';
import type { ChangeFacts, CiFacts, GovernanceEdits } from '../../../src/approvals/facts.js';
import { noGovernanceEdits } from '../../../src/approvals/facts.js';
import {
  requiredApprovals,
  teamsToRead,
  type RequiredApprovals,
} from '../../../src/approvals/requirements.js';
import { defaultPolicy, type EffectivePolicy } from '../../../src/records/policy.js';
import {
  aChange,
  acmePolicy,
  facts,
  paymentsApi,
  pgPayments,
  policyOf,
  reporting,
} from './build-facts.js';

/** Each requirement as a user would summarise it: rule, how many from whom, for which changes. */
function summary(required: RequiredApprovals): string[] {
  return required.requirements.map((r) => {
    const who =
      r.error ?? `${r.count} from ${r.label} [${r.principals.map((p) => p.text).join(' ')}]`;
    const what = [...r.changes, ...(r.governance ? ['governance'] : [])].join(', ');
    return `${r.rule}: ${who} for ${what}`;
  });
}

const required = (
  changes: ChangeFacts[],
  policy: EffectivePolicy = acmePolicy,
  governance: GovernanceEdits = noGovernanceEdits,
) => requiredApprovals({ policy, changes, governance });

const cab = '[@acme/cab @acme/change-managers]';

describe('required approvals from the base policy', () => {
  it.each<[string, ChangeFacts[], string[]]>([
    [
      'a low-risk normal change needs one CAB member',
      [aChange({ risk: 'low' })],
      [`cab-low-risk: 1 from cab ${cab} for CHG-0042`],
    ],
    [
      'a high-risk normal change needs two CAB members and the owner of the critical CI it names',
      [aChange({ risk: 'high' })],
      [
        `cab-elevated-risk: 2 from cab ${cab} for CHG-0042`,
        'critical-ci-owners: 1 from owner of pg-payments [@acme/dba] for CHG-0042',
      ],
    ],
    [
      'an emergency change needs ECAB only, whatever its risk',
      [aChange({ type: 'emergency', risk: 'high' })],
      ['ecab: 1 from ecab [@acme/ecab] for CHG-0042'],
    ],
    [
      'a normal change edited to emergency in the PR still needs what the base normal change needs',
      [aChange({ type: 'emergency', base: { ...aChange(), type: 'normal', risk: 'low' } })],
      [
        `cab-low-risk: 1 from cab ${cab} for CHG-0042`,
        'ecab: 1 from ecab [@acme/ecab] for CHG-0042',
      ],
    ],
    [
      'a standard change within its template needs no approval',
      [aChange({ type: 'standard', withinTemplate: true })],
      [],
    ],
    [
      'a standard change outside its template is approved like a normal change',
      [aChange({ type: 'standard', withinTemplate: false, risk: 'low' })],
      [`cab-low-risk: 1 from cab ${cab} for CHG-0042`],
    ],
    [
      'a standard change within its template that was normal in the base needs the normal approvals',
      [aChange({ type: 'standard', withinTemplate: true, base: aChange({ risk: 'low' }) })],
      [`cab-low-risk: 1 from cab ${cab} for CHG-0042`],
    ],
    [
      'a risk lowered in the PR still needs what the base risk needs',
      [aChange({ risk: 'low', base: aChange({ risk: 'high' }) })],
      [
        `cab-low-risk: 1 from cab ${cab} for CHG-0042`,
        `cab-elevated-risk: 2 from cab ${cab} for CHG-0042`,
        'critical-ci-owners: 1 from owner of pg-payments [@acme/dba] for CHG-0042',
      ],
    ],
    [
      'a CI removed from the change in the PR keeps its owner among the approvers',
      [aChange({ risk: 'high', cis: ['payments-api'], base: aChange({ risk: 'high' }) })],
      [
        `cab-elevated-risk: 2 from cab ${cab} for CHG-0042`,
        'critical-ci-owners: 1 from owner of payments-api [@acme/payments] for CHG-0042',
        'critical-ci-owners: 1 from owner of pg-payments [@acme/dba] for CHG-0042',
      ],
    ],
    [
      'a risk not assessed takes the rules of every risk level',
      [aChange({ risk: undefined })],
      [
        `cab-low-risk: 1 from cab ${cab} for CHG-0042`,
        `cab-elevated-risk: 2 from cab ${cab} for CHG-0042`,
        'critical-ci-owners: 1 from owner of pg-payments [@acme/dba] for CHG-0042',
      ],
    ],
    [
      'a change of an unknown type takes every rule',
      [aChange({ type: undefined, risk: 'low' })],
      [
        `cab-low-risk: 1 from cab ${cab} for CHG-0042`,
        'ecab: 1 from ecab [@acme/ecab] for CHG-0042',
      ],
    ],
    [
      'two changes needing the same rule make one requirement naming both',
      [aChange(), aChange({ id: 'CHG-0043', file: 'changes/CHG-0043.yaml' })],
      [`cab-low-risk: 1 from cab ${cab} for CHG-0042, CHG-0043`],
    ],
    [
      'two changes on the same critical CI need its owner once, for both',
      [aChange({ risk: 'high' }), aChange({ id: 'CHG-0043', risk: 'medium' })],
      [
        `cab-elevated-risk: 2 from cab ${cab} for CHG-0042, CHG-0043`,
        'critical-ci-owners: 1 from owner of pg-payments [@acme/dba] for CHG-0042, CHG-0043',
      ],
    ],
    [
      'a change on a low-criticality CI needs no owner under maxCriticality 2',
      [aChange({ risk: 'high', cis: ['reporting'], impacted: [reporting] })],
      [`cab-elevated-risk: 2 from cab ${cab} for CHG-0042`],
    ],
    [
      'a change naming a CI the CMDB does not have cannot ask its owner (fails closed)',
      [aChange({ risk: 'high', cis: ['pg-ghost'], impacted: [] })],
      [
        `cab-elevated-risk: 2 from cab ${cab} for CHG-0042`,
        'critical-ci-owners: CHG-0042 names the CI pg-ghost, which is not in the CMDB: the owner who must approve it (rule critical-ci-owners) is unknown for CHG-0042',
      ],
    ],
  ])('%s', (_name, changes, expected) => {
    expect(summary(required(changes))).toEqual(expected);
  });

  it('asks the owner of every impacted CI, one requirement per owner, with ciOwners: impacted', () => {
    const policy = policyOf({
      approvals: [{ name: 'owners', from: { ciOwners: 'impacted' }, count: 1 }],
    });
    const shared = { ...reporting, id: 'payments-db-replica', owner: '@ACME/DBA' };
    expect(
      summary(required([aChange({ impacted: [pgPayments, paymentsApi, shared] })], policy)),
    ).toEqual([
      'owners: 1 from owner of pg-payments and 1 more CI [@acme/dba] for CHG-0042',
      'owners: 1 from owner of payments-api [@acme/payments] for CHG-0042',
    ]);
  });

  it('applies a rule with environments only to changes impacting one of them', () => {
    const policy = policyOf({
      boards: { cab: { members: ['@acme/cab'] }, sre: { members: ['@acme/sre'] } },
      approvals: [
        { name: 'cab', from: { board: 'cab' } },
        {
          name: 'sre-for-production',
          when: { environments: ['production'] },
          from: { board: 'sre' },
        },
      ],
    });
    expect(
      summary(
        required(
          [aChange(), aChange({ id: 'CHG-0043', cis: ['reporting'], impacted: [reporting] })],
          policy,
        ),
      ),
    ).toEqual([
      'cab: 1 from cab [@acme/cab] for CHG-0042, CHG-0043',
      'sre-for-production: 1 from sre [@acme/sre] for CHG-0042',
    ]);
  });

  it('applies a production rule to a CI the pull request moves from production to staging (both environments count)', () => {
    const policy = policyOf({
      boards: { sre: { members: ['@acme/sre'] } },
      approvals: [
        {
          name: 'sre-for-production',
          when: { environments: ['production'] },
          from: { board: 'sre' },
        },
      ],
    });
    const moved: CiFacts = { ...reporting, environments: ['production', 'staging'] };
    expect(summary(required([aChange({ cis: ['reporting'], impacted: [moved] })], policy))).toEqual(
      ['sre-for-production: 1 from sre [@acme/sre] for CHG-0042'],
    );
  });

  it('takes the larger count when two rules with different counts meet in one requirement key', () => {
    const policy = policyOf({
      boards: { cab: { members: ['@acme/cab'] } },
      approvals: [{ name: 'cab', from: { principals: ['@acme/cab', '@bob'] }, count: 3 }],
    });
    const [only] = required([aChange(), aChange({ id: 'CHG-0043' })], policy).requirements;
    expect(only).toMatchObject({
      count: 3,
      label: '@acme/cab or @bob',
      changes: ['CHG-0042', 'CHG-0043'],
    });
  });

  it('does not apply a rule without types to an emergency change (ECAB only)', () => {
    const policy = policyOf({
      boards: { cab: { members: ['@acme/cab'] }, ecab: { members: ['@acme/ecab'] } },
      approvals: [
        { name: 'everyone-cab', from: { board: 'cab' } },
        { name: 'ecab', when: { types: ['emergency'] }, from: { board: 'ecab' } },
      ],
    });
    const result = required([aChange({ type: 'emergency' })], policy);
    expect(summary(result)).toEqual(['ecab: 1 from ecab [@acme/ecab] for CHG-0042']);
    expect(result.skippedRules).toEqual([
      {
        name: 'everyone-cab',
        sentence:
          'does not apply: it is for normal changes (and standard changes outside their template), and this pull request has CHG-0042 (emergency, risk low)',
      },
    ]);
  });

  it('applies a rule that names standard to a standard change within its template', () => {
    const policy = policyOf({
      boards: { ops: { members: ['@acme/ops'] } },
      approvals: [
        { name: 'ops-sees-standard', when: { types: ['standard'] }, from: { board: 'ops' } },
      ],
    });
    expect(
      summary(required([aChange({ type: 'standard', withinTemplate: true })], policy)),
    ).toEqual(['ops-sees-standard: 1 from ops [@acme/ops] for CHG-0042']);
  });

  it('uses the default policy without changeops.yaml: the owners of the CIs a change names', () => {
    expect(summary(required([aChange()], defaultPolicy))).toEqual([
      'ci-owners: 1 from owner of pg-payments [@acme/dba] for CHG-0042',
    ]);
  });
});

describe('fail closed when the policy asks nobody', () => {
  const onlyEcab = policyOf({
    boards: { cab: { members: ['@acme/cab'] }, ecab: { members: ['@acme/ecab'] } },
    approvals: [{ name: 'ecab', when: { types: ['emergency'] }, from: { board: 'ecab' } }],
  });
  const noBoards = policyOf({ approvals: [] });

  it.each<[string, EffectivePolicy, ChangeFacts, string[]]>([
    [
      'a normal change no rule applies to needs one approval from cab',
      onlyEcab,
      aChange(),
      ['fallback: 1 from cab [@acme/cab] for CHG-0042'],
    ],
    [
      'an emergency change no rule names needs one approval from ecab',
      policyOf({ boards: { ecab: { members: ['@acme/ecab'] } }, approvals: [] }),
      aChange({ type: 'emergency' }),
      ['fallback: 1 from ecab [@acme/ecab] for CHG-0042'],
    ],
    [
      'an emergency change with no emergency rule and no ecab board cannot be approved',
      noBoards,
      aChange({ type: 'emergency' }),
      [
        'fallback: nobody can approve the emergency change CHG-0042: the base policy has no rule naming emergency and no board named ecab (add one) for CHG-0042',
      ],
    ],
    [
      'a normal change with no rule and no cab board cannot be approved',
      noBoards,
      aChange(),
      [
        'fallback: nobody can approve CHG-0042: the base policy has no rule for it and no board named cab (add one) for CHG-0042',
      ],
    ],
    [
      'a rule naming a board the policy does not have cannot be evaluated',
      policyOf({ approvals: [{ name: 'cab', from: { board: 'cab' } }] }),
      aChange(),
      ['cab: the rule cab names the board cab, which the base policy does not have for CHG-0042'],
    ],
    [
      'a rule naming nobody cannot be evaluated',
      policyOf({ approvals: [{ name: 'odd', from: { maxCriticality: 2 } }] }),
      aChange(),
      [
        'odd: the rule odd names no approver (from needs a board, principals or ciOwners) for CHG-0042',
      ],
    ],
    [
      'a CI whose owner is no principal cannot be asked',
      policyOf({ approvals: [{ name: 'owners', from: { ciOwners: 'direct' } }] }),
      aChange({ impacted: [{ ...pgPayments, owner: '  ' }] }),
      [
        'owners: the CI pg-payments has the owner   , which is not a @team or @user: nobody can approve for it for CHG-0042',
      ],
    ],
    [
      'a rule needing more approvals than the users it names can give can never be met',
      policyOf({ approvals: [{ name: 'pair', from: { principals: ['@erin'] }, count: 2 }] }),
      aChange(),
      [
        'pair: the rule pair needs 2 approvals from @erin, but only 1 person can give them: it can never be met for CHG-0042',
      ],
    ],
    [
      'a rule needing two approvals per owner cannot be met by an owner who is one user',
      policyOf({ approvals: [{ name: 'owners', from: { ciOwners: 'direct' }, count: 2 }] }),
      aChange({ impacted: [{ ...pgPayments, owner: '@erin' }] }),
      [
        'owners: the rule owners needs 2 approvals from the owner of pg-payments (@erin), but only 1 person can give them: it can never be met for CHG-0042',
      ],
    ],
  ])('%s', (_name, policy, change, expected) => {
    expect(summary(required([change], policy))).toEqual(expected);
  });

  it('says so in the change note', () => {
    const [note] = required([aChange()], onlyEcab).subjects;
    expect(note!.sentence).toBe(
      'CHG-0042 (normal, risk low); no rule of the base policy asks anyone, so one approval from cab is required (fail closed)',
    );
  });
});

describe('a PR that edits the policy, the schemas or the CMDB', () => {
  const edits = (overrides: Partial<GovernanceEdits>): GovernanceEdits => ({
    ...noGovernanceEdits,
    ...overrides,
  });

  it.each<[string, GovernanceEdits, string[], string]>([
    [
      'an edit of changeops.yaml needs CAB approval like a high-risk normal change',
      edits({ policy: true }),
      [`cab-elevated-risk: 2 from cab ${cab} for governance`],
      'this pull request edits changeops.yaml; it is itself a change, approved like a high-risk normal change; needs cab-elevated-risk',
    ],
    [
      'an edit of schemas/ needs CAB approval',
      edits({ schemas: true }),
      [`cab-elevated-risk: 2 from cab ${cab} for governance`],
      'this pull request edits schemas/; it is itself a change, approved like a high-risk normal change; needs cab-elevated-risk',
    ],
    [
      'an edit of a critical CI needs the CAB and the CI owner',
      edits({ cmdb: true, cis: [pgPayments] }),
      [
        `cab-elevated-risk: 2 from cab ${cab} for governance`,
        'critical-ci-owners: 1 from owner of pg-payments [@acme/dba] for governance',
      ],
      'this pull request edits the CMDB (pg-payments); it is itself a change, approved like a high-risk normal change; needs cab-elevated-risk, critical-ci-owners',
    ],
    [
      'an edit of several parts names them all',
      edits({ policy: true, schemas: true, cmdb: true, cis: [reporting] }),
      [`cab-elevated-risk: 2 from cab ${cab} for governance`],
      'this pull request edits changeops.yaml, schemas/ and the CMDB (reporting); it is itself a change, approved like a high-risk normal change; needs cab-elevated-risk',
    ],
  ])('%s', (_name, governance, expected, note) => {
    const result = required([], acmePolicy, governance);
    expect(summary(result)).toEqual(expected);
    expect(result.subjects.map((s) => s.sentence)).toEqual([note]);
  });

  it('merges with a change that needs the same rule', () => {
    const result = required([aChange({ risk: 'high' })], acmePolicy, edits({ policy: true }));
    expect(summary(result)).toEqual([
      `cab-elevated-risk: 2 from cab ${cab} for CHG-0042, governance`,
      'critical-ci-owners: 1 from owner of pg-payments [@acme/dba] for CHG-0042',
    ]);
  });

  it('falls back to one approval from cab when no rule applies to a high-risk normal change', () => {
    const policy = policyOf({
      boards: { cab: { members: ['@acme/cab'] } },
      approvals: [{ name: 'low', when: { risk: ['low'] }, from: { board: 'cab' } }],
    });
    expect(summary(required([], policy, edits({ policy: true })))).toEqual([
      'fallback: 1 from cab [@acme/cab] for governance',
    ]);
  });

  it('cannot be approved when the policy has neither a rule nor a cab board (the first policy)', () => {
    const result = evaluateApprovals(
      facts({ policy: defaultPolicy, changes: [], governance: edits({ policy: true }) }),
    );
    expect(result.commitState).toBe('error');
    expect(result.sentence).toBe(
      'Error: nobody can approve the edit of changeops.yaml: the base policy has no rule for it and no board named cab (add one)',
    );
  });
});

describe('rules that do not apply', () => {
  it('are skipped, each with why', () => {
    const result = evaluateApprovals(
      facts({ changes: [aChange({ risk: 'high', cis: ['reporting'], impacted: [reporting] })] }),
    );
    const skipped = result.children
      .filter((c) => c.kind === 'rule')
      .map((c) => [c.name, c.status, c.sentence]);
    expect(skipped).toEqual([
      [
        'cab-low-risk',
        'skipped',
        'does not apply: it is for normal changes at risk low, and this pull request has CHG-0042 (normal, risk high)',
      ],
      [
        'critical-ci-owners',
        'skipped',
        'applies to CHG-0042, but no CI it names is at criticality 1 to 2: nobody to ask',
      ],
      [
        'ecab',
        'skipped',
        'does not apply: it is for emergency changes, and this pull request has CHG-0042 (normal, risk high)',
      ],
    ]);
  });

  it('are all skipped when the PR has no change record', () => {
    const result = evaluateApprovals(facts({ changes: [] }));
    expect(result.sentence).toBe(
      'No approval needed: this pull request adds or edits no change record',
    );
    expect(result.commitState).toBe('success');
    expect(result.children.map((c) => `${c.name}: ${c.sentence}`)).toContain(
      'ecab: does not apply: this pull request adds or edits no change record',
    );
  });
});

describe('the teams to read', () => {
  it('are the teams of the requirements, each once, lowercase', () => {
    expect(
      teamsToRead({
        policy: acmePolicy,
        changes: [aChange({ risk: 'high' }), aChange({ id: 'CHG-0043', risk: 'high' })],
        governance: {
          ...noGovernanceEdits,
          cmdb: true,
          cis: [{ ...paymentsApi, owner: '@Acme/Payments' }],
        },
      }),
    ).toEqual(['@acme/cab', '@acme/change-managers', '@acme/dba', '@acme/payments']);
  });

  it('are none for a standard change within its template', () => {
    expect(
      teamsToRead({
        policy: acmePolicy,
        changes: [aChange({ type: 'standard', withinTemplate: true })],
        governance: noGovernanceEdits,
      }),
    ).toEqual([]);
  });
});
