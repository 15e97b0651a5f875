import { VerifyError } from '../app/errors/verify-error.js';
import { verify } from '../app/verify.js';
import { checkPassed, describeCheckResult, formatDuration } from '../problems/check-result.js';
import { deployOutcomes, type DeployOutcome } from '../problems/outcome.js';
import { cleanOutput, tailThatFits } from '../problems/text.js';
import { show } from '../records/wording.js';
import { oneLine } from '../render/terminal.js';
import type { Command } from './command.js';
import { exitCodes, type Io } from './output.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops verify`. */
export const verifyHelp = `Usage: changeops verify --changes CHG-0042[,CHG-0043] [--outcome success|failure|cancelled]
                        [--no-run-checks] [--check-timeout SECONDS] [--dir DIR] [--json]

Runs the post-implementation checks of the named changes (checks[].run in each record, with
sh -c in the repository root, each in its own process group, stopped at the timeout) and prints
how each change fared. A change fails when a check exits non-zero, times out or cannot start,
or when --outcome is failure (the deploy failed) even if its checks pass; after a cancelled
deploy with no failed check it is not verified. Offline: the records come from the working tree
and nothing is written to GitHub (the action's command: verify opens the problem issue).

Options:
  --changes IDS          the changes to verify, separated by commas or spaces
  --outcome O            the deploy's outcome: success, failure or cancelled
  --no-run-checks        do not run the checks; only --outcome decides
  --check-timeout S      seconds a check may run (default 600)
  --dir DIR              the repository root (default: the current directory)
  --json                 print {"ok", "outcome", "changes": [{"id", "outcome", "summary",
                         "checks": [{"name", "passed", "result", "exitCode", "timedOut",
                         "durationMs", "outputBytes", "output"}], "notRun"}]}
                         (schemas/output/verify.schema.json)

Checks run with this process's environment, less the action's inputs, tokens and the step's
files (see docs/verify.md). Run verify only on a checkout you trust: a check is a command.

Exit codes: 0 every change passed, 1 a change failed or is not verified, 2 usage error (an
unknown change id, a bad option).`;

/** The `verify` entry of the CLI's command table. */
export const verifyCommand: Command = {
  help: verifyHelp,
  options: {
    changes: { type: 'string' },
    outcome: { type: 'string' },
    'no-run-checks': { type: 'boolean', default: false },
    'check-timeout': { type: 'string' },
  },
  run: ({ values, positionals, dir }, io) => {
    const changes = [
      ...(typeof values.changes === 'string' ? [values.changes] : []),
      ...positionals,
    ].join(' ');
    if (changes.trim() === '')
      throw new UsageError('name the changes to verify: --changes CHG-0042');
    const outcome = values.outcome;
    if (outcome !== undefined && !(deployOutcomes as readonly unknown[]).includes(outcome))
      throw new UsageError(`--outcome is ${show(outcome)}; use ${deployOutcomes.join(', ')}`);
    const timeout = typeof values['check-timeout'] === 'string' ? values['check-timeout'] : '600';
    const seconds = Number(timeout);
    if (!/^\d+(\.\d+)?$/.test(timeout) || !(seconds > 0))
      throw new UsageError(`--check-timeout is ${show(timeout)}; give a number of seconds`);
    return runVerify(
      {
        dir,
        changes,
        ...(outcome !== undefined ? { outcome: outcome as DeployOutcome } : {}),
        runChecks: values['no-run-checks'] !== true,
        checkTimeoutMs: Math.round(seconds * 1000),
        json: values.json === true,
      },
      io,
    );
  },
};

/** Runs `changeops verify`: runs the checks, prints the outcome (or JSON), returns the exit code. */
export async function runVerify(
  options: {
    dir: string;
    changes: string;
    outcome?: DeployOutcome;
    runChecks: boolean;
    checkTimeoutMs: number;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  let result;
  try {
    result = await verify({
      root: options.dir,
      changes: options.changes,
      ...(options.outcome ? { outcome: options.outcome } : {}),
      runChecks: options.runChecks,
      checkTimeoutMs: options.checkTimeoutMs,
      noteOnSuccess: false,
      recordUpdate: false,
      revert: false,
    });
  } catch (error) {
    if (error instanceof VerifyError) throw new UsageError(error.message);
    throw error;
  }
  const { report } = result;
  const code = report.outcome === 'success' ? exitCodes.ok : exitCodes.failed;
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          ok: code === exitCodes.ok,
          outcome: report.outcome,
          changes: report.changes.map((change) => ({
            id: change.changeId,
            outcome: change.assessment.outcome,
            summary: change.assessment.summary,
            checks: change.assessment.checks.map((check) => ({
              name: check.name,
              passed: checkPassed(check.result),
              result: describeCheckResult(check.result),
              exitCode: check.result.exitCode,
              timedOut: check.result.timedOut,
              durationMs: check.result.durationMs,
              outputBytes: check.result.outputBytes,
              output: check.result.output,
            })),
            notRun: change.notRun,
          })),
        },
        null,
        2,
      ),
    );
    return code;
  }
  for (const change of report.changes) {
    const mark = { success: '✓', failure: '✗', cancelled: '!' }[change.assessment.outcome];
    io.out(oneLine(`${mark} ${change.changeId}  ${change.title}`));
    for (const check of change.assessment.checks) {
      const ok = checkPassed(check.result);
      io.out(
        oneLine(
          `    ${ok ? '✓' : '✗'} ${check.name}: ${describeCheckResult(check.result)} (${formatDuration(check.result.durationMs)})`,
        ),
      );
      if (!ok) for (const line of tailLines(check.result.output)) io.out(line);
    }
    for (const name of change.notRun) io.out(oneLine(`    - ${name}: not run`));
    io.out(oneLine(`  ${change.assessment.summary}`));
  }
  return code;
}

/**
 * The last lines of a failed check's output, indented (no line can start a workflow command), 20
 * lines at most. The CLI's output boundary (workflowSafe) breaks `##[` and escapes what could
 * hide it, as it does for everything printed.
 */
function tailLines(output: string): string[] {
  const text = cleanOutput(output);
  if (text === '') return [];
  const lines = tailThatFits(text, 4000).text.split('\n').slice(-20);
  return lines.map((line) => `      | ${oneLine(line)}`);
}
