import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/approvals/evaluate.js';
import type { ApprovalFacts, ReviewFacts } from '../../../src/approvals/facts.js';
import type { GateResult } from '../../../src/approvals/result.js';
import {
  aChange,
  acmePolicy,
  acmeTeams,
  approve,
  facts,
  gone,
  head,
  older,
  policyOf,
  reporting,
  review,
} from './build-facts.js';

/** What a user sees: the status GitHub shows, its description, and every "not counted" line. */
function seen(result: GateResult) {
  const notCounted: string[] = [];
  for (const child of result.children) {
    if (child.kind === 'requirement')
      for (const i of child.ignored) notCounted.push(`${child.label}: ${i.login}: ${i.reason}`);
    if (child.kind === 'ignored')
      for (const i of child.ignored) notCounted.push(`none: ${i.login}: ${i.reason}`);
  }
  return { state: result.commitState, description: result.sentence, notCounted };
}

type Case = [
  name: string,
  input: Parameters<typeof facts>[0],
  state: GateResult['commitState'],
  description: string,
  notCounted?: string[],
];

const keep = { ...acmePolicy, gate: { ...acmePolicy.gate, keepApprovalsOnUnrelatedPushes: true } };
const digest = (change: string, cmdb = 'c1') => ({ 'CHG-0042': change, cmdb });

describe('which approvals count', () => {
  it.each<Case>([
    [
      'counts an approval by a CAB member on the head commit',
      { reviews: [approve('bob')] },
      'success',
      'Approved: cab (bob)',
    ],
    [
      'rejects an approval by the PR author',
      { reviews: [approve('alice')] },
      'pending',
      'Missing: cab',
      ['cab: alice: the PR author'],
    ],
    [
      'rejects an approval by the change requester',
      { changes: [aChange({ requester: 'carla' })], reviews: [approve('carla')] },
      'pending',
      'Missing: cab',
      ['cab: carla: the requester of CHG-0042'],
    ],
    [
      'rejects an approval by the requester the base record names, when the PR changes it',
      {
        changes: [aChange({ requester: 'olivia', base: aChange({ requester: 'carla' }) })],
        reviews: [approve('carla')],
      },
      'pending',
      'Missing: cab',
      ['cab: carla: the requester of CHG-0042 in the base'],
    ],
    [
      'rejects an approval by a commit author',
      {
        commits: [{ sha: head, author: 'dan', committer: 'web-flow' }],
        reviews: [approve('dan')],
      },
      'pending',
      'Missing: cab',
      ['cab: dan: a commit author of this PR'],
    ],
    [
      'rejects an approval by a committer',
      {
        commits: [{ sha: head, author: 'alice', committer: 'carla' }],
        reviews: [approve('carla')],
      },
      'pending',
      'Missing: cab',
      ['cab: carla: a committer of this PR'],
    ],
    [
      'rejects an approval on an older commit',
      { reviews: [approve('bob', { commit_id: older })] },
      'pending',
      'Missing: cab',
      ['cab: bob: approved an older commit 1a2b3c4'],
    ],
    [
      'rejects an approval of a commit a force-push removed from the PR',
      { reviews: [approve('bob', { commit_id: gone })] },
      'pending',
      'Missing: cab',
      ['cab: bob: approved dead000, which is no longer in this pull request (force-pushed away)'],
    ],
    [
      'rejects an approval of no known commit',
      { reviews: [approve('bob', { commit_id: null })] },
      'pending',
      'Missing: cab',
      ['cab: bob: approved an unknown commit'],
    ],
    [
      'keeps an approval of an older commit whose content is unchanged, with keepApprovalsOnUnrelatedPushes',
      {
        policy: keep,
        reviews: [approve('bob', { commit_id: older })],
        pullRequest: { digests: { [head]: digest('h1'), [older]: digest('h1') } },
      },
      'success',
      'Approved: cab (bob)',
    ],
    [
      'says which part a push changed when it invalidates a kept approval',
      {
        policy: keep,
        reviews: [approve('bob', { commit_id: older })],
        pullRequest: { digests: { [head]: digest('h2'), [older]: digest('h1') } },
      },
      'pending',
      'Missing: cab',
      ['cab: bob: invalidated by push of c0ffee0: CHG-0042 changed'],
    ],
    [
      'invalidates a kept approval when a part was added or removed since',
      {
        policy: keep,
        reviews: [approve('bob', { commit_id: older })],
        pullRequest: {
          digests: {
            [head]: { 'CHG-0042': 'h1', 'code of payments-api': 'x' },
            [older]: { 'CHG-0042': 'h1', cmdb: 'c1' },
          },
        },
      },
      'pending',
      'Missing: cab',
      ['cab: bob: invalidated by push of c0ffee0: code of payments-api added, cmdb removed'],
    ],
    [
      'treats a reviewed commit without a digest as changed',
      {
        policy: keep,
        reviews: [approve('bob', { commit_id: older })],
        pullRequest: { digests: { [head]: digest('h1') } },
      },
      'pending',
      'Missing: cab',
      ['cab: bob: approved an older commit 1a2b3c4, whose content digest is unknown'],
    ],
    [
      'treats a head without a digest as changed',
      {
        policy: keep,
        reviews: [approve('bob', { commit_id: older })],
        pullRequest: { digests: { [older]: digest('h1') } },
      },
      'pending',
      'Missing: cab',
      ["cab: bob: approved an older commit 1a2b3c4, and the head's content digest is unknown"],
    ],
    [
      'never keeps an approval of a force-pushed commit, even with an equal digest',
      {
        policy: keep,
        reviews: [approve('bob', { commit_id: gone })],
        pullRequest: { digests: { [head]: digest('h1'), [gone]: digest('h1') } },
      },
      'pending',
      'Missing: cab',
      ['cab: bob: approved dead000, which is no longer in this pull request (force-pushed away)'],
    ],
    [
      "rejects a bot's approval",
      { reviews: [approve('dependabot[bot]')] },
      'pending',
      'Missing: cab',
      ['none: dependabot[bot]: bots never count'],
    ],
    [
      "rejects an App's approval even when its account is listed as a team member",
      {
        reviews: [approve('ci-helper', { type: 'Bot' })],
        teams: { ...acmeTeams, '@acme/cab': { active: ['ci-helper'], pending: [] } },
      },
      'pending',
      'Missing: cab',
      ['none: ci-helper: bots never count'],
    ],
    [
      'rejects an approval by a login ending in [bot] whatever its type says',
      {
        reviews: [approve('sneaky[bot]', { type: 'User' })],
        teams: { ...acmeTeams, '@acme/cab': { active: ['sneaky[bot]'], pending: [] } },
      },
      'pending',
      'Missing: cab',
      ['none: sneaky[bot]: bots never count'],
    ],
    [
      'rejects an approval by an account that is not a user',
      { reviews: [approve('bob', { type: 'Mannequin' })] },
      'pending',
      'Missing: cab',
      ['none: bob: not a user account (type Mannequin)'],
    ],
    [
      'rejects an approval by a deleted account (ghost)',
      { reviews: [review(null, 'APPROVED')] },
      'pending',
      'Missing: cab',
      ['none: ghost: a deleted account never counts'],
    ],
    [
      "rejects a non-member's approval",
      { reviews: [approve('frank')] },
      'pending',
      'Missing: cab',
      ['none: frank: not an approver of any requirement'],
    ],
    [
      "rejects a pending invitee's approval",
      { reviews: [approve('carol')] },
      'pending',
      'Missing: cab',
      ['cab: carol: not an active member of @acme/cab (invitation pending)'],
    ],
    [
      'counts a pending invitee of one team who is an active member of another team of the board',
      {
        reviews: [approve('carol')],
        teams: { ...acmeTeams, '@acme/change-managers': { active: ['carol'], pending: [] } },
      },
      'success',
      'Approved: cab (carol)',
    ],
    [
      'rejects a comment saying "approved"',
      { reviews: [review('bob', 'COMMENTED')] },
      'pending',
      'Missing: cab',
    ],
    [
      'stays blocked by CHANGES_REQUESTED after a later COMMENTED',
      { reviews: [review('bob', 'CHANGES_REQUESTED'), review('bob', 'COMMENTED')] },
      'failure',
      'Blocked: bob (cab) requested changes',
    ],
    [
      'clears CHANGES_REQUESTED with a later APPROVED by the same reviewer',
      { reviews: [review('bob', 'CHANGES_REQUESTED'), approve('bob')] },
      'success',
      'Approved: cab (bob)',
    ],
    [
      'clears CHANGES_REQUESTED that was dismissed, without approving',
      { reviews: [review('bob', 'DISMISSED')] },
      'pending',
      'Missing: cab',
    ],
    [
      'rejects a dismissed approval',
      { reviews: [review('bob', 'DISMISSED'), approve('carla', { commit_id: older })] },
      'pending',
      'Missing: cab',
      ['cab: carla: approved an older commit 1a2b3c4'],
    ],
    [
      'rejects an approval superseded by a later dismissal of the same reviewer',
      { reviews: [approve('bob'), review('bob', 'DISMISSED')] },
      'pending',
      'Missing: cab',
    ],
    [
      'keeps an approval after a later COMMENTED or PENDING review',
      { reviews: [approve('bob'), review('bob', 'COMMENTED'), review('bob', 'PENDING')] },
      'success',
      'Approved: cab (bob)',
    ],
    [
      'blocks when an approver later requests changes',
      { reviews: [approve('bob'), review('bob', 'CHANGES_REQUESTED')] },
      'failure',
      'Blocked: bob (cab) requested changes',
    ],
    [
      'blocks on CHANGES_REQUESTED of an older commit (pushes do not clear it)',
      { reviews: [review('bob', 'CHANGES_REQUESTED', { commit_id: older }), approve('carla')] },
      'failure',
      'Blocked: bob (cab) requested changes',
    ],
    [
      'blocks on CHANGES_REQUESTED by an approver who may not approve this PR (a commit author)',
      {
        commits: [{ sha: head, author: 'dan', committer: 'dan' }],
        reviews: [review('dan', 'CHANGES_REQUESTED'), approve('bob')],
      },
      'failure',
      'Blocked: dan (cab) requested changes',
    ],
    [
      'does not block on CHANGES_REQUESTED by someone who could satisfy no requirement',
      { reviews: [review('frank', 'CHANGES_REQUESTED'), approve('bob')] },
      'success',
      'Approved: cab (bob)',
    ],
    [
      "does not block on a bot's CHANGES_REQUESTED",
      { reviews: [review('lint[bot]', 'CHANGES_REQUESTED'), approve('bob')] },
      'success',
      'Approved: cab (bob)',
    ],
    [
      'orders reviews submitted in the same second by id',
      {
        reviews: [
          approve('bob', { id: 2, submitted_at: '2026-11-02T10:00:00Z' }),
          review('bob', 'CHANGES_REQUESTED', { id: 1, submitted_at: '2026-11-02T10:00:00Z' }),
        ],
      },
      'success',
      'Approved: cab (bob)',
    ],
    [
      'orders reviews by submitted_at, not by the order they are listed in',
      {
        reviews: [
          review('bob', 'CHANGES_REQUESTED', { id: 1, submitted_at: '2026-11-02T11:00:00Z' }),
          approve('bob', { id: 2, submitted_at: '2026-11-02T10:00:00Z' }),
        ],
      },
      'failure',
      'Blocked: bob (cab) requested changes',
    ],
    [
      'compares logins case-insensitively: a reviewer, a team list and a team name in other cases',
      {
        reviews: [approve('BOB')],
        teams: { ...acmeTeams, '@ACME/Cab': { active: ['Bob'], pending: [] } },
      },
      'success',
      'Approved: cab (BOB)',
    ],
    [
      'compares the author case-insensitively',
      { pullRequest: { author: 'ALICE' }, reviews: [approve('alice')] },
      'pending',
      'Missing: cab',
      ['cab: alice: the PR author'],
    ],
    [
      'counts one person once, whatever the case of their reviews',
      {
        changes: [aChange({ risk: 'medium', cis: ['reporting'], impacted: [reporting] })],
        reviews: [approve('bob'), approve('Bob')],
      },
      'pending',
      '1 of 2 approvals from cab',
    ],
  ])('%s', (_name, input, state, description, notCounted = []) => {
    const result = evaluateApprovals(facts(input));
    expect(seen(result)).toEqual({ state, description, notCounted });
  });
});

describe('team membership', () => {
  it.each<[string, ApprovalFacts['teams'], string]>([
    [
      'fails closed when the members of a required team cannot be read (403)',
      { ...acmeTeams, '@acme/cab': { error: 'HTTP 403: Resource not accessible by integration' } },
      'Error: cannot read the members of @acme/cab: give the gate a GitHub App identity, or a token with members:read (HTTP 403: Resource not…',
    ],
    [
      'fails closed when the members of a required team were not read at all',
      Object.fromEntries(
        Object.entries(acmeTeams).filter(([team]) => team !== '@acme/change-managers'),
      ),
      'Error: the members of @acme/change-managers were not read; give the gate a GitHub App identity, or a token with members:read',
    ],
  ])('%s', (_name, teams, description) => {
    // bob alone would satisfy the rule, but a member of the unreadable team might have objected.
    const result = evaluateApprovals(facts({ teams, reviews: [approve('bob')] }));
    expect(result.commitState).toBe('error');
    expect(result.outcome).toBe('error');
    expect(result.sentence).toBe(description);
  });

  it('does not call an approver of an unreadable team a non-approver', () => {
    const teams = { ...acmeTeams, '@acme/cab': { error: 'HTTP 403' } };
    const result = evaluateApprovals(facts({ teams, reviews: [approve('bob')] }));
    expect(seen(result).notCounted).toEqual([
      'none: bob: not known to be an approver (the members of @acme/cab could not be read)',
    ]);
  });

  it('ignores an unreadable team that no requirement needs', () => {
    const teams = { ...acmeTeams, '@acme/ecab': { error: 'HTTP 403' } };
    expect(evaluateApprovals(facts({ teams, reviews: [approve('bob')] })).sentence).toBe(
      'Approved: cab (bob)',
    );
  });

  it('needs no team lookup for a user principal', () => {
    const policy = policyOf({
      boards: { cab: { members: ['@Bob'] } },
      approvals: [{ name: 'bob-approves', from: { board: 'cab' } }],
    });
    expect(
      evaluateApprovals(facts({ policy, teams: {}, reviews: [approve('bob')] })).sentence,
    ).toBe('Approved: cab (bob)');
  });
});

describe('a review list that cannot be trusted fails closed', () => {
  const approved = approve('bob');
  it.each<[string, ReviewFacts[], string, ApprovalFacts['pullRequest']['commitsTruncated']?]>([
    [
      'a state GitHub does not report',
      [approved, review('carla', 'APPROVED_BY_ADMIN')],
      'Error: the review list cannot be trusted: review',
    ],
    [
      'a submitted review without a submission time',
      [approved, approve('carla', { submitted_at: null })],
      'Error: the review list cannot be trusted: review',
    ],
    [
      'one review id listed twice with different contents',
      [approved, { ...approved, state: 'DISMISSED' }],
      'Error: the review list cannot be trusted: review',
    ],
    [
      'commits GitHub did not list (more than 250)',
      [approved],
      'Error: the commit list is incomplete: GitHub lists at most 250 commits',
      true,
    ],
  ])('%s', (_name, reviews, start, commitsTruncated) => {
    const result = evaluateApprovals(
      facts({ reviews, pullRequest: commitsTruncated ? { commitsTruncated } : {} }),
    );
    expect(result.commitState).toBe('error');
    expect(result.sentence.startsWith(start)).toBe(true);
  });

  it('accepts the same review listed twice (pages read while a review was added)', () => {
    const approved = approve('bob');
    expect(evaluateApprovals(facts({ reviews: [approved, { ...approved }] })).sentence).toBe(
      'Approved: cab (bob)',
    );
  });
});
