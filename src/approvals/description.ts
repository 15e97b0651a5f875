/**
 * The root's sentence, which is the commit status description: what is still missing, who blocks,
 * or who approved, in at most 140 characters whatever the input (GitHub answers 422 to a longer
 * one, and a failed write would leave an older, wrong status standing).
 */
import type { HoldNode, NodeStatus, ProblemNode, RequirementNode } from './result.js';

/** GitHub's limit on a commit status description. */
export const maxDescriptionLength = 140;

/** What the description is made from. */
export interface DescriptionInput {
  status: NodeStatus;
  requirements: readonly RequirementNode[];
  problems: readonly ProblemNode[];
  /** What holds the gate besides approvals (drafts, the check, an unusable policy, failed reads). */
  holds?: readonly HoldNode[];
  /** Why nothing needs approval, for a skipped root. */
  nothingNeeded: string;
  advisory: boolean;
}

/**
 * "1 of 2 approvals from cab; missing: owner of pg-payments", "Approved: cab (alice, bob)",
 * "Blocked: carol (cab) requested changes", "Error: …", prefixed "Advisory: " without an App.
 */
export function gateDescription(input: DescriptionInput): string {
  const text = verdict(input);
  return fitDescription(input.advisory ? `Advisory: ${text}` : text);
}

/** The description of a gate that could not evaluate at all (git or GitHub failed before the core ran). */
export function errorDescription(message: string, advisory: boolean): string {
  return fitDescription(`${advisory ? 'Advisory: ' : ''}Error: ${message}`);
}

function verdict(input: DescriptionInput): string {
  const { requirements } = input;
  const holds = input.holds ?? [];
  const shortOf = (status: HoldNode['status']) =>
    holds.filter((h) => h.status === status).map((h) => h.short);
  switch (input.status) {
    case 'error': {
      const errors = holds.filter((h) => h.status === 'error');
      const first =
        errors[0]?.sentence ??
        input.problems[0]?.sentence ??
        requirements.find((r) => r.error)?.error ??
        '';
      const count =
        errors.length +
        input.problems.length +
        requirements.filter((r) => r.status === 'error').length;
      return `Error: ${first}${count > 1 ? ` (and ${count - 1} more)` : ''}`;
    }
    case 'disapproved': {
      const byLogin = new Map<string, { login: string; labels: Set<string> }>();
      for (const requirement of requirements) {
        for (const blocker of requirement.blockedBy) {
          const key = blocker.login.toLowerCase();
          let entry = byLogin.get(key);
          if (!entry) byLogin.set(key, (entry = { login: blocker.login, labels: new Set() }));
          entry.labels.add(requirement.label);
        }
      }
      const who = [...byLogin.values()].map((b) => `${b.login} (${[...b.labels].join(', ')})`);
      const parts = shortOf('disapproved');
      if (who.length > 0) parts.push(`${who.join(', ')} requested changes`);
      return `Blocked: ${parts.join('; ')}`;
    }
    case 'pending': {
      const partial = new Set<string>();
      const missing = new Set<string>();
      for (const requirement of requirements) {
        if (requirement.status !== 'pending') continue;
        const have = requirement.approvedBy.length;
        const phrase =
          have > 0
            ? `${have} of ${requirement.count} approvals from ${requirement.label}`
            : requirement.count > 1
              ? `${requirement.count} from ${requirement.label}`
              : requirement.label;
        (have > 0 ? partial : missing).add(phrase);
      }
      const drafts = holds.filter((h) => h.status === 'pending');
      // A draft alone says what to do; beside missing approvals, what it is.
      if (drafts.length > 0 && partial.size === 0 && missing.size === 0) return drafts[0]!.sentence;
      const parts = [...drafts.map((h) => h.short), ...partial];
      if (missing.size > 0)
        parts.push(`${parts.length > 0 ? 'missing' : 'Missing'}: ${[...missing].join(', ')}`);
      return parts.join('; ');
    }
    case 'approved': {
      const byLabel = new Map<string, Set<string>>();
      for (const requirement of requirements) {
        if (requirement.status !== 'approved') continue;
        let logins = byLabel.get(requirement.label);
        if (!logins) byLabel.set(requirement.label, (logins = new Set()));
        for (const approver of requirement.approvedBy) logins.add(approver.login);
      }
      const parts = [...byLabel].map(([label, logins]) => `${label} (${[...logins].join(', ')})`);
      return `Approved: ${parts.join(', ')}`;
    }
    case 'skipped':
      return `No approval needed: ${input.nothingNeeded}`;
  }
}

// Controls and line breaks would make the description lie about what it says, or be rejected.
const controls =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * One clean line of at most `max` UTF-16 code units (so at most `max` characters however GitHub
 * counts them): cut after a word when it is too long, never inside a character, ending in "…".
 */
export function fitDescription(text: string, max = maxDescriptionLength): string {
  // Long input is cut first, so the work stays bounded by max whatever arrives.
  const clean = text
    .slice(0, max * 4)
    .replace(loneSurrogate, '\ufffd')
    .replace(controls, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max && text.length <= max * 4) return clean;
  let kept = '';
  for (const { segment } of graphemes.segment(clean)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  const space = kept.lastIndexOf(' ');
  // Cut after the last whole word, unless that throws away most of the text (one long word).
  if (space >= max / 2) kept = kept.slice(0, space);
  return `${kept.replace(/[\s,;:(]+$/u, '')}…`;
}
