import type { EffectivePolicy } from '../records/policy.js';
import type { Rule } from './rule.js';
import { levelRank } from '../records/level.js';
import { riskLevel } from './risk.js';
import { aChangeOfType, changeType, isPending } from './status.js';

type Template = EffectivePolicy['templates'][number];

/** A standard change follows a template of the policy, within the CIs and the risk it allows. */
export const standardTemplateRule: Rule = {
  id: 'standard-template',
  description:
    'A proposed or approved standard change names a pre-approved template of the policy in ' +
    'template; every CI it touches is one the template allows (listed in its cis, or of a class ' +
    'in its classes, at the base and in the branch; a template with neither allows any CI); and ' +
    'the risk level its risk gives ' +
    "in the risk matrix is at most the template's maxRisk. A normal or emergency change that " +
    'names a template is reported too, as it is most likely meant to be standard or the template ' +
    'is left over. A template id the policy does not know is reported by the reference check, ' +
    'not here.',
  defaultSeverity: 'error',
  check(context, report) {
    const policy = context.estate.policy;
    const templates = new Map(policy.templates.map((template) => [template.id, template]));
    for (const record of context.changes) {
      const change = record.data;
      const type = changeType(change);
      if (!type || !isPending(change)) continue;
      const named = typeof change.template === 'string' ? change.template : undefined;
      if (type !== 'standard') {
        if (named !== undefined && templates.has(named)) {
          report(
            record,
            ['template'],
            `template names ${named}, but this is ${aChangeOfType(type)}; only standard changes follow a template: set type: standard, or remove template`,
          );
        }
        continue;
      }
      if (change.template === undefined) {
        report(record, ['template'], `template is missing: ${missingTemplate(policy)}`);
        continue;
      }
      const template = named === undefined ? undefined : templates.get(named);
      if (!template) continue;
      const cis = Array.isArray(change.cis) ? change.cis : [];
      cis.forEach((id, index) => {
        // The classes of the base and the branch: a branch cannot re-class a CI into a template.
        const ci =
          typeof id === 'string' && context.estate.cis.has(id) ? context.cmdb.ci(id) : undefined;
        // An unknown CI is the reference check's to report.
        if (!ci || allows(template, ci.id, ci.classes)) return;
        report(
          record,
          ['cis', index],
          `the template ${template.id} does not allow ${ci.id} (class ${ci.classes.join(' and ')}); it allows ${allowed(template)}. Touch only those, or make it a normal change (type: normal)`,
        );
      });
      const level = riskLevel(policy, change.risk);
      if (level && levelRank(level) > levelRank(template.maxRisk)) {
        const { likelihood, impact } = change.risk!;
        report(
          record,
          ['risk'],
          `risk is likelihood ${likelihood}, impact ${impact}, which the risk matrix rates ${level}, above the maxRisk ${template.maxRisk} of the template ${template.id}; a riskier change is a normal change (type: normal), assessed by the CAB`,
        );
      }
    }
  },
};

function missingTemplate(policy: EffectivePolicy): string {
  const ids = policy.templates.map((template) => template.id);
  return ids.length === 0
    ? 'a standard change follows a pre-approved template of the policy, but the policy has none; make it a normal change (type: normal)'
    : `a standard change names the pre-approved template it follows; the policy's templates are: ${ids.join(', ')}`;
}

/** Whether the template allows the CI: by id, or by its class (every class it has, at the base and now). */
function allows(template: Template, id: string, classes: readonly string[]): boolean {
  if (template.cis === undefined && template.classes === undefined) return true;
  return (
    (template.cis ?? []).includes(id) ||
    (classes.length > 0 && classes.every((ciClass) => (template.classes ?? []).includes(ciClass)))
  );
}

function allowed(template: Template): string {
  const parts: string[] = [];
  if (template.cis?.length) parts.push(`the CIs ${template.cis.join(', ')}`);
  if (template.classes?.length)
    parts.push(
      `CIs of class${template.classes.length > 1 ? 'es' : ''} ${template.classes.join(', ')}`,
    );
  return parts.length
    ? `only ${parts.join(' and ')}`
    : 'no CI at all (its cis and classes are empty)';
}
