import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/impact/graph.js';
import { traceImpact } from '../../../src/impact/impact.js';
import { renderFitted } from '../../../src/render/fit.js';
import type { ReportView } from '../../../src/render/report-view.js';
import { ci } from '../../fixtures/estate.js';

describe('the CI table of a change', () => {
  it('lists the nearest 100 CIs of a 20,000-CI chain, routes shortened, and says how many more', () => {
    const n = 20_000;
    const chain = Array.from({ length: n }, (_, i) =>
      ci(`ci-${i}`, i === 0 ? {} : { dependsOn: [`ci-${i - 1}`] }),
    );
    const impact = traceImpact(buildGraph(chain), ['ci-0'], { paths: false });
    const view: ReportView = {
      counts: { errors: 0, warnings: 0, notices: 0 },
      changes: [
        {
          id: 'CHG-1',
          title: 'Long',
          type: 'normal',
          status: 'proposed',
          file: 'c.yaml',
          findings: [],
          impact,
        },
      ],
      releases: [],
      otherFindings: [],
    };
    const body = renderFitted(view, {
      kind: 'summary',
      budget: Infinity,
      measure: (text) => text.length,
      levels: [{ ciTables: true, graphs: false, findings: Infinity }],
    });
    const rows = body.split('\n').filter((line) => line.startsWith('| ci-'));
    expect(rows).toHaveLength(100);
    expect(rows[0]).toBe('| ci-0 `ci-0` | 3 | — | 0 | named |');
    expect(rows[6]).toBe(
      '| ci-6 `ci-6` | 3 | — | 6 | `ci-0` → `ci-1` → `ci-2` → `ci-3` → `ci-4` → `ci-5` |',
    );
    expect(rows[7]).toBe(
      '| ci-7 `ci-7` | 3 | — | 7 | `ci-0` → `ci-1` → … → `ci-4` → `ci-5` → `ci-6` |',
    );
    expect(rows.at(-1)).toBe(
      '| ci-99 `ci-99` | 3 | — | 99 | `ci-0` → `ci-1` → … → `ci-96` → `ci-97` → `ci-98` |',
    );
    expect(body).toContain(
      '… and 19,900 more CIs, further away: `changeops impact` lists them all.',
    );
  });
});
