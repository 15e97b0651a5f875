import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShellCheck, type ShellCheckOptions } from '../../../src/exec/shell-check.js';
import { checkPassed, describeCheckResult } from '../../../src/problems/check-result.js';

const cwd = mkdtempSync(join(tmpdir(), 'changeops-check-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const check = (run: string, options: Partial<ShellCheckOptions> = {}) =>
  runShellCheck({ run, cwd, timeoutMs: 10_000, ...options });

/** Whether a process is still running (a zombie waiting for its parent to reap it is not). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits up to `ms` for a process to end (SIGKILL is delivered asynchronously). */
async function endsWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!running(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !running(pid);
}

/** The pids a check printed as `pid=N` lines. */
const pidsIn = (output: string) => [...output.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));

describe('runShellCheck', () => {
  it('reports a check that exits 0 as passed, with its output', async () => {
    const result = await check('echo hello');
    expect(result).toMatchObject({
      exitCode: 0,
      signal: null,
      timedOut: false,
      output: 'hello\n',
      outputBytes: 6,
      truncated: false,
    });
    expect(result.error).toBeUndefined();
    expect(checkPassed(result)).toBe(true);
    expect(describeCheckResult(result)).toBe('passed');
  });

  it('reports a check that exits 3 as failed, with what it printed on stderr', async () => {
    const result = await check('echo "payments: 502 Bad Gateway" >&2; exit 3');
    expect(result.exitCode).toBe(3);
    expect(result.output).toBe('payments: 502 Bad Gateway\n');
    expect(checkPassed(result)).toBe(false);
    expect(describeCheckResult(result)).toBe('exited with code 3');
  });

  it('interleaves stdout and stderr in the order they were written', async () => {
    const result = await check('echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three');
    expect(result.output).toBe('one\ntwo\nthree\n');
  });

  it('runs in the given working directory', async () => {
    const result = await check('pwd -P');
    expect(result.output).toBe(`${realpathSync(cwd)}\n`);
  });

  it('gives the check no standard input: a check that reads it ends at once', async () => {
    const result = await check('cat; echo done');
    expect(result).toMatchObject({ exitCode: 0, output: 'done\n' });
  });

  it('kills a hanging check at its 1 s timeout and reports it within a few seconds', async () => {
    const result = await check('echo waiting; sleep 60', { timeoutMs: 1000 });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThan(4000);
    expect(result.signal).toBe('SIGTERM');
    expect(result.output).toBe('waiting\n');
    expect(checkPassed(result)).toBe(false);
    expect(describeCheckResult(result)).toBe('did not finish within 1 s and was stopped');
  });

  it('kills a check that ignores SIGTERM with SIGKILL after the grace', async () => {
    const result = await check("trap '' TERM; echo pid=$$; sleep 60", {
      timeoutMs: 500,
      graceMs: 500,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(result.durationMs).toBeLessThan(3000);
    expect(await endsWithin(pidsIn(result.output)[0]!, 2000)).toBe(true);
  });

  it('kills the grandchildren of a check that times out with its process group', async () => {
    const result = await check('sleep 60 & echo pid=$!; sleep 60 & echo pid=$!; wait', {
      timeoutMs: 1000,
    });
    expect(result.timedOut).toBe(true);
    const pids = pidsIn(result.output);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await endsWithin(pid, 2000)).toBe(true);
  });

  it('returns promptly when the shell exits while a background child still holds stdout', async () => {
    const started = Date.now();
    const result = await check('sleep 60 & echo pid=$!; echo started');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.output).toContain('started\n');
    expect(checkPassed(result)).toBe(true);
    // What the check left running is killed with its group.
    expect(await endsWithin(pidsIn(result.output)[0]!, 2000)).toBe(true);
  });

  it('does not count a check that finished in time as timed out while its output drains', async () => {
    const result = await check('sleep 60 & echo pid=$!; sleep 0.1; echo done', {
      timeoutMs: 400,
      drainMs: 1500,
    });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    // The duration is the check's own, without the drain.
    expect(result.durationMs).toBeLessThan(400);
    expect(await endsWithin(pidsIn(result.output)[0]!, 2000)).toBe(true);
  });

  it('keeps the tail of 10 MB of output, ending with the last line', async () => {
    // 350,000 lines of 30 bytes: 10.5 MB.
    const result = await check(
      "yes 'a line of output that repeats' | head -n 350000; echo 'the last line: FAILED'; exit 1",
    );
    expect(result.exitCode).toBe(1);
    expect(result.outputBytes).toBe(350_000 * 30 + 'the last line: FAILED\n'.length);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(result.output)).toBeGreaterThan(60 * 1024);
    expect(result.output.endsWith('a line of output that repeats\nthe last line: FAILED\n')).toBe(
      true,
    );
  });

  it('cuts the tail on a character boundary, never through a multi-byte character', async () => {
    // 1,000 two-byte characters and a newline; 1,000 bytes kept start in the middle of one.
    const result = await check(`printf '%.0sé' $(seq 1000); echo`, { outputLimit: 1000 });
    expect(result.truncated).toBe(true);
    expect(result.output).toBe(`${'é'.repeat(499)}\n`);
  });

  it('shows bytes that are not UTF-8 as replacement characters', async () => {
    const result = await check("printf '\\377\\376ok\\n'");
    expect(result.output).toBe('\ufffd\ufffdok\n');
  });

  it('withholds our tokens from the check unless they are passed on purpose', async () => {
    const inherit = {
      ...process.env,
      INPUT_TOKEN: 'ghs_input_secret',
      'INPUT_APP-PRIVATE-KEY': '-----BEGIN PRIVATE KEY-----',
      GITHUB_TOKEN: 'ghs_job_secret',
      GITHUB_OUTPUT: join(cwd, 'output'),
      DEPLOY_ENV: 'production',
    };
    const withheld = await check('env', { inherit });
    expect(withheld.output).not.toMatch(/ghs_|PRIVATE KEY|GITHUB_OUTPUT/);
    expect(withheld.output).toContain('DEPLOY_ENV=production');
    const passed = await check('echo "$GITHUB_TOKEN"', {
      inherit,
      pass: { GITHUB_TOKEN: 'ghs_given' },
    });
    expect(passed.output).toBe('ghs_given\n');
  });

  it('reports a missing shell as a failed check with a sentence, without throwing', async () => {
    const result = await check('true', { shell: '/nonexistent/sh' });
    expect(result).toMatchObject({ exitCode: null, signal: null, timedOut: false });
    expect(result.error).toBe('the shell /nonexistent/sh was not found');
    expect(checkPassed(result)).toBe(false);
    expect(describeCheckResult(result)).toBe(
      'could not start: the shell /nonexistent/sh was not found',
    );
  });

  it('reports a missing working directory as a failed check with a sentence', async () => {
    const result = await check('true', { cwd: join(cwd, 'no-such-dir') });
    expect(result.error).toBe(`its working directory ${join(cwd, 'no-such-dir')} does not exist`);
    expect(checkPassed(result)).toBe(false);
  });

  it('reports a check ended by a signal of its own', async () => {
    const result = await check('kill -KILL $$');
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false });
    expect(describeCheckResult(result)).toBe('was ended by SIGKILL');
  });
});
