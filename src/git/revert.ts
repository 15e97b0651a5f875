import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitOk, runGit } from './objects.js';
import { defaultRemote, isShallow, short, verifyCommit, type Repository } from './repository.js';

/** One file of a revert, from the top of the repository. */
export type RevertChange =
  | {
      path: string;
      mode: string;
      sha: string;
      /** The blob is the one the reverted commit's parent had: GitHub holds it already. */
      known: boolean;
    }
  | { path: string; delete: true };

/** What reverting a commit onto another comes to. */
export type RevertPlan =
  | {
      kind: 'changes';
      changes: RevertChange[];
      /** Files the reverted commit changed that are kept as they are (`keep`). */
      kept: string[];
    }
  | { kind: 'empty' | 'conflict' | 'missing'; reason: string };

/**
 * Works out the revert of `commit` (a merge commit: against its first parent) on top of `onto`,
 * without touching the working tree or the index: the reversed diff is applied, three-way, to a
 * temporary index read from `onto`, and the resulting tree compared with `onto`'s. Paths that
 * `keep` accepts are left as they are. A conflict with later changes is a plan of kind
 * `conflict` naming the files; a commit (or its parent) missing from a shallow clone is fetched
 * from the remote at depth 2 first.
 */
export async function planRevert(
  repo: Repository,
  options: { onto: string; commit: string; keep: (path: string) => boolean },
): Promise<RevertPlan> {
  const { onto, commit } = options;
  // Shas only: they go into git's command line.
  if (
    !/^([0-9a-f]{40}|[0-9a-f]{64}|HEAD)$/.test(commit) ||
    !/^([0-9a-f]{40}|[0-9a-f]{64}|HEAD)$/.test(onto)
  )
    return { kind: 'missing', reason: `${commit.slice(0, 80)} is not a commit sha` };
  if (!(await verifyCommit(repo, `${commit}^1`))) {
    const remote = await defaultRemote(repo);
    if (remote && (await isShallow(repo))) {
      await runGit(repo, [
        'fetch',
        '--no-tags',
        '--quiet',
        '--depth=2',
        '--end-of-options',
        remote,
        commit,
      ]);
    }
    if (!(await verifyCommit(repo, `${commit}^1`)))
      return {
        kind: 'missing',
        reason: `the commit ${short(commit)} or its parent is not in the checkout; check out with fetch-depth: 0 (or 2 when verify runs on the merge commit)`,
      };
  }
  const parent = `${commit}^1`;
  const changed = (
    await gitOk(repo, [
      'diff',
      '--name-only',
      '-z',
      '--no-renames',
      '--end-of-options',
      parent,
      commit,
      '--',
    ])
  )
    .toString()
    .split('\0')
    .filter(Boolean);
  const kept = changed.filter(options.keep);
  const reverted = changed.filter((path) => !options.keep(path));
  if (reverted.length === 0)
    return {
      kind: 'empty',
      reason: `the commit ${short(commit)} changes only change records, which a revert keeps`,
    };

  const scratch = mkdtempSync(join(tmpdir(), 'changeops-revert-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    await gitOk(repo, ['read-tree', '--end-of-options', onto], { env });
    const patch = await gitOk(repo, [
      '--literal-pathspecs',
      'diff',
      '--binary',
      '--full-index',
      '--no-renames',
      '--no-ext-diff',
      '--end-of-options',
      parent,
      commit,
      '--',
      ...reverted,
    ]);
    const applied = await runGit(repo, ['apply', '--cached', '--reverse', '--3way'], {
      env,
      input: patch,
    });
    if (applied.code !== 0) {
      const unmerged = (await runGit(repo, ['ls-files', '-u', '-z'], { env })).stdout
        .toString()
        .split('\0')
        .map((line) => line.split('\t')[1])
        .filter((path): path is string => path !== undefined);
      const files = [...new Set(unmerged)];
      return {
        kind: 'conflict',
        reason:
          files.length > 0
            ? `reverting ${short(commit)} conflicts with later changes to ${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more files` : ''}; back it out by hand`
            : `reverting ${short(commit)} does not apply to ${short(onto)} (${applied.stderr.split('\n').find((line) => line.startsWith('error:')) ?? 'git apply failed'}); back it out by hand`,
      };
    }
    const tree = (await gitOk(repo, ['write-tree'], { env })).toString().trim();
    const diff = (
      await gitOk(repo, [
        'diff-tree',
        '-r',
        '-z',
        '--no-renames',
        '--end-of-options',
        `${onto}^{tree}`,
        tree,
      ])
    ).toString();
    const entries = parseDiffTree(diff);
    if (entries.length === 0)
      return {
        kind: 'empty',
        reason: `${short(onto)} already has what reverting ${short(commit)} would give`,
      };
    const before = await blobsAt(
      repo,
      parent,
      entries.map((entry) => entry.path),
    );
    const changes: RevertChange[] = entries.map((entry) =>
      entry.status === 'D'
        ? { path: entry.path, delete: true }
        : {
            path: entry.path,
            mode: entry.mode,
            sha: entry.sha,
            known: before.get(entry.path) === entry.sha,
          },
    );
    return { kind: 'changes', changes, kept };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The bytes of a blob. */
export async function readBlob(repo: Repository, sha: string): Promise<Buffer> {
  return gitOk(repo, ['cat-file', 'blob', '--end-of-options', sha]);
}

interface DiffTreeEntry {
  status: string;
  mode: string;
  sha: string;
  path: string;
}

/** Parses `git diff-tree -r -z`: `:old new oldsha newsha status\0path\0`. */
function parseDiffTree(output: string): DiffTreeEntry[] {
  const parts = output.split('\0');
  const entries: DiffTreeEntry[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const match = /^:\d+ (\d+) [0-9a-f]+ ([0-9a-f]+) ([A-Z])/.exec(parts[i]!);
    if (!match) continue;
    entries.push({ mode: match[1]!, sha: match[2]!, status: match[3]!, path: parts[i + 1]! });
  }
  return entries;
}

async function blobsAt(
  repo: Repository,
  commit: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  for (let i = 0; i < paths.length; i += 500) {
    const out = await gitOk(repo, [
      '--literal-pathspecs',
      'ls-tree',
      '-z',
      '--end-of-options',
      commit,
      '--',
      ...paths.slice(i, i + 500),
    ]);
    for (const entry of out.toString().split('\0')) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (match) blobs.set(match[2]!, match[1]!);
    }
  }
  return blobs;
}
