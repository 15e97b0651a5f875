import type { Change, Release } from '../records/types.generated.js';
import { listSome } from '../records/wording.js';
import type { Rule } from './rule.js';

type ChangeStatus = Change['status'];
type ReleaseStatus = Release['status'];

/**
 * The change lifecycle: where a change may move from each status. A change can be sent back
 * for re-planning (approved -> proposed, proposed -> draft), a failed or backed-out change can
 * be planned again, and closed, rejected and cancelled are final: a new change is raised
 * instead, so the audit trail of the old one stays true.
 */
export const changeLifecycle: Readonly<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  draft: ['proposed', 'cancelled'],
  proposed: ['approved', 'rejected', 'cancelled', 'draft'],
  approved: ['implemented', 'failed', 'cancelled', 'proposed'],
  implemented: ['closed', 'failed', 'backed-out'],
  failed: ['backed-out', 'closed', 'proposed'],
  'backed-out': ['closed', 'proposed'],
  closed: [],
  rejected: [],
  cancelled: [],
};

/**
 * The release lifecycle: planned -> testing -> approved -> deployed -> closed, with the ways
 * back (testing or approval sends it back to planning, a deploy that fails is rolled back and
 * planned again) and closing a release that will not ship. Closed is final.
 */
export const releaseLifecycle: Readonly<Record<ReleaseStatus, readonly ReleaseStatus[]>> = {
  planned: ['testing', 'approved', 'closed'],
  testing: ['approved', 'planned', 'failed', 'closed'],
  approved: ['deployed', 'failed', 'testing', 'planned'],
  deployed: ['closed', 'failed', 'rolled-back'],
  failed: ['rolled-back', 'planned', 'closed'],
  'rolled-back': ['planned', 'closed'],
  closed: [],
};

/** The statuses a new change may be added with, by type (the rule's `initial` parameter). */
export const initialChangeStatuses: Readonly<Record<Change['type'], readonly ChangeStatus[]>> = {
  // A standard change is pre-approved by its template; an emergency change may be recorded
  // as approved by the ECAB in the very pull request that the ECAB approves.
  standard: ['draft', 'proposed', 'approved'],
  normal: ['draft', 'proposed'],
  emergency: ['draft', 'proposed', 'approved'],
};

/** The statuses a new release may be added with, by type. */
export const initialReleaseStatuses: Readonly<Record<Release['type'], readonly ReleaseStatus[]>> = {
  major: ['planned'],
  minor: ['planned'],
  patch: ['planned', 'testing'],
  emergency: ['planned', 'testing', 'approved'],
};

/**
 * Status transitions between the base revision and this one follow the lifecycle (git history
 * is the audit trail): a change or release under evaluation that existed at the base may only
 * move along `changeLifecycle` / `releaseLifecycle`; a new one must start at an initial status.
 * Needs a base; without one there is nothing to compare.
 */
export const statusTransitionRule: Rule = {
  id: 'status-transition',
  description:
    'A change or release moves from its status at the base to its new status along the lifecycle, and a new one starts at the beginning.',
  defaultSeverity: 'error',
  parameters: {
    initial: {
      description:
        'The statuses a new change may start at, by type (standard, normal, emergency); a list replaces the default for that type.',
      default: initialChangeStatuses,
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          Object.keys(initialChangeStatuses).map((type) => [
            type,
            {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { enum: Object.keys(changeLifecycle) },
            },
          ]),
        ),
      },
    },
  },
  check(context, report, parameters) {
    const base = context.base;
    if (!base) return;
    const initial = initialFrom(parameters.initial);
    for (const record of context.changes) {
      const { status, type } = record.data;
      if (!Object.hasOwn(changeLifecycle, status)) continue; // the schema reports it
      const before = base.changes.get(record.id);
      if (!before) {
        const allowed = initial[type] ?? initialChangeStatuses.normal;
        if (!allowed.includes(status))
          report(
            record,
            ['status'],
            `a new ${type} change must start as ${alternatives(allowed)}, not ${status}`,
          );
        continue;
      }
      const message = transitionMessage('change', before.status, status, changeLifecycle);
      if (message) report(record, ['status'], message);
    }
    for (const record of context.releases) {
      const { status, type } = record.data;
      if (!Object.hasOwn(releaseLifecycle, status)) continue;
      const before = base.releases.get(record.id);
      if (!before) {
        const allowed = initialReleaseStatuses[type] ?? initialReleaseStatuses.major;
        if (!allowed.includes(status))
          report(
            record,
            ['status'],
            `a new ${type} release must start as ${alternatives(allowed)}, not ${status}`,
          );
        continue;
      }
      const message = transitionMessage('release', before.status, status, releaseLifecycle);
      if (message) report(record, ['status'], message);
    }
  },
};

function transitionMessage<S extends string>(
  what: 'change' | 'release',
  from: S,
  to: S,
  lifecycle: Readonly<Record<S, readonly S[]>>,
): string | undefined {
  if (from === to || !Object.hasOwn(lifecycle, from)) return undefined;
  const allowed = lifecycle[from];
  if (allowed.includes(to)) return undefined;
  if (allowed.length === 0)
    return `the ${what} was ${from} at the base, which is final: it cannot move to ${to}; raise a new ${what} instead`;
  return `the status cannot move from ${from} to ${to}; from ${from} a ${what} may move to ${alternatives(allowed)}`;
}

/** `a`, `a or b`, `a, b or c`. */
function alternatives(items: readonly string[]): string {
  return listSome(items, items.length).replace(/ and ([^ ]+)$/, ' or $1');
}

const changeStatuses = new Set<string>(Object.keys(changeLifecycle));

/** The policy's `initial` parameter over the defaults; entries that are not lists of statuses are ignored. */
function initialFrom(value: unknown): Record<string, readonly string[]> {
  const result: Record<string, readonly string[]> = { ...initialChangeStatuses };
  if (!value || typeof value !== 'object') return result;
  for (const [type, list] of Object.entries(value)) {
    if (
      Object.hasOwn(initialChangeStatuses, type) &&
      Array.isArray(list) &&
      list.every((status) => typeof status === 'string' && changeStatuses.has(status))
    )
      result[type] = list as string[];
  }
  return result;
}
