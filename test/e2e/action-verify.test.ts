import { simpleGit } from 'simple-git';
import { describe, expect, it as base } from 'vitest';
import { bodyLength } from '../../src/problems/text.js';
import { startGitHubServer, TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import {
  deployedChange,
  dispatchEnvironment,
  makeDeploy,
  pushEnvironment,
  type Deploy,
} from './deploy.js';
import { runAction, type ActionRun } from './run-action.js';

// verify as the runner runs it: node dist/index.js after a deploy, on real push and
// workflow_dispatch payloads, against the OpenAPI-checked fake GitHub, in a real checkout whose
// commits the fake holds too. Each test asserts the requests it cost; the report quotes them.

const record = 'changes/CHG-0100-orders-index.yaml';
const marker = '<!-- changeops:problem change=CHG-0100 -->';

// Each test has a fake GitHub of its own, so they run side by side: most of a run's time is the
// second the client waits between two writes, as GitHub asks of content-creating requests.
const it = base.extend<{ gh: FakeGitHub }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads the fixtures a test names
  gh: async ({}, use) => {
    const gh = await startGitHubServer();
    try {
      await use(gh);
      gh.assertNoViolations();
    } finally {
      await gh.close();
    }
  },
});

function deployOf(gh: FakeGitHub, change = deployedChange('CHG-0100')): Promise<Deploy> {
  return makeDeploy(gh, { [record]: change, 'services/orders/index.sql': 'CREATE INDEX;\n' });
}

async function verify(
  gh: FakeGitHub,
  deploy: Deploy,
  options: {
    runId?: number;
    health?: string;
    inputs?: Record<string, string>;
    env?: Record<string, string>;
    token?: string;
  } = {},
): Promise<ActionRun> {
  const env = options.env ?? pushEnvironment(gh, deploy, options.runId ?? 501);
  return runAction({
    cwd: deploy.dir,
    env: { ...env, ...(options.health ? { HEALTH: options.health } : {}) },
    inputs: { command: 'verify', token: options.token ?? TOKENS.actions, ...options.inputs },
  });
}

/** The open issues that carry the change's problem marker. */
function openProblems(deploy: Deploy) {
  return [...deploy.repo.issues.values()].filter(
    (issue) => issue.state === 'open' && issue.body?.split('\n', 1)[0] === marker,
  );
}

/** How many times a failure key appears in the header of the issue or one of its comments. */
function reports(deploy: Deploy, issue: number, runId: number): number {
  const bodies = [
    deploy.repo.issues.get(issue)!.body ?? '',
    ...deploy.repo.commentsOn(issue).map((c) => c.body),
  ];
  return bodies.filter((body) =>
    body
      .split('\n')
      .slice(0, 2)
      .some((line) => line.startsWith(`<!-- changeops:failure change=CHG-0100 run=${runId} `)),
  ).length;
}

const verifyNotes = (deploy: Deploy) =>
  deploy.repo
    .commentsOn(7)
    .filter((c) => c.body.startsWith('<!-- changeops:verify change=CHG-0100 -->'));

describe.concurrent('changeops verify after a deploy (the bundled action)', () => {
  it('opens one problem issue for a failing check, links it from the pull request and fails the step', async ({
    gh,
  }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, { health: 'fail' });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const issues = openProblems(deploy);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.title).toBe('Problem: CHG-0100 failed orders-health after implementation');
    expect(issue.labels).toEqual(['problem']);
    expect(issue.author).toBe('github-actions[bot]');
    expect(deploy.repo.labels.get('problem')).toMatchObject({ color: 'b60205' });
    expect(issue.body).toContain('| What failed | `orders-health` exited with code 3 |');
    expect(issue.body).toContain('orders-api answered 503 for /search\n```');
    expect(issue.body).toContain(
      '- `shop` Online shop (criticality 1, via pg-orders → orders-api → shop)',
    );
    expect(issue.body).toContain('Drop the index concurrently.\nNothing else depends on it.');
    expect(issue.body).toContain(`| Commit | \`${deploy.mergeSha}\` |`);

    expect(verifyNotes(deploy)).toHaveLength(1);
    expect(verifyNotes(deploy)[0]!.body).toContain(`Problem #${issue.number} tracks it.`);
    expect(run.outputs).toMatchObject({
      outcome: 'failure',
      'problem-issue': String(issue.number),
      'problem-issues': JSON.stringify({ 'CHG-0100': issue.number }),
      changes: '["CHG-0100"]',
    });
    expect(run.stdout).toContain(
      `::error::CHG-0100 failed after implementation (orders-health exited with code 3); problem issue #${issue.number}.`,
    );
    // The summary shows the check, its result, duration and output; the log shows no output.
    expect(run.summary).toMatch(/\| `orders-health` \| exited with code 3 \| \d+ ms \|/);
    expect(run.summary).toContain('orders-api answered 503 for /search');
    expect(run.stdout).not.toContain('orders-api answered 503');
    // Reads: the PR of the pushed commit, the open problem issues, the label, the issues again
    // (a concurrent run's?), the PR's comments twice (before and after the note). Writes: the
    // label, the issue, the note.
    expect(gh.requestCounts()).toEqual({ reads: 6, writes: 3, total: 9 });
  });

  it('opens no second issue and writes nothing when the run is re-run', async ({ gh }) => {
    const deploy = await deployOf(gh);
    await verify(gh, deploy, { health: 'fail' });
    gh.clearRequests();
    const again = await verify(gh, deploy, { health: 'fail' });

    expect(again.code).toBe(1);
    expect(openProblems(deploy)).toHaveLength(1);
    expect(deploy.repo.commentsOn(openProblems(deploy)[0]!.number)).toHaveLength(0);
    expect(verifyNotes(deploy)).toHaveLength(1);
    expect(again.outputs['problem-issue']).toBe(String(openProblems(deploy)[0]!.number));
    // The PR, the open issues (this failure is in the issue's header), the PR's comments.
    expect(gh.requestCounts()).toEqual({ reads: 3, writes: 0, total: 3 });
  });

  it('writes as the owner of a personal access token, and finds its issue again by that login', async ({
    gh,
  }) => {
    const deploy = await deployOf(gh);
    const inputs = { 'bot-login': '' };
    await verify(gh, deploy, { health: 'fail', token: TOKENS.user, inputs });
    const first = gh.requestCounts();
    gh.clearRequests();
    const again = await verify(gh, deploy, { health: 'fail', token: TOKENS.user, inputs });

    expect(again.code).toBe(1);
    const issues = openProblems(deploy);
    expect(issues.map((issue) => issue.author)).toEqual(['octocat']);
    expect(verifyNotes(deploy).map((note) => note.user)).toEqual(['octocat']);
    // One read more than with the GITHUB_TOKEN each time: GET /user, who the token is.
    expect(first).toEqual({ reads: 7, writes: 3, total: 10 });
    expect(gh.requestCounts()).toEqual({ reads: 4, writes: 0, total: 4 });
  });

  it('opens one issue when GitHub answers 502 after it created the issue', async ({ gh }) => {
    const deploy = await deployOf(gh);
    const fault = gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues',
      status: 502,
      afterWrite: true,
    });
    const run = await verify(gh, deploy, { health: 'fail' });

    expect(fault.hits).toBe(1);
    expect(run.code).toBe(1);
    expect(openProblems(deploy)).toHaveLength(1);
    expect(deploy.repo.issues.size).toBe(1);
    expect(run.outputs['problem-issue']).toBe(String(openProblems(deploy)[0]!.number));
    // The create is not retried blindly: the issues are listed, ours is found.
    expect(gh.requestCount({ route: 'POST /repos/{owner}/{repo}/issues' })).toBe(1);
    expect(gh.requestCounts()).toEqual({ reads: 6, writes: 3, total: 9 });
  });

  it('keeps one open issue when two runs fail at the same time, each failure recorded once', async ({
    gh,
  }) => {
    const deploy = await deployOf(gh);
    // Both runs list the issues before either has created one.
    gh.injectFault({ route: 'POST /repos/{owner}/{repo}/issues', delayMs: 400, times: 2 });
    const [a, b] = await Promise.all([
      verify(gh, deploy, { health: 'fail', runId: 601 }),
      verify(gh, deploy, { health: 'fail', runId: 602 }),
    ]);

    expect([a.code, b.code]).toEqual([1, 1]);
    const open = openProblems(deploy);
    expect(open).toHaveLength(1);
    const kept = open[0]!.number;
    expect(a.outputs['problem-issue']).toBe(String(kept));
    expect(b.outputs['problem-issue']).toBe(String(kept));
    expect(reports(deploy, kept, 601)).toBe(1);
    expect(reports(deploy, kept, 602)).toBe(1);
    for (const issue of deploy.repo.issues.values()) {
      if (issue.number === kept) continue;
      expect(issue).toMatchObject({ state: 'closed', stateReason: 'duplicate' });
      expect(deploy.repo.commentsOn(issue.number).map((c) => c.body)).toEqual([
        expect.stringContaining(`Duplicate of #${kept}`),
      ]);
    }
    expect(verifyNotes(deploy)).toHaveLength(1);
    // Two first runs (9 requests each) and what the race costs at worst: the label and the issue
    // created twice, the duplicate's comment and close, the failure comment, the second note
    // deleted and the first updated, and the lists that find them.
    const counts = gh.requestCounts();
    expect(counts.writes).toBeLessThanOrEqual(12);
    expect(counts.total).toBeLessThanOrEqual(30);
  });

  it('adds a second, different failure as a comment on the open issue, once', async ({ gh }) => {
    const deploy = await deployOf(gh);
    await verify(gh, deploy, { health: 'fail', runId: 501 });
    const issue = openProblems(deploy)[0]!;
    gh.clearRequests();
    const second = await verify(gh, deploy, { health: 'other', runId: 502 });
    const rerun = await verify(gh, deploy, { health: 'other', runId: 502 });

    expect([second.code, rerun.code]).toEqual([1, 1]);
    expect(openProblems(deploy)).toHaveLength(1);
    const comments = deploy.repo.commentsOn(issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.split('\n')[0]).toBe(
      '<!-- changeops:failure change=CHG-0100 run=502 checks=orders-health -->',
    );
    expect(comments[0]!.body).toContain('`orders-health` exited with code 4');
    expect(comments[0]!.body).toContain('orders-api is slow: p99 4.2 s');
    expect(second.outputs['problem-issue']).toBe(String(issue.number));
    // Second run: the PR, the issues, the issue's comments, the PR's comments; the comment and
    // the note (it names the new run) written. Its re-run: the PR, the issues, the issue's
    // comments (reported already), the PR's comments (unchanged).
    expect(gh.requestCounts()).toEqual({ reads: 8, writes: 2, total: 10 });
  });

  it('opens no issue and makes no request when the checks pass', async ({ gh }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy);

    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      outcome: 'success',
      'problem-issue': '',
      changes: '["CHG-0100"]',
    });
    expect(deploy.repo.issues.size).toBe(0);
    expect(run.summary).toContain('CHG-0100 passed its post-implementation check (orders-health)');
    expect(gh.requestCounts()).toEqual({ reads: 0, writes: 0, total: 0 });
  });

  it('leaves a note on the pull request after a success when asked', async ({ gh }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, { inputs: { 'note-on-success': 'true' } });

    expect(run.code).toBe(0);
    expect(verifyNotes(deploy)).toHaveLength(1);
    expect(verifyNotes(deploy)[0]!.body).toContain('passed its post-implementation review');
    expect(gh.requestCounts()).toEqual({ reads: 3, writes: 1, total: 4 });
  });

  it('opens one issue for a failed deploy even when the checks pass', async ({ gh }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, { inputs: { outcome: 'failure' } });

    expect(run.code).toBe(1);
    const issues = openProblems(deploy);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.title).toBe('Problem: CHG-0100 failed its deploy step');
    expect(issues[0]!.body).toContain('| Deploy step | failed |');
    expect(issues[0]!.body).toContain('| `orders-health` | passed |');
    expect(gh.requestCounts()).toEqual({ reads: 6, writes: 3, total: 9 });
  });

  it('does not pass a cancelled deploy, and opens no issue for it', async ({ gh }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, { inputs: { outcome: 'cancelled' } });

    expect(run.code).toBe(1);
    expect(run.outputs.outcome).toBe('cancelled');
    expect(run.stdout).toContain('::error::CHG-0100 is not verified (the deploy was cancelled).');
    expect(deploy.repo.issues.size).toBe(0);
    expect(gh.requestCounts().total).toBe(0);
  });

  it('proposes the revert and the record update once each, the revert linked from the issue', async ({
    gh,
  }) => {
    const deploy = await deployOf(gh);
    const inputs = { 'record-pull-request': 'true', 'revert-pull-request': 'true' };
    const first = await verify(gh, deploy, { health: 'fail', inputs });
    const firstCounts = gh.requestCounts();
    gh.clearRequests();
    const again = await verify(gh, deploy, { health: 'fail', inputs, runId: 502 });

    expect([first.code, again.code]).toEqual([1, 1]);
    const pulls = [...deploy.repo.pulls.values()].filter((pr) => pr.number !== 7);
    expect(pulls.map((pr) => pr.head.ref).sort()).toEqual([
      'changeops/revert/CHG-0100',
      'changeops/verify/CHG-0100-failed',
    ]);
    const revert = pulls.find((pr) => pr.head.ref === 'changeops/revert/CHG-0100')!;
    const update = pulls.find((pr) => pr.head.ref === 'changeops/verify/CHG-0100-failed')!;
    const issue = openProblems(deploy)[0]!;
    expect(issue.body).toContain(
      `| Revert | #${revert.number} reverts the change's merge commit |`,
    );

    // The revert takes the code back out and keeps the change record.
    expect(revert).toMatchObject({ author: 'github-actions[bot]', base: { ref: 'main' } });
    expect(revert.files.map((f) => [f.filename, f.status])).toEqual([
      ['services/orders/index.sql', 'removed'],
    ]);
    expect(revert.body).toContain(`Reverts \`${deploy.mergeSha.slice(0, 12)}\` (merged in #7)`);
    // The record update moves the change to failed and records the review, nothing else.
    expect(update.files.map((f) => [f.filename, f.status])).toEqual([[record, 'modified']]);
    const text = deploy.repo.git.textAt(update.head.sha, record)!;
    expect(text).toContain('status: failed\nreview:\n  outcome: failure\n');
    expect(text).toContain(`  problemIssue: "#${issue.number}"\n`);
    expect(text).toContain('  run: "https://github.com/acme/estate/actions/runs/501"\n');
    expect(text.replace(/status: failed\nreview:\n( {2}.*\n)+/, 'status: approved\n')).toBe(
      deployedChange('CHG-0100'),
    );
    expect(deploy.repo.git.commits.get(update.head.sha)!.parents).toEqual([deploy.mergeSha]);
    expect(deploy.repo.branches.get('main')).toBe(deploy.mergeSha); // never pushed to

    // First run: 6 reads and 3 writes as without them, plus for each pull request a lookup by
    // branch, the branch, and a tree, a commit, a ref and the pull request.
    expect(firstCounts).toEqual({ reads: 10, writes: 11, total: 21 });
    // The later run finds both by their branches: nothing but its failure comment and note.
    expect(gh.requestCount({ route: 'POST /repos/{owner}/{repo}/pulls' })).toBe(0);
    expect(gh.requestCounts()).toEqual({ reads: 6, writes: 2, total: 8 });
  });

  it('stops a check that hangs at its timeout and reports it failed within seconds', async ({
    gh,
  }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, { health: 'hang', inputs: { 'check-timeout': '1' } });

    expect(run.code).toBe(1);
    const issue = openProblems(deploy)[0]!;
    expect(issue.body).toContain('`orders-health` did not finish within 1 s and was stopped');
    // Its duration runs to the kill: the timeout, then SIGTERM to its whole process group.
    const row =
      /\| `orders-health` \| did not finish within 1 s and was stopped \| ([\d.]+) s \|/.exec(
        run.summary,
      );
    expect(Number(row?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(row?.[1])).toBeLessThan(3.5);
  });

  it('cuts megabytes of output to a tail that fits the issue and still shows the last line', async ({
    gh,
  }) => {
    const checks = `checks:
  - name: noisy
    run: 'yes "row of output 0123456789" | head -c 5000000; echo; echo "LAST LINE OF THE CHECK"; exit 1'
`;
    const deploy = await deployOf(gh, deployedChange('CHG-0100', { checks }));
    const run = await verify(gh, deploy);

    expect(run.code).toBe(1);
    const body = openProblems(deploy)[0]!.body!;
    expect(bodyLength(body)).toBeLessThanOrEqual(65_536);
    expect(body).toContain('LAST LINE OF THE CHECK\n```');
    expect(body).toMatch(/Its last \d+ lines are shown; it printed 4\.8 MiB in all\./);
    expect(run.summary).toContain('LAST LINE OF THE CHECK\n```');
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
  });

  it('prints nothing a check says into the log, so a check cannot command the runner', async ({
    gh,
  }) => {
    const checks = `checks:
  - name: hostile
    run: 'echo "::set-output name=outcome::success"; echo "::add-mask::secret"; echo "##[set-output name=outcome;]success"; exit 1'
`;
    const deploy = await deployOf(gh, deployedChange('CHG-0100', { checks }));
    const run = await verify(gh, deploy);

    expect(run.code).toBe(1);
    expect(run.outputs.outcome).toBe('failure');
    // The one workflow command the action prints itself: the mask of its own token, first, so
    // that no later line can show it (issue 8 part C). Nothing a check says reaches the log.
    const log = run.stdout.split('\n');
    expect(log[0]).toBe(`::add-mask::${TOKENS.actions}`);
    expect(log.slice(1).join('\n')).not.toMatch(/set-output|add-mask/);
    expect(run.summary).toContain('::set-output name=outcome::success');
  });

  it('verifies the named changes on workflow_dispatch, finding their pull request by the record', async ({
    gh,
  }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, {
      health: 'fail',
      env: dispatchEnvironment(gh, deploy, 701),
      inputs: { changes: 'CHG-0100' },
    });

    expect(run.code).toBe(1);
    expect(openProblems(deploy)).toHaveLength(1);
    expect(verifyNotes(deploy)).toHaveLength(1);
    // The commit that last changed the record, its pull request, then as on push.
    expect(gh.requestCount({ route: 'GET /repos/{owner}/{repo}/commits' })).toBe(1);
    expect(gh.requestCounts()).toEqual({ reads: 7, writes: 3, total: 10 });
  });

  it.for<{ what: string; inputs: Record<string, string>; message: string }>([
    {
      what: 'an id that is not a change',
      inputs: { changes: 'CHG-0101' },
      message: 'CHG-0101 is not a change in the records (did you mean CHG-0100?)',
    },
    {
      what: 'a word that is not an id',
      inputs: { changes: 'CHG-0100, rm -rf' },
      message: 'changes holds "rm", "-rf", which are not change ids',
    },
    {
      what: 'an unknown outcome',
      inputs: { changes: 'CHG-0100', outcome: 'succeeded' },
      message: 'input "outcome" is "succeeded"; expected success, failure, cancelled',
    },
    {
      what: 'a timeout that is not a number',
      inputs: { changes: 'CHG-0100', 'check-timeout': '10m' },
      message: 'input "check-timeout" is "10m"',
    },
  ])('refuses $what, naming it', async ({ inputs, message }, { gh }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, { env: dispatchEnvironment(gh, deploy, 702), inputs });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::${message}`);
    expect(gh.requestCounts().total).toBe(0);
  });

  it('never runs checks from a branch that is not the default branch', async ({ gh }) => {
    const deploy = await deployOf(gh);
    const run = await verify(gh, deploy, {
      health: 'fail',
      env: dispatchEnvironment(gh, deploy, 703, 'feature'),
      inputs: { changes: 'CHG-0100' },
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::verify runs on the default branch (main) only, and this run is for refs/heads/feature',
    );
    expect(deploy.repo.issues.size).toBe(0);
    expect(gh.requestCounts().total).toBe(0);
  });

  it('refuses when the checkout is not the pushed commit', async ({ gh }) => {
    const deploy = await deployOf(gh);
    await simpleGit(deploy.dir).checkout('feature');
    const run = await verify(gh, deploy, { health: 'fail' });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `::error::HEAD is ${deploy.headSha.slice(0, 12)}, not ${deploy.mergeSha.slice(0, 12)}, the commit this run is for`,
    );
    expect(gh.requestCounts().total).toBe(0);
  });

  it('skips a change whose record the push moved to failed with its review, running nothing', async ({
    gh,
  }) => {
    const reviewed = deployedChange('CHG-0100', {
      checks: `checks:
  - name: orders-health
    run: 'echo ran > ran.txt'
review:
  outcome: failure
  date: 2030-02-05T08:00:00Z
  problemIssue: "#9"
`,
    }).replace('status: approved', 'status: failed');
    const deploy = await deployOf(gh, reviewed);
    const run = await verify(gh, deploy);

    expect(run.code).toBe(0);
    expect(run.outputs.changes).toBe('[]');
    expect(run.summary).toContain('No change was verified.');
    expect(run.summary).toContain('CHG-0100 is failed: there is nothing to verify');
    expect(gh.requestCounts().total).toBe(0);
  });
});
