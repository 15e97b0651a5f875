import type { CheckResult, NamedCheckResult } from '../../../src/problems/check-result.js';

/** A check result as runShellCheck reports one; a passing check unless told otherwise. */
export function result(overrides: Partial<CheckResult> = {}): CheckResult {
  const output = overrides.output ?? '';
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    timeoutMs: 600_000,
    durationMs: 1200,
    output,
    outputBytes: Buffer.byteLength(output),
    truncated: false,
    ...overrides,
  };
}

/** A named check of a record with its result. */
export function named(name: string, overrides: Partial<CheckResult> = {}): NamedCheckResult {
  return { name, run: `./scripts/checks/${name}.sh`, result: result(overrides) };
}
