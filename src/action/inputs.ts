import * as core from '@actions/core';
import { parseDateBound } from '../rules/time.js';
import { InputError } from './input-error.js';

/** The commands the action runs. */
export const actionCommands = ['validate', 'check', 'gate', 'verify', 'report'] as const;
/** One of the action's commands. */
export type ActionCommand = (typeof actionCommands)[number];

/** Every input of action.yml, parsed once; an empty string means "not given". */
export interface ActionInputs {
  command: ActionCommand;
  /** The repository root, relative to the workspace. */
  dir: string;
  token: string;
  /** The login the bot comments under; how our sticky comment is told from a human's. */
  botLogin: string;
  /** The gate's GitHub App: its id and private key (PEM), both given or neither. */
  app?: { id: string; privateKey: string };
  /** Set (false) by `cache: false`: no estate snapshot is read or written (validate, check). */
  cache?: false;
  /** `report`: the window [since, until), epoch milliseconds, when given. */
  since?: number;
  until?: number;
}

/** Reads and checks the action's inputs. */
export function parseInputs(
  read: (name: string) => string = (name) => core.getInput(name),
): ActionInputs {
  const command = read('command').trim() || 'check';
  if (!(actionCommands as readonly string[]).includes(command)) {
    throw new InputError(
      `input "command" is "${command}"; expected one of: ${actionCommands.join(', ')}`,
    );
  }
  const appId = read('app-id').trim();
  const privateKey = read('app-private-key').trim();
  if ((appId === '') !== (privateKey === ''))
    throw new InputError(
      appId === ''
        ? 'input "app-private-key" is set but "app-id" is not; give both, or neither'
        : 'input "app-id" is set but "app-private-key" is not; give both, or neither',
    );
  if (appId !== '' && !/^\d+$/.test(appId) && !/^Iv[0-9a-z.]+$/i.test(appId))
    throw new InputError(
      `input "app-id" is "${appId.slice(0, 40)}"; expected the App's numeric id (or its client id)`,
    );
  const since = dateInput(read, 'since', 'start');
  const until = dateInput(read, 'until', 'end');
  if (since !== undefined && until !== undefined && until <= since)
    throw new InputError('input "until" is not after input "since"');
  return {
    command: command as ActionCommand,
    dir: read('dir').trim() || '.',
    token: read('token').trim(),
    botLogin: read('bot-login').trim() || 'github-actions[bot]',
    ...(read('cache').trim().toLowerCase() === 'false' ? { cache: false as const } : {}),
    ...(appId ? { app: { id: appId, privateKey } } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

/** The inputs that hold credentials: every one the action is given is masked in the log. */
export const secretInputNames = ['token', 'app-private-key'] as const;

/**
 * The values to register with the runner as secrets, before anything is printed: each credential
 * input as given, and each line of a multi-line one (a PEM private key), since the log shows
 * output line by line. The key's BEGIN and END lines are no secret and are left readable.
 */
export function secretValues(
  read: (name: string) => string = (name) => core.getInput(name, { trimWhitespace: false }),
): string[] {
  const values = new Set<string>();
  for (const name of secretInputNames) {
    const value = read(name);
    if (value.trim() === '') continue;
    values.add(value);
    values.add(value.trim());
    for (const line of value.split(/\r?\n/)) {
      const part = line.trim();
      if (part.length >= 8 && !/^-----(BEGIN|END) [A-Z ]+-----$/.test(part)) values.add(part);
    }
  }
  return [...values];
}

/** A date input read like the CLI's --since and --until (parseDateBound); undefined when empty. */
function dateInput(
  read: (name: string) => string,
  name: string,
  edge: 'start' | 'end',
): number | undefined {
  const value = read(name).trim();
  if (value === '') return undefined;
  const ms = parseDateBound(value, edge);
  if (ms === undefined)
    throw new InputError(
      `input "${name}" is ${JSON.stringify(value.slice(0, 100))}; expected a date like 2026-01-01 or a date and time with a zone like 2026-01-01T00:00:00Z`,
    );
  return ms;
}
