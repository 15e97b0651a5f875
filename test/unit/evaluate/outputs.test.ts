import { describe, expect, it } from 'vitest';
import type { ChangeSummary, CheckOutcome } from '../../../src/evaluate/check.js';
import { checkOutputs } from '../../../src/evaluate/outputs.js';
import type { Level } from '../../../src/records/level.js';
import { stubImpact } from '../../fixtures/estate.js';

const change = (id: string, ids: string[], riskLevel?: Level): ChangeSummary => ({
  id,
  title: id,
  type: 'normal',
  status: 'proposed',
  file: `changes/${id}.yaml`,
  ...(riskLevel ? { riskLevel } : {}),
  impact: stubImpact(ids, 'low'),
  cis: ids,
  findings: [],
});

const outcome = (
  changes: ChangeSummary[],
  overrides: Partial<CheckOutcome> = {},
): CheckOutcome => ({
  ok: true,
  policyUsable: true,
  policyFrom: 'working tree',
  findings: [],
  counts: { errors: 0, warnings: 2, notices: 1 },
  changes,
  releases: [],
  otherFindings: [],
  changedFiles: 0,
  files: 0,
  records: 0,
  ...overrides,
});

describe('checkOutputs (the action outputs)', () => {
  it('lists the changes, and every CI they impact once, ascending', () => {
    const outputs = checkOutputs(
      outcome([change('CHG-2', ['web', 'db'], 'low'), change('CHG-1', ['db', 'api'], 'medium')]),
    );
    expect(outputs).toMatchObject({
      valid: true,
      errors: 0,
      warnings: 2,
      notices: 1,
      changes: ['CHG-2', 'CHG-1'],
      impacted: ['api', 'db', 'web'],
      risk: 'medium',
      touchedFiles: ['changes/CHG-2.yaml', 'changes/CHG-1.yaml'],
    });
  });

  it('gives the highest risk among the changes, and none when no risk is assessed', () => {
    expect(
      checkOutputs(outcome([change('A', [], 'low'), change('B', [], 'high'), change('C', [])]))
        .risk,
    ).toBe('high');
    expect(checkOutputs(outcome([change('A', [])])).risk).toBeUndefined();
  });

  it('is not valid when the outcome is not', () => {
    expect(checkOutputs(outcome([], { ok: false })).valid).toBe(false);
  });

  it('puts the release files among the files annotated first', () => {
    const outputs = checkOutputs(
      outcome([], {
        releases: [
          {
            id: 'REL-1',
            title: 'r',
            version: '1',
            status: 'planned',
            file: 'changes/REL-1.yaml',
            changes: [],
            findings: [],
          },
        ],
      }),
    );
    expect(outputs.touchedFiles).toEqual(['changes/REL-1.yaml']);
  });
});
