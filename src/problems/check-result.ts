/**
 * The result of one post-implementation check, as the exec edge (`runShellCheck`) reports it and
 * the problem core reads it. Plain data: the core never runs anything.
 */
export interface CheckResult {
  /** The shell's exit code; null when a signal ended it or it never started. */
  exitCode: number | null;
  /** The signal that ended the shell (such as SIGTERM), or null. */
  signal: string | null;
  /** The check ran past its timeout and was stopped (it counts as failed whatever its exit code). */
  timedOut: boolean;
  /** The timeout it ran under, in milliseconds. */
  timeoutMs: number;
  /** From start to the result, in milliseconds. */
  durationMs: number;
  /** The end of stdout and stderr, interleaved as they arrived, decoded as UTF-8. */
  output: string;
  /** How many bytes of output the check printed in all. */
  outputBytes: number;
  /** `output` is only the end of what was printed. */
  truncated: boolean;
  /** Why the check could not run, as a sentence (no shell, no working directory); it failed. */
  error?: string;
}

/** A check of a change's record (`checks[]`) with its result. */
export interface NamedCheckResult {
  name: string;
  run: string;
  result: CheckResult;
}

/** Whether a check passed: it ran, finished within its timeout, and exited 0. */
export function checkPassed(result: CheckResult): boolean {
  return result.error === undefined && !result.timedOut && result.exitCode === 0;
}

/**
 * What happened to a check, as a phrase that follows its name: "passed", "exited with code 3",
 * "did not finish within 10 s and was stopped", "was ended by SIGKILL", "could not start: …".
 */
export function describeCheckResult(result: CheckResult): string {
  if (result.error !== undefined) return `could not start: ${result.error}`;
  if (result.timedOut)
    return `did not finish within ${formatDuration(result.timeoutMs)} and was stopped`;
  if (result.exitCode === 0) return 'passed';
  if (result.exitCode !== null) return `exited with code ${result.exitCode}`;
  return `was ended by ${result.signal ?? 'an unknown signal'}`;
}

/** A duration as people read it: "350 ms", "4.2 s", "12 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'an unknown time';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1).replace(/\.0$/, '')} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** A byte count as people read it: "812 bytes", "64 KiB", "10 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown =
    value < 10 ? (Math.round(value * 10) / 10).toString() : Math.round(value).toString();
  return `${shown} ${units[unit]}`;
}
