import { describe, expect, it } from 'vitest';
import {
  checkPassed,
  describeCheckResult,
  formatBytes,
  formatDuration,
} from '../../../src/problems/check-result.js';
import { assessOutcome, type DeployOutcome } from '../../../src/problems/outcome.js';
import { named, result } from './results.js';

describe('assessOutcome', () => {
  const pass = named('payments-health');
  const fail = named('payments-health', { exitCode: 3 });

  it.each<
    [string, Parameters<typeof assessOutcome>[0]['checks'], DeployOutcome | undefined, string]
  >([
    ['passes when every check passes and the deploy succeeded', [pass], 'success', 'success'],
    [
      'passes when every check passes and no deploy outcome was given',
      [pass],
      undefined,
      'success',
    ],
    ['fails when a check exits non-zero', [fail], 'success', 'failure'],
    [
      'fails when a check exits non-zero and no deploy outcome was given',
      [fail],
      undefined,
      'failure',
    ],
    ['fails when the deploy failed even though every check passed', [pass], 'failure', 'failure'],
    ['fails when the deploy failed and the change has no checks', [], 'failure', 'failure'],
    [
      'is not verified when the deploy was cancelled and no check failed',
      [pass],
      'cancelled',
      'cancelled',
    ],
    ['fails when a check fails after a cancelled deploy', [fail], 'cancelled', 'failure'],
    ['passes a change without checks after a successful deploy', [], 'success', 'success'],
  ])('%s', (_name, checks, deploy, outcome) => {
    expect(assessOutcome({ changeId: 'CHG-0042', checks, deploy }).outcome).toBe(outcome);
  });

  it.each<[string, ReturnType<typeof result>]>([
    [
      'a timeout, whatever the exit code',
      result({ timedOut: true, exitCode: 0, timeoutMs: 10_000 }),
    ],
    ['a signal', result({ exitCode: null, signal: 'SIGKILL' })],
    [
      'a check that could not start',
      result({ exitCode: null, error: 'the shell sh was not found' }),
    ],
  ])('counts %s as a failed check', (_name, checkResult) => {
    const assessment = assessOutcome({
      changeId: 'CHG-0042',
      checks: [{ name: 'db-ping', run: 'true', result: checkResult }],
    });
    expect(assessment.outcome).toBe('failure');
    expect(assessment.failedChecks.map((c) => c.name)).toEqual(['db-ping']);
  });

  it.each<[string, Parameters<typeof assessOutcome>[0], string]>([
    [
      'names each failed check and how it failed',
      {
        changeId: 'CHG-0042',
        checks: [
          named('payments-health', { exitCode: 3 }),
          named('db-ping'),
          named('queue-depth', {
            timedOut: true,
            exitCode: null,
            signal: 'SIGTERM',
            timeoutMs: 10_000,
          }),
        ],
        deploy: 'success',
      },
      'CHG-0042 failed after implementation: payments-health exited with code 3; queue-depth did not finish within 10 s and was stopped.',
    ],
    [
      'says the deploy failed first',
      { changeId: 'CHG-0042', checks: [named('payments-health')], deploy: 'failure' },
      'CHG-0042 failed after implementation: the deploy step failed.',
    ],
    [
      'lists the checks that passed',
      {
        changeId: 'CHG-0042',
        checks: [named('payments-health'), named('db-ping')],
        deploy: 'success',
      },
      'CHG-0042 passed its post-implementation checks (payments-health and db-ping); the deploy step succeeded.',
    ],
    [
      'says when a change has no checks',
      { changeId: 'CHG-0042', checks: [], deploy: 'success' },
      'CHG-0042 has no post-implementation checks; the deploy step succeeded.',
    ],
    [
      'says when checks were not run',
      { changeId: 'CHG-0042', checks: [], notRun: ['payments-health', 'db-ping'] },
      'CHG-0042: no deploy outcome was given; 2 checks not run (run-checks is off).',
    ],
    [
      'says a cancelled deploy leaves the change unverified',
      { changeId: 'CHG-0042', checks: [named('db-ping')], deploy: 'cancelled' },
      'CHG-0042 is not verified: the deploy step was cancelled (its 1 check passed); run verify again once the deploy has finished.',
    ],
  ])('%s', (_name, facts, summary) => {
    expect(assessOutcome(facts).summary).toBe(summary);
  });

  it('names at most ten failed checks in its summary', () => {
    const checks = Array.from({ length: 25 }, (_, i) => named(`check-${i}`, { exitCode: 1 }));
    const { summary, failedChecks } = assessOutcome({ changeId: 'CHG-0042', checks });
    expect(failedChecks).toHaveLength(25);
    expect(summary).toContain('check-9 exited with code 1; 15 more checks failed.');
    expect(summary).not.toContain('check-10 ');
  });
});

describe('describeCheckResult', () => {
  it.each<[string, ReturnType<typeof result>, string, boolean]>([
    ['a pass', result(), 'passed', true],
    ['an exit code', result({ exitCode: 127 }), 'exited with code 127', false],
    [
      'a timeout',
      result({ timedOut: true, exitCode: null, signal: 'SIGTERM', timeoutMs: 600_000 }),
      'did not finish within 10 min and was stopped',
      false,
    ],
    ['a signal', result({ exitCode: null, signal: 'SIGSEGV' }), 'was ended by SIGSEGV', false],
    [
      'a start failure',
      result({ exitCode: null, error: 'the shell sh was not found' }),
      'could not start: the shell sh was not found',
      false,
    ],
  ])('describes %s', (_name, checkResult, words, passed) => {
    expect(describeCheckResult(checkResult)).toBe(words);
    expect(checkPassed(checkResult)).toBe(passed);
  });

  it.each<[number, string]>([
    [350, '350 ms'],
    [4200, '4.2 s'],
    [1000, '1 s'],
    [12_400, '12 s'],
    [125_000, '2 min 5 s'],
    [600_000, '10 min'],
    [3_780_000, '1 h 3 min'],
  ])('writes %i ms as %s', (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });

  it.each<[number, string]>([
    [1, '1 byte'],
    [812, '812 bytes'],
    [65_536, '64 KiB'],
    [10_485_760, '10 MiB'],
    [1536, '1.5 KiB'],
  ])('writes %i bytes as %s', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words);
  });
});
