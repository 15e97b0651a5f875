import { describe, expect, it } from 'vitest';
import type { ListedIssue } from '../../../src/problems/markers.js';
import {
  mergeProblemIssues,
  problemIssuesOpenedBy,
  recordedProblemIssues,
} from '../../../src/report/problems.js';
import { changeFacts } from '../../../src/report/record-facts.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import { change, historyOf } from './history-builder.js';

const bot = { login: 'github-actions[bot]', type: 'Bot' };
const issue = (number: number, body: string, extra: Partial<ListedIssue> = {}): ListedIssue => ({
  number,
  state: 'open',
  body,
  user: bot,
  ...extra,
});
const marker = (id: string) => `<!-- changeops:problem change=${id} -->`;

describe('problem issues GitHub lists', () => {
  it('counts the issues our bot opened with our marker on the first line, open or closed', () => {
    expect(
      problemIssuesOpenedBy(
        [
          issue(12, `${marker('CHG-0002')}\n\nThe checks failed.`),
          issue(8, marker('CHG-0003'), { state: 'closed' }),
          issue(100, marker('CHG-0002'), { user: { login: 'GitHub-Actions[bot]', type: 'Bot' } }),
        ],
        'github-actions[bot]',
      ),
    ).toEqual([
      { change: 'CHG-0002', issue: '#12' },
      { change: 'CHG-0002', issue: '#100' },
      { change: 'CHG-0003', issue: '#8' },
    ]);
  });

  it.each([
    [
      'a person who quotes the marker',
      issue(1, marker('CHG-0001'), { user: { login: 'mallory', type: 'User' } }),
    ],
    ['a pull request', issue(2, marker('CHG-0001'), { pull_request: {} })],
    ['a deleted account', issue(3, marker('CHG-0001'), { user: null })],
    ['a marker below the first line', issue(4, `Hello\n${marker('CHG-0001')}`)],
    ['a marker that is not a change id', issue(5, '<!-- changeops:problem change=../x -->')],
    [
      'a marker with more after it',
      issue(6, `${marker('CHG-0001')} <!-- changeops:problem change=CHG-0002 -->`),
    ],
    ['no body', issue(7, '', { body: null })],
  ])('never counts %s', (_what, listed) => {
    expect(problemIssuesOpenedBy([listed], 'github-actions[bot]')).toEqual([]);
  });

  it('counts nothing when the bot login is unknown', () => {
    expect(problemIssuesOpenedBy([issue(1, marker('CHG-0001'))], '')).toEqual([]);
  });
});

describe('problem issues the records name', () => {
  it('takes review.problemIssue from every version, each issue once, and keeps one a later edit dropped', () => {
    const failed = {
      status: 'failed',
      review: { outcome: 'failure', date: '2026-01-02T00:00:00Z', problemIssue: '#7' },
    };
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-0001.yaml': change('CHG-0001') } },
        {
          date: '2026-01-02T00:00:00Z',
          files: { 'changes/CHG-0001.yaml': change('CHG-0001', failed) },
        },
        {
          date: '2026-01-03T00:00:00Z',
          files: { 'changes/CHG-0001.yaml': change('CHG-0001', { ...failed, title: 'Retitled' }) },
        },
        {
          date: '2026-01-04T00:00:00Z',
          files: { 'changes/CHG-0001.yaml': change('CHG-0001', { status: 'proposed' }) },
        },
      ]),
    );
    expect(recordedProblemIssues(timelines)).toEqual([{ change: 'CHG-0001', issue: '#7' }]);
  });

  it('merges sources, each change and issue once, issues in number order', () => {
    expect(
      mergeProblemIssues(
        [
          { change: 'CHG-0002', issue: '#12' },
          { change: 'CHG-0001', issue: '#7' },
        ],
        [
          { change: 'CHG-0002', issue: '#9' },
          { change: 'CHG-0001', issue: '#7' },
        ],
      ),
    ).toEqual([
      { change: 'CHG-0001', issue: '#7' },
      { change: 'CHG-0002', issue: '#9' },
      { change: 'CHG-0002', issue: '#12' },
    ]);
  });
});

describe('a change version’s review, checked field by field', () => {
  const facts = (review: unknown) => {
    const checked = changeFacts({ id: 'CHG-1', status: 'failed', type: 'normal', review });
    if ('problem' in checked) throw new Error(checked.problem);
    return checked.facts.review;
  };

  it('reads the outcome, the date, the problem issue and the run', () => {
    expect(
      facts({
        outcome: 'failure',
        date: '2026-01-02T00:00:00Z',
        problemIssue: '#124',
        run: 'https://github.com/acme/shop/actions/runs/1',
      }),
    ).toEqual({
      outcome: 'failure',
      date: '2026-01-02T00:00:00Z',
      problemIssue: '#124',
      run: 'https://github.com/acme/shop/actions/runs/1',
    });
  });

  it.each([
    ['an unknown outcome', { outcome: 'meh' }, undefined],
    ['no review', undefined, undefined],
    ['a list', ['success'], undefined],
    [
      'a problem issue that is not an issue reference',
      { outcome: 'failure', problemIssue: '#12 <script>' },
      { outcome: 'failure' },
    ],
    [
      'a run that is not an https link',
      { outcome: 'success', run: 'javascript:alert(1)' },
      { outcome: 'success' },
    ],
    ['a date that is not one', { outcome: 'success', date: 'yesterday' }, { outcome: 'success' }],
  ])('leaves out %s', (_what, review, expected) => {
    expect(facts(review)).toEqual(expected);
  });
});
