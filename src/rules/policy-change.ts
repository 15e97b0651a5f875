import type { PolicyDifference, Rule } from './rule.js';

/** How many differences a finding lists; the rest are counted. */
const shownDifferences = 10;

/**
 * A pull request that changes the policy is told what it changes, and that it takes effect only
 * after merge: until then the base's policy is in force, so the branch is judged by the rules
 * it tries to change. The differences are those of the effective policies (defaults filled in),
 * so an edit of comments or layout is no change.
 */
export const policyChangeRule: Rule = {
  id: 'policy-change',
  description:
    "A branch that changes changeops.yaml is told each effective setting it changes, old -> new (at most 10, then how many more). The change takes effect after merge: until then the base's policy is in force, and the branch is judged by it. A proposed policy that does not validate is reported by its own errors and changes nothing.",
  defaultSeverity: 'warning',
  check(context, report) {
    const proposed = context.proposedPolicy;
    if (!proposed) return;
    if (!proposed.usable) {
      report(
        proposed.record,
        [],
        "this pull request changes the policy, but the changeops.yaml it proposes cannot be used (see its errors); the base's policy stays in force, and a policy that cannot be used must not be merged",
      );
      return;
    }
    const { differences } = proposed;
    if (differences.length === 0) return;
    const shown = differences.slice(0, shownDifferences).map(describe).join('; ');
    const more =
      differences.length > shownDifferences
        ? `; and ${differences.length - shownDifferences} more`
        : '';
    report(
      proposed.record,
      proposed.deleted ? [] : differences[0]!.at,
      `this pull request ${proposed.deleted ? 'deletes the policy, so the defaults would be in force' : 'changes the policy'}: ${shown}${more}; it takes effect after merge, and until then the base's policy is in force`,
    );
  },
};

/** `rules.required-content error -> off`, `windows[Night] added: {...}`. */
function describe(difference: PolicyDifference): string {
  // Keys come from the branch: a path is shortened like a value, so no key floods the message.
  const path = difference.path.length > 80 ? `${difference.path.slice(0, 77)}...` : difference.path;
  if (difference.before === undefined) return `${path} added: ${value(difference.after)}`;
  if (difference.after === undefined) return `${path} removed (was ${value(difference.before)})`;
  return `${path} ${value(difference.before)} -> ${value(difference.after)}`;
}

/** A policy value as a message shows it: compact, YAML-like, and never longer than 60 characters. */
function value(data: unknown): string {
  const text = compact(data, 0);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function compact(data: unknown, depth: number): string {
  if (typeof data === 'string') return /^[\w@./:+-]+$/.test(data) ? data : JSON.stringify(data);
  if (data === null || typeof data !== 'object') return String(data);
  // Deep values are cut short anyway: no need to walk all of them.
  if (depth > 3) return '...';
  if (Array.isArray(data))
    return `[${data
      .slice(0, 8)
      .map((item) => compact(item, depth + 1))
      .join(', ')}${data.length > 8 ? ', ...' : ''}]`;
  const entries = Object.entries(data);
  return `{${entries
    .slice(0, 8)
    .map(([key, item]) => `${key}: ${compact(item, depth + 1)}`)
    .join(', ')}${entries.length > 8 ? ', ...' : ''}}`;
}
