// Which changes the gate asks approval for, and what the plan reads: facts built from YAML in
// memory (the head and the base), through the real loader and the check's one judgement.
import { describe, expect, it } from 'vitest';
import { decideGate, planGate } from '../../../src/evaluate/gate.js';
import type { ChangedFile, CheckFacts } from '../../../src/evaluate/facts.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { SourceIndex } from '../../../src/records/locate.js';
import {
  change,
  emergency,
  gateEstate,
  highRisk,
  lowRisk,
  standard,
} from '../../e2e/gate-harness.js';

type Files = Record<string, string>;

/** The check's facts of a branch: the head's files on disk, the base's through git. */
function facts(head: Files, base: Files = gateEstate): CheckFacts {
  const all = { ...base, ...head };
  const sources = new SourceIndex();
  const policyText = all['changeops.yaml'];
  const policy = loadPolicy(
    policyText ? { path: 'changeops.yaml', text: policyText } : undefined,
    sources,
  );
  const records = Object.entries(all)
    .filter(([path]) => path !== 'changeops.yaml' && /\.ya?ml$/.test(path))
    .map(([path, text]) => ({ path, text }));
  const workspace = loadRecords(policy, records, { sources });
  const changedFiles: ChangedFile[] = Object.keys(head)
    .filter((path) => base[path] !== head[path])
    .map((path) => ({ status: base[path] === undefined ? 'added' : 'modified', path }));
  const baseText = base['changeops.yaml'];
  return {
    workspace,
    now: new Date('2030-01-01T00:00:00Z'),
    base: {
      ref: 'main',
      sha: 'b'.repeat(40),
      mergeBase: 'b'.repeat(40),
      changedFiles,
      files: changedFiles
        .filter((file) => base[file.path] !== undefined && file.path !== 'changeops.yaml')
        .map((file) => ({ path: file.path, text: base[file.path]! })),
      ...(baseText ? { policyFile: { path: 'changeops.yaml', text: baseText } } : {}),
      policy: loadPolicy(baseText ? { path: 'changeops.yaml', text: baseText } : undefined),
    },
  };
}

const file = (id: string) => `changes/${id}.yaml`;

describe('planGate: which changes the gate asks approval for', () => {
  it.each<[string, Files, Files, string[], string[]]>([
    ['a new proposed change', { [file('CHG-1')]: lowRisk('CHG-1') }, {}, ['CHG-1'], []],
    [
      'a new draft: held',
      { [file('CHG-1')]: lowRisk('CHG-1', { status: 'draft' }) },
      {},
      [],
      ['CHG-1:draft'],
    ],
    [
      'an approved change the PR only moves to implemented: recorded, no approval',
      { [file('CHG-1')]: lowRisk('CHG-1', { status: 'implemented' }) },
      { [file('CHG-1')]: lowRisk('CHG-1', { status: 'approved' }) },
      [],
      ['CHG-1:recorded'],
    ],
    [
      'an approved change moved to implemented with its cis rewritten: an edit, asked',
      { [file('CHG-1')]: lowRisk('CHG-1', { status: 'implemented', cis: '[pg-orders]' }) },
      { [file('CHG-1')]: lowRisk('CHG-1', { status: 'approved' }) },
      ['CHG-1'],
      [],
    ],
    [
      'a proposed change the PR cancels: recorded',
      { [file('CHG-1')]: lowRisk('CHG-1', { status: 'cancelled' }) },
      { [file('CHG-1')]: lowRisk('CHG-1') },
      [],
      ['CHG-1:recorded'],
    ],
    [
      'a change whose file changed only in comments: unchanged',
      { [file('CHG-1')]: `# reviewed\n${lowRisk('CHG-1')}` },
      { [file('CHG-1')]: lowRisk('CHG-1') },
      [],
      ['CHG-1:unchanged'],
    ],
    [
      'a proposed change the PR marks approved: asked (approving it is what the CAB does)',
      { [file('CHG-1')]: lowRisk('CHG-1', { status: 'approved' }) },
      { [file('CHG-1')]: lowRisk('CHG-1') },
      ['CHG-1'],
      [],
    ],
  ])('%s', (_name, head, base, asked, unasked) => {
    const plan = planGate(facts(head, { ...gateEstate, ...base }));
    expect(plan.changes.map((c) => c.id)).toEqual(asked);
    expect(plan.unasked.map((u) => `${u.id}:${u.why}`)).toEqual(unasked);
  });

  it("judges both versions of an edited change, with the base's owner of its CIs", () => {
    const base = { ...gateEstate, [file('CHG-1')]: highRisk('CHG-1') };
    const head = {
      [file('CHG-1')]: highRisk('CHG-1', { risk: '{likelihood: low, impact: low}' }),
      'cmdb/pg-orders.yaml': gateEstate['cmdb/pg-orders.yaml']!.replace('@acme/dba', '@mallory'),
    };
    const plan = planGate(facts(head, base));
    const [only] = plan.changes;
    expect(only).toMatchObject({ id: 'CHG-1', risk: 'low', base: { risk: 'high' } });
    expect(only!.impacted.find((ci) => ci.id === 'pg-orders')?.owner).toBe('@acme/dba');
    expect(plan.governance).toMatchObject({ policy: false, schemas: false, cmdb: true });
    expect(plan.teams).toEqual(['@acme/cab', '@acme/dba']);
  });

  it('takes a standard change within its template as pre-approved, whatever severity the policy gives the rule', () => {
    const quiet = `${gateEstate['changeops.yaml']}rules:\n  standard-template: off\n`;
    const base = { ...gateEstate, 'changeops.yaml': quiet };
    const within = planGate(facts({ [file('CHG-1')]: standard('CHG-1') }, base));
    expect(within.changes[0]?.withinTemplate).toBe(true);
    const outside = planGate(
      facts({ [file('CHG-1')]: standard('CHG-1', { cis: '[pg-orders]' }) }, base),
    );
    expect(outside.changes[0]?.withinTemplate).toBe(false);
  });

  it("holds the gate on the check's error-level findings, naming the rules", () => {
    const plan = planGate(facts({ [file('CHG-1')]: change('CHG-1', { cis: '[nowhere]' }) }));
    expect(plan.conditions.checkErrors?.count).toBeGreaterThan(0);
    const decision = decideGate(plan, {
      pullRequest: {
        number: 1,
        author: 'alice',
        headSha: 'h'.repeat(40),
        commits: [],
        reviews: [],
      },
      teams: { '@acme/cab': { active: ['carla'], pending: [] } },
      appIdentity: true,
    });
    expect(decision.approvals.commitState).toBe('failure');
    expect(decision.approvals.sentence).toMatch(
      /^Blocked: \d+ error-level findings? in the check$/,
    );
  });

  it('fails closed with an error when the base policy cannot be used', () => {
    const broken = { ...gateEstate, 'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\n' };
    const plan = planGate(facts({ [file('CHG-1')]: lowRisk('CHG-1') }, broken));
    const decision = decideGate(plan, {
      pullRequest: {
        number: 1,
        author: 'alice',
        headSha: 'h'.repeat(40),
        commits: [],
        reviews: [],
      },
      teams: {},
      appIdentity: true,
    });
    expect(decision.approvals.commitState).toBe('error');
    expect(decision.approvals.sentence).toMatch(/^Error: the base's policy cannot be used/);
  });

  it('renders one retrospective issue per emergency change, with its ECAB approvers and back-out plan', () => {
    const plan = planGate(facts({ [file('CHG-9')]: emergency('CHG-9') }));
    const decision = decideGate(plan, {
      pullRequest: {
        number: 7,
        author: 'alice',
        headSha: 'h'.repeat(40),
        commits: [],
        reviews: [
          {
            id: 1,
            user: { login: 'ella', type: 'User' },
            state: 'APPROVED',
            commit_id: 'h'.repeat(40),
            submitted_at: '2030-01-01T00:00:00Z',
          },
        ],
      },
      teams: { '@acme/ecab': { active: ['ella'], pending: [] } },
      appIdentity: true,
    });
    expect(decision.approvals.sentence).toBe('Approved: ecab (ella)');
    expect(decision.retrospectives).toHaveLength(1);
    const [issue] = decision.retrospectives;
    expect(issue!.body.split('\n')[0]).toBe('<!-- changeops:retrospective change=CHG-9 -->');
    expect(issue!.body).toContain('- **ECAB approvers**: ella (ecab)');
    expect(issue!.body).toContain('Revert the migration with the pipeline');
    expect(issue!.body).toContain('closes it as completed; that close is the sign-off');
  });
});
