import type { Change } from '../records/types.generated.js';
import type { Rule, RuleContext } from './rule.js';
import { aChangeOfType, changeType, isPending } from './status.js';
import { formatHours, formatInstant, HOUR, MINUTE, parseInstant } from './time.js';

/** A change is proposed early enough before its scheduled start. */
export const leadTimeRule: Rule = {
  id: 'lead-time',
  description:
    "A proposed or approved change is scheduled to start at least the policy's leadTimeHours for " +
    'its type after the evaluation time (defaults: standard 0, normal 48, emergency 0 hours; 0 ' +
    'means no lead time). Lead time is counted from when the change was proposed, so a change ' +
    'that was already proposed or approved at the base revision with the same schedule.start is ' +
    'not measured again, and without a base revision only proposed changes are (an approved ' +
    'one met its lead time when it was approved).',
  defaultSeverity: 'error',
  check(context, report) {
    const now = context.now.getTime();
    for (const record of context.changes) {
      const change = record.data;
      const type = changeType(change);
      if (!type || !isPending(change)) continue;
      const needed = context.estate.policy.leadTimeHours[type];
      const start = parseInstant(change.schedule?.start);
      if (!(needed > 0) || start === undefined || measuredBefore(context, change, start)) continue;
      if (start - now >= needed * HOUR) continue;
      const left =
        start >= now ? `${formatHours(start - now)} from now` : `${formatHours(now - start)} ago`;
      // Rounded up to the minute, so the suggested start is a time one would write down.
      const earliest = Math.ceil((now + needed * HOUR) / MINUTE) * MINUTE;
      report(
        record,
        ['schedule', 'start'],
        `schedule.start is ${formatInstant(start)}, ${left}, but ${aChangeOfType(type)} needs at least ${formatHours(needed * HOUR)} of lead time; the earliest allowed start is ${formatInstant(earliest)}`,
      );
    }
  },
};

/** Whether the change's lead time was already measured when it was proposed. */
function measuredBefore(context: RuleContext, change: Change, start: number): boolean {
  if (!context.base) return change.status === 'approved';
  const before = context.base.changes.get(change.id);
  return (
    before !== undefined && isPending(before) && parseInstant(before.schedule?.start) === start
  );
}
