import { describe, expect, it } from 'vitest';
import type { History } from '../../../src/report/facts.js';
import { computeKpis } from '../../../src/report/kpi.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import { change, historyOf, type CommitSpec } from './history-builder.js';
import { expectRatioBelow } from '../../fixtures/timing.js';

/** N changes, each proposed, approved and implemented in its own three commits. */
function lifecycles(n: number): History {
  const specs: CommitSpec[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++)
    for (const [step, status] of ['proposed', 'approved', 'implemented'].entries())
      specs.push({
        date: new Date(start + (i * 3 + step) * 60_000).toISOString(),
        files: { [`changes/CHG-${i}.yaml`]: change(`CHG-${i}`, { status }) },
      });
  return historyOf(specs);
}

/** N changes in one file, the file rewritten `commits` times with one change moving each time. */
function oneBigFile(n: number, commits: number): History {
  const specs: CommitSpec[] = [];
  for (let c = 0; c < commits; c++) {
    const docs = Array.from({ length: n }, (_, i) =>
      change(`CHG-${i}`, { status: i < c ? 'approved' : 'proposed' }),
    );
    specs.push({
      date: new Date(Date.UTC(2026, 0, 1) + c * 60_000).toISOString(),
      files: { 'changes/all.yaml': docs.join('---\n') },
    });
  }
  return historyOf(specs);
}

describe('the report core at scale', () => {
  it('grows linearly with the history: four times the commits take about four times as long', () => {
    const small = lifecycles(500);
    const large = lifecycles(2000);
    const run = (history: History) => () => computeKpis(buildTimelines(history));
    // Linear work gives about 4; quadratic work would give about 16.
    expectRatioBelow('report of 2000 vs 500 lifecycles', run(large), run(small), 8);
    const report = computeKpis(buildTimelines(large));
    expect(report.changes.total).toBe(2000);
    expect(report.leadTimeHours.approvedToImplemented).toEqual({
      median: 0.02,
      p90: 0.02,
      count: 2000,
    });
  });

  it('reads a file of many records rewritten many times in time linear in the text read', () => {
    const small = oneBigFile(100, 20);
    const large = oneBigFile(400, 20);
    expectRatioBelow(
      'timelines of 400 vs 100 records in one file',
      () => buildTimelines(large),
      () => buildTimelines(small),
      8,
    );
    const timelines = buildTimelines(large);
    expect(timelines.changes.size).toBe(400);
    // CHG-0 to CHG-18 were approved one commit at a time: two versions each, the rest one.
    expect(timelines.changes.get('CHG-5')!.versions).toHaveLength(2);
    expect(timelines.changes.get('CHG-300')!.versions).toHaveLength(1);
  });
});
