import { auditTrailRule } from './audit-trail.js';
import { cmdbChangeRule } from './cmdb-change.js';
import { collisionRule } from './collision.js';
import { freezeRule } from './freeze.js';
import { impactUnderstatedRule } from './impact-understated.js';
import { leadTimeRule } from './lead-time.js';
import { maintenanceWindowRule } from './maintenance-window.js';
import { policyChangeRule } from './policy-change.js';
import { releaseConsistencyRule } from './release-consistency.js';
import { requiredContentRule } from './required-content.js';
import { riskAssessedRule } from './risk-assessed.js';
import { rogueChangeRule } from './rogue-change.js';
import type { Rule } from './rule.js';
import { scheduleOrderRule } from './schedule-order.js';
import { schedulePastRule } from './schedule-past.js';
import { standardTemplateRule } from './standard-template.js';
import { statusTransitionRule } from './status-transition.js';

/**
 * Every evaluation rule, in the order they run and the README lists them. A policy turns a rule
 * off or changes its severity and parameters under `rules:` by the rule's id.
 */
export const rules: readonly Rule[] = [
  requiredContentRule,
  riskAssessedRule,
  impactUnderstatedRule,
  standardTemplateRule,
  leadTimeRule,
  scheduleOrderRule,
  schedulePastRule,
  maintenanceWindowRule,
  freezeRule,
  collisionRule,
  statusTransitionRule,
  auditTrailRule,
  releaseConsistencyRule,
  rogueChangeRule,
  cmdbChangeRule,
  policyChangeRule,
];

/** The rule with this id, if there is one. */
export function ruleById(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
