import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/action/input-error.js';
import { parseInputs, secretValues } from '../../../src/action/inputs.js';

/** The inputs as the runner passes them: every input of action.yml, '' when not given. */
const reader =
  (given: Record<string, string>) =>
  (name: string): string =>
    given[name] ?? '';

describe('parseInputs', () => {
  it('fills in the defaults of action.yml for inputs not given', () => {
    expect(parseInputs(reader({ token: 'ghs_x' }))).toEqual({
      command: 'check',
      dir: '.',
      token: 'ghs_x',
      botLogin: 'github-actions[bot]',
    });
  });

  it('reads every input, trimmed', () => {
    expect(
      parseInputs(
        reader({
          command: ' validate ',
          dir: ' estate ',
          token: ' ghs_x\n',
          'bot-login': ' changeops-app[bot] ',
        }),
      ),
    ).toEqual({
      command: 'validate',
      dir: 'estate',
      token: 'ghs_x',
      botLogin: 'changeops-app[bot]',
    });
  });

  it.each([
    ['false', false],
    [' FALSE ', false],
    ['true', undefined],
    ['', undefined],
  ])('reads cache: %j as the estate snapshot %s', (cache, expected) => {
    expect(parseInputs(reader({ cache })).cache).toBe(expected);
  });

  it.each(['gate', 'verify', 'report'])(
    'accepts the command %s, which the action then explains',
    (command) => {
      expect(parseInputs(reader({ command })).command).toBe(command);
    },
  );

  it('refuses an unknown command with the ones it knows', () => {
    const parse = () => parseInputs(reader({ command: 'chek' }));
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(
      'input "command" is "chek"; expected one of: validate, check, gate, verify, report',
    );
  });

  it('leaves the token empty when none is given: nothing is written to GitHub then', () => {
    expect(parseInputs(reader({})).token).toBe('');
  });

  it('reads the report window with the CLI’s date parser, a date alone meaning a whole day', () => {
    expect(parseInputs(reader({ since: '2026-01-01', until: '2026-03-31' }))).toMatchObject({
      since: Date.parse('2026-01-01T00:00:00Z'),
      until: Date.parse('2026-04-01T00:00:00Z'),
    });
    expect(parseInputs(reader({ until: '2026-03-31T12:00:00+02:00' })).until).toBe(
      Date.parse('2026-03-31T10:00:00Z'),
    );
  });

  it.each([
    [
      { since: '2026-02-30' },
      'input "since" is "2026-02-30"; expected a date like 2026-01-01 or a date and time with a zone like 2026-01-01T00:00:00Z',
    ],
    [
      { until: '2026-01-01T10:00' },
      'input "until" is "2026-01-01T10:00"; expected a date like 2026-01-01 or a date and time with a zone like 2026-01-01T00:00:00Z',
    ],
    [{ since: '2026-02-01', until: '2026-01-31' }, 'input "until" is not after input "since"'],
  ])('refuses the window %j', (given, message) => {
    expect(() => parseInputs(reader(given))).toThrow(new InputError(message));
  });

  it("reads the gate's GitHub App: its id and private key, both or neither", () => {
    expect(
      parseInputs(reader({ 'app-id': ' 424242 ', 'app-private-key': '-----BEGIN KEY-----\nx\n' }))
        .app,
    ).toEqual({ id: '424242', privateKey: '-----BEGIN KEY-----\nx' });
    expect(() => parseInputs(reader({ 'app-id': '424242' }))).toThrow(
      'input "app-id" is set but "app-private-key" is not; give both, or neither',
    );
    expect(() => parseInputs(reader({ 'app-id': 'my app', 'app-private-key': 'k' }))).toThrow(
      /expected the App's numeric id/,
    );
  });
});

describe('secretValues', () => {
  const key = [
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEAq3ZLxzTqs0aexampleexampleexample',
    'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==',
    '-----END RSA PRIVATE KEY-----',
    '',
  ].join('\n');

  it('masks the token and the App private key, and each line of the key', () => {
    expect(secretValues(reader({ token: 'ghs_token123', 'app-private-key': key }))).toEqual([
      'ghs_token123',
      key,
      key.trim(),
      'MIIEowIBAAKCAQEAq3ZLxzTqs0aexampleexampleexample',
      'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==',
    ]);
  });

  it('masks nothing when no credential is given', () => {
    expect(secretValues(reader({ command: 'check' }))).toEqual([]);
  });
});
