import type { ApprovalRule, Board, Policy } from './types.generated.js';
import type { Level } from './level.js';
import type { Severity } from './finding.js';
import { effectiveLimits, type Limits } from './limits.js';
/** A rule's entry under the policy's `rules:`: a severity, or the severity and parameters. */
export type RuleSetting =
  Severity | 'off' | { severity?: Severity | 'off'; readonly [parameter: string]: unknown };

/** The change types. */
export type ChangeType = 'standard' | 'normal' | 'emergency';

/** The policy with every default filled in: what the rules and the gate read. */
export interface EffectivePolicy {
  id: string;
  boards: Record<string, Board>;
  riskMatrix: Record<Level, Record<Level, Level>>;
  impactByCriticality: Record<1 | 2 | 3 | 4, Level>;
  approvals: ApprovalRule[];
  gate: { keepApprovalsOnUnrelatedPushes: boolean; emergencyFollowUp: boolean };
  templates: NonNullable<Policy['templates']>;
  freezes: NonNullable<Policy['freezes']>;
  windows: NonNullable<Policy['windows']>;
  leadTimeHours: Record<ChangeType, number>;
  /** By rule id; the schema (generated from the rule registry) admits only known ids and parameters. */
  rules: Readonly<Record<string, RuleSetting>>;
  limits: Limits;
  /** True when the repository has no changeops.yaml and everything is a default. */
  isDefault: boolean;
}

/**
 * The safe defaults of a repository without a policy: the usual 3x3 risk matrix, every normal and
 * emergency change approved by the owners of the CIs it touches, two days' lead time for normal
 * changes, no windows or freezes (nothing to check them against), every rule at its default.
 */
const defaults: EffectivePolicy = {
  id: 'default',
  boards: {},
  riskMatrix: {
    low: { low: 'low', medium: 'low', high: 'medium' },
    medium: { low: 'low', medium: 'medium', high: 'high' },
    high: { low: 'medium', medium: 'high', high: 'high' },
  },
  impactByCriticality: { 1: 'high', 2: 'high', 3: 'medium', 4: 'low' },
  approvals: [
    {
      name: 'ci-owners',
      description: 'The owners of the CIs a change touches approve it.',
      when: { types: ['normal', 'emergency'] },
      from: { ciOwners: 'direct' },
      count: 1,
    },
  ],
  gate: { keepApprovalsOnUnrelatedPushes: false, emergencyFollowUp: true },
  templates: [],
  freezes: [],
  windows: [],
  leadTimeHours: { standard: 0, normal: 48, emergency: 0 },
  rules: {},
  limits: effectiveLimits(undefined),
  isDefault: true,
};
export const defaultPolicy: Readonly<EffectivePolicy> = Object.freeze(defaults);

/** Fills a (schema-valid) policy record's gaps with the defaults. */
export function effectivePolicy(policy: Policy | undefined): EffectivePolicy {
  if (!policy) return structuredClone(defaults);
  const d = defaultPolicy;
  const boards: Record<string, Board> = {};
  for (const [name, board] of Object.entries(policy.boards ?? {})) if (board) boards[name] = board;
  return {
    id: policy.id,
    boards,
    riskMatrix: (policy.riskMatrix as EffectivePolicy['riskMatrix'] | undefined) ?? d.riskMatrix,
    impactByCriticality: { ...d.impactByCriticality, ...(policy.impactByCriticality ?? {}) },
    approvals: policy.approvals ?? d.approvals,
    gate: { ...d.gate, ...(policy.gate ?? {}) },
    templates: policy.templates ?? [],
    freezes: policy.freezes ?? [],
    windows: policy.windows ?? [],
    leadTimeHours: { ...d.leadTimeHours, ...(policy.leadTimeHours ?? {}) },
    rules: (policy.rules ?? {}) as EffectivePolicy['rules'],
    limits: effectiveLimits(policy.limits),
    isDefault: false,
  };
}
