import { show } from '../records/wording.js';
import { parseDateBound } from '../rules/time.js';
import { UsageError } from './usage-error.js';

/**
 * A date option (--from, --to, --since, --until, --now) as epoch milliseconds, read the one way
 * every command and the action's inputs read dates (parseDateBound): a date alone (2027-02-01,
 * UTC) is the start of that day for a `start` edge and its end for an `end` edge; a date and
 * time must carry its zone (2027-02-01T08:00:00+01:00). Anything else is a usage error.
 */
export function parseDate(option: string, value: string, edge: 'start' | 'end'): number {
  const ms = parseDateBound(value, edge);
  if (ms !== undefined) return ms;
  throw new UsageError(
    `${option} ${show(value)} is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z`,
  );
}
