import { describe, expect, it } from 'vitest';
import { computeKpis, type KpiReport } from '../../../src/report/kpi.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import { renderKpiMarkdown } from '../../../src/render/kpi-markdown.js';
import { renderKpiText } from '../../../src/render/kpi-text.js';
import { change, historyOf } from '../report/history-builder.js';

// Two weeks of a small estate: CHG-1 implemented, CHG-2 failed, CHG-3 an emergency implemented.
const timelines = buildTimelines(
  historyOf([
    { date: '2026-03-02T10:00:00Z', files: { 'changes/1.yaml': change('CHG-1') } },
    {
      date: '2026-03-03T10:00:00Z',
      files: { 'changes/1.yaml': change('CHG-1', { status: 'approved' }) },
    },
    {
      date: '2026-03-04T10:00:00Z',
      files: { 'changes/1.yaml': change('CHG-1', { status: 'implemented' }) },
    },
    {
      date: '2026-03-09T10:00:00Z',
      files: { 'changes/2.yaml': change('CHG-2', { status: 'approved' }) },
    },
    {
      date: '2026-03-10T10:00:00Z',
      files: { 'changes/2.yaml': change('CHG-2', { status: 'failed' }) },
    },
    {
      date: '2026-03-11T10:00:00Z',
      files: { 'changes/3.yaml': change('CHG-3', { type: 'emergency', status: 'implemented' }) },
    },
  ]),
);
const window = {
  since: Date.parse('2026-03-02T00:00:00Z'),
  until: Date.parse('2026-03-16T00:00:00Z'),
};
const report = computeKpis(timelines, window, {
  problemIssues: [{ change: 'CHG-2', issue: '#9' }],
});

describe('renderKpiText', () => {
  it('prints a line per measure for a terminal', () => {
    expect(renderKpiText(report)).toBe(
      [
        'Changes from 2026-03-02T00:00:00Z to 2026-03-16T00:00:00Z, as recorded on main (6 commits that touched records):',
        '  changes                             3 (standard 0, normal 2, emergency 1)',
        '  outcomes                            implemented 2, failed 1',
        '  change success rate                 66.7% (2 implemented of 3 implemented, failed or backed out)',
        '  emergency changes                   33.3% (1 of 3)',
        '  lead time, proposed to approved     median 24 h, p90 24 h (1 change)',
        '  lead time, approved to implemented  median 24 h, p90 24 h (1 change)',
        '  changes that led to problems        1 (33.3% of those finished): CHG-2 (#9)',
        '  changes that remediate a problem    none',
        '  releases                            none',
        '  collisions                          none',
        '  freeze exceptions                   none',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing was finished, rather than printing a rate of nothing', () => {
    const empty = computeKpis(timelines, { since: 0, until: 1 });
    const text = renderKpiText(empty);
    expect(text).toContain(
      'change success rate                 no change was implemented, failed or backed out',
    );
    expect(text).toContain('emergency changes                   no changes');
    // A lead time needs both of its ends in the window: none is a measurement, not "no changes".
    expect(text).toContain('lead time, proposed to approved     none measured');
    expect(text).not.toMatch(/NaN|null/);
  });

  it('adds the history notes and the skipped versions', () => {
    const noted: KpiReport = {
      ...report,
      history: { ...report.history, skippedVersions: 2, notes: ['the clone is shallow: ...'] },
    };
    expect(renderKpiText(noted).split('\n').slice(-3)).toEqual([
      'note: the clone is shallow: ...',
      'note: 2 record versions could not be read and were skipped',
      '',
    ]);
  });
});

describe('renderKpiMarkdown', () => {
  const markdown = renderKpiMarkdown(report);

  it('shows the measures in a table', () => {
    expect(markdown).toContain(
      '| change success rate | 66.7% (2 implemented of 3 implemented, failed or backed out) |',
    );
    expect(markdown).toContain(
      '| changes that led to problems | 1 (33.3% of those finished): `CHG-2` (`#9`) |',
    );
  });

  it('draws a pie of outcomes and a bar chart of changes per week that GitHub renders', () => {
    expect(markdown).toContain(
      [
        '```mermaid',
        'pie showData',
        '  title Outcomes of 3 changes',
        '  "implemented" : 2',
        '  "failed" : 1',
        '```',
      ].join('\n'),
    );
    expect(markdown).toContain(
      [
        '```mermaid',
        'xychart-beta',
        '  title "Changes per week"',
        '  x-axis ["03-02", "03-09"]',
        '  y-axis "changes" 0 --> 2',
        '  bar [1, 2]',
        '```',
      ].join('\n'),
    );
  });

  it('draws only the latest weeks, and says so', () => {
    const long: KpiReport = {
      ...report,
      perWeek: Array.from({ length: 40 }, (_, i) => ({
        week: `2026-01-${String(i).padStart(2, '0')}`,
        changes: i,
      })),
    };
    const chart = renderKpiMarkdown(long, { chartWeeks: 4 });
    expect(chart).toContain('  title "Changes per week, the last 4"');
    expect(chart).toContain('  bar [36, 37, 38, 39]');
  });

  it('makes ids from records inert in the table', () => {
    const hostile: KpiReport = {
      ...report,
      freezeExceptions: { count: 1, changes: ['CHG-1 | <b>@acme/cab</b>'] },
    };
    const row = renderKpiMarkdown(hostile)
      .split('\n')
      .find((line) => line.startsWith('| freeze exceptions'))!;
    expect(row).toBe('| freeze exceptions | 1: `CHG-1 \\| <b>@acme/cab</b>` |');
  });

  it('leaves the charts out when there is nothing to draw', () => {
    const empty = renderKpiMarkdown(computeKpis(timelines, { since: 0, until: 1 }));
    expect(empty).not.toContain('```mermaid');
    expect(empty).toContain('| changes | 0 (standard 0, normal 0, emergency 0) |');
  });
});
