import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { CheckResult } from '../problems/check-result.js';
import { checkEnvironment } from './environment.js';
import { TailBuffer } from './tail-buffer.js';

/** How to run one post-implementation check. */
export interface ShellCheckOptions {
  /** The command, run as `sh -c <run>`. */
  run: string;
  /** The working directory: the repository root at the pushed commit. */
  cwd: string;
  /** After this many milliseconds the check's whole process group is stopped; it failed. */
  timeoutMs: number;
  /** The environment to inherit (default `process.env`), less `withheldVariables`. */
  inherit?: Readonly<Record<string, string | undefined>>;
  /** Variables set for the check on purpose, withheld names included (`GITHUB_TOKEN`). */
  pass?: Readonly<Record<string, string>>;
  /** How many bytes of output to keep, the last ones (default 64 KiB). */
  outputLimit?: number;
  /** Between SIGTERM and SIGKILL once the timeout is reached (default 2 s). */
  graceMs?: number;
  /**
   * After the shell exits, how long to wait for its output to end (default 250 ms): a background
   * child that still holds stdout must not keep us waiting; it is killed with the group.
   */
  drainMs?: number;
  /** The shell (default `sh`, looked up on PATH). */
  shell?: string;
}

/** How many bytes of a check's output are kept by default: the last 64 KiB. */
export const defaultOutputLimit = 64 * 1024;

// Process groups of checks still running, killed if this process exits before they end (the
// runner cleans up orphans too, but a local run of the CLI has no runner).
const running = new Set<number>();
let exitHookInstalled = false;
function track(pgid: number): void {
  running.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const group of running) signalGroup(group, 'SIGKILL');
  });
}

/**
 * Runs one check with `sh -c` in its own process group and never throws: a failing, hanging or
 * unstartable check comes back as a result. On timeout the whole group (grandchildren included)
 * gets SIGTERM, then SIGKILL after a grace. When the shell exits, what it left running is
 * killed with the group after a short drain, so a background child that holds stdout cannot
 * keep the run waiting. stdout and stderr are interleaved into one buffer that keeps the tail.
 */
export function runShellCheck(options: ShellCheckOptions): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs;
  const graceMs = options.graceMs ?? 2000;
  const drainMs = options.drainMs ?? 250;
  const output = new TailBuffer(options.outputLimit ?? defaultOutputLimit);
  const started = performance.now();

  return new Promise((resolve) => {
    let settled = false;
    let child: ChildProcess | undefined;
    let exitCode: number | null = null;
    let signal: string | null = null;
    let timedOut = false;
    let exitedAt: number | undefined;
    const timers: NodeJS.Timeout[] = [];

    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      if (child?.pid !== undefined) {
        // Whatever the check left behind is not part of it any more.
        signalGroup(child.pid, 'SIGKILL');
        running.delete(child.pid);
      }
      child?.stdout?.destroy();
      child?.stderr?.destroy();
      resolve({
        exitCode,
        signal,
        timedOut,
        timeoutMs,
        // Until the shell exited: the drain that follows is ours, not the check's.
        durationMs: Math.round((exitedAt ?? performance.now()) - started),
        output: output.text(),
        outputBytes: output.total,
        truncated: output.truncated,
        ...(error === undefined ? {} : { error }),
      });
    };

    const problem = unusableDirectory(options.cwd);
    if (problem) return finish(problem);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      return finish(`its timeout must be a positive number of milliseconds, not ${timeoutMs}`);

    const shell = options.shell ?? 'sh';
    try {
      child = spawn(shell, ['-c', options.run], {
        cwd: options.cwd,
        env: checkEnvironment(options.inherit ?? process.env, options.pass),
        detached: true, // its own process group, so the group can be killed as one
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      return finish(spawnProblem(shell, error));
    }
    const pid = child.pid;
    child.on('error', (error) => {
      // Only a failed start matters; a failed kill of a group that is gone does not.
      if (pid === undefined) finish(spawnProblem(shell, error));
    });
    if (pid === undefined) return; // 'error' follows
    track(pid);
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('exit', (code, exitSignal) => {
      exitedAt = performance.now();
      exitCode = code;
      signal = exitSignal;
      timers.push(setTimeout(() => finish(), drainMs));
    });
    child.on('close', () => finish());
    timers.push(
      setTimeout(() => {
        if (exitedAt !== undefined) return; // it finished in time; only its output is draining
        timedOut = true;
        signalGroup(pid, 'SIGTERM');
        timers.push(setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs));
        // A process that even SIGKILL does not end (stuck in the kernel) must not hold us.
        timers.push(setTimeout(() => finish(), graceMs + 2000));
      }, timeoutMs),
    );
  });
}

/** Signals every process of a group; one that is gone already is fine. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group has ended.
  }
}

/** Why a working directory cannot be used, or undefined (spawn would only say "ENOENT"). */
function unusableDirectory(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory()) return `its working directory ${cwd} is not a directory`;
  } catch {
    return `its working directory ${cwd} does not exist`;
  }
  return undefined;
}

function spawnProblem(shell: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `the shell ${shell} was not found`;
  if (code === 'EACCES') return `the shell ${shell} may not be run (permission denied)`;
  const message = error instanceof Error ? error.message : String(error);
  return `the shell ${shell} did not start (${message})`;
}
