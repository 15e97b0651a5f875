import type { ChangeType, EffectivePolicy } from '../records/policy.js';
import type { Rule } from './rule.js';
import { changeTypeListSchema, isTypeList, parameter } from './rule-parameters.js';
import { aChangeOfType, changeType, isPending } from './status.js';
import {
  firstFit,
  formatDuration,
  formatInstant,
  insideWindows,
  isTimeZone,
  schedulePeriod,
} from './time.js';

type Window = EffectivePolicy['windows'][number];

const defaultExempt: ChangeType[] = ['emergency'];

/** A change is scheduled inside a maintenance window that applies to it. */
export const maintenanceWindowRule: Rule = {
  id: 'maintenance-window',
  description:
    'When the policy lists maintenance windows, the whole schedule of a proposed or approved ' +
    'change (start to end) lies inside a window that applies to it. A window applies when its ' +
    "types include the change's type (or it has none) and its environments include the " +
    'environment of every CI the change touches directly, at the base and in the branch (or it ' +
    'has none; a CI without an ' +
    'environment fits any window). Windows are weekly: they open on the days listed at from and ' +
    'close at to, local time in their timezone (UTC by default, daylight saving time ' +
    'included), on the next day when to is not after from or is 24:00; occurrences that touch or ' +
    'overlap, of one window or several, count as one stretch, so a change may run across ' +
    'midnight in a window open around the clock, but not across the gap between two nights. A ' +
    'change no window applies to is reported, since the policy allows changes only inside ' +
    'windows. A window whose timezone Intl does not know makes the policy unusable (reported ' +
    'when it is loaded, by validate as by check).',
  defaultSeverity: 'error',
  parameters: {
    exempt: {
      description: 'Change types that need no maintenance window.',
      default: defaultExempt,
      schema: changeTypeListSchema,
    },
  },
  check(context, report, parameters) {
    const all = context.estate.policy.windows;
    if (all.length === 0) return;
    const exempt = new Set(
      parameter(
        context,
        report,
        {
          rule: maintenanceWindowRule.id,
          name: 'exempt',
          value: parameters.exempt,
          fallback: defaultExempt,
        },
        isTypeList,
        'a list of change types (standard, normal, emergency)',
      ),
    );
    // Loading refuses a policy with an unknown zone; should one reach here, its window is left
    // out (fewer windows: more changes reported, never fewer) rather than throwing in Intl.
    const windows = all.filter(
      (window) => window.timezone === undefined || isTimeZone(window.timezone),
    );

    for (const record of context.changes) {
      const change = record.data;
      const type = changeType(change);
      const period = schedulePeriod(change.schedule);
      if (!type || exempt.has(type) || !isPending(change) || !period) continue;
      // From the union of the base's and the branch's CMDB: a CI the branch moves to another
      // environment is in both until the move is merged.
      const environments = new Set<string>();
      for (const id of Array.isArray(change.cis) ? change.cis : []) {
        if (typeof id !== 'string') continue;
        for (const environment of context.cmdb.ci(id)?.environments ?? [])
          environments.add(environment);
      }
      const applicable = applicableWindows(windows, type, environments);
      const subject = `${aChangeOfType(type)}${onCis(environments)}`;
      if (applicable.length === 0) {
        report(
          record,
          ['schedule'],
          `no maintenance window of the policy applies to ${subject}, and changes may only be scheduled inside one; ${windows.length ? `the windows are: ${windows.map((window) => describe(window, true)).join('; ')}` : 'the policy has no usable window'}. Ask for a window that covers it, or split the change by environment`,
        );
        continue;
      }
      if (insideWindows(period, applicable)) continue;
      const duration = period.end - period.start;
      const fit = firstFit(applicable, duration, period.start);
      report(
        record,
        ['schedule'],
        `the schedule (${formatInstant(period.start)} to ${formatInstant(period.end)}) is not inside a maintenance window; ${subject} must fit inside one of: ${applicable.map((window) => describe(window, false)).join('; ')}. ` +
          (fit
            ? `The first time it fits, from its start on, is ${formatInstant(fit.start)} to ${formatInstant(fit.end)}`
            : `None of them is open for the ${formatDuration(duration)} it lasts in the two weeks from its start; split the change`),
      );
    }
  },
};

/**
 * The windows that apply to a change of the type on CIs of the environments: a window's types
 * include the type (or it has none), and its environments include every one of them (or it has
 * none). `changeops new` asks the same when it suggests a slot.
 */
export function applicableWindows(
  windows: readonly Window[],
  type: ChangeType,
  environments: ReadonlySet<string>,
): Window[] {
  return windows.filter(
    (window) =>
      (window.types === undefined || window.types.includes(type)) &&
      (window.environments === undefined ||
        [...environments].every((environment) => window.environments!.includes(environment))),
  );
}

function onCis(environments: ReadonlySet<string>): string {
  const names = [...environments].sort();
  if (names.length === 0) return '';
  const last = names.pop()!;
  return ` on ${names.length ? `${names.join(', ')} and ${last}` : last} CIs`;
}

/** "Production weeknights (mon, tue 22:00-02:00 UTC)", with whom it is for when asked. */
function describe(window: Window, scope: boolean): string {
  const when = `${window.days.join(', ')} ${window.from}-${window.to} ${window.timezone ?? 'UTC'}`;
  const types = window.types ? `${window.types.join(' and ')} changes` : '';
  const environments = window.environments ? window.environments.join(' and ') : '';
  const whom =
    types && environments ? `${types} on ${environments}` : types || environments || 'everything';
  return `${window.name} (${when}${scope ? `, for ${whom}` : ''})`;
}
