import { describe, expect, it } from 'vitest';
import {
  alreadyReported,
  failureKey,
  failureMarker,
  findProblemIssue,
  headerMarkers,
  markerName,
  problemIssueMarker,
  type ListedIssue,
} from '../../../src/problems/markers.js';
import { assessOutcome } from '../../../src/problems/outcome.js';
import { named } from './results.js';

const bot = { login: 'github-actions[bot]', type: 'Bot' };
const human = { login: 'mallory', type: 'User' };
const marker = '<!-- changeops:problem change=CHG-0042 -->';

function issue(number: number, overrides: Partial<ListedIssue> = {}): ListedIssue {
  return { number, state: 'open', body: `${marker}\nCHG-0042 failed.`, user: bot, ...overrides };
}

const find = (listed: ListedIssue[]) =>
  findProblemIssue(listed, { changeId: 'CHG-0042', botLogin: 'github-actions[bot]' });

describe('findProblemIssue', () => {
  it('finds the open issue our bot opened for the change', () => {
    expect(find([issue(7)])).toEqual({ issue: issue(7), duplicates: [] });
  });

  it('never takes a person’s issue that quotes the marker for ours', () => {
    expect(find([issue(5, { user: human })]).issue).toBeUndefined();
  });

  it('never takes an issue of another bot for ours', () => {
    expect(
      find([issue(5, { user: { login: 'renovate[bot]', type: 'Bot' } })]).issue,
    ).toBeUndefined();
  });

  it('matches the bot’s login whatever its case', () => {
    const result = findProblemIssue([issue(7)], {
      changeId: 'CHG-0042',
      botLogin: 'GitHub-Actions[bot]',
    });
    expect(result.issue?.number).toBe(7);
  });

  it('skips closed issues: a new failure after the problem was closed opens a new one', () => {
    expect(find([issue(3, { state: 'closed' })]).issue).toBeUndefined();
  });

  it('skips pull requests that the issue list includes', () => {
    expect(find([issue(4, { pull_request: { url: 'x' } })]).issue).toBeUndefined();
  });

  it('skips the issue of another change, even one whose id starts the same', () => {
    const other = issue(8, { body: '<!-- changeops:problem change=CHG-00421 -->\n' });
    expect(find([other]).issue).toBeUndefined();
  });

  it('counts the marker only on the first line, not quoted further down', () => {
    const quoted = issue(9, { body: `Someone pasted this:\n${marker}` });
    expect(find([quoted]).issue).toBeUndefined();
  });

  it('keeps the oldest and reports the newer ones left by a concurrent run as duplicates', () => {
    const found = find([issue(12), issue(10), issue(11, { user: human }), issue(15)]);
    expect(found.issue?.number).toBe(10);
    expect(found.duplicates.map((i) => i.number)).toEqual([12, 15]);
  });

  it('reads a body stored with CRLF line endings', () => {
    expect(find([issue(7, { body: `${marker}\r\nbody` })]).issue?.number).toBe(7);
  });

  it('refuses a change id that is not one', () => {
    expect(() => problemIssueMarker('CHG-42 -->')).toThrow(RangeError);
  });
});

describe('failureKey and alreadyReported', () => {
  const assessment = assessOutcome({
    changeId: 'CHG-0042',
    checks: [named('payments-health', { exitCode: 3 }), named('db-ping', { exitCode: 1 })],
    deploy: 'failure',
  });

  it('names the change, the run, the failed checks (sorted) and the deploy', () => {
    expect(failureKey({ runId: 123, assessment })).toBe(
      'change=CHG-0042 run=123 checks=db-ping,payments-health deploy=failure',
    );
  });

  it('gives a re-run of the same failure the same key, and another run another', () => {
    const again = assessOutcome({
      changeId: 'CHG-0042',
      checks: [named('db-ping', { exitCode: 2 }), named('payments-health', { exitCode: 3 })],
      deploy: 'failure',
    });
    expect(failureKey({ runId: 123, assessment: again })).toBe(
      failureKey({ runId: 123, assessment }),
    );
    expect(failureKey({ runId: 124, assessment })).not.toBe(failureKey({ runId: 123, assessment }));
  });

  it('keeps a hostile check name from ending the marker', () => {
    const hostile = assessOutcome({
      changeId: 'CHG-0042',
      checks: [named('x --> <img src=x>', { exitCode: 1 })],
    });
    const key = failureKey({ runId: 1, assessment: hostile });
    expect(key).toBe('change=CHG-0042 run=1 checks=x-img-src-x');
    expect(failureMarker(key)).toBe(
      '<!-- changeops:failure change=CHG-0042 run=1 checks=x-img-src-x -->',
    );
  });

  it.each([
    ['Payments Health', 'payments-health'],
    ['---', 'check'],
    ['a'.repeat(100), 'a'.repeat(63)],
  ])('writes the check name %j as %j in markers', (name, slug) => {
    expect(markerName(name)).toBe(slug);
  });

  const key = failureKey({ runId: 123, assessment });
  const reported = { body: `${failureMarker(key)}\nCHG-0042 failed again.`, user: bot };

  it('knows a failure reported in a comment of ours', () => {
    expect(alreadyReported([{ body: 'thanks', user: human }, reported], key, bot.login)).toBe(true);
  });

  it('knows a failure reported in the issue body, below the problem marker', () => {
    const body = `${marker}\n${failureMarker(key)}\nCHG-0042 failed.`;
    expect(alreadyReported([{ body, user: bot }], key, bot.login)).toBe(true);
  });

  it('does not count a person’s comment that quotes the failure marker', () => {
    expect(alreadyReported([{ ...reported, user: human }], key, bot.login)).toBe(false);
  });

  it('does not count the marker quoted below the header of our own comment', () => {
    const quoted = { body: `Output:\n${failureMarker(key)}`, user: bot };
    expect(alreadyReported([quoted], key, bot.login)).toBe(false);
  });

  it('tells a different failure of the same change from the one reported', () => {
    const other = failureKey({ runId: 124, assessment });
    expect(alreadyReported([reported], other, bot.login)).toBe(false);
  });

  it('reads at most a few header lines of a body', () => {
    const many = Array.from({ length: 5000 }, () => '<!-- changeops:x -->').join('\n');
    expect(headerMarkers(many)).toHaveLength(16);
  });
});
