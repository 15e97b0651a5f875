import { spawn } from 'node:child_process';
import { gitBinary } from './binary.js';
import { GitError } from './errors/git-error.js';

/** An open repository: the directory the records live in, and where that is in the git tree. */
export interface Repository {
  /** The directory given (the changeops root); every path below is relative to it. */
  dir: string;
  /** The git top-level directory. */
  top: string;
  /** `dir` relative to `top`, with a trailing slash, or '' when they are the same. */
  prefix: string;
  git: GitCommands;
}

/** Runs git in a repository's directory. */
export interface GitCommands {
  /**
   * git with these arguments, and what it printed. It fails when git exits with an error and
   * says why on stderr (the error's message is what it printed); an exit code alone (rev-parse
   * --quiet, merge-base without a common ancestor) resolves with the output, often ''.
   */
  raw(args: readonly string[]): Promise<string>;
}

/**
 * Opens the git repository that holds `dir` (dir may be a sub-folder of the work tree). `need`
 * says, for the message when there is none, what needs it. `located` is where git said `dir`
 * is already (locateWithBase), so that no process asks again.
 */
export async function openRepository(
  dir: string,
  need = 'check --base needs one',
  located?: GitLocation,
): Promise<Repository> {
  // The environment is inherited as it is. A command that stalls (a password prompt with nobody
  // to answer) is stopped after ten minutes without output; a quiet fetch of a large history can
  // legitimately be silent for a few.
  const location = located ?? (await locateRepository(dir));
  if (!location) throw new GitError(`${dir} is not inside a git work tree; ${need}`);
  return { dir, top: location.top, prefix: location.prefix, git: gitAt(dir) };
}

/** Where a directory sits in git: the work tree's top, the directory's place in it, the git dir. */
export interface GitLocation {
  /** The git top-level directory. */
  top: string;
  /** The directory relative to `top`, with a trailing slash, or '' when they are the same. */
  prefix: string;
  /**
   * The repository's common git directory (shared by its worktrees) as git names it: absolute,
   * or relative to the directory asked about.
   */
  commonDir: string;
}

/** The location asked of git per directory while an answer is on its way (never kept after). */
const inFlight = new Map<string, Promise<GitLocation | undefined>>();

/** What rev-parse is asked for a location (locateWithBase adds a base to it). */
export const locationArgs = ['rev-parse', '--show-toplevel', '--show-prefix', '--git-common-dir'];

/**
 * Where `dir` sits in git, from one `git rev-parse`; undefined outside a work tree (or when git
 * cannot say). Two callers that ask about the same directory while the first answer is on its
 * way (the snapshot's folder and the base's repository, started together) share one process;
 * nothing is remembered once it has answered, so a repository made or moved later is seen.
 */
export function locateRepository(dir: string): Promise<GitLocation | undefined> {
  return inFlight.get(dir) ?? shareLocation(dir, askLocation(dir));
}

/** The location of `dir` from a rev-parse of its own, whatever is in flight. */
export function askLocation(dir: string): Promise<GitLocation | undefined> {
  return gitAt(dir).raw(locationArgs).then(parseLocation);
}

/** Whether a location of `dir` is on its way (locateRepository would share it). */
export function locating(dir: string): boolean {
  return inFlight.has(dir);
}

/** Makes `answer` the one in flight for `dir` until it settles; failures read as no location. */
export function shareLocation(
  dir: string,
  answer: Promise<GitLocation | undefined>,
): Promise<GitLocation | undefined> {
  const settled = answer.catch(() => undefined);
  inFlight.set(dir, settled);
  void settled.then(() => {
    if (inFlight.get(dir) === settled) inFlight.delete(dir);
  });
  return settled;
}

/** The first three lines of rev-parse's answer: top, prefix, common git dir. */
export function parseLocation(output: string): GitLocation | undefined {
  const [top = '', prefix = '', commonDir = ''] = output.split('\n');
  if (!top || !commonDir) return undefined;
  return { top, prefix, commonDir };
}

/** A command that prints nothing for this long is stopped: a prompt with nobody to answer. */
const silentFor = 600_000;

/**
 * The git commands of a repository, run straight from child processes (the git of gitBinary,
 * in `dir`, with the environment as it is, stdin closed), as simple-git ran them before: a
 * library of 80 KB whose loading was a tenth of a pull request's check. Only `raw` was used.
 */
function gitAt(dir: string): GitCommands {
  return {
    raw(args) {
      return new Promise((resolve, reject) => {
        const child = spawn(gitBinary(), args, {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let timer: NodeJS.Timeout | undefined;
        const quiet = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            child.kill();
            reject(new GitError(`git ${args[0] ?? ''} printed nothing for ten minutes; stopped`));
          }, silentFor);
        };
        quiet();
        child.stdout.on('data', (chunk: Buffer) => (out.push(chunk), quiet()));
        child.stderr.on('data', (chunk: Buffer) => (err.push(chunk), quiet()));
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          const stdout = Buffer.concat(out);
          if (code !== 0 && err.length > 0)
            reject(new Error(Buffer.concat([stdout, ...err]).toString('utf8')));
          else resolve(stdout.toString('utf8'));
        });
      });
    },
  };
}

/** Whether the repository is a shallow clone (history cut off, as actions/checkout does by default). */
export async function isShallow(repo: Repository): Promise<boolean> {
  return (await repo.git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/** The remote to fetch from: origin, or the only remote there is. */
export async function defaultRemote(repo: Repository): Promise<string | undefined> {
  const remotes = (await repo.git.raw(['remote'])).split('\n').filter(Boolean);
  return remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
}

/**
 * The commit a ref names, as git's rev-parse gives it; '' when it names none here (`--quiet`
 * makes a missing ref exit 1 without a word). Throws what git says about anything else.
 */
export async function revParseCommit(repo: Repository, ref: string): Promise<string> {
  try {
    return (
      await repo.git.raw([
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${ref}^{commit}`,
      ])
    ).trim();
  } catch (error) {
    const reason = firstLine(error);
    if (reason === 'unknown error' || /^fatal: Needed a single revision$/.test(reason)) return '';
    throw error;
  }
}

/** The commit a ref names, or undefined when it names none here or git cannot say. */
export async function verifyCommit(repo: Repository, ref: string): Promise<string | undefined> {
  try {
    return (await revParseCommit(repo, ref)) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first line of a git error, for a message of our own, with any credentials in a URL taken
 * out: git quotes the remote it failed on (`https://x-access-token:ghs_...@github.com/...`), and
 * the message goes to the log, the job summary and the pull request comment.
 */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactCredentials(
    message
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? 'unknown error',
  );
}

/**
 * Text with the user and password of every URL in it replaced by `***`, and of a bare
 * `user:password@host` too (git says "unable to look up u:token@host" for a git:// remote).
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1***@')
    .replace(/(^|[\s'"(])[^\s/@'"():]+:[^\s/@'"]+@/g, '$1***@');
}

/** A full sha shortened to 12 characters for a message; any other ref as it is. */
export function short(ref: string): string {
  return /^[0-9a-f]{40,64}$/.test(ref) ? ref.slice(0, 12) : ref;
}
