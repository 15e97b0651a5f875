import type { ChangeFacts, ChangeStatus } from './record-facts.js';
import {
  removedBefore,
  statusesBefore,
  versionBefore,
  type ChangeTimeline,
  type CommitRef,
  type RecordVersion,
  type StatusEvent,
} from './timeline.js';

/** The statuses that say how an implementation went: the outcomes the success rate counts. */
export const outcomeStatuses: ReadonlySet<ChangeStatus> = new Set<ChangeStatus>([
  'implemented',
  'failed',
  'backed-out',
]);

/**
 * Where a change ended up: its last outcome (implemented, failed, backed-out), or, for a change
 * that never reached one, its status, or `removed` when its record left the branch first.
 */
export type ChangeOutcome = ChangeStatus | 'removed';

/** Every outcome, in the order reports list them. */
export const changeOutcomes: readonly ChangeOutcome[] = [
  'implemented',
  'failed',
  'backed-out',
  'closed',
  'rejected',
  'cancelled',
  'approved',
  'proposed',
  'draft',
  'removed',
];

/** A change's standing as of an instant: its outcome and the commit that decided it. */
export interface Standing {
  outcome: ChangeOutcome;
  /** The commit that decided the outcome: the last move to an outcome, else to the status, else the removal. */
  decidedBy: CommitRef;
  /** The change's status on the branch (its last version), even when it was removed since. */
  status: ChangeStatus;
  /** The last version before the instant. */
  version: RecordVersion<ChangeFacts>;
}

/**
 * A change's standing as the branch said just before `until` (epoch ms; the whole history when
 * left out). A later close keeps the outcome it closes (implemented then closed counts as
 * implemented, decided when it was implemented); a failure planned again counts as failed until
 * it reaches a new outcome. Undefined when no version had landed by then.
 */
export function standingOf(
  timeline: ChangeTimeline,
  until = Number.POSITIVE_INFINITY,
): Standing | undefined {
  const version = versionBefore(timeline, until);
  const events = statusesBefore(timeline, until);
  const last = events.at(-1);
  if (!version || !last) return undefined;
  const outcome = events.findLast((event) => outcomeStatuses.has(event.status));
  if (outcome)
    return { outcome: outcome.status, decidedBy: outcome.commit, status: last.status, version };
  const removed = removedBefore(timeline, until);
  if (removed)
    return { outcome: 'removed', decidedBy: removed.commit, status: last.status, version };
  return { outcome: last.status, decidedBy: last.commit, status: last.status, version };
}

/**
 * The approval a change went ahead on: its last move to approved before its first outcome, or,
 * when it has none yet, its last move to approved. Its commit is where to read the CMDB for the
 * impact "at the time" (evidence, `impact --at`). Undefined when the branch never had it approved.
 */
export function approvalOf(timeline: ChangeTimeline): StatusEvent<ChangeStatus> | undefined {
  const outcome = timeline.statuses.findIndex((event) => outcomeStatuses.has(event.status));
  const before = outcome < 0 ? timeline.statuses : timeline.statuses.slice(0, outcome);
  return before.findLast((event) => event.status === 'approved');
}
