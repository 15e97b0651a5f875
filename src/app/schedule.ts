import { decideSchedule, type ScheduleOptions } from '../evaluate/schedule.js';
import { writeTextFile } from '../fs/write-file.js';
import type { Finding } from '../records/finding.js';
import type { Schedule } from '../render/schedule-model.js';
import { loadWorkspace } from './load-workspace.js';

/** The outcome of `schedule` on a repository. */
export interface ScheduleOutcome {
  schedule: Schedule;
  /** False when changeops.yaml cannot be used: freezes and rule settings are then unknown. */
  policyUsable: boolean;
  /** Error-level findings while loading: the schedule may miss records. */
  recordErrors: number;
  /** YAML that looks like records where changeops does not read them. */
  unread: Finding[];
  /** The iCalendar file written, and how many events it holds. */
  ics?: { path: string; events: number };
}

/**
 * The `schedule` use case: builds the forward schedule of a repository from the records on disk
 * and, with `ics`, writes it as an iCalendar file there (a path relative to the current
 * directory, not the repository).
 */
export function schedule(
  dir: string,
  options: ScheduleOptions & { ics?: string; now?: Date },
): ScheduleOutcome {
  const decided = decideSchedule(loadWorkspace(dir), {
    ...options,
    ...(options.ics !== undefined ? { calendarStamp: (options.now ?? new Date()).getTime() } : {}),
  });
  const outcome: ScheduleOutcome = {
    schedule: decided.schedule,
    policyUsable: decided.policyUsable,
    recordErrors: decided.recordErrors,
    unread: decided.unread,
  };
  if (options.ics !== undefined && decided.calendar !== undefined) {
    try {
      writeTextFile(options.ics, decided.calendar);
    } catch (error) {
      throw new Error(`cannot write the calendar to ${options.ics}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    outcome.ics = { path: options.ics, events: decided.schedule.entries.length };
  }
  return outcome;
}
