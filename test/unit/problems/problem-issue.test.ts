import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZERO_WIDTH_SPACE as z } from '../../../src/render/markdown.js';
import type { NamedCheckResult } from '../../../src/problems/check-result.js';
import {
  alreadyReported,
  failureMarker,
  findProblemIssue,
  headerMarkers,
} from '../../../src/problems/markers.js';
import { assessOutcome, type DeployOutcome } from '../../../src/problems/outcome.js';
import {
  problemIssueTitle,
  renderFailureComment,
  renderProblemIssue,
  type ProblemCi,
  type ProblemIssueFacts,
} from '../../../src/problems/problem-issue.js';
import { bodyLength, cleanOutput, fenceFor } from '../../../src/problems/text.js';
import { named } from './results.js';

const run = { id: 123, url: 'https://github.com/acme/shop/actions/runs/123' };
const change = {
  id: 'CHG-0042',
  title: 'Upgrade the payments database to PostgreSQL 17',
  plan: { backout: 'Fail over to the PostgreSQL 16 replica.\nThen restore the DNS record.' },
};
const impacted: ProblemCi[] = [
  { id: 'pg-payments', name: 'Payments database', criticality: 1, depth: 0 },
  {
    id: 'online-shop',
    name: 'Online shop',
    criticality: 1,
    depth: 2,
    via: ['pg-payments', 'payments-api', 'online-shop'],
  },
];

function facts(
  checks: NamedCheckResult[],
  overrides: Partial<ProblemIssueFacts> = {},
  deploy: DeployOutcome = 'success',
): ProblemIssueFacts {
  return {
    change,
    assessment: assessOutcome({ changeId: 'CHG-0042', checks, deploy }),
    impacted,
    run,
    commit: '4f61623aa0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
    ...overrides,
  };
}

const failing = named('payments-health', {
  exitCode: 3,
  durationMs: 12_400,
  output: 'GET /health 502 Bad Gateway\npayments-health: FAILED\n',
});

/** The lines of a body inside code fences, and those outside. */
function split(body: string): { inside: string[]; outside: string[] } {
  const inside: string[] = [];
  const outside: string[] = [];
  let fence: string | undefined;
  for (const line of body.split('\n')) {
    const opening = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opening) fence = opening;
    else if (fence !== undefined && line === fence) fence = undefined;
    else (fence === undefined ? outside : inside).push(line);
  }
  return { inside, outside };
}

describe('problemIssueTitle', () => {
  it.each<[string, NamedCheckResult[], DeployOutcome, string]>([
    [
      'one failed check',
      [failing, named('db-ping')],
      'success',
      'Problem: CHG-0042 failed payments-health after implementation',
    ],
    [
      'two failed checks',
      [failing, named('db-ping', { exitCode: 1 })],
      'success',
      'Problem: CHG-0042 failed payments-health and 1 more check after implementation',
    ],
    [
      'three failed checks',
      [failing, named('db-ping', { exitCode: 1 }), named('queue', { exitCode: 1 })],
      'success',
      'Problem: CHG-0042 failed payments-health and 2 more checks after implementation',
    ],
    [
      'only the deploy failing',
      [named('db-ping')],
      'failure',
      'Problem: CHG-0042 failed its deploy step',
    ],
  ])('names the change and %s', (_name, checks, deploy, title) => {
    expect(problemIssueTitle(assessOutcome({ changeId: 'CHG-0042', checks, deploy }))).toBe(title);
  });

  it('writes a hostile check name as a plain slug', () => {
    const checks = [named('@acme/cab #12 [x](https://evil.example)', { exitCode: 1 })];
    expect(problemIssueTitle(assessOutcome({ changeId: 'CHG-0042', checks }))).toBe(
      'Problem: CHG-0042 failed acme-cab-12-x-https-evil-example after implementation',
    );
  });
});

describe('renderProblemIssue', () => {
  const issue = renderProblemIssue(facts([failing, named('db-ping')]));

  it('is labelled problem and found again by its marker and our bot', () => {
    expect(issue.labels).toEqual(['problem']);
    const listed = [
      { number: 9, state: 'open', body: issue.body, user: { login: 'github-actions[bot]' } },
    ];
    expect(
      findProblemIssue(listed, { changeId: 'CHG-0042', botLogin: 'github-actions[bot]' }).issue
        ?.number,
    ).toBe(9);
  });

  it('records its failure key, so a re-run of the same failure never comments', () => {
    expect(issue.failureKey).toBe('change=CHG-0042 run=123 checks=payments-health');
    expect(headerMarkers(issue.body)).toEqual([
      '<!-- changeops:problem change=CHG-0042 -->',
      failureMarker(issue.failureKey),
    ]);
    expect(
      alreadyReported(
        [{ body: issue.body, user: { login: 'github-actions[bot]' } }],
        issue.failureKey,
        'github-actions[bot]',
      ),
    ).toBe(true);
  });

  it('says what failed, where, and how to back it out', () => {
    const { body } = issue;
    expect(body).toContain(
      '`CHG-0042` Upgrade the payments database to PostgreSQL 17 failed after implementation.',
    );
    expect(body).toContain('| What failed | `payments-health` exited with code 3 |');
    expect(body).toContain('| Deploy step | succeeded |');
    expect(body).toContain('| Run | [run 123](https://github.com/acme/shop/actions/runs/123) |');
    expect(body).toContain('| Commit | `4f61623aa0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5` |');
    expect(body).toContain('| `payments-health` | exited with code 3 | 12 s |');
    expect(body).toContain('| `db-ping` | passed | 1.2 s |');
    expect(body).toContain(
      '- `pg-payments` Payments database (criticality 1, named by the change)',
    );
    expect(body).toContain(
      '- `online-shop` Online shop (criticality 1, via pg-payments → payments-api → online-shop)',
    );
    expect(body).toContain(
      '### Output of `payments-health`\n\n```text\nGET /health 502 Bad Gateway\npayments-health: FAILED\n```',
    );
    expect(body).toContain(
      '### Back-out plan\n\nFail over to the PostgreSQL 16 replica.\nThen restore the DNS record.',
    );
  });

  it('says when the deploy failed although the checks passed', () => {
    const { body, title } = renderProblemIssue(facts([named('db-ping')], {}, 'failure'));
    expect(title).toBe('Problem: CHG-0042 failed its deploy step');
    expect(body).toContain('| What failed | the deploy step failed |');
    expect(body).toContain('| Deploy step | failed |');
    expect(body).not.toContain('### Output of');
  });

  it('says when a change has no back-out plan or impacted CI', () => {
    const { body } = renderProblemIssue(
      facts([failing], { change: { id: 'CHG-0042', title: 'x y z' }, impacted: [] }),
    );
    expect(body).toContain('The change names no back-out plan (`plan.backout`).');
    expect(body).toContain('The CMDB at this commit lists no CI that the change impacts.');
  });

  it('links the revert pull request once there is one', () => {
    const { body } = renderProblemIssue(facts([failing], { revertPullRequest: 130 }));
    expect(body).toContain("| Revert | #130 reverts the change's merge commit |");
  });

  it('says a check printed nothing', () => {
    const { body } = renderProblemIssue(facts([named('db-ping', { exitCode: 1 })]));
    expect(body).toContain('### Output of `db-ping`\n\nIt printed nothing.');
  });

  it('refuses a change that did not fail', () => {
    expect(() => renderProblemIssue(facts([named('db-ping')]))).toThrow(/did not fail/);
  });
});

describe('renderProblemIssue with hostile record text and output', () => {
  const hostile =
    '@acme/cab #12 [click](https://evil.example) <!-- changeops:problem change=CHG-0042 --> **x**';
  const issue = renderProblemIssue(
    facts(
      [
        named('payments-health', {
          exitCode: 1,
          output: [
            'ok',
            '```',
            '# not a heading',
            '@octocat <!-- changeops:failure change=CHG-0042 run=999 -->',
            '`````` six backticks',
            '\u001b[31mred\u001b[0m text',
            'progress 10%\rprogress 50%\rprogress 100%',
            'bidi \u202egnp.exe\u202c',
            'end',
          ].join('\n'),
        }),
      ],
      {
        change: {
          id: 'CHG-0042',
          title: hostile,
          plan: { backout: `# Call @octocat\n- [here](https://evil.example)\n\n\n${hostile}` },
          problem: '#12',
        },
        impacted: [{ id: 'pg-payments', name: hostile, criticality: 1, depth: 0 }],
      },
    ),
  );
  const { inside, outside } = split(issue.body);

  it('notifies nobody, links nowhere, and starts no heading outside the code block', () => {
    const ours = new Set([
      '### Impacted configuration items',
      '### Output of `payments-health`',
      '### Back-out plan',
    ]);
    for (const line of outside) {
      expect(line).not.toMatch(/@(?!\u200B)/);
      expect(line.replace(/&#\d+;/g, '')).not.toMatch(/#(?=\d)/); // entities are not references
      if (!line.startsWith('| Run |')) expect(line).not.toMatch(/\]\(|https?:\/\//);
      if (line.startsWith('#')) expect(ours.has(line)).toBe(true);
    }
    expect(issue.body).toContain(`&#91;click&#93;(https:${z}//evil.example)`);
    expect(issue.body).toContain(`| Remediates | &#35;${z}12 |`);
  });

  it('holds no marker but its own header, not even inside the code block', () => {
    expect(issue.body.match(/<!-- changeops:/g)).toHaveLength(2);
  });

  it('fences the output with more backticks than any run inside it', () => {
    const fence = /^(`+)text$/m.exec(issue.body)![1]!;
    expect(fence).toBe('```````');
    expect(inside).toContain('```');
    expect(inside).toContain('`````` six backticks');
    expect(inside.at(-1)).toBe('end');
  });

  it('shows the output as a terminal would: no colour codes, redrawn lines as last drawn, no bidi tricks', () => {
    expect(inside).toContain('red text');
    expect(inside).toContain('progress 100%');
    expect(inside).not.toContain('progress 10%');
    expect(inside).toContain('bidi gnp.exe');
  });
});

describe('the problem issue stays under 65,536 characters', () => {
  const lines = (count: number, last: string) =>
    `${Array.from({ length: count }, (_, i) => `log line ${i} of the payments check: retrying`).join('\n')}\n${last}\n`;

  it('cuts megabytes of output to a tail that fits and still ends with its last line', () => {
    const output = lines(120_000, 'FATAL: payments-api did not answer'); // about 5.5 MB
    expect(output.length).toBeGreaterThan(5_000_000);
    const { body } = renderProblemIssue(
      facts([named('payments-health', { exitCode: 1, output, outputBytes: output.length })]),
    );
    expect(bodyLength(body)).toBeLessThanOrEqual(65_536);
    expect(bodyLength(body)).toBeGreaterThan(60_000);
    expect(body).toMatch(/Its last \d+ lines are shown; it printed 5\.\d MiB in all\./);
    expect(body).toContain('retrying\nFATAL: payments-api did not answer\n```\n');
    // The tail starts at a line, not in the middle of one.
    expect(body).toMatch(/```text\nlog line \d+ of the payments check: retrying\n/);
  });

  it('keeps the end of a last line that alone is longer than the body may be', () => {
    const output = `${'x'.repeat(3_000_000)}END OF THE ONLY LINE`;
    const { body } = renderProblemIssue(facts([named('payments-health', { exitCode: 1, output })]));
    expect(bodyLength(body)).toBeLessThanOrEqual(65_536);
    expect(body).toContain('xxxEND OF THE ONLY LINE\n```');
  });

  it('counts a newline as two characters, as GitHub may store it as CRLF', () => {
    const output = '\n'.repeat(10).concat('x\n'.repeat(200_000));
    const { body } = renderProblemIssue(facts([named('payments-health', { exitCode: 1, output })]));
    expect(body.replace(/\n/g, '\r\n').length).toBeLessThanOrEqual(65_536);
  });

  it('never cuts a surrogate pair in half', () => {
    const output = '😀'.repeat(100_000);
    const { body } = renderProblemIssue(facts([named('payments-health', { exitCode: 1, output })]));
    expect(bodyLength(body)).toBeLessThanOrEqual(65_536);
    expect(body).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
  });

  it('shares the room among several failed checks, each showing its last line', () => {
    const checks = ['alpha', 'beta', 'gamma'].map((name) =>
      named(name, { exitCode: 1, output: lines(50_000, `${name}: last line`) }),
    );
    checks.push(named('tiny', { exitCode: 1, output: 'tiny: last line' }));
    const { body } = renderProblemIssue(facts(checks));
    expect(bodyLength(body)).toBeLessThanOrEqual(65_536);
    for (const name of ['alpha', 'beta', 'gamma', 'tiny'])
      expect(body).toContain(`${name}: last line\n\`\`\``);
    const sizes = [...body.matchAll(/```text\n([\s\S]*?)\n```/g)].map((m) => m[1]!.length);
    expect(Math.min(...sizes.slice(0, 3))).toBeGreaterThan(15_000);
  });

  it('fits with every part at its largest: long title and plan, thousands of CIs, a hundred failed checks', () => {
    const checks = Array.from({ length: 100 }, (_, i) =>
      named(`check-${i}-${'n'.repeat(50)}`, {
        exitCode: 1,
        output: lines(20_000, `check ${i} done`),
      }),
    );
    const cis = Array.from({ length: 5000 }, (_, i) => ({
      id: `ci-${i}-${'c'.repeat(50)}`,
      name: 'N'.repeat(200),
      criticality: 1,
      depth: 3,
      via: Array.from({ length: 20 }, (_, j) => `via-${j}-${'v'.repeat(50)}`),
    }));
    const big = renderProblemIssue(
      facts(checks, {
        change: {
          id: 'CHG-0042',
          title: 'T'.repeat(200),
          plan: { backout: `${'b'.repeat(999)}\n`.repeat(20) },
          problem: '#123456789',
        },
        impacted: cis,
      }),
    );
    expect(bodyLength(big.body)).toBeLessThanOrEqual(65_536);
    expect(big.body).toContain('- and 4950 more');
    expect(big.body).toContain("The output of 95 more failed checks is in the run's log.");
    expect(big.body).toContain('check 0 done\n```');
  });

  it('fits any output into any limit, showing the end of what the check printed', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 4000 }), fc.string({ maxLength: 4000 })),
        fc.integer({ min: 2500, max: 6000 }),
        (output, maxLength) => {
          const { body } = renderProblemIssue(
            facts([named('payments-health', { exitCode: 1, output })], { maxLength }),
          );
          expect(bodyLength(body)).toBeLessThanOrEqual(maxLength);
          const cleaned = cleanOutput(output);
          if (cleaned === '') return;
          const { fence } = fenceFor(cleaned);
          const start = body.indexOf(`${fence}text\n`) + fence.length + 5;
          const end = body.indexOf(`\n${fence}\n`, start);
          const shown = body.slice(start, end);
          expect(shown.length).toBeGreaterThan(0);
          expect(cleaned.endsWith(shown)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fits a smaller limit when asked', () => {
    const output = lines(10_000, 'the end');
    const { body } = renderProblemIssue(
      facts([named('payments-health', { exitCode: 1, output })], { maxLength: 10_000 }),
    );
    expect(bodyLength(body)).toBeLessThanOrEqual(10_000);
    expect(body).toContain('the end\n```');
  });
});

describe('renderFailureComment', () => {
  const second = assessOutcome({
    changeId: 'CHG-0042',
    checks: [named('db-ping', { exitCode: 2, output: 'db-ping: timeout\n' })],
  });
  const comment = renderFailureComment({
    assessment: second,
    run: { id: 456, url: 'https://github.com/acme/shop/actions/runs/456' },
  });

  it('starts with its failure marker, so a re-run of this failure never comments twice', () => {
    expect(comment.body.split('\n', 1)[0]).toBe(failureMarker(comment.failureKey));
    expect(comment.failureKey).toBe('change=CHG-0042 run=456 checks=db-ping');
    expect(
      alreadyReported(
        [{ body: comment.body, user: { login: 'github-actions[bot]' } }],
        comment.failureKey,
        'github-actions[bot]',
      ),
    ).toBe(true);
  });

  it('says which run failed how, with the output', () => {
    expect(comment.body).toContain(
      '`CHG-0042` failed again in [run 456](https://github.com/acme/shop/actions/runs/456): `db-ping` exited with code 2.',
    );
    expect(comment.body).toContain('```text\ndb-ping: timeout\n```');
  });

  it('stays under the limit with megabytes of output', () => {
    const output = 'y\n'.repeat(2_000_000) + 'last';
    const big = renderFailureComment({
      assessment: assessOutcome({
        changeId: 'CHG-0042',
        checks: [named('db-ping', { exitCode: 2, output })],
      }),
      run,
    });
    expect(bodyLength(big.body)).toBeLessThanOrEqual(65_536);
    expect(big.body).toContain('y\nlast\n```');
  });
});
