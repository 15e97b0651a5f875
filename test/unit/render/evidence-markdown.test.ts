import { describe, expect, it } from 'vitest';
import { buildEvidence } from '../../../src/report/evidence.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import { renderEvidenceMarkdown } from '../../../src/render/evidence-markdown.js';
import { change, historyOf } from '../report/history-builder.js';

const z = '\u200B';

function pack(fields: Record<string, unknown> = {}, approver = 'alice') {
  const timeline = buildTimelines(
    historyOf([
      {
        date: '2026-03-01T09:00:00Z',
        subject: 'Propose (#40)',
        files: { 'changes/CHG-0042.yaml': change('CHG-0042', fields) },
      },
      {
        date: '2026-03-02T15:00:00Z',
        subject: 'Merge pull request #41 from acme/x',
        login: 'carol',
        files: { 'changes/CHG-0042.yaml': change('CHG-0042', { ...fields, status: 'approved' }) },
      },
    ]),
  ).changes.get('CHG-0042')!;
  return buildEvidence({
    timeline,
    branch: 'main',
    impact: {
      commit: '0002ffffffffffffffffffffffffffffffffffff',
      cis: [
        { id: 'pg-payments', name: 'Payments DB', depth: 0, via: ['pg-payments'], criticality: 1 },
      ],
    },
    approvals: {
      source: 'github',
      approvers: [{ login: approver, at: '2026-03-02T14:00:00Z', satisfies: 'cab' }],
    },
    notes: ['the clone is shallow: history before 0001ffffffff is not in it'],
  });
}

/** The lines outside fenced code blocks: where markdown would be interpreted. */
function outsideFences(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const open = /^(`{3,})/.exec(line)?.[1];
    if (fence) {
      if (line === fence) fence = undefined;
    } else if (open) {
      fence = open;
    } else {
      lines.push(line);
    }
  }
  expect(fence, 'every fence is closed').toBeUndefined();
  return lines;
}

describe('renderEvidenceMarkdown', () => {
  it('lays out the sections an auditor reads, in order', () => {
    const markdown = renderEvidenceMarkdown(
      pack({ checks: [{ name: 'smoke', run: 'npm run smoke' }] }),
    );
    const headings = markdown.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual([
      '# Evidence: `CHG-0042` Change CHG-0042',
      '## Status history',
      '## Impact at approval',
      '## Approvals',
      '## Post-implementation checks',
      '## Problems',
      '## The record at each status',
      '## Notes',
      '## Checking this pack',
    ]);
    expect(markdown).toContain('| `pg-payments` | Payments DB | 0 | `pg-payments` | 1 | — |');
    expect(markdown).toContain('Computed from the CMDB at `0002ffffffff`.');
    expect(markdown).toContain('| smoke | `npm run smoke` | not recorded | — | — |');
    expect(markdown).toContain('<details><summary>approved on 2026-03-02T15:00:00Z,');
  });

  it('shows each record as YAML in a fence that record text cannot close', () => {
    const markdown = renderEvidenceMarkdown(
      pack({ reason: 'ends the block early?\n````\n# Injected heading\n````' }),
    );
    expect(markdown).toContain('`````yaml\n');
    expect(outsideFences(markdown).some((line) => line.includes('Injected'))).toBe(false);
  });

  it('makes titles, logins and check names inert, and shows hidden characters in records', () => {
    const markdown = renderEvidenceMarkdown(
      pack(
        {
          title: '<img src=x> [link](https://evil.example) @acme/cab',
          requester: '@mallory',
          checks: [{ name: '**bold** | cell', run: 'echo `id`' }],
          reason: 'looks fine \u202Eevil',
        },
        '@octocat',
      ),
    );
    const prose = outsideFences(markdown).join('\n');
    expect(prose).not.toMatch(/<img|\]\(https:\/\/evil|@acme|@mallory|@octocat|\*\*bold/);
    expect(prose).toContain(`@${z}octocat`);
    expect(markdown).toContain('\\u202eevil');
    expect(markdown).not.toContain('\u202E');
  });
});
