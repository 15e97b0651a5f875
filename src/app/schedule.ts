import { createHash } from 'node:crypto';
import { decideSchedule, type ScheduleOptions } from '../evaluate/schedule.js';
import { originRepository } from '../git/remote.js';
import { openRepository } from '../git/repository.js';
import { writeTextFile } from '../fs/write-file.js';
import { WriteError } from './errors/write-error.js';
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
 * directory, not the repository), its UIDs naming the repository (calendarRepository).
 */
export async function schedule(
  dir: string,
  options: ScheduleOptions & { ics?: string; now?: Date; env?: NodeJS.ProcessEnv },
): Promise<ScheduleOutcome> {
  const decided = decideSchedule(loadWorkspace(dir), {
    ...options,
    ...(options.ics !== undefined
      ? {
          calendarStamp: (options.now ?? new Date()).getTime(),
          calendarRepository: await calendarRepository(dir, options.env ?? process.env),
        }
      : {}),
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
      throw new WriteError(
        `cannot write the calendar to ${options.ics}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    outcome.ics = { path: options.ics, events: decided.schedule.entries.length };
  }
  return outcome;
}

const repositoryName = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

/**
 * What names the repository in calendar UIDs, so that two repositories' CHG-0001 (or two folders'
 * of one monorepo) never overwrite each other in one calendar: `owner/name` from
 * GITHUB_REPOSITORY or the origin remote, with the folder inside the work tree when the records
 * are not at its top (`acme/shop/platform`); without either, `dir-` and a digest of the folder's
 * path, which stays the same as long as the folder does.
 */
export async function calendarRepository(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const named = env.GITHUB_REPOSITORY?.trim();
  let repository = named && repositoryName.test(named) ? named : undefined;
  let prefix = '';
  try {
    const repo = await openRepository(dir);
    prefix = repo.prefix.replace(/\/+$/, '');
    if (!repository) {
      const origin = await originRepository(repo);
      if (origin) repository = `${origin.owner}/${origin.repo}`;
    }
  } catch {
    // Not a git work tree: the environment's name, or the folder's digest.
  }
  if (repository) return prefix ? `${repository}/${prefix}` : repository;
  return `dir-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`;
}
