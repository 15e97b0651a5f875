import type { FieldPath } from '../records/locate.js';
import type { EffectivePolicy } from '../records/policy.js';
import { sameData } from '../records/same-data.js';
import { ruleSettings, type PolicyDifference, type Rule } from '../rules/rule.js';

// The parts of a policy in the order a reader cares about: what relaxes the checks first.
const sections = [
  'rules',
  'limits',
  'approvals',
  'boards',
  'gate',
  'riskMatrix',
  'impactByCriticality',
  'templates',
  'freezes',
  'windows',
  'leadTimeHours',
  'id',
] as const satisfies ReadonlyArray<keyof EffectivePolicy>;

/**
 * The effective differences between the base's policy and the one a branch proposes: every path
 * whose value (defaults filled in) differs, old and new, in a fixed order. Rules are compared by
 * their severity and each parameter, the defaults of the registry filled in, so `rule: error`
 * and leaving the rule out are the same; named list items (approvals, templates, freezes,
 * windows) are compared by their name or id, not their place. Linear in the size of the two.
 */
export function policyDifferences(
  base: EffectivePolicy,
  proposed: EffectivePolicy,
  rules: readonly Rule[],
): PolicyDifference[] {
  const out: PolicyDifference[] = [];
  for (const section of sections) {
    if (section === 'rules') ruleDifferences(base, proposed, rules, out);
    else diff(section, [section], base[section], proposed[section], out);
  }
  return out;
}

function ruleDifferences(
  base: EffectivePolicy,
  proposed: EffectivePolicy,
  rules: readonly Rule[],
  out: PolicyDifference[],
): void {
  const known = new Set(rules.map((rule) => rule.id));
  for (const rule of rules) {
    const before = ruleSettings(rule, { policy: base });
    const after = ruleSettings(rule, { policy: proposed });
    const at = ['rules', rule.id];
    if (before.severity !== after.severity)
      out.push({ path: `rules.${rule.id}`, before: before.severity, after: after.severity, at });
    const names = [
      ...new Set([...Object.keys(before.parameters), ...Object.keys(after.parameters)]),
    ];
    for (const name of names)
      diff(
        `rules.${rule.id}.${name}`,
        [...at, name],
        before.parameters[name],
        after.parameters[name],
        out,
      );
  }
  // Entries for rules that do not exist change nothing, but a reader should still see them.
  const unknown = [...new Set([...Object.keys(base.rules), ...Object.keys(proposed.rules)])]
    .filter((id) => !known.has(id))
    .sort();
  for (const id of unknown)
    diff(`rules.${id}`, ['rules', id], base.rules[id], proposed.rules[id], out);
}

function diff(
  path: string,
  at: FieldPath,
  before: unknown,
  after: unknown,
  out: PolicyDifference[],
): void {
  if (sameData(before, after)) return;
  if (isMapping(before) && isMapping(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) diff(`${path}.${key}`, [...at, key], before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = itemKey(before, after);
    if (key) {
      const old = new Map(before.map((item) => [String(item[key]), item]));
      const now = new Map(after.map((item, index) => [String(item[key]), { item, index }]));
      for (const name of [...new Set([...old.keys(), ...now.keys()])]) {
        const current = now.get(name);
        diff(
          `${path}[${name}]`,
          current ? [...at, current.index] : at,
          old.get(name),
          current?.item,
          out,
        );
      }
      return;
    }
  }
  out.push({
    path,
    at,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
}

/** The field that names the items of both lists (`id`, else `name`), when every item has a unique one. */
function itemKey(a: readonly unknown[], b: readonly unknown[]): 'id' | 'name' | undefined {
  for (const key of ['id', 'name'] as const) {
    const named = (list: readonly unknown[]) => {
      const names = new Set<string>();
      for (const item of list) {
        if (!isMapping(item) || typeof item[key] !== 'string' || names.has(item[key])) return false;
        names.add(item[key]);
      }
      return true;
    };
    if (named(a) && named(b)) return key;
  }
  return undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
