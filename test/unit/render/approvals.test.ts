import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/approvals/evaluate.js';
import type { CiFacts } from '../../../src/approvals/facts.js';
import {
  approvalChecklist,
  approvalsJson,
  approvalsLine,
  approvalsText,
} from '../../../src/render/approvals.js';
import { ZERO_WIDTH_SPACE as z } from '../../../src/render/markdown.js';
import {
  aChange,
  acmeTeams,
  approve,
  facts,
  head,
  policyOf,
  review,
} from '../approvals/build-facts.js';

const halfApproved = () =>
  evaluateApprovals(
    facts({
      changes: [aChange({ risk: 'high' })],
      reviews: [approve('bob'), approve('alice'), approve('dependabot[bot]')],
    }),
  );

describe('the approval checklist in the PR comment', () => {
  it('lists every requirement with who approved, what is missing and what was not counted', () => {
    expect(approvalChecklist(halfApproved())).toBe(
      [
        '⏳ **1 of 2 approvals from cab; missing: owner of pg-payments**',
        '',
        `- ⏳ **cab-elevated-risk** (cab): 1 of 2 approvals from cab: bob; missing 1 from @${z}acme/cab or @${z}acme/change-managers (for CHG-0042)`,
        '  - not counted: alice: the PR author',
        `- ⏳ **critical-ci-owners** (owner of pg-payments): 0 of 1 approval from the owner of pg-payments; missing 1 from @${z}acme/dba (for CHG-0042)`,
        '- 🚫 not counted: dependabot&#91;bot&#93;: bots never count',
        '',
        'Why these approvals:',
        '',
        '- ⏳ CHG-0042 (normal, risk high); needs cab-elevated-risk, critical-ci-owners',
        '',
        '- ➖ _cab-low-risk: does not apply: it is for normal changes at risk low, and this pull request has CHG-0042 (normal, risk high)_',
        '- ➖ _ecab: does not apply: it is for emergency changes, and this pull request has CHG-0042 (normal, risk high)_',
        '',
      ].join('\n'),
    );
  });

  it.each<[string, Parameters<typeof facts>[0], string]>([
    ['approved', { reviews: [approve('bob')] }, '✅ **Approved: cab (bob)**'],
    [
      'blocked',
      { reviews: [review('bob', 'CHANGES_REQUESTED')] },
      '⛔ **Blocked: bob (cab) requested changes**',
    ],
    [
      'error',
      { teams: { ...acmeTeams, '@acme/cab': { error: 'HTTP 403' } } },
      `❌ **Error: cannot read the members of @${z}acme/cab: give the gate a GitHub App identity, or a token with members:read (HTTP 403)**`,
    ],
    [
      'nothing needed',
      { changes: [aChange({ type: 'standard', withinTemplate: true })] },
      '➖ **No approval needed: CHG-0042 is a standard change within its template**',
    ],
  ])('starts with the verdict when %s', (_name, input, first) => {
    expect(approvalChecklist(evaluateApprovals(facts(input))).split('\n')[0]).toBe(first);
  });

  it('says plainly that the gate is advisory without an App identity', () => {
    const markdown = approvalChecklist(evaluateApprovals(facts({ appIdentity: false })));
    expect(markdown).toContain('ℹ️ **Advisory**: the gate runs without a GitHub App identity');
    expect(markdown.split('\n')[0]).toBe('⏳ **Advisory: Missing: cab**');
  });

  it('makes hostile record text inert: no mention, link, heading, HTML or marker', () => {
    const hostile: CiFacts = {
      id: '# [pwn](https://evil.example) <img src=x> @octocat <!-- changeops:report -->',
      owner: '@evil/team`|<b>',
      criticality: 1,
      environments: [],
    };
    const result = evaluateApprovals(
      facts({
        changes: [
          aChange({ id: '@everyone #1', risk: 'high', cis: [hostile.id], impacted: [hostile] }),
        ],
        reviews: [approve('bob')],
        teams: {
          ...acmeTeams,
          [hostile.owner]: { error: '<script>alert(1)</script> @admins see https://evil.example' },
        },
      }),
    );
    const markdown = approvalChecklist(result);
    expect(markdown).not.toMatch(/@[A-Za-z]/);
    expect(markdown).not.toMatch(/\]\(/);
    expect(markdown).not.toMatch(/https:\/\//);
    expect(markdown).not.toMatch(/<[a-z!/]/i);
    expect(markdown).not.toMatch(/^\s*#/m);
    expect(markdown).not.toMatch(/(^|[^&])#\d/m);
    expect(markdown).toContain('&#35; &#91;pwn&#93;');
  });

  it('shows at most 50 requirements and says how many more there are', () => {
    const impacted: CiFacts[] = Array.from({ length: 120 }, (_, i) => ({
      id: `ci-${i}`,
      owner: `@u${i}`,
      criticality: 1,
      environments: [],
    }));
    const policy = policyOf({ approvals: [{ name: 'owners', from: { ciOwners: 'impacted' } }] });
    const markdown = approvalChecklist(
      evaluateApprovals(facts({ policy, changes: [aChange({ impacted })] })),
    );
    expect(markdown.split('\n').filter((l) => l.startsWith('- ⏳ **owners**'))).toHaveLength(50);
    expect(markdown).toContain(
      '- … and 70 more requirements (see the job summary or `changeops gate --json`)',
    );
  });
});

describe('the terminal forms', () => {
  it('prints one line for the status', () => {
    expect(approvalsLine(halfApproved())).toBe(
      'changeops/cab (pending): 1 of 2 approvals from cab; missing: owner of pg-payments',
    );
  });

  it('prints the tree: who must still approve, and why', () => {
    expect(approvalsText(halfApproved())).toBe(
      [
        'changeops/cab (pending): 1 of 2 approvals from cab; missing: owner of pg-payments',
        '  pending  cab-elevated-risk (cab): 1 of 2 approvals from cab: bob; missing 1 from @acme/cab or @acme/change-managers (for CHG-0042)',
        '      not counted: alice: the PR author',
        '  pending  critical-ci-owners (owner of pg-payments): 0 of 1 approval from the owner of pg-payments; missing 1 from @acme/dba (for CHG-0042)',
        '  pending  CHG-0042 (normal, risk high); needs cab-elevated-risk, critical-ci-owners',
        '  skipped  cab-low-risk: does not apply: it is for normal changes at risk low, and this pull request has CHG-0042 (normal, risk high)',
        '  skipped  ecab: does not apply: it is for emergency changes, and this pull request has CHG-0042 (normal, risk high)',
        '  skipped  not counted: dependabot[bot]: bots never count',
        '',
      ].join('\n'),
    );
  });

  it('cannot be made to forge lines or colours by a record', () => {
    const sneaky: CiFacts = {
      id: 'db\n  approved  everything\u001b[32m',
      owner: '@acme/dba',
      criticality: 1,
      environments: [],
    };
    const text = approvalsText(
      evaluateApprovals(
        facts({ changes: [aChange({ risk: 'high', cis: [sneaky.id], impacted: [sneaky] })] }),
      ),
    );
    expect(text).not.toContain('\u001b');
    expect(text.split('\n').filter((l) => l.trimStart().startsWith('approved'))).toEqual([]);
    expect(text).toContain('\\u001b[32m');
  });
});

describe('the JSON form', () => {
  it('carries the status the gate posts and the whole tree', () => {
    const json = JSON.parse(JSON.stringify(approvalsJson(halfApproved())));
    expect(json).toMatchObject({
      approval: 'pending',
      status: {
        context: 'changeops/cab',
        sha: head,
        state: 'pending',
        description: '1 of 2 approvals from cab; missing: owner of pg-payments',
      },
      advisory: false,
      tree: { kind: 'gate', status: 'pending' },
    });
    expect(json.tree.children[0]).toMatchObject({
      kind: 'requirement',
      rule: 'cab-elevated-risk',
      label: 'cab',
      count: 2,
      missing: 1,
      approvedBy: [{ login: 'bob' }],
      ignored: [{ login: 'alice', reason: 'the PR author' }],
    });
  });
});
