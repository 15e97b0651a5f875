import { higherLevel, type Level } from '../records/level.js';
import type { CheckOutcome } from './check.js';

/** What a check reports to a workflow: the action's outputs, worked out once from the outcome. */
export interface CheckOutputs {
  /** No error-level finding, and the policy could be used. */
  valid: boolean;
  errors: number;
  warnings: number;
  notices: number;
  /** The ids of the changes evaluated. */
  changes: string[];
  /** The ids of every CI those changes impact, ascending, without repeats. */
  impacted: string[];
  /** The highest risk level among the changes; undefined when none is assessed. */
  risk?: Level;
  /** The record files under evaluation: findings on them are annotated first. */
  touchedFiles: string[];
}

/** The outputs of a check. */
export function checkOutputs(outcome: CheckOutcome): CheckOutputs {
  const impacted = new Set<string>();
  let risk: Level | undefined;
  for (const change of outcome.changes) {
    for (const id of change.impact.ids) impacted.add(id);
    risk = higherLevel(risk, change.riskLevel);
  }
  return {
    valid: outcome.ok,
    ...outcome.counts,
    changes: outcome.changes.map((change) => change.id),
    impacted: [...impacted].sort(),
    ...(risk ? { risk } : {}),
    touchedFiles: [
      ...new Set([
        ...outcome.changes.map((change) => change.file),
        ...outcome.releases.map((release) => release.file),
      ]),
    ],
  };
}
