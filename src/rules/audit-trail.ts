import type { LoadedRecord } from '../records/estate.js';
import { sameData } from '../records/same-data.js';
import type { Change, Release } from '../records/types.generated.js';
import { listSome } from '../records/wording.js';
import type { Report, Rule } from './rule.js';

/** The statuses of a change that is over: it happened or it will not. */
export const finalChangeStatuses: ReadonlySet<string> = new Set([
  'closed',
  'cancelled',
  'rejected',
  'failed',
  'backed-out',
]);

// A failed or backed-out change may be planned again (status: proposed): that move alone may
// rewrite what it will do.
const replannable: ReadonlySet<string> = new Set(['failed', 'backed-out']);

const frozenChangeFields = ['cis', 'plan', 'schedule', 'type', 'risk'] as const;
const frozenReleaseFields = ['changes', 'version', 'type', 'schedule'] as const;

// A release that shipped, failed or was closed is history; before that it is only a plan.
const historicReleaseStatuses: ReadonlySet<string> = new Set([
  'deployed',
  'failed',
  'rolled-back',
  'closed',
]);

/**
 * The history is the audit trail: git keeps every version of a record, and a pull request may
 * not rewrite what it says happened. A change past draft is never deleted; a finished change
 * (closed, cancelled, rejected, failed, backed-out) keeps its cis, plan, schedule, type and
 * risk, and does not come back under a new id with the same title, cis and plan; once proposed,
 * a change keeps its type (a normal change turned emergency would skip the CAB). Releases: one
 * that was deployed, failed, rolled back or closed is never deleted, and a closed one keeps its
 * changes, version, type and schedule. Needs a base.
 */
export const auditTrailRule: Rule = {
  id: 'audit-trail',
  description:
    'Records are history: a change that was ever proposed is not deleted (it is cancelled, ' +
    'rejected or closed instead); a closed, cancelled, rejected, failed or backed-out change keeps ' +
    'its cis, plan, schedule, type and risk (a failed or backed-out one may be planned again with ' +
    'status: proposed); a new change does not repeat the title, cis and plan of a finished one ' +
    'under a new id (standard changes excepted, which repeat their template by design); a change ' +
    'keeps its type once proposed, unless it goes back to draft. A release that was deployed, ' +
    'failed, rolled back or closed is not deleted, and a closed one keeps its changes, version, ' +
    'type and schedule.',
  defaultSeverity: 'error',
  check(context, report) {
    const base = context.base;
    if (!base) return;
    for (const record of base.removed ?? []) removedRecord(record, report);

    let repeats: Map<string, { id: string; status: string }> | undefined;
    for (const record of context.changes) {
      const change = record.data;
      const before = base.changes.get(record.id);
      if (!before) {
        if (change.type === 'standard') continue;
        repeats ??= finishedByContent(base.changes);
        const same = repeats.get(fingerprint(change));
        if (same && same.id !== record.id)
          report(
            record,
            ['id'],
            `${record.id} repeats ${same.id}, which was ${same.status} at the base (the same title, cis and plan): a finished change does not come back under a new id; plan the new change in its own words${replannable.has(same.status) ? `, or set ${same.id} back to proposed to plan it again` : ''}`,
          );
        continue;
      }
      if (finalChangeStatuses.has(before.status)) {
        if (replannable.has(before.status) && change.status === 'proposed') continue;
        const rewritten = frozenChangeFields.filter(
          (field) => !sameData(before[field], change[field]),
        );
        if (rewritten.length === 0) continue;
        report(
          record,
          [rewritten[0]!],
          `${record.id} was ${before.status} at the base, and the record of a finished change is history: its ${listSome([...rewritten])} cannot be rewritten; restore ${rewritten.length === 1 ? 'it' : 'them'}, and raise a new change for new work${replannable.has(before.status) ? ' (or set status: proposed to plan this one again)' : ''}`,
        );
        continue;
      }
      if (before.status !== 'draft' && change.status !== 'draft' && before.type !== change.type)
        report(
          record,
          ['type'],
          `the type cannot move from ${String(before.type)} to ${String(change.type)}: ${record.id} was ${before.status} at the base, and a change keeps its type once proposed${change.type === 'emergency' ? ' (an emergency change is approved by the ECAB alone, so a normal change made emergency would skip the CAB)' : change.type === 'standard' ? ' (a standard change is pre-approved, so a change made standard would skip its approvals)' : ''}; raise a new ${String(change.type)} change, or set status: draft to plan this one again`,
        );
    }

    for (const record of context.releases) {
      const before = base.releases.get(record.id);
      if (before?.status !== 'closed') continue;
      const rewritten = frozenReleaseFields.filter(
        (field) => !sameData(before[field], record.data[field]),
      );
      if (rewritten.length === 0) continue;
      report(
        record,
        [rewritten[0]!],
        `${record.id} was closed at the base, and a closed release is history: its ${listSome([...rewritten])} cannot be rewritten; restore ${rewritten.length === 1 ? 'it' : 'them'}, and plan a new release instead`,
      );
    }
  },
};

function removedRecord(record: LoadedRecord<Change | Release>, report: Report): void {
  const { status } = record.data;
  const file = record.source.file;
  if (record.kind === 'Change') {
    if (status === 'draft') return;
    const instead = finalChangeStatuses.has(status)
      ? `restore ${file}`
      : status === 'implemented'
        ? `restore ${file}; an implemented change is closed, failed or backed out, not deleted`
        : `restore ${file}, and set its status to cancelled if it will not happen`;
    report(
      record,
      [],
      `${record.id} was ${status} at the base, and this branch deletes it: a change record is the audit trail and is never deleted; ${instead}`,
    );
    return;
  }
  if (!historicReleaseStatuses.has(status)) return;
  report(
    record,
    [],
    `${record.id} was ${status} at the base, and this branch deletes it: a release record is the audit trail and is never deleted; restore ${file}`,
  );
}

/** The finished changes at the base by their content, for finding one repeated under a new id. */
function finishedByContent(
  changes: ReadonlyMap<string, Change>,
): Map<string, { id: string; status: string }> {
  const byContent = new Map<string, { id: string; status: string }>();
  for (const [id, change] of changes) {
    if (!finalChangeStatuses.has(change.status) || change.type === 'standard') continue;
    const key = fingerprint(change);
    if (!byContent.has(key)) byContent.set(key, { id, status: change.status });
  }
  return byContent;
}

/**
 * What makes two changes the same change: the title, the set of cis and the plan, compared
 * without case and with spaces collapsed, so a change cannot come back by re-spacing its text.
 */
function fingerprint(change: Change): string {
  const text = (value: unknown) =>
    typeof value === 'string' ? value.replace(/\s+/g, ' ').trim().toLowerCase() : '';
  const cis = Array.isArray(change.cis)
    ? [...new Set(change.cis.filter((id) => typeof id === 'string'))].sort()
    : [];
  const plan = (change.plan ?? {}) as Record<string, unknown>;
  return JSON.stringify([
    text(change.title),
    cis,
    text(plan.implementation),
    text(plan.test),
    text(plan.backout),
  ]);
}
