import * as YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  judgedAlone,
  maxReasonsShown,
  readinessView,
  releaseConflicts,
} from '../../../src/evaluate/release.js';
import { scheduleConflicts } from '../../../src/evaluate/report-kpis.js';
import { loadPolicy, loadRecords, type LoadResult } from '../../../src/records/load.js';
import { SourceIndex } from '../../../src/records/locate.js';
import { renderSummary } from '../../../src/render/summary.js';
import type { ReleaseReadiness } from '../../../src/report/readiness.js';
import { aChange, aCi } from '../../fixtures/estate.js';

/** Loads a policy and records through the real loader. */
function workspace(
  policy: Record<string, unknown>,
  changes: Array<Record<string, unknown>>,
  cis = [aCi('pg'), aCi('api', { dependsOn: ['pg'] })],
): LoadResult {
  const sources = new SourceIndex();
  const loaded = loadPolicy(
    {
      path: 'changeops.yaml',
      text: YAML.stringify({ apiVersion: 'changeops/v1', kind: 'Policy', id: 'test', ...policy }),
    },
    sources,
  );
  const texts = [
    ...cis.map((ci) => ({ path: `cmdb/${String(ci.id)}.yaml`, text: YAML.stringify(ci) })),
    ...changes.map((c) => ({ path: `changes/${String(c.id)}.yaml`, text: YAML.stringify(c) })),
  ];
  return { ...loadRecords(loaded, texts, { sources }), policyUsable: loaded.usable };
}

const at = (start: string, end: string) => ({ schedule: { start, end } });
const slot = at('2026-05-01T22:00:00Z', '2026-05-01T23:00:00Z');
const overlapping = at('2026-05-01T22:30:00Z', '2026-05-01T23:30:00Z');
const freeze = {
  freezes: [
    {
      name: 'May freeze',
      start: '2026-05-01T00:00:00Z',
      end: '2026-05-03T00:00:00Z',
      allow: ['emergency'],
    },
  ],
};

describe('the collisions and freeze exceptions the report counts', () => {
  it('pairs changes that went ahead in overlapping windows on impacted CIs, whatever their status', () => {
    const found = scheduleConflicts(
      workspace({}, [
        aChange({ id: 'CHG-1', status: 'implemented', cis: ['pg'], ...slot }),
        aChange({ id: 'CHG-2', status: 'failed', cis: ['api'], ...overlapping }),
        aChange({ id: 'CHG-3', status: 'rejected', cis: ['pg'], ...slot }),
        aChange({ id: 'CHG-4', status: 'cancelled', cis: ['pg'], ...slot }),
        aChange({ id: 'CHG-5', status: 'draft', cis: ['pg'], ...slot }),
      ]).estate,
    );
    expect(found.collisions).toEqual([{ changes: ['CHG-1', 'CHG-2'] }]);
  });

  it('follows the collision rule’s scope: with direct, only named CIs are shared', () => {
    const found = scheduleConflicts(
      workspace({ rules: { collision: { severity: 'error', scope: 'direct' } } }, [
        aChange({ id: 'CHG-1', status: 'implemented', cis: ['pg'], ...slot }),
        aChange({ id: 'CHG-2', status: 'implemented', cis: ['api'], ...overlapping }),
      ]).estate,
    );
    expect(found.collisions).toEqual([]);
  });

  it('counts a change in a freeze as an exception whether the freeze lets its type through or not', () => {
    const found = scheduleConflicts(
      workspace(freeze, [
        aChange({ id: 'CHG-1', type: 'emergency', status: 'implemented', cis: ['pg'], ...slot }),
        aChange({
          id: 'CHG-2',
          status: 'approved',
          cis: ['api'],
          ...at('2026-05-02T10:00:00Z', '2026-05-02T11:00:00Z'),
        }),
        aChange({
          id: 'CHG-3',
          status: 'approved',
          cis: ['api'],
          ...at('2026-05-04T10:00:00Z', '2026-05-04T11:00:00Z'),
        }),
      ]).estate,
    );
    expect(found.freezeExceptions).toEqual([
      { change: 'CHG-1', freeze: 'May freeze' },
      { change: 'CHG-2', freeze: 'May freeze' },
    ]);
  });
});

describe('the conflicts that keep a release from being ready', () => {
  it('are the collision and freeze rules’ findings on the release’s changes', () => {
    const conflicts = releaseConflicts(
      judgedAlone(
        workspace(freeze, [
          aChange({ id: 'CHG-1', status: 'approved', cis: ['pg'], ...slot }),
          aChange({ id: 'CHG-2', status: 'approved', cis: ['pg'], ...overlapping }),
        ]),
      ),
      ['CHG-1'],
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(conflicts.map((c) => [c.change, c.rule])).toEqual([
      ['CHG-1', 'collision'],
      ['CHG-1', 'freeze'],
    ]);
    expect(conflicts[1]!.message).toMatch(/^the schedule \(.*\) overlaps the freeze "May freeze"/);
  });

  it('are not asked of a rule the policy turns off', () => {
    const conflicts = releaseConflicts(
      judgedAlone(
        workspace({ ...freeze, rules: { collision: 'off', freeze: 'off' } }, [
          aChange({ id: 'CHG-1', status: 'approved', cis: ['pg'], ...slot }),
          aChange({ id: 'CHG-2', status: 'approved', cis: ['pg'], ...overlapping }),
        ]),
      ),
      ['CHG-1'],
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(conflicts).toEqual([]);
  });
});

describe('a release’s readiness in the check’s report', () => {
  const readiness = (reasons: number): ReleaseReadiness => ({
    release: 'REL-1',
    branch: 'main',
    ready: reasons === 0,
    summary: reasons === 0 ? 'REL-1 is ready' : `REL-1 is not ready (${reasons} reasons)`,
    reasons: Array.from({ length: reasons }, (_, i) => ({
      code: 'not-approved' as const,
      change: `CHG-${i}`,
      message: `CHG-${i} is still proposed; it must be approved before REL-1 is ready`,
    })),
    changes: [],
  });

  it('lists the first reasons and says how many more, in the job summary', () => {
    const view = readinessView(readiness(maxReasonsShown + 3));
    expect(view.reasons).toHaveLength(maxReasonsShown);
    expect(view.more).toBe(3);
    const summary = renderSummary({
      counts: { errors: 0, warnings: 0, notices: 0 },
      changes: [],
      releases: [
        {
          id: 'REL-1',
          title: 'One',
          version: '1',
          status: 'planned',
          file: 'changes/REL-1.yaml',
          findings: [],
          readiness: view,
        },
      ],
      otherFindings: [],
    });
    expect(summary).toContain('⛔ **Readiness:** REL-1 is not ready (23 reasons)');
    expect(summary).toContain(
      '- CHG-19 is still proposed; it must be approved before REL-1 is ready',
    );
    expect(summary).not.toContain('CHG-20 is still proposed');
    expect(summary).toContain('- and 3 more reasons');
  });

  it('makes record text in a reason inert', () => {
    const hostile = readiness(1);
    hostile.reasons[0]!.message = 'CHG-0 @everyone [click](https://evil.example) ## heading';
    const summary = renderSummary({
      counts: { errors: 0, warnings: 0, notices: 0 },
      changes: [],
      releases: [
        {
          id: 'REL-1',
          title: 'One',
          version: '1',
          status: 'planned',
          file: 'changes/REL-1.yaml',
          findings: [],
          readiness: readinessView(hostile),
        },
      ],
      otherFindings: [],
    });
    expect(summary).not.toContain('@everyone');
    expect(summary).not.toContain('[click](https://evil.example)');
  });
});
