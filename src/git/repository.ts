import type { SimpleGit } from 'simple-git';
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
  git: SimpleGit;
}

/**
 * Opens the git repository that holds `dir` (dir may be a sub-folder of the work tree). `need`
 * says, for the message when there is none, what needs it.
 */
export async function openRepository(
  dir: string,
  need = 'check --base needs one',
): Promise<Repository> {
  // The environment is inherited as it is: simple-git refuses to pass on some variables (EDITOR,
  // GIT_ASKPASS, ...) when they are set explicitly. A command that stalls (a password prompt
  // with nobody to answer) is stopped after ten minutes without output; a quiet fetch of a
  // large history can legitimately be silent for a few.
  const git = await gitAt(dir);
  let lines: string[];
  try {
    lines = (await git.raw(['rev-parse', '--show-toplevel', '--show-prefix'])).split('\n');
  } catch (error) {
    throw new GitError(`${dir} is not inside a git work tree; ${need}`, {
      cause: error,
    });
  }
  const top = lines[0]?.trim() ?? '';
  if (!top) throw new GitError(`${dir} is not inside a git work tree; ${need}`);
  return { dir, top, prefix: lines[1]?.trim() ?? '', git };
}

// simple-git's own check of a custom binary allows only [a-z0-9/.\\_~-] and a drive letter;
// "C:\Program Files\Git\cmd\git.exe" has a space. The path comes from PATH, not from the
// pull request, so its check is waived for such a path, and its warning that says so silenced.
const plainPath = /^([a-z]:)?[a-z0-9/.\\_~-]+$/i;

async function gitAt(dir: string): Promise<SimpleGit> {
  // Imported when a repository is first opened: a run that never opens one (validate, check
  // without --base) does not load simple-git (the CLI's bundle keeps it in a chunk of its own).
  const { simpleGit } = await import('simple-git');
  const binary = gitBinary();
  const options = { baseDir: dir, binary, timeout: { block: 600_000 } };
  if (plainPath.test(binary)) return simpleGit(options);
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return simpleGit({ ...options, unsafe: { allowUnsafeCustomBinary: true } });
  } finally {
    console.warn = warn;
  }
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
