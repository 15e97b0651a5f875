import { evidence, type EvidenceRequest, type EvidenceResult } from '../app/evidence.js';
import { show } from '../records/wording.js';
import { oneLine } from '../render/terminal.js';
import type { Command } from './command.js';
import { exitCodes, printJson, type Io } from './output.js';
import { CommandError, UsageError } from './usage-error.js';

/** Help for `changeops evidence`. */
export const evidenceHelp = `Usage: changeops evidence <change-id> [--out DIR] [--force] [--branch REF]
                          [--github] [--repo OWNER/NAME] [--dir DIR] [--json]

The evidence pack of one change, for an auditor to take away (SOC 2 CC8.1, ISO 27001 A.8.32,
SOX change controls): who requested it and when; every status it reached on the default
branch with the commit, date, author and pull request, and the record as it stood then; the
impact computed from the CMDB at the commit that approved it (not today's); the approvals;
its post-implementation checks and the review verify recorded; the problem issues; and a
digest (sha256 of the pack's canonical JSON) so that any later edit shows.

Approvals come from git alone by default: who committed each move to approved and the pull
request that merged it, not who reviewed it. With --github they are read from GitHub: for each
pull request that approved the change, the latest review of each person on its head commit
that the gate's rules let count (not the PR author, a requester, a commit author or a bot),
and the gate's commit status (changeops/cab) there; only a pull request GitHub says merged the
approving commit counts (a commit subject can name any).

Options:
  --out DIR        write DIR/<change-id>.evidence.md (and .evidence.json with --json) instead of
                   printing; DIR is relative to the current directory and created if missing.
                   A file that already holds the same pack is left alone; one that holds
                   another is not replaced (exit 2) unless --force
  --force          replace evidence files that hold another pack
  --branch REF     the branch whose history counts (default: origin/HEAD, else main, else
                   master, else HEAD)
  --github         read the approvals from GitHub, with the token in GITHUB_TOKEN or GH_TOKEN
                   (GITHUB_API_URL for GitHub Enterprise Server); four requests per pull request
  --repo O/N       the GitHub repository (default: GITHUB_REPOSITORY, else the origin remote)
  --dir DIR        the repository root (default: the current directory)
  --json           print the pack as JSON: {"ok", "format", "change", "branch", "requested",
                   "statuses", "removals", "outcome", "impact", "approvals", "checks",
                   "verification", "problem", "pullRequests", "notes", "digest"}; the digest
                   covers every field but "digest" and "ok". With --out, also write the .json
                   file, and print {"ok", "files": [{"path", "outcome"}], "digest"}
                   (schemas/output/evidence.schema.json)

Exit codes: 0 the pack was printed or written, 2 an unknown change (with the closest known
one), a change not on the branch yet, an evidence file that holds another pack, no git
history, GitHub that cannot be asked, or a usage error.`;

const changeId = /^CHG-[0-9]{1,8}$/;
const repositoryName = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/;

/** The `evidence` entry of the CLI's command table. */
export const evidenceCommand: Command = {
  help: evidenceHelp,
  options: {
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
    branch: { type: 'string' },
    github: { type: 'boolean', default: false },
    repo: { type: 'string' },
  },
  run: ({ values, positionals, dir }, io) => {
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0
          ? 'give a change id (CHG-...)'
          : `give one change id, not ${positionals.length}: ${positionals.map((p) => show(p)).join(' ')}`,
      );
    const id = positionals[0]!;
    if (!changeId.test(id))
      throw new UsageError(`${show(id)} is not a change id; give one like CHG-0042`);
    if (values.out === '') throw new UsageError('--out needs a folder');
    if (values.branch === '') throw new UsageError('--branch needs a ref');
    if (values.force === true && values.out === undefined)
      throw new UsageError('--force replaces evidence files: give --out DIR too');
    const repo = typeof values.repo === 'string' ? values.repo : undefined;
    if (repo !== undefined && values.github !== true)
      throw new UsageError('--repo names the repository GitHub is read from: give --github too');
    return runEvidence(
      {
        dir,
        id,
        json: values.json === true,
        force: values.force === true,
        github: values.github === true,
        ...(typeof values.out === 'string' ? { out: values.out } : {}),
        ...(typeof values.branch === 'string' ? { branch: values.branch } : {}),
        ...(repo !== undefined ? { repo } : {}),
      },
      io,
    );
  },
};

/** Runs `changeops evidence`: prints or writes the pack, returns the exit code. */
export async function runEvidence(
  options: {
    dir: string;
    id: string;
    json: boolean;
    force: boolean;
    github: boolean;
    out?: string;
    branch?: string;
    repo?: string;
  },
  io: Io,
): Promise<number> {
  const request: EvidenceRequest = {
    root: options.dir,
    id: options.id,
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
    ...(options.out !== undefined
      ? { out: { dir: options.out, json: options.json, force: options.force } }
      : {}),
  };
  if (options.github) request.github = await gitHubOf(options.repo);
  // No history, or GitHub that cannot be asked, throws a GitError or SetupError: main says so.
  const result: EvidenceResult = await evidence(request);
  if (!result.found) {
    const hint = result.suggestion ? `; did you mean "${oneLine(result.suggestion)}"?` : '';
    throw new CommandError(
      'not-found',
      `${oneLine(show(result.id))} ${
        result.inWorkingTree
          ? `is in the working tree but not on ${oneLine(result.branch)}: the evidence is what the branch recorded, so merge it first`
          : `is not a change on ${oneLine(result.branch)}${hint}`
      }`,
    );
  }
  if (!result.files) {
    // The pack as sealed, and "ok": its digest covers every field but "digest" and "ok".
    if (options.json) printJson(io, { ok: true, ...result.pack });
    else io.out(result.markdown.trimEnd());
    return exitCodes.ok;
  }
  if ('refused' in result.files)
    throw new CommandError(
      'refused',
      `${result.files.refused.map((path) => oneLine(path)).join(' and ')} already ${result.files.refused.length === 1 ? 'holds' : 'hold'} another evidence pack; nothing was written (give --force to replace, or another --out)`,
    );
  for (const { path, outcome } of result.files.written)
    io.err(
      `${outcome === 'unchanged' ? 'unchanged' : outcome === 'replaced' ? 'replaced' : 'wrote'} ${oneLine(path)}`,
    );
  io.err(`digest ${result.pack.digest}`);
  if (options.json)
    printJson(io, {
      ok: true,
      files: result.files.written.map(({ path, outcome }) => ({ path, outcome })),
      digest: result.pack.digest,
    });
  return exitCodes.ok;
}

/** The GitHub client and repository of --github: the token from the environment. */
async function gitHubOf(repo: string | undefined): Promise<NonNullable<EvidenceRequest['github']>> {
  const token = (process.env.GITHUB_TOKEN ?? process.env.GH_TOKEN ?? '').trim();
  if (token === '')
    throw new UsageError(
      '--github reads GitHub with the token in GITHUB_TOKEN or GH_TOKEN; set one',
    );
  const named = repo ?? (process.env.GITHUB_REPOSITORY || undefined);
  const match = named !== undefined ? repositoryName.exec(named) : undefined;
  if (named !== undefined && !match)
    throw new UsageError(
      `${repo !== undefined ? '--repo' : 'GITHUB_REPOSITORY'} ${show(named)} is not OWNER/NAME`,
    );
  // The API client is loaded only when asked for: the CLI otherwise never talks to GitHub.
  const { createClient } = await import('../github/octokit.js');
  return {
    client: createClient({ token }),
    ...(match ? { repository: { owner: match[1]!, repo: match[2]! } } : {}),
  };
}
