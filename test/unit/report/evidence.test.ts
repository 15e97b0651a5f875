import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/report/canonical-json.js';
import { buildEvidence, verifyEvidence, type EvidenceInput } from '../../../src/report/evidence.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import { change, historyOf } from './history-builder.js';

const checks = [
  { name: 'payments-health', run: './scripts/check-payments.sh' },
  { name: 'smoke', run: 'npm run smoke' },
];

function timeline(extra = false) {
  return buildTimelines(
    historyOf([
      {
        date: '2026-03-01T09:00:00Z',
        subject: 'Propose CHG-0042 (#40)',
        login: 'octocat',
        files: { 'changes/CHG-0042.yaml': change('CHG-0042', { checks, problem: '#12' }) },
      },
      {
        date: '2026-03-02T15:00:00Z',
        subject: 'Merge pull request #41 from acme/approve',
        login: 'cab-chair',
        files: {
          'changes/CHG-0042.yaml': change('CHG-0042', {
            status: 'approved',
            checks,
            problem: '#12',
          }),
        },
      },
      {
        date: '2026-03-03T22:45:00Z',
        login: 'deployer',
        files: {
          'changes/CHG-0042.yaml': change('CHG-0042', {
            status: 'implemented',
            checks,
            problem: '#12',
          }),
        },
      },
      ...(extra
        ? [
            {
              date: '2026-03-10T08:00:00Z',
              login: 'cab-chair',
              files: {
                'changes/CHG-0042.yaml': change('CHG-0042', {
                  status: 'closed',
                  checks,
                  problem: '#12',
                }),
              },
            },
          ]
        : []),
    ]),
  ).changes.get('CHG-0042')!;
}

const input = (overrides: Partial<EvidenceInput> = {}): EvidenceInput => ({
  timeline: timeline(),
  branch: 'main',
  impact: {
    commit: '0002ffffffffffffffffffffffffffffffffffff',
    cis: [
      { id: 'pg-payments', name: 'Payments DB', depth: 0, via: ['pg-payments'], criticality: 1 },
      {
        id: 'payments-api',
        depth: 1,
        via: ['pg-payments', 'payments-api'],
        environment: 'production',
      },
    ],
  },
  approvals: {
    source: 'github',
    approvers: [
      { login: 'alice', at: '2026-03-02T14:00:00Z', commit: 'abc', satisfies: 'cab' },
      {
        login: 'erin',
        at: '2026-03-02T14:30:00Z',
        commit: 'abc',
        satisfies: 'owner of pg-payments',
      },
    ],
  },
  checkOutcomes: [{ name: 'payments-health', outcome: 'passed', at: '2026-03-03T23:00:00Z' }],
  ...overrides,
});

describe('buildEvidence', () => {
  it('names who requested the change, each status with its commit and date, and the record then', () => {
    const pack = buildEvidence(input());
    expect(pack.change).toEqual({
      id: 'CHG-0042',
      title: 'Change CHG-0042',
      type: 'normal',
      status: 'implemented',
      requester: 'octocat',
    });
    expect(pack.requested).toMatchObject({
      by: 'octocat',
      committedBy: { login: 'octocat' },
      at: '2026-03-01T09:00:00Z',
      pullRequest: 40,
    });
    expect(
      pack.statuses.map((s) => [s.status, s.from ?? null, s.at, s.sha.slice(0, 4), s.author.login]),
    ).toEqual([
      ['proposed', null, '2026-03-01T09:00:00Z', '0001', 'octocat'],
      ['approved', 'proposed', '2026-03-02T15:00:00Z', '0002', 'cab-chair'],
      ['implemented', 'approved', '2026-03-03T22:45:00Z', '0003', 'deployer'],
    ]);
    expect(pack.statuses[1]!.record).toMatchObject({ id: 'CHG-0042', status: 'approved' });
    expect(pack.outcome).toEqual({
      outcome: 'implemented',
      at: '2026-03-03T22:45:00Z',
      sha: pack.statuses[2]!.sha,
    });
    expect(pack.pullRequests).toEqual([40, 41]);
    expect(pack.problem).toEqual({ opened: [], remediates: '#12' });
  });

  it('keeps the approvals the gate counted, and each check with its outcome', () => {
    const pack = buildEvidence(input());
    expect(pack.approvals.source).toBe('github');
    expect(pack.approvals.approvers.map((a) => [a.login, a.satisfies])).toEqual([
      ['alice', 'cab'],
      ['erin', 'owner of pg-payments'],
    ]);
    expect(pack.checks).toEqual([
      {
        name: 'payments-health',
        run: './scripts/check-payments.sh',
        listed: true,
        outcome: 'passed',
        at: '2026-03-03T23:00:00Z',
      },
      { name: 'smoke', run: 'npm run smoke', listed: true, outcome: 'not recorded' },
    ]);
    expect(pack.impact).toMatchObject({ commit: '0002ffffffffffffffffffffffffffffffffffff' });
    expect(pack.impact.cis.map((ci) => ci.id)).toEqual(['pg-payments', 'payments-api']);
  });

  it('says what git alone shows when no approvals were read from GitHub', () => {
    const { approvals: _, impact: __, ...rest } = input();
    const pack = buildEvidence(rest);
    expect(pack.approvals).toEqual({
      source: 'git',
      approvers: [
        {
          login: 'cab-chair',
          at: '2026-03-02T15:00:00Z',
          commit: pack.statuses[1]!.sha,
          pullRequest: 41,
        },
      ],
      note: 'who committed each move to approved and the pull request that merged it, not who reviewed it; give a token to list the reviews the gate counted',
    });
    expect(pack.impact).toEqual({
      commit: null,
      cis: [],
      note: 'the impact at the time was not computed',
    });
  });

  it('keeps an outcome for a check the record no longer lists, marked as such', () => {
    const pack = buildEvidence(
      input({ checkOutcomes: [{ name: 'legacy-probe', outcome: 'failed', detail: 'exit 3' }] }),
    );
    expect(pack.checks.at(-1)).toEqual({
      name: 'legacy-probe',
      listed: false,
      outcome: 'failed',
      detail: 'exit 3',
    });
  });

  it('seals the pack: the same history gives the same digest, a later commit or an edit another', () => {
    const pack = buildEvidence(input());
    expect(pack.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(buildEvidence(input()).digest).toBe(pack.digest);
    expect(verifyEvidence(pack)).toBe(true);
    // The history moves on: the change is closed.
    expect(buildEvidence(input({ timeline: timeline(true) })).digest).not.toBe(pack.digest);
    // Someone edits the pack after the fact: an approver added.
    const edited = JSON.parse(JSON.stringify(pack)) as typeof pack;
    edited.approvals.approvers.push({ login: 'mallory' });
    expect(verifyEvidence(edited)).toBe(false);
    // Key order does not matter, only content.
    const reordered = JSON.parse(canonicalJson(pack)) as typeof pack;
    expect(verifyEvidence(reordered)).toBe(true);
  });

  it('lists the problem issues the change opened', () => {
    expect(buildEvidence(input({ problemIssues: ['#80', '#77', '#80'] })).problem.opened).toEqual([
      '#77',
      '#80',
    ]);
  });
});
