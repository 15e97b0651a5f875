import type { Level } from '../records/level.js';
import type { ChangeType } from '../records/policy.js';
import type { Release } from '../records/types.generated.js';
import type { ChangeStatus } from './record-facts.js';
import type { ReleaseReadiness } from './readiness.js';

/** One change in the release notes, as the default branch has it. */
export interface ReleaseNoteChange {
  id: string;
  title?: string;
  type?: ChangeType;
  status?: ChangeStatus;
  /** The assessed risk, and its level from the policy's matrix when the caller gave it. */
  risk?: { likelihood: Level; impact: Level; level?: Level };
  cis: string[];
  requester?: string;
  /** The pull request that carried the change onto the branch. */
  pullRequest?: number;
  /** False when the change is not on the branch: the notes say so instead of inventing facts. */
  merged: boolean;
}

/** The release notes: the release, whether it is ready, and its changes. Plain data. */
export interface ReleaseNotes {
  release: {
    id: string;
    title?: string;
    version?: string;
    type?: Release['type'];
    status?: Release['status'];
    schedule?: { start: string; end: string };
  };
  branch: string;
  ready: boolean;
  /** The readiness sentences, when it is not ready. */
  reasons: string[];
  changes: ReleaseNoteChange[];
}

/**
 * The release notes of an assessed release: each change's title, type, risk, CIs, requester and
 * the pull request that carried it, from the same facts the readiness was decided on.
 * `riskLevels` are the levels the evaluation core computed from the policy's risk matrix.
 */
export function releaseNotesOf(
  readiness: ReleaseReadiness,
  options: { riskLevels?: ReadonlyMap<string, Level> } = {},
): ReleaseNotes {
  const facts = readiness.facts;
  return {
    release: {
      id: readiness.release,
      ...(facts?.title !== undefined ? { title: facts.title } : {}),
      ...(facts?.version !== undefined ? { version: facts.version } : {}),
      ...(facts?.type !== undefined ? { type: facts.type } : {}),
      ...(facts ? { status: facts.status } : {}),
      ...(facts?.schedule
        ? { schedule: { start: facts.schedule.start, end: facts.schedule.end } }
        : {}),
    },
    branch: readiness.branch,
    ready: readiness.ready,
    reasons: readiness.reasons.map((reason) => reason.message),
    changes: readiness.changes.map((change) => {
      const f = change.facts;
      const level = options.riskLevels?.get(change.id);
      return {
        id: change.id,
        ...(f?.title !== undefined ? { title: f.title } : {}),
        ...(f ? { type: f.type, status: f.status } : {}),
        ...(f?.risk ? { risk: { ...f.risk, ...(level ? { level } : {}) } } : {}),
        cis: f?.cis ?? [],
        ...(f?.requester !== undefined ? { requester: f.requester } : {}),
        ...(change.pullRequest !== undefined ? { pullRequest: change.pullRequest } : {}),
        merged: change.merged,
      };
    }),
  };
}
