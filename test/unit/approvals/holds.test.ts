// What holds the gate besides approvals (a draft, the check's errors, an unusable base policy, a
// read that failed), the notes that change nothing, and a merge group's verdict.
import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/approvals/evaluate.js';
import { groupVerdict } from '../../../src/approvals/group.js';
import { approvalChecklist } from '../../../src/render/approvals.js';
import { approve, facts } from './build-facts.js';

const with_ = (extra: Partial<Parameters<typeof evaluateApprovals>[0]>, base = facts({})) =>
  evaluateApprovals({ ...base, ...extra });

describe('holds and notes', () => {
  it('a draft alone says what to do', () => {
    const result = with_({
      changes: [],
      unasked: [{ id: 'CHG-0042', why: 'draft', status: 'draft' }],
    });
    expect(result).toMatchObject({
      commitState: 'pending',
      sentence: 'CHG-0042 is a draft: set status: proposed to ask for approval',
    });
  });

  it('a draft beside missing approvals says both', () => {
    const result = with_({ unasked: [{ id: 'CHG-0043', why: 'draft', status: 'draft' }] });
    expect(result.sentence).toBe('CHG-0043 is a draft; missing: cab');
  });

  it("the check's errors block, before anyone's objection", () => {
    const result = with_(
      { conditions: { checkErrors: { count: 2, rules: ['required-content'] } } },
      facts({ reviews: [review('bob', 'CHANGES_REQUESTED')] }),
    );
    expect(result).toMatchObject({
      commitState: 'failure',
      sentence: 'Blocked: 2 error-level findings in the check; bob (cab) requested changes',
    });
    expect(approvalChecklist(result)).toContain(
      'the check found 2 error-level findings (required-content): the gate passes only what the check passes',
    );
  });

  it('a failed read is an error, even with every approval given', () => {
    const result = with_(
      { conditions: { unreadable: ['cannot read the commits of #7 (HTTP 502: Server Error)'] } },
      facts({ reviews: [approve('bob')] }),
    );
    expect(result).toMatchObject({
      commitState: 'error',
      sentence: 'Error: cannot read the commits of #7 (HTTP 502: Server Error)',
    });
  });

  it('a change that only records its status needs nothing, and says so', () => {
    const result = with_({
      changes: [],
      unasked: [{ id: 'CHG-0041', why: 'recorded', status: 'implemented', baseStatus: 'approved' }],
    });
    expect(result).toMatchObject({
      commitState: 'success',
      sentence: 'No approval needed: CHG-0041 only moves from approved to implemented',
    });
  });

  it('names the statuses that are not ours, and changes nothing for them', () => {
    const result = with_(
      { conditions: { foreignStatuses: [{ creator: 'github-actions[bot]', state: 'success' }] } },
      facts({ reviews: [approve('bob')] }),
    );
    expect(result.commitState).toBe('success');
    expect(result.children.find((c) => c.name === 'statuses')?.sentence).toBe(
      "not ours: 1 changeops/cab status on this commit by github-actions[bot] (success) is not the gate's and ignored; require changeops/cab from the gate's App in branch protection",
    );
  });
});

describe('groupVerdict', () => {
  const approved = with_({}, facts({ reviews: [approve('bob')] }));
  const pending = with_({});
  it('is the worst of its pull requests, naming those that hold it', () => {
    expect(
      groupVerdict(
        [
          { number: 12, result: approved },
          { number: 13, result: pending },
        ],
        false,
      ),
    ).toEqual({
      status: 'pending',
      commitState: 'pending',
      outcome: 'pending',
      sentence: '#13: Missing: cab; 1 more approved',
    });
  });

  it("is one pull request's own verdict when the group has one", () => {
    expect(groupVerdict([{ number: 12, result: approved }], true).sentence).toBe(
      'Advisory: Approved: cab (bob)',
    );
  });

  it('fails closed on a group with no pull request', () => {
    expect(groupVerdict([], false)).toMatchObject({ commitState: 'error' });
  });
});

function review(login: string, state: string) {
  return { ...approve(login), state };
}
