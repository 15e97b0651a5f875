import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeYaml,
  ciYaml,
  DatedRepo,
  githubUser,
  releaseYaml,
  runCli,
  type ChangeFields,
} from '../report/dated-repo.js';

// `changeops report` through the real command on a generated history whose numbers are worked
// out by hand below. Each step is one commit on main at the date given.
const policy = `apiVersion: changeops/v1
kind: Policy
id: test
leadTimeHours: {normal: 0}
freezes:
  - name: Spring sale
    start: 2026-02-14T00:00:00Z
    end: 2026-02-16T00:00:00Z
    allow: [emergency]
`;
const slot1 = { start: '2026-01-20T22:00:00Z', end: '2026-01-20T23:00:00Z' };
const slot2 = { start: '2026-01-20T22:30:00Z', end: '2026-01-20T23:30:00Z' };
const inFreeze = { start: '2026-02-15T02:00:00Z', end: '2026-02-15T03:00:00Z' };
const failure = {
  outcome: 'failure',
  date: '2026-01-21T00:40:00Z',
  problemIssue: '#7',
  run: 'https://github.com/acme/shop/actions/runs/99',
};

describe('changeops report on a generated history', () => {
  let repo: DatedRepo;
  beforeAll(() => {
    repo = new DatedRepo();
    const step = (date: string, subject: string, records: Record<string, ChangeFields>) => {
      for (const [id, fields] of Object.entries(records))
        repo.write({ [`changes/${id}.yaml`]: changeYaml(id, fields) });
      repo.commit(subject, date, githubUser('octocat'));
    };
    repo.write({
      'changeops.yaml': policy,
      'cmdb/pg.yaml': ciYaml('pg'),
      'cmdb/api.yaml': ciYaml('api', { dependsOn: ['pg'] }),
    });
    const c1 = { cis: ['pg'], schedule: slot1 };
    const c2 = { cis: ['api'], schedule: slot2 };
    const c3 = { type: 'emergency', cis: ['api'], schedule: inFreeze };
    step('2026-01-05T09:00:00Z', 'Propose CHG-0001 (#1)', { 'CHG-0001': c1 });
    step('2026-01-06T09:00:00Z', 'Approve CHG-0001 (#2)', {
      'CHG-0001': { ...c1, status: 'approved' },
    });
    step('2026-01-07T09:00:00Z', 'Propose CHG-0002 (#3)', { 'CHG-0002': c2 });
    step('2026-01-09T09:00:00Z', 'Approve CHG-0002 (#4)', {
      'CHG-0002': { ...c2, status: 'approved' },
    });
    repo
      .write({
        'changes/REL-2026.01.yaml': releaseYaml('REL-2026.01', {
          changes: ['CHG-0001', 'CHG-0002'],
        }),
      })
      .commit('Plan REL-2026.01', '2026-01-10T00:00:00Z');
    step('2026-01-20T23:00:00Z', 'CHG-0001 implemented', {
      'CHG-0001': { ...c1, status: 'implemented' },
    });
    step('2026-01-21T01:00:00Z', 'CHG-0002 failed (#5)', {
      'CHG-0002': { ...c2, status: 'failed', review: failure },
    });
    repo
      .write({
        'changes/REL-2026.01.yaml': releaseYaml('REL-2026.01', {
          status: 'deployed',
          changes: ['CHG-0001', 'CHG-0002'],
        }),
      })
      .commit('REL-2026.01 deployed', '2026-01-21T02:00:00Z');
    step('2026-02-15T03:00:00Z', 'CHG-0003 by the ECAB', {
      'CHG-0003': { ...c3, status: 'approved' },
    });
    step('2026-02-15T04:00:00Z', 'CHG-0003 implemented', {
      'CHG-0003': { ...c3, status: 'implemented' },
    });
    step('2026-02-20T10:00:00Z', 'Propose CHG-0004 for problem #7', {
      'CHG-0004': { cis: ['api'], problem: '#7' },
    });
    step('2026-03-02T10:00:00Z', 'Propose CHG-0005', { 'CHG-0005': { cis: ['pg'] } });
    step('2026-03-03T10:00:00Z', 'Reject CHG-0005', {
      'CHG-0005': { cis: ['pg'], status: 'rejected' },
    });
  });
  afterAll(() => repo.remove());

  it('prints the numbers of the whole history as JSON', async () => {
    const run = await runCli('report', '--json', '--dir', repo.dir);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toEqual({
      ok: true,
      since: null,
      until: null,
      changes: {
        total: 5,
        byType: { standard: 0, normal: 4, emergency: 1 },
        byOutcome: {
          implemented: 2, // 0001, 0003
          failed: 1, // 0002
          'backed-out': 0,
          closed: 0,
          rejected: 1, // 0005
          cancelled: 0,
          approved: 0,
          proposed: 1, // 0004
          draft: 0,
          removed: 0,
        },
      },
      successRate: 2 / 3,
      emergencyRatio: 1 / 5,
      leadTimeHours: {
        // 0001 24 h, 0002 48 h; 0003 was added approved (the ECAB), so it has none.
        proposedToApproved: { median: 24, p90: 48, count: 2 },
        // 0003 1 h, 0001 from 6 January 09:00 to 20 January 23:00: 350 h.
        approvedToImplemented: { median: 1, p90: 350, count: 2 },
      },
      problems: {
        // From the review verify wrote into CHG-0002: no GitHub needed.
        ledToProblems: 1,
        rate: 1 / 3,
        changes: [{ change: 'CHG-0002', issues: ['#7'] }],
        remediations: [{ change: 'CHG-0004', problem: '#7', causedBy: ['CHG-0002'] }],
      },
      releases: {
        total: 1,
        changesPerRelease: 2,
        byRelease: [{ id: 'REL-2026.01', status: 'deployed', changes: 2 }],
      },
      // 0001 on pg impacts api too, which 0002 names, and their windows overlap by 30 minutes.
      collisions: { count: 1, pairs: [['CHG-0001', 'CHG-0002']] },
      // 0003 ran in the Spring sale freeze, which lets emergencies through.
      freezeExceptions: { count: 1, changes: ['CHG-0003'] },
      perWeek: [
        { week: '2026-01-19', changes: 2 },
        { week: '2026-01-26', changes: 0 },
        { week: '2026-02-02', changes: 0 },
        { week: '2026-02-09', changes: 1 },
        { week: '2026-02-16', changes: 1 },
        { week: '2026-02-23', changes: 0 },
        { week: '2026-03-02', changes: 1 },
      ],
      history: { ref: 'main', commits: 13, shallow: false, skippedVersions: 0, notes: [] },
    });
  });

  it('counts a window given as dates, the --until day included', async () => {
    const run = await runCli(
      'report',
      '--since',
      '2026-01-01',
      '--until',
      '2026-01-31',
      '--json',
      '--dir',
      repo.dir,
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      since: '2026-01-01T00:00:00Z',
      until: '2026-02-01T00:00:00Z',
      changes: { total: 2, byType: { standard: 0, normal: 2, emergency: 0 } },
      successRate: 0.5,
      emergencyRatio: 0,
      leadTimeHours: {
        proposedToApproved: { median: 24, p90: 48, count: 2 },
        approvedToImplemented: { median: 350, p90: 350, count: 1 },
      },
      problems: { ledToProblems: 1, rate: 0.5, remediations: [] },
      releases: { total: 1 },
      collisions: { count: 1 },
      freezeExceptions: { count: 0, changes: [] },
      perWeek: [
        { week: '2025-12-29', changes: 0 },
        { week: '2026-01-05', changes: 0 },
        { week: '2026-01-12', changes: 0 },
        { week: '2026-01-19', changes: 2 },
        { week: '2026-01-26', changes: 0 },
      ],
    });
  });

  it('prints the measures for a terminal', async () => {
    const run = await runCli('report', '--since', '2026-02-01', '--dir', repo.dir);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      'Changes from 2026-02-01T00:00:00Z on, as recorded on main (13 commits that touched records):',
      '  changes                             3 (standard 0, normal 2, emergency 1)',
      '  outcomes                            implemented 1, rejected 1, proposed 1',
      '  change success rate                 100% (1 implemented of 1 implemented, failed or backed out)',
      '  emergency changes                   33.3% (1 of 3)',
      '  lead time, proposed to approved     none measured',
      '  lead time, approved to implemented  median 1 h, p90 1 h (1 change)',
      '  changes that led to problems        none',
      '  changes that remediate a problem    1: CHG-0004 remediates #7, opened by CHG-0002',
      '  releases                            none',
      '  collisions                          none',
      '  freeze exceptions                   1: CHG-0003',
    ]);
  });

  it('prints the job summary with the charts GitHub draws', async () => {
    const run = await runCli('report', '--format', 'markdown', '--dir', repo.dir);
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).toContain(
      '| change success rate | 66.7% (2 implemented of 3 implemented, failed or backed out) |',
    );
    expect(text).toContain(
      [
        '```mermaid',
        'pie showData',
        '  title Outcomes of 5 changes',
        '  "implemented" : 2',
        '  "failed" : 1',
        '  "rejected" : 1',
        '  "proposed" : 1',
        '```',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '```mermaid',
        'xychart-beta',
        '  title "Changes per week"',
        '  x-axis ["01-19", "01-26", "02-02", "02-09", "02-16", "02-23", "03-02"]',
        '  y-axis "changes" 0 --> 2',
        '  bar [2, 0, 0, 1, 1, 0, 1]',
        '```',
      ].join('\n'),
    );
  });

  it('reads the history of the branch it is given, not of what is checked out', async () => {
    repo.git('checkout', '--quiet', '-b', 'feature', 'HEAD~2');
    try {
      // The default branch, main, is what counts wherever HEAD is.
      const onMain = JSON.parse((await runCli('report', '--json', '--dir', repo.dir)).stdout);
      expect(onMain.changes.total).toBe(5);
      const run = await runCli('report', '--branch', 'feature', '--json', '--dir', repo.dir);
      const report = JSON.parse(run.stdout);
      expect(report.history).toMatchObject({ ref: 'feature', commits: 11 });
      expect(report.changes.total).toBe(4);
    } finally {
      repo.git('checkout', '--quiet', 'main');
    }
  });

  it.each([
    [
      ['--since', '2026-02-30'],
      'changeops report: --since "2026-02-30" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
    ],
    [
      ['--until', '2026-01-01T00:00:00'],
      'changeops report: --until "2026-01-01T00:00:00" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
    ],
    [
      ['--since', '2026-02-01', '--until', '2026-01-31'],
      'changeops report: --until (2026-02-01T00:00:00Z) is not after --since (2026-02-01T00:00:00Z)',
    ],
    [['--format', 'pdf'], 'changeops report: --format is "pdf"; use text or markdown'],
    [
      ['--json', '--format', 'text'],
      'changeops report: --json and --format exclude each other; give one of them',
    ],
  ])('exits 2 for %j with the usage', async (args, sentence) => {
    const run = await runCli('report', ...args, '--dir', repo.dir);
    expect(run.code).toBe(2);
    expect(run.err[0]).toBe(sentence);
    // With --json the error is JSON on stdout as well, for a script.
    expect(run.out).toEqual(
      args.includes('--json')
        ? JSON.stringify(
            {
              ok: false,
              error: { code: 'usage', message: sentence.replace('changeops report: ', '') },
            },
            null,
            2,
          ).split('\n')
        : [],
    );
  });
});
