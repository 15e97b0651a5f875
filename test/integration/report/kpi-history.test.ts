import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../../src/git/history.js';
import { openRepository } from '../../../src/git/repository.js';
import { computeKpis, type KpiInputs } from '../../../src/report/kpi.js';
import { buildTimelines, type Timelines } from '../../../src/report/timeline.js';
import { changeYaml, DatedRepo, githubUser, releaseYaml, type ChangeFields } from './dated-repo.js';

// A generated history whose numbers are worked out by hand below, event by event. Each step is
// one commit at the date given; `file` is the change's file name.
const files: Record<string, string> = {};
const fileOf = (id: string) => (files[id] ??= `changes/${id}.yaml`);

const q1 = { since: Date.parse('2026-01-01T00:00:00Z'), until: Date.parse('2026-04-01T00:00:00Z') };
const q2 = { since: Date.parse('2026-04-01T00:00:00Z'), until: Date.parse('2026-07-01T00:00:00Z') };

const inputs: KpiInputs = {
  problemIssues: [{ change: 'CHG-0003', issue: '#77' }],
  collisions: [
    { changes: ['CHG-0006', 'CHG-0009'] },
    { changes: ['CHG-0010', 'CHG-0001'] },
    { changes: ['CHG-0010', 'CHG-0099'] },
  ],
  freezeExceptions: [{ change: 'CHG-0004' }, { change: 'CHG-0010' }],
};

describe('the KPI report of a generated history', () => {
  let repo: DatedRepo;
  let timelines: Timelines;

  beforeAll(async () => {
    repo = new DatedRepo();
    const step = (date: string, subject: string, records: Record<string, ChangeFields | null>) => {
      for (const [id, fields] of Object.entries(records))
        repo.write({ [fileOf(id)]: fields === null ? null : changeYaml(id, fields) });
      repo.commit(subject, date, githubUser('octocat', 583231));
    };
    const release = (date: string, id: string, status: string, changes: string[]) => {
      repo.write({ [`changes/${id}.yaml`]: releaseYaml(id, { status, changes }) });
      repo.commit(`${id} ${status}`, date);
    };
    // Before the window: CHG-0010 runs its whole course, in REL-2025.11.
    step('2025-11-01T09:00:00Z', 'Propose CHG-0010', { 'CHG-0010': {} });
    step('2025-11-02T09:00:00Z', 'Approve CHG-0010', { 'CHG-0010': { status: 'approved' } });
    step('2025-11-03T09:00:00Z', 'CHG-0010 done', { 'CHG-0010': { status: 'implemented' } });
    release('2025-11-04T09:00:00Z', 'REL-2025.11', 'planned', ['CHG-0010']);
    release('2025-11-05T09:00:00Z', 'REL-2025.11', 'deployed', ['CHG-0010']);
    // CHG-0001 is proposed before the window and approved and implemented in it.
    step('2025-12-20T10:00:00Z', 'Propose CHG-0001', { 'CHG-0001': {} });
    step('2026-01-02T10:00:00Z', 'Approve CHG-0001 (#11)', { 'CHG-0001': { status: 'approved' } });
    step('2026-01-05T10:00:00Z', 'CHG-0001 done', { 'CHG-0001': { status: 'implemented' } });
    step('2026-01-10T00:00:00Z', 'Propose CHG-0002', { 'CHG-0002': {} });
    step('2026-01-11T00:00:00Z', 'Approve CHG-0002', { 'CHG-0002': { status: 'approved' } });
    step('2026-01-12T12:00:00Z', 'CHG-0002 done', { 'CHG-0002': { status: 'implemented' } });
    step('2026-01-15T00:00:00Z', 'Propose CHG-0003', { 'CHG-0003': {} });
    step('2026-01-16T06:00:00Z', 'Approve CHG-0003', { 'CHG-0003': { status: 'approved' } });
    step('2026-01-17T06:00:00Z', 'CHG-0003 failed', { 'CHG-0003': { status: 'failed' } });
    // CHG-0012 remediates the problem CHG-0003 opened; one of its versions does not parse.
    step('2026-01-20T00:00:00Z', 'Propose CHG-0012', { 'CHG-0012': { problem: '#77' } });
    repo.write({
      [fileOf('CHG-0012')]:
        'apiVersion: changeops/v1\nkind: Change\nid: CHG-0012\nstatus: [approved\n',
    });
    repo.commit('Broken edit of CHG-0012', '2026-01-21T00:00:00Z');
    step('2026-01-22T00:00:00Z', 'Approve CHG-0012', {
      'CHG-0012': { status: 'approved', problem: '#77' },
    });
    // A rename moves the record, which is still the same change.
    repo.git('mv', fileOf('CHG-0002'), 'changes/CHG-0002-renamed.yaml');
    files['CHG-0002'] = 'changes/CHG-0002-renamed.yaml';
    repo.commit('Rename CHG-0002', '2026-01-25T00:00:00Z');
    step('2026-02-01T00:00:00Z', 'Close CHG-0002, CHG-0004 by the ECAB', {
      'CHG-0002': { status: 'closed' },
      'CHG-0004': { type: 'emergency', status: 'approved' },
    });
    step('2026-02-01T02:00:00Z', 'CHG-0004 done', {
      'CHG-0004': { type: 'emergency', status: 'implemented' },
    });
    release('2026-02-05T00:00:00Z', 'REL-2026.03', 'planned', ['CHG-0004', 'CHG-0005', 'CHG-0006']);
    step('2026-02-10T00:00:00Z', 'CHG-0005 by the ECAB', {
      'CHG-0005': { type: 'emergency', status: 'approved' },
    });
    step('2026-02-10T01:00:00Z', 'CHG-0005 done', {
      'CHG-0005': { type: 'emergency', status: 'implemented' },
    });
    step('2026-02-10T03:00:00Z', 'CHG-0005 backed out', {
      'CHG-0005': { type: 'emergency', status: 'backed-out' },
    });
    step('2026-02-15T00:00:00Z', 'Propose CHG-0006', { 'CHG-0006': {} });
    // Approved on a side branch the day before; it lands when the pull request is merged.
    repo.mergePullRequest(21, 'approve-6', '2026-02-17T00:00:00Z', (r) => {
      r.write({ [fileOf('CHG-0006')]: changeYaml('CHG-0006', { status: 'approved' }) });
      r.commit('Approve CHG-0006', '2026-02-16T00:00:00Z', githubUser('alice', 77));
    });
    step('2026-03-01T00:00:00Z', 'Propose CHG-0007', { 'CHG-0007': { type: 'standard' } });
    step('2026-03-05T00:00:00Z', 'Propose CHG-0008', { 'CHG-0008': {} });
    step('2026-03-06T00:00:00Z', 'Reject CHG-0008', { 'CHG-0008': { status: 'rejected' } });
    step('2026-03-10T00:00:00Z', 'Propose CHG-0009', { 'CHG-0009': {} });
    step('2026-03-12T00:00:00Z', 'Draft CHG-0011', { 'CHG-0011': { status: 'draft' } });
    step('2026-03-13T00:00:00Z', 'Withdraw CHG-0011', { 'CHG-0011': null });
    step('2026-03-20T00:00:00Z', 'Approve CHG-0009', { 'CHG-0009': { status: 'approved' } });
    // After the first quarter.
    step('2026-04-05T00:00:00Z', 'CHG-0009 done', { 'CHG-0009': { status: 'implemented' } });

    timelines = buildTimelines(await readHistory(await openRepository(repo.dir)));
  });

  afterAll(() => repo.remove());

  it('counts the first quarter by type and by outcome', () => {
    const report = computeKpis(timelines, q1, inputs);
    expect(report.since).toBe('2026-01-01T00:00:00Z');
    expect(report.until).toBe('2026-04-01T00:00:00Z');
    // In the window: 0001-0009, 0011 and 0012 (0010 was done in November).
    expect(report.changes).toEqual({
      total: 11,
      byType: { standard: 1, normal: 8, emergency: 2 },
      byOutcome: {
        implemented: 3, // 0001, 0002 (closed later: still implemented), 0004
        failed: 1, // 0003
        'backed-out': 1, // 0005
        closed: 0,
        rejected: 1, // 0008
        cancelled: 0,
        approved: 3, // 0006, 0009 (implemented only after the window), 0012
        proposed: 1, // 0007
        draft: 0,
        removed: 1, // 0011
      },
    });
    expect(report.successRate).toBe(3 / 5);
    expect(report.emergencyRatio).toBe(2 / 11);
  });

  it('measures lead times in hours, median and p90 by nearest rank', () => {
    const report = computeKpis(timelines, q1, inputs);
    // Proposed -> approved, approvals in the window: 0002 24 h, 0003 30 h, 0006 48 h (to the
    // merge, not the side commit), 0012 48 h (the broken version in between changes nothing),
    // 0009 240 h, 0001 312 h (proposed before the window). Six values: median = 3rd, p90 = 6th.
    expect(report.leadTimeHours.proposedToApproved).toEqual({ median: 48, p90: 312, count: 6 });
    // Approved -> implemented, implementations in the window: 0005 1 h, 0004 2 h, 0002 36 h,
    // 0001 72 h. Four values: median = 2nd, p90 = 4th. Emergencies added as approved count here.
    expect(report.leadTimeHours.approvedToImplemented).toEqual({ median: 2, p90: 72, count: 4 });
  });

  it('names the changes that led to problems and those that remediate them', () => {
    expect(computeKpis(timelines, q1, inputs).problems).toEqual({
      ledToProblems: 1,
      rate: 1 / 5,
      changes: [{ change: 'CHG-0003', issues: ['#77'] }],
      remediations: [{ change: 'CHG-0012', problem: '#77', causedBy: ['CHG-0003'] }],
    });
  });

  it('counts releases, collisions and freeze exceptions of the changes counted', () => {
    const report = computeKpis(timelines, q1, inputs);
    expect(report.releases).toEqual({
      total: 1,
      changesPerRelease: 3,
      byRelease: [{ id: 'REL-2026.03', status: 'planned', changes: 3 }],
    });
    // CHG-0010/CHG-0099 names no change counted in the window.
    expect(report.collisions).toEqual({
      count: 2,
      pairs: [
        ['CHG-0001', 'CHG-0010'],
        ['CHG-0006', 'CHG-0009'],
      ],
    });
    expect(report.freezeExceptions).toEqual({ count: 1, changes: ['CHG-0004'] });
  });

  it('counts the broken version it skipped, and each week of the window', () => {
    const report = computeKpis(timelines, q1, inputs);
    expect(report.history).toMatchObject({ commits: 34, shallow: false, skippedVersions: 1 });
    expect(timelines.skipped).toEqual([
      expect.objectContaining({ path: 'changes/CHG-0012.yaml', date: '2026-01-21T00:00:00Z' }),
    ]);
    // Mondays from 2025-12-29 (the week of Jan 1st) to 2026-03-30 (the week of Mar 31st).
    expect(report.perWeek).toHaveLength(14);
    expect(report.perWeek[0]).toEqual({ week: '2025-12-29', changes: 0 });
    expect(report.perWeek.find((w) => w.week === '2026-01-12')).toEqual({
      week: '2026-01-12',
      changes: 2,
    });
    expect(report.perWeek.at(-1)).toEqual({ week: '2026-03-30', changes: 0 });
    expect(report.perWeek.reduce((sum, w) => sum + w.changes, 0)).toBe(11);
  });

  it('counts the second quarter from what happened in it only', () => {
    const report = computeKpis(timelines, q2, inputs);
    expect(report.changes.total).toBe(1);
    expect(report.changes.byOutcome.implemented).toBe(1);
    expect(report.successRate).toBe(1);
    expect(report.emergencyRatio).toBe(0);
    // CHG-0009: approved 2026-03-20, implemented 2026-04-05: 16 days.
    expect(report.leadTimeHours).toEqual({
      proposedToApproved: { median: null, p90: null, count: 0 },
      approvedToImplemented: { median: 384, p90: 384, count: 1 },
    });
    expect(report.releases).toEqual({ total: 0, changesPerRelease: null, byRelease: [] });
  });

  it('counts the whole history when no window is given', () => {
    const report = computeKpis(timelines, {}, inputs);
    expect(report.since).toBeNull();
    expect(report.until).toBeNull();
    expect(report.changes.total).toBe(12);
    // 0001, 0002, 0004, 0009, 0010 implemented; 0003 failed; 0005 backed out.
    expect(report.successRate).toBe(5 / 7);
    expect(report.releases.changesPerRelease).toBe(2);
  });

  it('gives nulls, never NaN, for a window without changes', () => {
    const report = computeKpis(timelines, {
      since: Date.parse('2020-01-01T00:00:00Z'),
      until: Date.parse('2021-01-01T00:00:00Z'),
    });
    expect(report.changes.total).toBe(0);
    expect(report.successRate).toBeNull();
    expect(report.emergencyRatio).toBeNull();
    expect(report.problems.rate).toBeNull();
    expect(report.leadTimeHours.proposedToApproved).toEqual({ median: null, p90: null, count: 0 });
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
  });

  it('prints the JSON shape the CLI promises', () => {
    const json = JSON.parse(JSON.stringify(computeKpis(timelines, q1, inputs))) as Record<
      string,
      unknown
    >;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'since',
        'until',
        'changes',
        'successRate',
        'emergencyRatio',
        'leadTimeHours',
        'problems',
      ]),
    );
    expect(Object.keys(json['changes'] as object)).toEqual(['total', 'byType', 'byOutcome']);
    expect(
      Object.keys((json['leadTimeHours'] as Record<string, object>)['approvedToImplemented']!),
    ).toEqual(expect.arrayContaining(['median', 'p90']));
  });
});
