import type { Rule } from './rule.js';
import { formatInstant, parseInstant } from './time.js';

/** A change's schedule ends after it starts. */
export const scheduleOrderRule: Rule = {
  id: 'schedule-order',
  description:
    "A change's schedule.end comes after its schedule.start. Checked for every change, " +
    'whatever its status: a schedule that ends before it starts is wrong data, not a policy ' +
    'question, and every other schedule check (lead time, windows, freezes, collisions) needs ' +
    'a sound one.',
  defaultSeverity: 'error',
  check(context, report) {
    for (const record of context.changes) {
      const schedule = record.data.schedule;
      // A missing or unreadable date is the schema's to report.
      const start = parseInstant(schedule?.start);
      const end = parseInstant(schedule?.end);
      if (start === undefined || end === undefined || end > start) continue;
      report(
        record,
        ['schedule', 'end'],
        `schedule.end (${formatInstant(end)}) is ${end === start ? 'the same as' : 'before'} schedule.start (${formatInstant(start)}); the change must end after it starts`,
      );
    }
  },
};
