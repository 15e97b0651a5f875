import { release } from '../app/release.js';
import type { ReleaseDecision } from '../evaluate/release.js';
import { show } from '../records/wording.js';
import { renderReadinessText } from '../render/release-readiness.js';
import { renderReleaseNotes } from '../render/release-notes.js';
import { oneLine } from '../render/terminal.js';
import type { Command } from './command.js';
import { exitCodes, printJson, type Io } from './output.js';
import { CommandError, UsageError } from './usage-error.js';

/** Help for `changeops release`. */
export const releaseHelp = `Usage: changeops release <release-id> [--notes] [--branch REF] [--dir DIR] [--json]

Says whether a release is ready to ship, and why not. A release is ready when it has a window
(schedule) and bundles changes, and every change it bundles
  - is merged into the default branch and approved there: the status the branch's history
    recorded (approved, implemented, or closed after being implemented), never a pull request's;
    a change approved in the working tree but still proposed on the branch is named as such;
  - is scheduled inside the release window;
  - has no collision or freeze conflict (the collision and freeze rules, at the policy's
    severities, on the records in the working tree);
  - lists its post-implementation checks.
The release record itself is read from the working tree. Each change is printed with its status
on the branch, the pull request that carried it and its checks.

Options:
  --notes       print the release notes instead (markdown): a row per change with its title,
                type, status, risk, CIs, requester and the pull request that carried it; a
                release that is not ready gets its notes with a warning listing every reason
  --branch REF  the branch whose history counts (default: origin/HEAD, else main, else master,
                else HEAD)
  --dir DIR     the repository root (default: the current directory)
  --json        print {"ok", "release", "branch", "ready", "summary", "reasons": [{"code", "change",
                "message"}], "changes": [{"id", "ready", "merged", "status", "title", "type",
                "risk", "cis", "requester", "pullRequest", "schedule", "checks", "decidedBy",
                "reasons"}], "history", "notes"}: "notes" is the markdown with --notes, else
                null (schemas/output/release.schema.json)

The history is read with git (one log and one cat-file); a shallow clone knows only part of
it, and a note on stderr says so.

Exit codes: 0 the release is ready, 1 it is not, 2 an unknown release id (with the closest
known one), no git history, changeops.yaml unusable (collisions and freezes are then unknown),
or a usage error.`;

/** The `release` entry of the CLI's command table. */
export const releaseCommand: Command = {
  help: releaseHelp,
  options: { notes: { type: 'boolean', default: false }, branch: { type: 'string' } },
  run: ({ values, positionals, dir }, io) => {
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0
          ? 'give a release id (REL-...)'
          : `give one release id, not ${positionals.length}: ${positionals.map((p) => show(p)).join(' ')}`,
      );
    if (values.branch === '') throw new UsageError('--branch needs a ref');
    return runRelease(
      {
        dir,
        id: positionals[0]!,
        notes: values.notes === true,
        json: values.json === true,
        ...(typeof values.branch === 'string' ? { branch: values.branch } : {}),
      },
      io,
    );
  },
};

/** Runs `changeops release`: prints the readiness, the notes or JSON, returns the exit code. */
export async function runRelease(
  options: { dir: string; id: string; notes: boolean; json: boolean; branch?: string },
  io: Io,
): Promise<number> {
  // No history to read throws a GitError: main says so (exit 2).
  const decision: ReleaseDecision = await release({
    root: options.dir,
    id: options.id,
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
  });
  if (!decision.found) {
    const hint = decision.suggestion ? `; did you mean "${oneLine(decision.suggestion)}"?` : '';
    throw new CommandError(
      'not-found',
      `${oneLine(show(decision.id))} ${decision.change ? 'is a change, not a release; changeops evidence gives the record of a change' : `is not a release in the records${hint}`}`,
    );
  }
  const { readiness } = decision;
  // Notes go to stderr, so that stdout stays the readiness, the notes or the JSON alone.
  for (const note of decision.history.notes) io.err(`note: ${oneLine(note)}`);
  if (!decision.policyUsable)
    io.err(
      'note: changeops.yaml cannot be used, so collisions and freeze conflicts are unknown (run changeops validate)',
    );
  else if (decision.recordErrors > 0)
    io.err(
      `note: the records have ${decision.recordErrors} error${decision.recordErrors === 1 ? '' : 's'} (run changeops validate)`,
    );
  const notes = options.notes ? renderReleaseNotes(decision.notes) : undefined;
  if (options.json) printJson(io, toJson(decision, notes));
  else if (notes !== undefined) io.out(notes.trimEnd());
  else io.out(renderReadinessText(readiness).trimEnd());
  if (!decision.policyUsable) return exitCodes.usage;
  return readiness.ready ? exitCodes.ok : exitCodes.failed;
}

function toJson(decision: Extract<ReleaseDecision, { found: true }>, notes: string | undefined) {
  const { readiness } = decision;
  const byId = new Map(decision.notes.changes.map((change) => [change.id, change]));
  const reasonJson = (reason: (typeof readiness.reasons)[number]) => ({
    code: reason.code,
    change: reason.change ?? null,
    message: reason.message,
  });
  return {
    ok: readiness.ready && decision.policyUsable,
    release: readiness.release,
    branch: readiness.branch,
    ready: readiness.ready,
    summary: readiness.summary,
    reasons: readiness.reasons.map(reasonJson),
    changes: readiness.changes.map((change) => {
      const facts = change.facts;
      const note = byId.get(change.id);
      return {
        id: change.id,
        ready: change.ready,
        merged: change.merged,
        status: change.status ?? null,
        title: facts?.title ?? null,
        type: facts?.type ?? null,
        risk: note?.risk
          ? {
              likelihood: note.risk.likelihood,
              impact: note.risk.impact,
              level: note.risk.level ?? null,
            }
          : null,
        cis: facts?.cis ?? [],
        requester: facts?.requester ?? null,
        pullRequest: change.pullRequest ?? null,
        schedule: facts?.schedule ? { start: facts.schedule.start, end: facts.schedule.end } : null,
        checks: facts?.checks ?? [],
        decidedBy: change.decidedBy
          ? {
              sha: change.decidedBy.sha,
              date: change.decidedBy.date,
              pullRequest: change.decidedBy.pullRequest ?? null,
            }
          : null,
        reasons: change.reasons.map(reasonJson),
      };
    }),
    history: decision.history,
    notes: notes ?? null,
  };
}
