import type { ChangeType } from '../records/policy.js';
import type { Change } from '../records/types.generated.js';

/** The statuses of a change that is still to happen: proposed, approved. */
export const pendingStatuses: ReadonlySet<string> = new Set(['proposed', 'approved']);

/**
 * Whether a change is still to happen (proposed or approved), which is when the evaluation rules
 * judge it: a draft may be incomplete, and a finished change (implemented, failed, backed-out,
 * closed, rejected, cancelled) is history that is not re-litigated.
 */
export function isPending(change: Pick<Change, 'status'>): boolean {
  return pendingStatuses.has(change.status);
}

/**
 * isPending of data not known to be a change's (a record that failed its schema, as a snapshot
 * holds it): false for anything but a mapping.
 */
export function isPendingData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && isPending(data as Pick<Change, 'status'>);
}

const changeTypes: ReadonlySet<string> = new Set<ChangeType>(['standard', 'normal', 'emergency']);

/**
 * The change's type, or undefined when it is not one changeops knows: a record that failed its
 * schema still reaches the rules, and the schema finding already says what is wrong.
 */
export function changeType(change: Pick<Change, 'type'>): ChangeType | undefined {
  return changeTypes.has(change.type) ? change.type : undefined;
}

/** "a normal change", "an emergency change": the type as a sentence names it. */
export function aChangeOfType(type: ChangeType): string {
  return `${type === 'emergency' ? 'an' : 'a'} ${type} change`;
}
