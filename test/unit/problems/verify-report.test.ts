import { describe, expect, it } from 'vitest';
import { assessOutcome } from '../../../src/problems/outcome.js';
import {
  overallOutcome,
  renderVerifySummary,
  verifyFailureMessage,
  verifyLogLines,
  type VerifiedChange,
  type VerifyReport,
} from '../../../src/problems/verify-report.js';
import { ZERO_WIDTH_SPACE as z } from '../../../src/render/markdown.js';
import { named } from './results.js';

const run = { id: 123, url: 'https://github.com/acme/shop/actions/runs/123' };

function verified(
  checks: ReturnType<typeof named>[],
  extra: Partial<VerifiedChange> = {},
  id = 'CHG-0042',
): VerifiedChange {
  return {
    changeId: id,
    title: 'Upgrade the payments database',
    assessment: assessOutcome({ changeId: id, checks }),
    notRun: [],
    links: [],
    ...extra,
  };
}

function report(changes: VerifiedChange[], extra: Partial<VerifyReport> = {}): VerifyReport {
  return {
    outcome: overallOutcome(changes.map((c) => c.assessment)),
    commit: 'a'.repeat(40),
    run,
    changes,
    skipped: [],
    notes: [],
    ...extra,
  };
}

describe('overallOutcome', () => {
  it.each([
    [['success', 'success'], 'success'],
    [['success', 'cancelled'], 'cancelled'],
    [['cancelled', 'failure'], 'failure'],
    [[], 'success'],
  ] as const)('%j is %s', (outcomes, expected) => {
    expect(overallOutcome(outcomes.map((outcome) => ({ outcome })))).toBe(expected);
  });
});

describe('renderVerifySummary', () => {
  it('shows each check with its result, duration and output, and what became of the change', () => {
    const summary = renderVerifySummary(
      report([
        verified(
          [
            named('payments-health', { exitCode: 3, output: 'payments: 503\n', durationMs: 4200 }),
            named('db-ping', { output: 'pong\n', durationMs: 80 }),
          ],
          {
            problemIssue: { action: 'created', number: 124 },
            pullRequest: 7,
            note: { action: 'created', number: 7 },
            revert: { action: 'skipped', reason: 'no merged pull request was found for CHG-0042' },
            links: ['CHG-0042 remediates #12'],
          },
        ),
      ]),
    );
    expect(summary).toContain('## changeops verify: ❌ failure');
    expect(summary).toContain('| `payments-health` | exited with code 3 | 4.2 s |');
    expect(summary).toContain('| `db-ping` | passed | 80 ms |');
    expect(summary).toContain('- Problem issue: #124 (opened)');
    expect(summary).toContain('- Revert: no merged pull request was found for CHG-0042');
    expect(summary).toContain(`- CHG-0042 remediates &#35;${z}12`);
    expect(summary).toContain(
      '<details><summary>Output of `payments-health` (14 bytes)</summary>\n\n```text\npayments: 503\n```',
    );
  });

  it('keeps record text and check output inert', () => {
    const hostile = verified(
      [named('x', { exitCode: 1, output: '```\n# Pwned\n</details>\n@octocat see #1\n```' })],
      { title: '# Heading @octocat <img src=x>' },
    );
    const summary = renderVerifySummary(report([hostile]));
    expect(summary).not.toContain('@octocat <img');
    expect(summary).toContain('````text\n```\n# Pwned\n</details>\n@octocat see #1\n```\n````');
    expect(summary).not.toMatch(/^# Heading/m);
  });

  it('stays under 1 MiB for 60 checks that each printed 64 KiB, still showing each last line', () => {
    const output = `${'x'.repeat(120)}\n`.repeat(540) + 'THE LAST LINE';
    const changes = Array.from({ length: 6 }, (_, i) =>
      verified(
        Array.from({ length: 10 }, (_, k) =>
          named(`check-${k}`, { exitCode: 1, output, truncated: true, outputBytes: 10_000_000 }),
        ),
        {},
        `CHG-00${10 + i}`,
      ),
    );
    const summary = renderVerifySummary(report(changes));
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
    expect(summary.split('THE LAST LINE\n```').length - 1).toBe(50);
    expect(summary).toContain('The output of 10 more checks is not shown: the summary shows 50.');
  });

  it('lists the changes the push touched but that were not verified', () => {
    const summary = renderVerifySummary(
      report([], {
        skipped: [
          {
            id: 'CHG-0001',
            reason: 'CHG-0001 is proposed, not approved: the push did not deploy it',
          },
        ],
      }),
    );
    expect(summary).toContain('No change was verified.');
    expect(summary).toContain('**Not verified**\n\n- CHG-0001 is proposed, not approved');
  });
});

describe('verifyLogLines', () => {
  it('names checks by slug and prints no output, so nothing a record says reaches the log', () => {
    const lines = verifyLogLines(
      report(
        [
          verified([
            named('::set-output name=outcome::success\n##[add-mask]x', {
              exitCode: 1,
              output: '::error::pwned',
            }),
          ]),
        ],
        { skipped: [{ id: '::warning::CHG-1', reason: 'x' }] },
      ),
    );
    expect(lines).toEqual([
      'CHG-0042: failure',
      '  set-output-name-outcome-success-add-mask-x: exited with code 1 (1.2 s)',
      'not verified: a record whose id is not a change id',
    ]);
  });
});

describe('verifyFailureMessage', () => {
  it('says which checks failed and where the problem is tracked', () => {
    const message = verifyFailureMessage(
      report([
        verified([named('Payments Health!', { exitCode: 3 })], {
          problemIssue: { action: 'created', number: 124 },
        }),
      ]),
    );
    expect(message).toBe(
      'CHG-0042 failed after implementation (payments-health exited with code 3); problem issue #124.',
    );
  });

  it('is undefined when every change passed', () => {
    expect(verifyFailureMessage(report([verified([named('ok')])]))).toBeUndefined();
  });
});
