import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/records/finding.js';
import {
  commentLimit,
  renderComment,
  reportMarker,
  stickyHeadroom,
} from '../../../src/render/comment.js';
import { githubLength } from '../../../src/render/fit.js';
import type { ChangeView, ReportView } from '../../../src/render/report-view.js';
import { impactFrom, type ImpactedSketch } from '../../fixtures/estate.js';

const sha = 'a'.repeat(40);
const runUrl = 'https://github.com/acme/shop/actions/runs/42';

const aFinding = (i: number, message: string): Finding => ({
  file: `changes/CHG-${i}.yaml`,
  line: i + 1,
  column: 1,
  severity: i % 3 === 0 ? 'error' : 'warning',
  rule: 'lead-time',
  message,
});

const chain = (n: number): ImpactedSketch[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `ci-${i}`,
    name: `CI number ${i}`,
    criticality: (i % 4) + 1,
    environment: 'production',
    depth: i,
    via: Array.from({ length: i + 1 }, (_v, k) => `ci-${k}`),
    relation: i === 0 ? 'direct' : 'dependsOn',
  }));

const aChange = (i: number, findings: number, message: string, cis = 12): ChangeView => ({
  id: `CHG-${String(i).padStart(4, '0')}`,
  title: `Change ${i}: ${message.slice(0, 150)}`,
  type: 'normal',
  status: 'proposed',
  file: `changes/CHG-${i}.yaml`,
  findings: Array.from({ length: findings }, (_, j) => aFinding(j, message)),
  impact: impactFrom(chain(cis)),
});

const aView = (changes: ChangeView[]): ReportView => ({
  repository: 'acme/shop',
  headSha: sha,
  base: 'main',
  counts: { errors: 1, warnings: 0, notices: 0 },
  changes,
  releases: [],
  otherFindings: [],
  runUrl,
});

/** The body is whole: fences, details and tables all closed, the last line the note. */
function expectWhole(body: string): void {
  const lines = body.split('\n');
  expect(lines.filter((line) => line.startsWith('```')).length % 2).toBe(0);
  expect(body.split('<details>').length).toBe(body.split('</details>').length);
  expect(body.split(reportMarker)).toHaveLength(2);
  expect(body.endsWith('\n')).toBe(true);
}

describe('githubLength', () => {
  it('counts UTF-16 units, and a newline twice in case it is stored as CRLF', () => {
    expect(githubLength('abc')).toBe(3);
    expect(githubLength('a\nb\n')).toBe(6);
    expect(githubLength('😀')).toBe(2);
    expect(githubLength('✅')).toBe(1);
  });
});

describe('a comment that would be too long', () => {
  const longMessage = 'The schedule overlaps CHG-0001 on payments-api @acme/cab | <b> '.repeat(30);
  const huge = aView(Array.from({ length: 5000 }, (_, i) => aChange(i, 8, longMessage, 30)));

  it('stays under 65,536 characters with 5,000 changes and points to the job summary', () => {
    const body = renderComment(huge);
    expect(githubLength(body)).toBeLessThanOrEqual(commentLimit - stickyHeadroom);
    expect(body.length).toBeLessThan(commentLimit);
    expectWhole(body);
    const last = body.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(
      /^⚠️ \*\*Shortened\*\* to fit GitHub's comment size limit: 4,9\d\d of 5,000 changes not shown\./,
    );
    expect(last).toContain(
      `The full report is in the [job summary](${runUrl}) of this workflow run.`,
    );
    // What is left is the least detailed form: no table, no graph, at most 5 findings a change.
    expect(body).not.toContain('<details>');
    expect(body).not.toContain('```mermaid');
    expect(body).toContain('- … and 3 more findings, listed in the job summary');
    expect(body).toContain('**Impacted CIs** (30): listed in the job summary');
  });

  it('counts astral characters as GitHub could: a body of emoji stays under the limit too', () => {
    const emoji = '😀'.repeat(900);
    const body = renderComment(aView(Array.from({ length: 500 }, (_, i) => aChange(i, 3, emoji))));
    expect(githubLength(body)).toBeLessThanOrEqual(commentLimit - stickyHeadroom);
    expectWhole(body);
  });

  it('drops detail in order: CI tables, then graphs, then findings beyond 5, then changes', () => {
    const message = 'Back-out plan is missing for this change. '.repeat(3);
    const view = aView([aChange(1, 9, message, 20), aChange(2, 9, message, 20)]);
    const limitFor = (body: string) => githubLength(body) + stickyHeadroom;

    const full = renderComment(view, { maxLength: 1_000_000 });
    expect(full).toContain('<details>');
    expect(full).toContain('```mermaid');
    expect(full).not.toContain('Shortened');

    const noTables = renderComment(view, { maxLength: limitFor(full) - 1 });
    expect(noTables).not.toContain('<details>');
    expect(noTables).toContain('```mermaid');
    expect(noTables).not.toContain('more findings');

    const noGraphs = renderComment(view, { maxLength: limitFor(noTables) - 1 });
    expect(noGraphs).not.toContain('```mermaid');
    expect(noGraphs).toContain('**Impacted CIs** (20): listed in the job summary');
    expect(noGraphs).not.toContain('more findings');

    const fewFindings = renderComment(view, { maxLength: limitFor(noGraphs) - 1 });
    expect(fewFindings.match(/- … and 4 more findings, listed in the job summary/g)).toHaveLength(
      2,
    );
    expect(fewFindings).toContain('`CHG-0002`');

    const oneChange = renderComment(view, { maxLength: limitFor(fewFindings) - 1 });
    expect(oneChange).toContain('`CHG-0001`');
    expect(oneChange).not.toContain('`CHG-0002`');
    expect(oneChange).toContain('1 of 2 changes not shown');

    for (const body of [noTables, noGraphs, fewFindings, oneChange]) {
      expectWhole(body);
      expect(body.trimEnd().split('\n').at(-1)).toMatch(/^⚠️ \*\*Shortened\*\*.*\[job summary\]/);
    }
  });

  it('keeps the errors of a change among the findings it still shows', () => {
    const findings: Finding[] = [
      ...Array.from({ length: 8 }, (_, j) => ({
        ...aFinding(j, 'minor'),
        severity: 'notice' as const,
      })),
      { ...aFinding(99, 'the back-out plan is missing'), severity: 'error' },
    ];
    const view = aView([{ ...aChange(1, 0, ''), findings }]);
    const full = renderComment(view, { maxLength: 1_000_000 });
    // Room for everything but the graph and table: the level that caps findings is reached.
    const body = renderComment(view, { maxLength: githubLength(full) - 2000 });
    expect(body).toContain('the back-out plan is missing');
  });

  it('without the room for even its outcome, says so instead of cutting a construct', () => {
    expect(() => renderComment(aView([]), { maxLength: 300 })).toThrow(RangeError);
  });

  it('with room for only the outcome, keeps the outcome and the note', () => {
    const view = {
      ...aView([aChange(1, 40, 'x'.repeat(900))]),
      otherFindings: Array.from({ length: 50 }, (_, j) => aFinding(j, 'y'.repeat(900))),
    };
    const body = renderComment(view, { maxLength: 1200 });
    expect(githubLength(body)).toBeLessThanOrEqual(1200 - stickyHeadroom);
    expect(body).toContain(
      '1 of 1 change not shown; releases, other findings and approvals not shown',
    );
    expectWhole(body);
  });
});
