import { describe, expect, it } from 'vitest';
import { checkEnvironment, isWithheld } from '../../../src/exec/environment.js';
import { TailBuffer } from '../../../src/exec/tail-buffer.js';

describe('TailBuffer', () => {
  it('keeps everything while under its limit', () => {
    const tail = new TailBuffer(16);
    tail.push(Buffer.from('one\n'));
    tail.push(Buffer.from('two\n'));
    expect(tail.text()).toBe('one\ntwo\n');
    expect(tail).toMatchObject({ total: 8, truncated: false });
  });

  it('keeps the last bytes of many small writes, slicing the oldest kept chunk', () => {
    const tail = new TailBuffer(10);
    for (const word of ['alpha ', 'beta ', 'gamma ', 'delta']) tail.push(Buffer.from(word));
    expect(tail.text()).toBe('amma delta');
    expect(tail).toMatchObject({ total: 22, truncated: true });
  });

  it('keeps the end of one chunk larger than its limit', () => {
    const tail = new TailBuffer(5);
    tail.push(Buffer.from('0123456789'));
    expect(tail.text()).toBe('56789');
  });

  it('stays within its limit over a hundred thousand one-byte writes', () => {
    const tail = new TailBuffer(1000);
    for (let i = 0; i < 100_000; i++) tail.push(Buffer.from(String(i % 10)));
    const text = tail.text();
    expect(text).toHaveLength(1000);
    expect(text.endsWith('56789')).toBe(true);
    expect(tail.total).toBe(100_000);
  });

  it.each<[string, string, number, string]>([
    ['a two-byte character', 'é€', 4, '€'],
    ['a three-byte character', 'x€€', 5, '€'],
    ['a four-byte character', 'x😀😀', 7, '😀'],
  ])('moves a cut through %s to the next character', (_what, text, limit, kept) => {
    const tail = new TailBuffer(limit);
    tail.push(Buffer.from(text));
    expect(tail.text()).toBe(kept);
  });

  it('refuses a limit too small to hold one character', () => {
    expect(() => new TailBuffer(3)).toThrow(RangeError);
  });
});

describe('checkEnvironment', () => {
  it.each([
    'INPUT_TOKEN',
    'INPUT_APP-PRIVATE-KEY',
    'INPUT_BOT-LOGIN',
    'GITHUB_TOKEN',
    'GH_TOKEN',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'GITHUB_OUTPUT',
    'GITHUB_ENV',
    'GITHUB_PATH',
    'GITHUB_STATE',
    'GITHUB_STEP_SUMMARY',
  ])('withholds %s', (name) => {
    expect(isWithheld(name)).toBe(true);
    expect(checkEnvironment({ [name]: 'x', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });

  it.each(['PATH', 'HOME', 'GITHUB_SHA', 'GITHUB_REPOSITORY', 'RUNNER_TEMP', 'DEPLOY_URL'])(
    'passes %s on',
    (name) => {
      expect(isWithheld(name)).toBe(false);
      expect(checkEnvironment({ [name]: 'x' })[name]).toBe('x');
    },
  );

  it('lets the caller pass a withheld variable on purpose', () => {
    const env = checkEnvironment({ GITHUB_TOKEN: 'job' }, { GITHUB_TOKEN: 'given' });
    expect(env.GITHUB_TOKEN).toBe('given');
  });

  it('keeps a variable named __proto__ as a variable', () => {
    const env = checkEnvironment({ ['__proto__']: 'x', PATH: '/bin' });
    expect(Object.getPrototypeOf(env)).toBeNull();
    expect(Object.keys(env).sort()).toEqual(['PATH', '__proto__']);
  });
});
