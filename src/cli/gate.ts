import { resolve } from 'node:path';
import { simulateGate } from '../app/simulate-gate.js';
import { approvalsJson, approvalsText } from '../render/approvals.js';
import { oneLine } from '../render/terminal.js';
import type { Command } from './command.js';
import { exitCodes, printJson, type Io } from './output.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops gate`. */
export const gateHelp = `Usage: changeops gate --base REF --reviews FILE [--members FILE] [--author LOGIN] [--dir DIR] [--json]

Simulates the CAB approval gate offline: who must approve the changes this branch adds or edits
since REF, and which of the given reviews count. The same engine as the action's command: gate,
with no GitHub: the policy in force is REF's changeops.yaml (its approval rules and boards), the
changes are those the branch adds or edits (a draft holds the gate; a change that only records
its status needs no approval), and a PR that edits changeops.yaml, schemas/ or the CMDB needs
the governance approval. Prints the tree the pull request comment shows, and the changeops/cab
status the gate would post as its GitHub App.

Options:
  --base REF        the base branch, tag or sha the pull request targets (required)
  --reviews FILE    a JSON list of reviews in GitHub's shape, as GET
                    /repos/{owner}/{repo}/pulls/{n}/reviews returns them: id, user {login, type},
                    state, commit_id, submitted_at. A review without commit_id is taken to be of
                    HEAD (a file written by hand); one with another commit_id is of an older one
  --members FILE    a JSON object of team members: {"@org/team": ["login", ...]}, or
                    {"@org/team": {"active": [...], "pending": [...]}}; a team a requirement
                    needs that is not in it cannot be evaluated (as on GitHub without members:read)
  --author LOGIN    the pull request's author, who never counts as an approver
  --dir DIR         the repository root (default: the current directory)
  --json            print {"ok", "approval", "status": {"context", "sha", "state",
                    "description"}, "advisory", "tree"} (schemas/output/gate.schema.json)

Files are relative to the current directory. The commits' authors are not known offline, so they
are not excluded here as the gate excludes them on GitHub.

Exit codes: 0 approved (or nothing needs approval), 1 pending or blocked, 2 usage or
configuration error (a file that cannot be read, a base that is not a commit, the base's policy
unusable, a team the members file does not list).`;

/** The options `gate` adds to the common ones. */
export const gateOptions = {
  base: { type: 'string' },
  reviews: { type: 'string' },
  members: { type: 'string' },
  author: { type: 'string' },
} as const;

/** The `gate` entry of the CLI's command table. */
export const gateCommand: Command = {
  help: gateHelp,
  options: gateOptions,
  run: ({ values, positionals, dir }, io) => {
    if (positionals.length > 0)
      throw new UsageError(`gate takes no arguments, not ${positionals.join(' ')}`);
    if (typeof values.base !== 'string' || values.base === '')
      throw new UsageError('gate needs --base REF: the branch the pull request targets');
    if (typeof values.reviews !== 'string' || values.reviews === '')
      throw new UsageError("gate needs --reviews FILE: the reviews, in GitHub's JSON shape");
    return runGate(
      {
        dir,
        base: values.base,
        reviews: resolve(values.reviews),
        ...(typeof values.members === 'string' ? { members: resolve(values.members) } : {}),
        ...(typeof values.author === 'string' ? { author: values.author } : {}),
        json: values.json === true,
      },
      io,
    );
  },
};

/** Runs `changeops gate`: prints the tree (or JSON) and returns the exit code. */
export async function runGate(
  options: {
    dir: string;
    base: string;
    reviews: string;
    members?: string;
    author?: string;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  // A file that cannot be read (InputFileError) or a base git cannot find (GitError) throws:
  // main says so, exit 2.
  const simulated = await simulateGate({
    root: options.dir,
    base: options.base,
    reviewsFile: options.reviews,
    ...(options.members ? { membersFile: options.members } : {}),
    ...(options.author ? { author: options.author } : {}),
  });
  const { decision, missingTeams } = simulated;
  const result = decision.approvals;
  const code =
    result.outcome === 'error' || !decision.outcome.policyUsable
      ? exitCodes.usage
      : result.outcome === 'approved'
        ? exitCodes.ok
        : exitCodes.failed;
  if (options.json) printJson(io, { ok: code === exitCodes.ok, ...approvalsJson(result) });
  else io.out(approvalsText(result).trimEnd());
  for (const team of missingTeams)
    io.err(
      `changeops gate: the members file lists no ${oneLine(team)}; add it to evaluate the requirements that need it`,
    );
  return code;
}
