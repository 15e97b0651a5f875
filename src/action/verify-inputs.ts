import * as core from '@actions/core';
import type { VerifyOptions } from '../app/verify.js';
import { deployOutcomes, type DeployOutcome } from '../problems/outcome.js';
import { InputError } from './input-error.js';

/** The longest `check-timeout` taken: a GitHub-hosted job ends after 6 hours anyway. */
export const maxCheckTimeoutSeconds = 6 * 60 * 60;

/** Reads and checks verify's inputs; an empty string means "not given". */
export function parseVerifyInputs(
  read: (name: string) => string = (name) => core.getInput(name),
): VerifyOptions {
  const outcome = read('outcome').trim().toLowerCase();
  if (outcome === 'skipped')
    throw new InputError(
      'input "outcome" is "skipped": the deploy step did not run, so there is nothing to verify; run verify only when it ran (if: steps.deploy.outcome != \'skipped\')',
    );
  if (outcome !== '' && !(deployOutcomes as readonly string[]).includes(outcome))
    throw new InputError(
      `input "outcome" is "${outcome.slice(0, 40)}"; expected ${deployOutcomes.join(', ')} (the deploy step's steps.<id>.outcome), or leave it out`,
    );
  const timeout = read('check-timeout').trim() || '600';
  const seconds = Number(timeout);
  if (!/^\d+(\.\d+)?$/.test(timeout) || !(seconds > 0) || seconds > maxCheckTimeoutSeconds)
    throw new InputError(
      `input "check-timeout" is "${timeout.slice(0, 40)}"; expected a number of seconds from 1 to ${maxCheckTimeoutSeconds}`,
    );
  return {
    changes: read('changes'),
    ...(outcome !== '' ? { outcome: outcome as DeployOutcome } : {}),
    runChecks: flag(read, 'run-checks', true),
    checkTimeoutMs: Math.round(seconds * 1000),
    noteOnSuccess: flag(read, 'note-on-success', false),
    recordUpdate: flag(read, 'record-pull-request', false),
    revert: flag(read, 'revert-pull-request', false),
  };
}

function flag(read: (name: string) => string, name: string, fallback: boolean): boolean {
  const value = read(name).trim().toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(`input "${name}" is "${value.slice(0, 40)}"; expected true or false`);
}
