import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../../src/app/load-workspace.js';
import { main } from '../../../src/cli/main.js';
import { decideCheck } from '../../../src/evaluate/decide.js';
import { renderCheckReport } from '../../../src/evaluate/report.js';
import { ZERO_WIDTH_SPACE as z } from '../../../src/render/markdown.js';
import { makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';

// `changeops verify` (offline) and the problem links `check`, `impact` and the comment show, on
// workspaces written to a temporary folder.
afterEach(removeWorkspaces);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (text) => out.push(...text.split('\n')),
    err: (text) => err.push(...text.split('\n')),
  });
  return { code, out, err };
}

function change(id: string, checks: string, extra = ''): string {
  return `apiVersion: changeops/v1
kind: Change
id: ${id}
title: Tune the payments pool
type: normal
status: approved
requester: octocat
cis: [pg-payments]
reason: The pool runs out of connections at peak and checkout fails for a minute.
risk: {likelihood: low, impact: low}
plan: {implementation: Raise the pool to 50., test: Load test in staging., backout: Set it back to 10.}
schedule: {start: 2030-02-04T22:00:00Z, end: 2030-02-04T23:00:00Z}
checks:
${checks}${extra}`;
}

describe('changeops verify', () => {
  it("runs the named changes' checks and exits 0 when they pass", async () => {
    const dir = makeWorkspace({
      'changes/CHG-0050-pool.yaml': change('CHG-0050', '  - {name: pool-size, run: "echo 50"}\n'),
    });
    const { code, out } = await run('verify', '--changes', 'CHG-0050', '--dir', dir);
    expect(code).toBe(0);
    expect(out[0]).toBe('✓ CHG-0050  Tune the payments pool');
    expect(out[1]).toMatch(/^ {4}✓ pool-size: passed \(\d+ ms\)$/);
    expect(out.at(-1)).toBe(
      '  CHG-0050 passed its post-implementation check (pool-size); no deploy outcome was given.',
    );
  });

  it("exits 1 on a failed check and shows the end of its output, inert for a runner's log", async () => {
    const dir = makeWorkspace({
      'changes/CHG-0051-pool.yaml': change(
        'CHG-0051',
        `  - name: pool-size
    run: 'echo "::set-output name=outcome::success"; echo "  ##[add-mask]x"; echo "pool is 10"; exit 1'
`,
      ),
    });
    const { code, out } = await run('verify', '--changes', 'CHG-0051', '--dir', dir);
    expect(code).toBe(1);
    expect(out).toContain('      | ::set-output name=outcome::success');
    // The CLI's output boundary breaks "##[" with an escape (workflowSafe); a zero-width space
    // would not do: the runner's culture-aware search for "##[" may skip it.
    expect(out).toContain('      |   ##\\u005badd-mask]x');
    expect(out).toContain('      | pool is 10');
    for (const line of out) {
      expect(line.trimStart().startsWith('::')).toBe(false);
      expect(line).not.toContain('##[');
    }
  });

  it('prints the outcome as JSON', async () => {
    const dir = makeWorkspace({
      'changes/CHG-0050-pool.yaml': change('CHG-0050', '  - {name: pool-size, run: "echo 50"}\n'),
    });
    const { code, out } = await run(
      'verify',
      '--changes',
      'CHG-0050',
      '--outcome',
      'failure',
      '--json',
      '--dir',
      dir,
    );
    expect(code).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      outcome: 'failure',
      changes: [
        {
          id: 'CHG-0050',
          outcome: 'failure',
          checks: [{ name: 'pool-size', passed: true, exitCode: 0, output: '50\n' }],
          notRun: [],
        },
      ],
    });
  });

  it.each([
    [
      ['--changes', 'CHG-0099'],
      'changeops verify: CHG-0099 is not a change in the records (did you mean CHG-0042?)',
    ],
    [
      ['--changes', 'CHG-0042', '--outcome', 'ok'],
      'changeops verify: --outcome is "ok"; use success, failure, cancelled',
    ],
    [[], 'changeops verify: name the changes to verify: --changes CHG-0042'],
  ])('exits 2 for %j, saying why', async (args, message) => {
    const dir = makeWorkspace();
    const { code, err } = await run('verify', ...args, '--dir', dir);
    expect(code).toBe(2);
    expect(err[0]).toBe(message);
  });

  it('does not run the checks with --no-run-checks', async () => {
    const dir = makeWorkspace({
      'changes/CHG-0050-pool.yaml': change('CHG-0050', '  - {name: pool-size, run: "exit 9"}\n'),
    });
    const { code, out } = await run(
      'verify',
      '--changes',
      'CHG-0050',
      '--no-run-checks',
      '--dir',
      dir,
    );
    expect(code).toBe(0);
    expect(out).toContain('    - pool-size: not run');
  });
});

describe('problem links', () => {
  // CHG-0042 (the fixture) remediates #123, which the failure of CHG-0040 opened.
  const opened = change(
    'CHG-0040',
    '  - {name: pool-size, run: "exit 1"}\n',
    'review:\n  outcome: failure\n  date: 2026-11-01T00:00:00Z\n  problemIssue: "#123"\n',
  ).replace('status: approved', 'status: failed');
  const sentence = 'CHG-0042 remediates #123, opened by the failure of CHG-0040';

  it('are shown by check, in its text and JSON', async () => {
    const dir = makeWorkspace({ 'changes/CHG-0040-pool.yaml': opened });
    const text = await run('check', '--dir', dir, '--now', '2026-11-20T00:00:00Z');
    expect(text.out).toContain(`  ${sentence}`);
    const json = await run('check', '--dir', dir, '--json', '--now', '2026-11-20T00:00:00Z');
    const parsed = JSON.parse(json.out.join('\n')) as {
      changes: Array<{ id: string; problemLinks?: string[] }>;
    };
    expect(parsed.changes.find((c) => c.id === 'CHG-0042')?.problemLinks).toEqual([sentence]);
  });

  it('are shown by impact, after the levels', async () => {
    const dir = makeWorkspace({ 'changes/CHG-0040-pool.yaml': opened });
    const { out } = await run('impact', 'CHG-0042', '--dir', dir);
    expect(out.at(-1)).toBe(sentence);
    const opener = await run('impact', 'CHG-0040', '--dir', dir);
    expect(opener.out.at(-1)).toBe(
      'The failure of CHG-0040 opened #123, which CHG-0042 remediates',
    );
  });

  it('are in the pull request comment, with no live reference to the issue', async () => {
    const dir = makeWorkspace({ 'changes/CHG-0040-pool.yaml': opened });
    const report = renderCheckReport(
      decideCheck({ workspace: loadWorkspace(dir), now: new Date('2026-11-20T00:00:00Z') }).outcome,
    );
    expect(report.comment).toContain(
      `🔗 CHG-0042 remediates &#35;${z}123, opened by the failure of CHG-0040`,
    );
  });
});
