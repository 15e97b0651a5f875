import type { Rule } from './rule.js';
import { isPending } from './status.js';
import { formatDuration, formatInstant, schedulePeriod } from './time.js';

/** A change still waiting to happen is not scheduled entirely in the past. */
export const schedulePastRule: Rule = {
  id: 'schedule-past',
  description:
    'A proposed or approved change is not scheduled entirely in the past (schedule.end at or ' +
    'before the evaluation time): it was either carried out and its status should record the ' +
    'outcome, or it needs a new schedule. A warning by default, as the record is stale rather ' +
    'than dangerous.',
  defaultSeverity: 'warning',
  check(context, report) {
    const now = context.now.getTime();
    for (const record of context.changes) {
      const change = record.data;
      const period = schedulePeriod(change.schedule);
      if (!isPending(change) || !period || period.end > now) continue;
      const what =
        change.status === 'approved'
          ? 'if it was carried out, set status to implemented, failed or backed-out; otherwise move the schedule to when it will be'
          : 'move the schedule to when it will be carried out';
      report(
        record,
        ['schedule', 'end'],
        `schedule.end is ${formatInstant(period.end)}, ${formatDuration(now - period.end)} ago, but the change is still ${change.status}; ${what}`,
      );
    }
  },
};
