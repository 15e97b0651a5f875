import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import { actionsEnvironment, workflowDispatchEvent, writeEventFile } from '../fakes/webhooks.js';
import {
  changeYaml,
  ciYaml,
  DatedRepo,
  githubUser,
  releaseYaml,
} from '../integration/report/dated-repo.js';
import { runAction, type ActionRun } from './run-action.js';
import { fakeGitHubPerTest } from '../fakes/per-test.js';

// `command: report` run as the runner runs it (node dist/index.js) in a real checkout of a
// generated history, against the OpenAPI-checked fake GitHub.

let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

/** Four changes: 0001 implemented, 0002 failed, 0003 implemented (emergency), 0004 proposed. */
function history(): DatedRepo {
  const repo = new DatedRepo();
  const step = (date: string, subject: string, id: string, status: string, type = 'normal') => {
    repo.write({ [`changes/${id}.yaml`]: changeYaml(id, { status, type, cis: ['pg'] }) });
    repo.commit(subject, date, githubUser('octocat'));
  };
  repo.write({
    'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
    'cmdb/pg.yaml': ciYaml('pg'),
  });
  step('2026-01-05T09:00:00Z', 'Propose CHG-0001 (#1)', 'CHG-0001', 'proposed');
  step('2026-01-06T09:00:00Z', 'Approve CHG-0001 (#2)', 'CHG-0001', 'approved');
  step('2026-01-07T09:00:00Z', 'CHG-0001 done', 'CHG-0001', 'implemented');
  step('2026-01-12T09:00:00Z', 'Propose CHG-0002 (#3)', 'CHG-0002', 'proposed');
  step('2026-01-13T09:00:00Z', 'Approve CHG-0002 (#4)', 'CHG-0002', 'approved');
  step('2026-01-14T09:00:00Z', 'CHG-0002 failed', 'CHG-0002', 'failed');
  step('2026-01-20T09:00:00Z', 'CHG-0003 by the ECAB', 'CHG-0003', 'approved', 'emergency');
  step('2026-01-20T11:00:00Z', 'CHG-0003 done', 'CHG-0003', 'implemented', 'emergency');
  step('2026-01-27T09:00:00Z', 'Propose CHG-0004 (#5)', 'CHG-0004', 'proposed');
  repo
    .write({ 'changes/REL-2026.01.yaml': releaseYaml('REL-2026.01', { changes: ['CHG-0001'] }) })
    .commit('Plan REL-2026.01', '2026-01-28T09:00:00Z');
  return repo;
}

describe('command: report (the bundled action)', () => {
  let repo: DatedRepo;
  beforeAll(() => {
    repo = history();
  });
  afterAll(() => repo.remove());

  const report = (inputs: Record<string, string> = {}, token: string = TOKENS.actions) => {
    const payload = workflowDispatchEvent({ owner: 'acme', repo: 'shop' });
    return runAction({
      cwd: repo.dir,
      env: actionsEnvironment({
        eventName: 'workflow_dispatch',
        payload,
        eventPath: writeEventFile(payload),
        apiUrl: gh.url,
      }),
      inputs: { command: 'report', token, ...inputs },
    });
  };

  /** The problem issues on GitHub: two by our bot, and three that must not count. */
  function seedIssues(): void {
    const shop = gh.repo('acme/shop');
    const marker = (id: string) => `<!-- changeops:problem change=${id} -->\n\nThe checks failed.`;
    // verify opened #7 when CHG-0002 failed; its record update was never merged.
    shop.addIssue({
      number: 7,
      title: 'CHG-0002 failed',
      author: 'github-actions[bot]',
      body: marker('CHG-0002'),
      labels: ['problem'],
    });
    // A closed problem was still caused by the change.
    shop.addIssue({
      number: 8,
      title: 'CHG-0003 failed',
      author: 'github-actions[bot]',
      body: marker('CHG-0003'),
      labels: ['problem'],
      state: 'closed',
    });
    // A person's issue that quotes the marker, and one without it: never ours.
    shop.addIssue({
      number: 9,
      title: 'CHG-0001 is bad',
      author: 'mallory',
      body: marker('CHG-0001'),
      labels: ['problem'],
    });
    shop.addIssue({
      number: 10,
      title: 'Slow checkout',
      author: 'github-actions[bot]',
      body: 'no marker',
      labels: ['problem'],
    });
    // A pull request the issues list returns too.
    shop.addPullRequest({
      number: 11,
      author: 'github-actions[bot]',
      body: marker('CHG-0001'),
      labels: ['problem'],
    });
  }

  const expectSummaryCharts = (run: ActionRun) => {
    expect(run.summary).toContain('## Change KPIs');
    expect(run.summary).toContain(
      [
        '```mermaid',
        'pie showData',
        '  title Outcomes of 4 changes',
        '  "implemented" : 2',
        '  "failed" : 1',
        '  "proposed" : 1',
        '```',
      ].join('\n'),
    );
    expect(run.summary).toContain(
      [
        '```mermaid',
        'xychart-beta',
        '  title "Changes per week"',
        '  x-axis ["01-05", "01-12", "01-19", "01-26"]',
        '  y-axis "changes" 0 --> 1',
        '  bar [1, 1, 1, 1]',
        '```',
      ].join('\n'),
    );
  };

  it('writes the KPIs with mermaid charts to the job summary and counts the problem issues our bot opened', async () => {
    seedIssues();
    const run = await report();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectSummaryCharts(run);
    expect(run.summary).toContain(
      '| change success rate | 66.7% (2 implemented of 3 implemented, failed or backed out) |',
    );
    expect(run.summary).toContain(
      '| changes that led to problems | 2 (66.7% of those finished): `CHG-0002` (`#7`); `CHG-0003` (`#8`) |',
    );
    expect(run.outputs['success-rate']).toBe(String(2 / 3));
    expect(run.outputs['emergency-ratio']).toBe('0.25');
    expect(run.outputs['changes-total']).toBe('4');
    expect(run.outputs.problems).toBe('2');
    const kpis = JSON.parse(run.outputs.kpis!);
    expect(kpis.problems.changes).toEqual([
      { change: 'CHG-0002', issues: ['#7'] },
      { change: 'CHG-0003', issues: ['#8'] },
    ]);
    expect(kpis.history).toMatchObject({ ref: 'main', commits: 10, shallow: false });
    // One page of issues, listed (never searched), and nothing written.
    expect(gh.requestCounts()).toEqual({ reads: 1, writes: 0, total: 1 });
    expect(gh.requests[0]).toMatchObject({
      route: 'GET /repos/{owner}/{repo}/issues',
      query: { labels: 'problem', state: 'all', per_page: 100 },
    });
  });

  it('counts a window given as inputs, with the same date parser as the CLI', async () => {
    const run = await report({ since: '2026-01-12', until: '2026-01-19' });
    expect(run.code).toBe(0);
    const kpis = JSON.parse(run.outputs.kpis!);
    expect(kpis.since).toBe('2026-01-12T00:00:00Z');
    expect(kpis.until).toBe('2026-01-20T00:00:00Z');
    expect(kpis.changes.total).toBe(1);
    expect(run.outputs['success-rate']).toBe('0');
  });

  it('goes on with the problems the records name when the token may not read issues', async () => {
    seedIssues();
    gh.setPermission(TOKENS.actions, 'issues', 'none');
    const run = await report();
    expect(run.code).toBe(0);
    expect(run.outputs.problems).toBe('0');
    const warning = run.annotations.find((a) => a.level === 'warning');
    expect(warning?.message).toMatch(
      /^the problem issues could not be read from GitHub \(HTTP 403: Resource not accessible by integration.*\), so only those the records name \(review\.problemIssue\) are counted$/,
    );
    expectSummaryCharts(run);
    expect(gh.requestCounts()).toEqual({ reads: 1, writes: 0, total: 1 });
  });

  it('makes no request without a token', async () => {
    const run = await report({}, '');
    expect(run.code).toBe(0);
    expect(run.outputs['changes-total']).toBe('4');
    expect(gh.requestCounts().total).toBe(0);
  });

  it('fails with a sentence on a date it cannot read', async () => {
    const run = await report({ since: '2026-13-01' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::input "since" is "2026-13-01"; expected a date like 2026-01-01 or a date and time with a zone like 2026-01-01T00:00:00Z',
    );
    expect(gh.requestCounts().total).toBe(0);
  });
});
