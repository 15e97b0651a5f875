import { spawn } from 'node:child_process';
import { gitBinary } from './binary.js';
import { GitError } from './errors/git-error.js';
import { firstLine, type Repository } from './repository.js';

/** The output of a git command run with its own environment or input. */
export interface GitRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git in the repository's top-level directory with extra environment variables (a
 * temporary index) and standard input; never throws for a non-zero exit, which is the caller's
 * to judge. Refs are passed after `--end-of-options` by callers where git takes them.
 */
export function runGit(
  repo: Repository,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: Buffer | string } = {},
): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(gitBinary(), args, {
      cwd: repo.top,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(new GitError(`cannot run git ${args[0]}: ${firstLine(error)}`, { cause: error })),
    );
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.on('error', () => {}); // git may exit before reading all of it
    child.stdin.end(options.input ?? '');
  });
}

/** Like runGit, but a non-zero exit throws a GitError with git's first line. */
export async function gitOk(
  repo: Repository,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: Buffer | string } = {},
): Promise<Buffer> {
  const run = await runGit(repo, args, options);
  if (run.code !== 0)
    throw new GitError(`git ${args[0]} failed: ${firstLine(run.stderr || `exit ${run.code}`)}`);
  return run.stdout;
}

/** The commit HEAD points at. */
export async function headCommit(repo: Repository): Promise<string> {
  return (await gitOk(repo, ['rev-parse', '--verify', 'HEAD^{commit}'])).toString().trim();
}

/** The tree of a commit. */
export async function treeOf(repo: Repository, commit: string): Promise<string> {
  return (await gitOk(repo, ['rev-parse', '--verify', '--end-of-options', `${commit}^{tree}`]))
    .toString()
    .trim();
}

/** A file's mode and blob at a commit (path from the top of the repository), or undefined. */
export async function entryAt(
  repo: Repository,
  commit: string,
  path: string,
): Promise<{ mode: string; sha: string } | undefined> {
  const out = await gitOk(repo, [
    '--literal-pathspecs',
    'ls-tree',
    '-z',
    '--end-of-options',
    commit,
    '--',
    path,
  ]);
  const match = /^(\d+) blob ([0-9a-f]+)\t/.exec(out.toString());
  return match ? { mode: match[1]!, sha: match[2]! } : undefined;
}
