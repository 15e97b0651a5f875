import { describe, expect, it } from 'vitest';
import { isSafeRef, refProblem } from '../../../src/git/ref.js';

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

  // One check for every ref (--base, --at, --branch, the history's): git check-ref-format's
  // rules as well, and nothing git could take for an option or a refspec.
  it.each([
    [
      'an abbreviated --upload-pack after a slash',
      'origin/--upl=touch${IFS}pwned;true',
      'a part of it starts with "-"',
    ],
    ['a forced refspec', '+refs/heads/evil:refs/heads/keep', 'it holds "+"'],
    ['a hidden part', 'feature/.hidden', 'a part of it starts with "."'],
    ['a lock file', 'topic.lock', 'a part of it ends with ".lock"'],
    ['a glob', 'star*', 'it holds "*", "?" or "["'],
    ['a backslash', 'back\\slash', 'it holds "\\"'],
    ['a trailing slash', 'trailing/', 'it starts or ends with "/", or holds "//"'],
    ['a trailing dot', 'dot.', 'it ends with "."'],
    ['a lone @', '@', 'it is "@"'],
    ['a peeled ref', 'v1.0^{commit}', 'it holds "~" or "^" other than at its end (HEAD~1)'],
  ])('refuses %s, saying why', (_what, ref, why) => {
    expect(refProblem(ref)).toBe(why);
    expect(isSafeRef(ref)).toBe(false);
  });
});
