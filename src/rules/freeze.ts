import type { Rule } from './rule.js';
import { aChangeOfType, changeType, isPending } from './status.js';
import { formatInstant, overlaps, parseInstant, schedulePeriod, type Period } from './time.js';

/** No change is scheduled in a freeze that does not allow its type. */
export const freezeRule: Rule = {
  id: 'freeze',
  description:
    'The schedule of a proposed or approved change does not overlap any freeze of the policy ' +
    "(freezes, from start to end), unless the freeze's allow lists the change's type. A freeze " +
    'whose end is not after its start makes the policy unusable (reported when it is loaded, by ' +
    'validate as by check), so swapped dates never silently lift a freeze.',
  defaultSeverity: 'error',
  check(context, report) {
    const freezes: Array<{ name: string; period: Period; allow: ReadonlySet<string> }> = [];
    for (const freeze of context.estate.policy.freezes) {
      const start = parseInstant(freeze.start);
      const end = parseInstant(freeze.end);
      if (start === undefined || end === undefined) continue;
      // Loading refuses swapped dates; should any reach here, they still freeze the time between.
      const period = { start: Math.min(start, end), end: Math.max(start, end) };
      freezes.push({ name: freeze.name, period, allow: new Set(freeze.allow ?? []) });
    }
    if (freezes.length === 0) return;
    for (const record of context.changes) {
      const type = changeType(record.data);
      const schedule = schedulePeriod(record.data.schedule);
      if (!type || !schedule || !isPending(record.data)) continue;
      for (const freeze of freezes) {
        if (freeze.allow.has(type) || !overlaps(schedule, freeze.period)) continue;
        const allowed = freeze.allow.size
          ? `only ${[...freeze.allow].join(' and ')} changes`
          : 'no changes';
        report(
          record,
          ['schedule'],
          `the schedule (${formatInstant(schedule.start)} to ${formatInstant(schedule.end)}) overlaps the freeze "${freeze.name}" (${formatInstant(freeze.period.start)} to ${formatInstant(freeze.period.end)}), which allows ${allowed}, not ${aChangeOfType(type)}; schedule it to end by ${formatInstant(freeze.period.start)} or to start at ${formatInstant(freeze.period.end)} or later`,
        );
      }
    }
  },
};
