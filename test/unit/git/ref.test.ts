import { describe, expect, it } from 'vitest';
import { isSafeRef } from '../../../src/git/ref.js';

describe('refs given to git', () => {
  it.each([
    'main',
    'origin/main',
    'refs/heads/main',
    'v1.2.3',
    'HEAD~3',
    'HEAD^2',
    'a1b2c3d',
    'feature/x-y_z',
  ])('accepts %s', (ref) => expect(isSafeRef(ref)).toBe(true));

  it.each([
    ['an option', '--output=/tmp/x'],
    ['a short option', '-p'],
    ['an exclusion', '^main'],
    ['a range', 'main..HEAD'],
    ['a symmetric range', 'main...HEAD'],
    ['a path at a ref', 'HEAD:changeops.yaml'],
    ['a reflog entry', 'main@{1}'],
    ['an upstream', '@{upstream}'],
    ['a space', 'main HEAD'],
    ['a newline', 'main\n--all'],
    ['a NUL', 'main\0'],
    ['nothing', ''],
    ['a very long ref', 'a'.repeat(1001)],
  ])('refuses %s', (_what, ref) => expect(isSafeRef(ref)).toBe(false));
});
