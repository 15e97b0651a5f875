import type { Rule } from './rule.js';
import { isLevel, levelRank, levels } from '../records/level.js';
import { isPending } from './status.js';
import { elidePath } from '../impact/impact.js';

/** The assessed impact is not lower than the impact the CMDB gives the change. */
export const impactUnderstatedRule: Rule = {
  id: 'impact-understated',
  description:
    'The assessed risk.impact of a proposed or approved change is not lower than the impact ' +
    'computed from the CMDB: the most critical CI the change touches or reaches through ' +
    "dependsOn and partOf, mapped to a level by the policy's impactByCriticality. The message " +
    'names that CI and the path to it.',
  defaultSeverity: 'error',
  check(context, report) {
    for (const record of context.changes) {
      const change = record.data;
      const assessed = (change.risk as { impact?: unknown } | undefined)?.impact;
      // No risk, or a malformed one: risk-assessed or the schema speak about it.
      if (!isPending(change) || !isLevel(assessed)) continue;
      const impact = context.changeImpact(change);
      if (levelRank(assessed) >= levelRank(impact.level)) continue;
      const allowed = levels.slice(levelRank(impact.level)).join(' or ');
      report(
        record,
        ['risk', 'impact'],
        `risk.impact is ${assessed}, but ${reach(impact.mostCritical)}the CMDB puts its impact at ${impact.level}, so assess it as ${allowed}`,
      );
    }
  },
};

/**
 * "the change reaches payments-api (criticality 1) through pg-payments -> payments-api; ", the
 * path shortened to its first and last hop when it is long (a 20,000-CI chain is one line).
 */
function reach(
  ci: { id: string; criticality: number; via: readonly string[] } | undefined,
): string {
  if (!ci) return '';
  const chain = ci.via[ci.via.length - 1] === ci.id ? [...ci.via] : [...ci.via, ci.id];
  const named = `${ci.id} (criticality ${ci.criticality})`;
  return chain.length <= 1
    ? `the change touches ${named} directly; `
    : `the change reaches ${named} through ${elidePath(chain).join(' -> ')}; `;
}
