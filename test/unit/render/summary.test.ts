import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/records/finding.js';
import { renderComment } from '../../../src/render/comment.js';
import type { ChangeView, ReportView } from '../../../src/render/report-view.js';
import { renderSummary, summaryLimit, utf8Length } from '../../../src/render/summary.js';
import { impactFrom } from '../../fixtures/estate.js';

const sha = 'b'.repeat(40);

const aFinding = (j: number, message = `finding number ${j}`): Finding => ({
  file: 'changes/CHG-1.yaml',
  line: j + 1,
  column: 1,
  severity: 'warning',
  rule: 'lead-time',
  message,
});

const aChange = (i: number, findings: number, message?: string): ChangeView => ({
  id: `CHG-${i}`,
  title: `Change ${i}`,
  type: 'normal',
  status: 'proposed',
  file: 'changes/CHG-1.yaml',
  findings: Array.from({ length: findings }, (_, j) => aFinding(j, message)),
  impact: impactFrom([
    { id: 'db', name: 'DB', criticality: 1, depth: 0, via: ['db'], relation: 'direct' },
    { id: 'api', name: 'API', criticality: 2, depth: 1, via: ['db', 'api'], relation: 'dependsOn' },
  ]),
});

const aView = (changes: ChangeView[]): ReportView => ({
  repository: 'acme/shop',
  headSha: sha,
  base: 'main',
  counts: { errors: 0, warnings: 1, notices: 0 },
  changes,
  releases: [],
  otherFindings: [],
  runUrl: 'https://github.com/acme/shop/actions/runs/7',
});

describe('renderSummary', () => {
  it('is the comment without the marker and the link to itself', () => {
    const view = aView([aChange(1, 2)]);
    const comment = renderComment(view).split('\n');
    const summary = renderSummary(view).split('\n');
    expect(summary[0]).toBe('## Change report');
    expect(summary.join('\n')).not.toContain('<!--');
    expect(summary.join('\n')).not.toContain('job summary');
    // Same sections, line for line, between the marker and the footer.
    expect(summary).toEqual(comment.slice(1, -4));
  });

  it('shows every finding, graph and CI table, however many', () => {
    const body = renderSummary(aView([aChange(1, 300)]));
    expect(body.match(/^- ⚠️ /gm)).toHaveLength(300);
    expect(body).toContain('finding number 299');
    expect(body).toContain('```mermaid');
    expect(body).toContain('<details>');
    expect(body).not.toContain('more finding');
    expect(body).not.toContain('Shortened');
  });

  it('stays under 1 MiB with 5,000 changes and says what it left out', () => {
    const view = aView(Array.from({ length: 5000 }, (_, i) => aChange(i, 10, 'é'.repeat(500))));
    const body = renderSummary(view);
    expect(utf8Length(body)).toBeLessThanOrEqual(summaryLimit - 16 * 1024);
    expect(Buffer.byteLength(body)).toBe(utf8Length(body));
    expect(body.trimEnd().split('\n').at(-1)).toMatch(
      /^⚠️ \*\*Shortened\*\* to fit the job summary size limit: [\d,]+ of 5,000 changes not shown\. Run `changeops check` for the full report\.$/,
    );
    // The findings of every change it shows are all there.
    expect(body).not.toContain('more finding');
  });

  it('drops CI tables first, then graphs, under a smaller cap', () => {
    const view = aView([aChange(1, 3), aChange(2, 3)]);
    const full = renderSummary(view);
    const noTables = renderSummary(view, { maxBytes: utf8Length(full) - 1 });
    expect(noTables).not.toContain('<details>');
    expect(noTables).toContain('```mermaid');
    const noGraphs = renderSummary(view, { maxBytes: utf8Length(noTables) - 1 });
    expect(noGraphs).not.toContain('```mermaid');
    expect(noGraphs).toContain('**Impacted CIs** (2)\n');
    expect(noGraphs.match(/^- ⚠️ /gm)).toHaveLength(6);
  });
});

describe('utf8Length', () => {
  it('agrees with the bytes Node writes, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 50 }),
        fc.string({ unit: 'grapheme', maxLength: 50 }),
        (a, b) => {
          expect(utf8Length(a)).toBe(Buffer.byteLength(a));
          expect(utf8Length(b + '\uD800')).toBe(Buffer.byteLength(b + '\uD800'));
        },
      ),
    );
  });
});
