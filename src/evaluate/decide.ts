import type { ReleaseReadiness } from '../report/readiness.js';
import { rules } from '../rules/registry.js';
import { evaluateCheck, type CheckOutcome } from './check.js';
import { judgedBy } from './judged-by.js';
import type { CheckFacts } from './facts.js';
import { checkOutputs, type CheckOutputs } from './outputs.js';
import { releasesReadiness } from './release.js';
import type { CheckReport } from './report.js';

/**
 * Everything a check decides: the outcome, the workflow outputs (worked out when first asked
 * for) and, for a workflow run, the report (renderCheckReport of the same outcome and readiness,
 * which the use case renders: its templates are loaded only by a run that shows them).
 */
export interface CheckDecision {
  outcome: CheckOutcome;
  /** The workflow outputs, worked out on the first call: the action asks, the CLI never does. */
  outputs(): CheckOutputs;
  report?: CheckReport;
  /** Each evaluated release's readiness, by id, when the base branch's history was read. */
  readiness?: ReadonlyMap<string, ReleaseReadiness>;
}

/**
 * The one call a check use case makes into the core once its facts are gathered: evaluates the
 * branch and works out the outputs; a workflow run's report (job summary and sticky comment) is
 * renderCheckReport of this outcome and readiness, so every face shows the same numbers.
 */
export function decideCheck(facts: CheckFacts): CheckDecision {
  const history = facts.branchHistory;
  // Readiness is judged like the check: the policy in force and the CMDB the rules use.
  const judged = history ? judgedBy(facts, rules) : undefined;
  const outcome = evaluateCheck(facts, judged ? { judged } : {});
  const readiness =
    history && judged
      ? releasesReadiness(
          { ...judged, sources: facts.workspace.sources },
          history,
          outcome.releases,
          facts.now,
        )
      : undefined;
  let outputs: CheckOutputs | undefined;
  return {
    outcome,
    // A 10k check's union and sort of every impacted id: 10-15 ms, 35 ms at 100k.
    outputs: () => (outputs ??= checkOutputs(outcome)),
    ...(readiness ? { readiness } : {}),
  };
}
