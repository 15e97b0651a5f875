import { describe, expect, it } from 'vitest';
import { loginOf, pullRequestOf } from '../../../src/report/facts.js';

describe('pullRequestOf', () => {
  it.each([
    ['Merge pull request #12 from acme/feature', 12],
    ['Upgrade the payments database (#345)', 345],
    ['Upgrade the payments database (#345)  ', 345],
    ['Fix #12 in the parser', undefined],
    ['Merge branch main into feature', undefined],
    ['Revert "Upgrade (#12)" (#13)', 13],
    ['Merge pull request #0 from acme/x', undefined],
    ['Title (#1234567890)', undefined],
  ])('%j -> %s', (subject, number) => {
    expect(pullRequestOf(subject)).toBe(number);
  });
});

describe('loginOf', () => {
  it.each([
    ['583231+octocat@users.noreply.github.com', 'octocat'],
    ['octocat@users.noreply.github.com', 'octocat'],
    ['41898282+github-actions[bot]@users.noreply.github.com', 'github-actions[bot]'],
    ['octocat@github.com', undefined],
    ['noreply@github.com', undefined],
    ['-bad@users.noreply.github.com', undefined],
    ['a--b@users.noreply.github.com', undefined],
    ['x@users.noreply.github.com.evil.example', undefined],
  ])('%s -> %s', (email, login) => {
    expect(loginOf(email)).toBe(login);
  });
});
