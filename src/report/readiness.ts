import { formatInstant, type Period } from '../rules/time.js';
import {
  releaseFacts,
  type ChangeFacts,
  type ChangeStatus,
  type ReleaseFacts,
} from './record-facts.js';
import { standingOf } from './standing.js';
import { carriedBy, type CommitRef, type Timelines } from './timeline.js';

/**
 * A collision or freeze conflict the evaluation core found for a change (its finding's rule and
 * message), passed in so the rules are not run twice.
 */
export interface ReadinessConflict {
  change: string;
  rule: string;
  message: string;
}

/** What deciding a release's readiness needs. */
export interface ReadinessInput {
  /** The release record as the caller read it (working tree or branch); checked here. */
  release: unknown;
  /** The timelines of the default branch: a change counts as merged when it is there. */
  timelines: Timelines;
  /** The default branch's name, as sentences say it ("main"). */
  branch: string;
  /** The changes' statuses in the working tree, to tell what is approved but not merged yet. */
  workspace?: ReadonlyMap<string, { status: string }>;
  conflicts?: readonly ReadinessConflict[];
}

/** Why a release is not ready, one code per kind of reason. */
export type ReadinessCode =
  | 'invalid-release'
  | 'no-changes'
  | 'no-release-window'
  | 'not-merged'
  | 'removed'
  | 'not-approved'
  | 'not-shippable'
  | 'no-schedule'
  | 'outside-window'
  | 'no-checks'
  | 'conflict';

/** One reason a release is not ready: a sentence, and the change it is about. */
export interface ReadinessReason {
  code: ReadinessCode;
  change?: string;
  message: string;
}

/** One change of the release as the branch has it. */
export interface ReadinessChange {
  id: string;
  ready: boolean;
  /** The change has a version on the branch. */
  merged: boolean;
  /** Its status on the branch. */
  status?: ChangeStatus;
  /** The branch's last version of it. */
  facts?: ChangeFacts;
  /** The commit that moved it to its status on the branch (for an approved change, the approval). */
  decidedBy?: CommitRef;
  /** The pull request that carried it (see `carriedBy`). */
  pullRequest?: number;
  reasons: ReadinessReason[];
}

/** A release's readiness: ready or not, each reason as a sentence, and its changes. */
export interface ReleaseReadiness {
  release: string;
  facts?: ReleaseFacts;
  branch: string;
  ready: boolean;
  /** One sentence: ready, or not and how many reasons. */
  summary: string;
  /** Every reason, release-wide first, then change by change in the release's order. */
  reasons: ReadinessReason[];
  changes: ReadinessChange[];
}

/**
 * Whether a release is ready to ship: it is valid, has a window and bundles changes; every change
 * it bundles is merged into the default branch and approved there (or already implemented, or
 * closed after it was), is scheduled inside the release window, has no collision or freeze
 * conflict (given), and lists its post-implementation checks. A change's status is read from the
 * branch's history, never from a pull request: an approval in an unmerged PR does not count.
 */
export function assessRelease(input: ReadinessInput): ReleaseReadiness {
  const { timelines, branch } = input;
  const checked = releaseFacts(input.release);
  if ('problem' in checked) {
    const id =
      typeof (input.release as { id?: unknown })?.id === 'string'
        ? (input.release as { id: string }).id
        : 'the release';
    const reasons: ReadinessReason[] = [
      { code: 'invalid-release', message: `${id} cannot be assessed: ${checked.problem}` },
    ];
    return {
      release: id,
      branch,
      ready: false,
      summary: summaryOf(id, branch, reasons, 0),
      reasons,
      changes: [],
    };
  }
  const release = checked.facts;
  const id = release.id;
  const reasons: ReadinessReason[] = [];
  const ids = [...new Set(release.changes)];
  if (ids.length === 0)
    reasons.push({
      code: 'no-changes',
      message: `${id} bundles no changes; list them under changes`,
    });
  const window = release.schedule?.period;
  if (!window)
    reasons.push({
      code: 'no-release-window',
      message: `${id} has no schedule; give it one so its changes can be checked against its window`,
    });
  const conflicts = new Map<string, ReadinessConflict[]>();
  for (const conflict of input.conflicts ?? []) {
    const list = conflicts.get(conflict.change) ?? [];
    list.push(conflict);
    conflicts.set(conflict.change, list);
  }
  const changes = ids.map((change) =>
    assessChange(
      change,
      id,
      branch,
      window,
      timelines,
      input.workspace,
      conflicts.get(change) ?? [],
    ),
  );
  for (const change of changes) reasons.push(...change.reasons);
  const ready = reasons.length === 0;
  return {
    release: id,
    facts: release,
    branch,
    ready,
    summary: summaryOf(id, branch, reasons, ids.length),
    reasons,
    changes,
  };
}

const pendingSentence: Partial<Record<ChangeStatus, string>> = {
  draft: 'is still a draft; it must be proposed and approved',
  proposed: 'is still proposed; it must be approved',
};

const unshippableSentence: Partial<Record<ChangeStatus, string>> = {
  failed: 'failed',
  'backed-out': 'was backed out',
  rejected: 'was rejected',
  cancelled: 'was cancelled',
  closed: 'is closed, and the branch never had it implemented',
};

function assessChange(
  id: string,
  release: string,
  branch: string,
  window: Period | undefined,
  timelines: Timelines,
  workspace: ReadinessInput['workspace'],
  conflicts: readonly ReadinessConflict[],
): ReadinessChange {
  const reasons: ReadinessReason[] = [];
  const say = (code: ReadinessCode, message: string) => reasons.push({ code, change: id, message });
  const timeline = timelines.changes.get(id);
  const standing = timeline ? standingOf(timeline) : undefined;
  const here = workspace?.get(id)?.status;
  if (!timeline || !standing) {
    say(
      'not-merged',
      here !== undefined
        ? `${id} is ${here} in the working tree but not on ${branch}; it must be merged and approved before ${release} is ready`
        : `${id} is not on ${branch}; it must be merged and approved before ${release} is ready`,
    );
    return { id, ready: false, merged: false, reasons };
  }
  const facts = standing.version.facts;
  const status = standing.status;
  const decidedBy = timeline.statuses.at(-1)!.commit;
  const pullRequest = carriedBy(timeline);
  if (standing.outcome === 'removed') {
    say(
      'removed',
      `${id} was removed from ${branch} in ${standing.decidedBy.sha.slice(0, 12)} (${standing.decidedBy.date}); put it back or take it out of ${release}`,
    );
  } else {
    const shippable =
      status === 'approved' ||
      status === 'implemented' ||
      (status === 'closed' && standing.outcome === 'implemented');
    if (!shippable) {
      const pending = pendingSentence[status];
      if (pending) {
        say(
          'not-approved',
          here !== undefined && here !== status
            ? `${id} is ${here} in the working tree but still ${status} on ${branch}; the change must be merged as approved before ${release} is ready`
            : `${id} ${pending} before ${release} is ready`,
        );
      } else {
        say(
          'not-shippable',
          `${id} ${unshippableSentence[status] ?? `is ${status}`}; ${release} cannot ship it: take it out of the release, or plan it again and have it approved`,
        );
      }
    }
  }
  const schedule = facts.schedule;
  if (!schedule) {
    say(
      'no-schedule',
      window
        ? `${id} has no schedule; schedule it inside the window of ${release} (${span(window)})`
        : `${id} has no schedule; schedule it inside the window of ${release}`,
    );
  } else if (window && (schedule.period.start < window.start || schedule.period.end > window.end)) {
    say(
      'outside-window',
      `${id} is scheduled from ${span(schedule.period)}, outside the window of ${release} (${span(window)}); move it into the window or take it out of the release`,
    );
  }
  for (const conflict of conflicts) {
    say(
      'conflict',
      conflict.message.startsWith(id) ? conflict.message : `${id}: ${conflict.message}`,
    );
  }
  if (facts.checks.length === 0)
    say(
      'no-checks',
      `${id} lists no post-implementation checks; add checks so ${release} can be verified after it is deployed`,
    );
  return {
    id,
    ready: reasons.length === 0,
    merged: true,
    status,
    facts,
    decidedBy,
    ...(pullRequest ? { pullRequest } : {}),
    reasons,
  };
}

function span(period: Period): string {
  return `${formatInstant(period.start)} to ${formatInstant(period.end)}`;
}

function summaryOf(
  id: string,
  branch: string,
  reasons: readonly ReadinessReason[],
  changes: number,
): string {
  if (reasons.length === 0)
    return changes === 1
      ? `${id} is ready: its change is approved on ${branch}, scheduled inside its window, clear of collisions and freezes, and lists its checks`
      : `${id} is ready: all ${changes} of its changes are approved on ${branch}, scheduled inside its window, clear of collisions and freezes, and list their checks`;
  return `${id} is not ready (${reasons.length === 1 ? '1 reason' : `${reasons.length} reasons`})`;
}
