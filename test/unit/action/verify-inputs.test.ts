import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/action/input-error.js';
import { parseVerifyInputs } from '../../../src/action/verify-inputs.js';

const read = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('parseVerifyInputs', () => {
  it('runs the checks for 600 s each and proposes nothing by default', () => {
    expect(parseVerifyInputs(read({}))).toEqual({
      changes: '',
      runChecks: true,
      checkTimeoutMs: 600_000,
      noteOnSuccess: false,
      recordUpdate: false,
      revert: false,
    });
  });

  it('reads every input', () => {
    expect(
      parseVerifyInputs(
        read({
          changes: 'CHG-0042, CHG-0043',
          outcome: 'Failure',
          'run-checks': 'false',
          'check-timeout': '90',
          'note-on-success': 'true',
          'record-pull-request': 'TRUE',
          'revert-pull-request': 'true',
        }),
      ),
    ).toEqual({
      changes: 'CHG-0042, CHG-0043',
      outcome: 'failure',
      runChecks: false,
      checkTimeoutMs: 90_000,
      noteOnSuccess: true,
      recordUpdate: true,
      revert: true,
    });
  });

  it.each([
    [{ outcome: 'passed' }, 'input "outcome" is "passed"; expected success, failure, cancelled'],
    [{ outcome: 'skipped' }, 'input "outcome" is "skipped": the deploy step did not run'],
    [
      { 'check-timeout': '0' },
      'input "check-timeout" is "0"; expected a number of seconds from 1 to 21600',
    ],
    [{ 'check-timeout': '10m' }, 'input "check-timeout" is "10m"'],
    [{ 'check-timeout': '99999' }, 'input "check-timeout" is "99999"'],
    [{ 'run-checks': 'yes' }, 'input "run-checks" is "yes"; expected true or false'],
  ])('refuses %j with a sentence naming the input', (inputs, message) => {
    expect(() => parseVerifyInputs(read(inputs))).toThrow(InputError);
    expect(() => parseVerifyInputs(read(inputs))).toThrow(message);
  });
});
