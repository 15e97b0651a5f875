import type { ChangeType } from '../records/policy.js';
import type { Rule } from './rule.js';
import { changeTypeListSchema, isTypeList, parameter } from './rule-parameters.js';
import { aChangeOfType, changeType, isPending } from './status.js';

// Standard changes too: a template caps the risk (maxRisk), and only an assessed risk can be
// held against that cap; leaving risk out must not pass where an honest high impact fails.
const defaultTypes: ChangeType[] = ['standard', 'normal', 'emergency'];

/** A proposed or approved change of the listed types carries an assessed risk. */
export const riskAssessedRule: Rule = {
  id: 'risk-assessed',
  description:
    'A proposed or approved change has an assessed risk (risk: {likelihood, impact}, each low, ' +
    "medium or high), because the level the policy's risk matrix gives it decides the approvals " +
    "it needs and, for a standard change, whether it stays within its template's maxRisk. " +
    'Drafts and finished changes are not checked.',
  defaultSeverity: 'error',
  parameters: {
    types: {
      description: 'The change types that must carry an assessed risk.',
      default: defaultTypes,
      schema: changeTypeListSchema,
    },
  },
  check(context, report, parameters) {
    const types = new Set(
      parameter(
        context,
        report,
        {
          rule: riskAssessedRule.id,
          name: 'types',
          value: parameters.types,
          fallback: defaultTypes,
        },
        isTypeList,
        'a list of change types (standard, normal, emergency)',
      ),
    );
    for (const record of context.changes) {
      const type = changeType(record.data);
      // A risk of the wrong shape is there, and the schema already says what is wrong with it.
      if (!type || !types.has(type) || !isPending(record.data) || record.data.risk !== undefined)
        continue;
      report(
        record,
        ['risk'],
        `risk is missing: ${aChangeOfType(type)} needs an assessed risk, such as risk: {likelihood: medium, impact: high} (each low, medium or high); ${type === 'standard' ? "its level must be within the template's maxRisk, or the change is a normal one" : 'its level decides the approvals the change needs'}`,
      );
    }
  },
};
