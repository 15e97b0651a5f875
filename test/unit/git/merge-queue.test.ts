import { describe, expect, it } from 'vitest';
import { parseQueueRef } from '../../../src/git/merge-queue.js';
import { laterRun, runOf } from '../../../src/github/commit-status.js';

const sha = 'a'.repeat(40);

describe('parseQueueRef', () => {
  it.each([
    [`refs/heads/gh-readonly-queue/main/pr-12-${sha}`, { base: 'main', number: 12 }],
    [`gh-readonly-queue/release/2.x/pr-7-${sha}`, { base: 'release/2.x', number: 7 }],
    [`refs/heads/gh-readonly-queue/main/pr-0-${sha}`, undefined],
    [`refs/heads/gh-readonly-queue/main/pr-12-abc`, undefined],
    [`refs/heads/feature/pr-12-${sha}`, undefined],
  ])('reads %s', (ref, expected) => {
    expect(parseQueueRef(ref)).toEqual(expected);
  });
});

describe('the run a status was posted by', () => {
  it.each([
    ['https://github.com/acme/estate/actions/runs/42/attempts/3', { runId: 42, attempt: 3 }],
    ['https://github.com/acme/estate/actions/runs/42', { runId: 42, attempt: 1 }],
    ['https://example.com/build/42', undefined],
    [null, undefined],
  ])('is read from the target_url %s', (url, expected) => {
    expect(runOf(url)).toEqual(expected);
  });

  it('orders runs by id, then attempt', () => {
    expect(laterRun({ runId: 2, attempt: 1 }, { runId: 1, attempt: 9 })).toBe(true);
    expect(laterRun({ runId: 2, attempt: 2 }, { runId: 2, attempt: 1 })).toBe(true);
    expect(laterRun({ runId: 2, attempt: 1 }, { runId: 2, attempt: 1 })).toBe(false);
  });
});
