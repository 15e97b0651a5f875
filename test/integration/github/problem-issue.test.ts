import { describe, expect, it } from 'vitest';
import {
  listOpenProblemIssues,
  recordProblem,
  type ProblemRequest,
} from '../../../src/github/issues.js';
import { createClient } from '../../../src/github/octokit.js';
import { assessOutcome } from '../../../src/problems/outcome.js';
import { renderFailureComment, renderProblemIssue } from '../../../src/problems/problem-issue.js';
import { TOKENS, type FakeGitHub } from '../../fakes/github-server.js';
import { named } from '../../unit/problems/results.js';
import { fakeGitHubPerTest } from '../../fakes/per-test.js';

// The problem issue's writes against the OpenAPI-checked fake GitHub: real octokit, real HTTP.
let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
  gh.repo('acme/estate');
});

const target = { owner: 'acme', repo: 'estate' };
const bot = 'github-actions[bot]';
const marker = '<!-- changeops:problem change=CHG-0042 -->';
const client = (token: string = TOKENS.actions) =>
  createClient({ token, baseUrl: gh.url, retries: 0, pace: false });

function request(runId: number, changeId = 'CHG-0042'): ProblemRequest {
  const assessment = assessOutcome({
    changeId,
    checks: [named('payments-health', { exitCode: 3, output: 'payments: 503\n' })],
  });
  const run = { id: runId, url: `https://github.com/acme/estate/actions/runs/${runId}` };
  return {
    changeId,
    botLogin: bot,
    issue: renderProblemIssue({
      change: { id: changeId, title: 'Upgrade the payments database' },
      assessment,
      impacted: [],
      run,
    }),
    comment: renderFailureComment({ assessment, run }),
  };
}

async function record(runId: number, token?: string, changeId?: string) {
  const octokit = client(token);
  const listed = await listOpenProblemIssues(octokit, target);
  return recordProblem(octokit, target, listed, request(runId, changeId));
}

const repo = () => gh.repo('acme/estate');
const openOfChange = () =>
  [...repo().issues.values()].filter(
    (issue) => issue.state === 'open' && issue.body?.startsWith(marker),
  );

describe('recordProblem', () => {
  it("does not take a person's issue that quotes the marker for ours", async () => {
    repo().addIssue({
      title: 'Copied from the bot',
      author: 'mallory',
      labels: ['problem'],
      body: `${marker}\nPlease close the problem for CHG-0042`,
    });
    const outcome = await record(100);
    expect(outcome).toMatchObject({ action: 'created' });
    expect(openOfChange().map((issue) => issue.author)).toEqual(['mallory', bot]);
  });

  it("opens a new issue when the change's last one was closed", async () => {
    const first = await record(100);
    const number = 'number' in first ? first.number : 0;
    repo().issues.get(number)!.state = 'closed';
    const second = await record(200);
    expect(second).toMatchObject({ action: 'created' });
    expect('number' in second && second.number).not.toBe(number);
  });

  it('finds its issue on the second page of 150 open problem issues', async () => {
    for (let i = 0; i < 150; i++) {
      const id = `CHG-${String(1000 + i)}`;
      repo().addIssue({
        title: id,
        author: bot,
        labels: ['problem'],
        body: request(100, id).issue.body,
      });
    }
    repo().addIssue({
      title: 'ours',
      author: bot,
      labels: ['problem'],
      body: request(100).issue.body,
    });
    gh.clearRequests();
    const again = await record(100);
    expect(again).toMatchObject({ action: 'reported' });
    expect(repo().issues.size).toBe(151);
    // Two pages of the listing, nothing else: the failure is in the issue's own header.
    expect(gh.requestCounts()).toEqual({ reads: 2, writes: 0, total: 2 });
  });

  it('closes the duplicates an earlier concurrent run left, each with one comment', async () => {
    const body = request(100).issue.body;
    const kept = repo().addIssue({ title: 'Problem', author: bot, labels: ['problem'], body });
    const extra = repo().addIssue({ title: 'Problem', author: bot, labels: ['problem'], body });
    const outcome = await record(200);
    expect(outcome).toMatchObject({
      action: 'commented',
      number: kept.number,
      closedDuplicates: [extra.number],
    });
    expect(extra).toMatchObject({ state: 'closed', stateReason: 'duplicate' });
    expect(
      repo()
        .commentsOn(extra.number)
        .map((c) => c.body.split('\n')[1]),
    ).toEqual([
      `Duplicate of #${kept.number}: two runs of changeops verify opened an issue for the same change at the same time; #${kept.number} is the one that tracks it.`,
    ]);
  });

  it('adds a later failure once, even when GitHub answers 502 after storing the comment', async () => {
    const first = await record(100);
    gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      status: 502,
      afterWrite: true,
    });
    const second = await record(200);
    expect(second).toMatchObject({ action: 'commented' });
    const number = 'number' in first ? first.number : 0;
    expect(repo().commentsOn(number)).toHaveLength(1);
    expect(repo().commentsOn(number)[0]!.body.split('\n')[0]).toBe(
      '<!-- changeops:failure change=CHG-0042 run=200 checks=payments-health -->',
    );
  });

  it('creates the problem label once, in its color, and leaves an existing one alone', async () => {
    repo().ensureLabel('Problem').color = '00ff00';
    await record(100);
    expect([...repo().labels.values()].map((l) => [l.name, l.color])).toEqual([
      ['Problem', '00ff00'],
    ]);
    expect(gh.requestCount({ route: 'POST /repos/{owner}/{repo}/labels' })).toBe(0);
  });

  it('says GitHub refused when the token may not write issues, and writes nothing', async () => {
    const outcome = await record(100, TOKENS.forkReadOnly);
    expect(outcome).toMatchObject({ action: 'refused', status: 403 });
    expect(repo().issues.size).toBe(0);
  });
});
