import type { ChangeType } from '../records/policy.js';
import { show } from '../records/wording.js';
import type { JsonSchema, Report, RuleContext } from './rule.js';

/** The schema of a parameter that lists change types: what {@link isTypeList} accepts. */
export const changeTypeListSchema: JsonSchema = {
  type: 'array',
  uniqueItems: true,
  items: { $ref: 'common.schema.json#/definitions/changeType' },
};

/** The policy as a record a finding can point at; undefined when the repository has no policy. */
export function policyRecord(
  context: RuleContext,
): (Parameters<Report>[0] & { kind: 'Policy' }) | undefined {
  const source = context.estate.policySource;
  return source ? { kind: 'Policy', id: context.estate.policy.id, source } : undefined;
}

/**
 * A rule parameter as the policy sets it, checked: a value of the wrong shape is reported at the
 * policy's `rules.<rule>.<name>` and the default used instead, so one typo in the policy neither
 * crashes the run nor silently switches a check off.
 */
export function parameter<T>(
  context: RuleContext,
  report: Report,
  where: { rule: string; name: string; value: unknown; fallback: T },
  accept: (value: unknown) => value is T,
  expected: string,
): T {
  if (accept(where.value)) return where.value;
  const policy = policyRecord(context);
  if (policy) {
    report(
      policy,
      ['rules', where.rule, where.name],
      `rules.${where.rule}.${where.name} is ${describe(where.value)}, but it must be ${expected}; the default${typeof where.fallback === 'object' ? '' : ` ${show(where.fallback)}`} is used instead`,
    );
  }
  return where.fallback;
}

/** Whether a value is a list of change types. */
export function isTypeList(value: unknown): value is ChangeType[] {
  return (
    Array.isArray(value) &&
    value.every((item) => item === 'standard' || item === 'normal' || item === 'emergency')
  );
}

/** A parameter value as a message shows it: lists item by item, mappings as such. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => show(item)).join(', ')}]`;
  return show(value);
}
