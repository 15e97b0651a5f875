import { describe, expect, it } from 'vitest';
import {
  openedProblemSentence,
  problemLinks,
  problemLinkSentence,
} from '../../../src/problems/links.js';

describe('problem links', () => {
  it.each<[string, Parameters<typeof problemLinkSentence>[0], string]>([
    [
      'names the change whose failure opened the problem',
      { changeId: 'CHG-0051', problem: '#123', openedBy: ['CHG-0042'] },
      'CHG-0051 remediates #123, opened by the failure of CHG-0042',
    ],
    [
      'says only what it remediates when no change opened it',
      { changeId: 'CHG-0051', problem: '#123' },
      'CHG-0051 remediates #123',
    ],
    [
      'names several openers',
      { changeId: 'CHG-0051', problem: '#123', openedBy: ['CHG-0042', 'CHG-0043'] },
      'CHG-0051 remediates #123, opened by the failure of CHG-0042 and CHG-0043',
    ],
    [
      'does not say a change was opened by itself',
      { changeId: 'CHG-0051', problem: '#123', openedBy: ['CHG-0051'] },
      'CHG-0051 remediates #123',
    ],
  ])('%s', (_name, facts, sentence) => {
    expect(problemLinkSentence(facts)).toBe(sentence);
  });

  it('says which change remediates the problem a failure opened', () => {
    expect(
      openedProblemSentence({
        changeId: 'CHG-0042',
        problemIssue: '#123',
        remediatedBy: ['CHG-0051'],
      }),
    ).toBe('The failure of CHG-0042 opened #123, which CHG-0051 remediates');
    expect(openedProblemSentence({ changeId: 'CHG-0042', problemIssue: '#123' })).toBe(
      'The failure of CHG-0042 opened #123',
    );
  });

  it('links every change from its records in one pass', () => {
    const links = problemLinks([
      { id: 'CHG-0042', review: { problemIssue: '#123' } },
      { id: 'CHG-0051', problem: '#123' },
      { id: 'CHG-0060', problem: '#7' },
      { id: 'CHG-0061' },
    ]);
    expect(Object.fromEntries(links)).toEqual({
      'CHG-0042': ['The failure of CHG-0042 opened #123, which CHG-0051 remediates'],
      'CHG-0051': ['CHG-0051 remediates #123, opened by the failure of CHG-0042'],
      'CHG-0060': ['CHG-0060 remediates #7'],
    });
  });

  it('keeps a problem remediated by thousands of changes to one line', () => {
    const changes = [
      { id: 'CHG-0001', review: { problemIssue: '#1' } },
      ...Array.from({ length: 5000 }, (_, i) => ({ id: `CHG-${1000 + i}`, problem: '#1' })),
    ];
    const [sentence] = problemLinks(changes).get('CHG-0001')!;
    expect(sentence).toBe(
      'The failure of CHG-0001 opened #1, which CHG-1000, CHG-1001, CHG-1002, CHG-1003, CHG-1004 and 4995 more remediate',
    );
  });

  it('reads a problem named __proto__ as data', () => {
    const links = problemLinks([
      { id: 'CHG-0001', problem: '__proto__' },
      { id: 'CHG-0002', review: { problemIssue: '__proto__' } },
    ]);
    expect(links.get('CHG-0001')).toEqual([
      'CHG-0001 remediates __proto__, opened by the failure of CHG-0002',
    ]);
  });
});
