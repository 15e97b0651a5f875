import * as YAML from 'yaml';
import type { Finding } from '../../../src/records/finding.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { SourceIndex } from '../../../src/records/locate.js';
import type { Change, ConfigurationItem } from '../../../src/records/types.generated.js';
import {
  evaluate,
  type ChangeImpact,
  type Rule,
  type RuleContext,
} from '../../../src/rules/rule.js';

/** A plain-data description of a test estate; every part is turned into YAML and loaded. */
export interface EstateInput {
  /** Policy fields (apiVersion, kind and id are added), or a whole changeops.yaml text. */
  policy?: Record<string, unknown> | string;
  /** CIs, each written to cmdb/<id>.yaml. */
  cis?: ReadonlyArray<Record<string, unknown>>;
  /** Changes, each written to changes/<id>.yaml. */
  changes?: ReadonlyArray<Record<string, unknown>>;
  /** The evaluation time; 2026-11-02T12:00:00Z (a Monday) unless given. */
  now?: string;
  /** The changes at the base revision; no base when left out. */
  base?: ReadonlyArray<Record<string, unknown>>;
  /** A stub impact graph; by default a change impacts only its own CIs. */
  impact?: (change: Change) => ChangeImpact;
  /** The records are meant to break their schema (rules must still not crash on them). */
  invalid?: boolean;
}

/** What a test asserts about a finding: whose, where, how bad and the sentence a user reads. */
export type Seen = Pick<Finding, 'id' | 'field' | 'severity' | 'message'>;

/** The default evaluation time: Monday 2 November 2026, noon UTC. */
export const NOW = '2026-11-02T12:00:00Z';

/**
 * A complete, valid normal change that every rule of this folder passes at {@link NOW}: one
 * change field changed per test case is then the only thing that can make a rule speak. Fields
 * set to undefined are removed; nested mappings are merged.
 */
export function aChange(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return merge(
    {
      apiVersion: 'changeops/v1',
      kind: 'Change',
      id: 'CHG-0042',
      title: 'Upgrade the payments database to PostgreSQL 17',
      type: 'normal',
      status: 'proposed',
      requester: 'octocat',
      cis: ['pg-payments'],
      reason: 'PostgreSQL 13 reaches end of life in November.',
      risk: { likelihood: 'low', impact: 'low' },
      plan: {
        implementation: 'Run pg_upgrade on the replica, then fail over.',
        test: 'Rehearsed on staging with a copy of production.',
        backout: 'Fail back to the old primary, which is kept for a day.',
      },
      schedule: { start: '2026-12-02T22:00:00Z', end: '2026-12-02T23:30:00Z' },
    },
    overrides,
  );
}

/** A valid CI, criticality 4 (low impact) unless told otherwise. */
export function aCi(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return merge(
    {
      apiVersion: 'changeops/v1',
      kind: 'ConfigurationItem',
      id,
      name: id,
      class: 'database',
      owner: '@acme/team',
      criticality: 4,
    },
    overrides,
  );
}

/** Deep merge of plain mappings; an undefined value removes the field. */
export function merge(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const before = out[key];
    if (value === undefined) delete out[key];
    else if (isMapping(value) && isMapping(before)) out[key] = merge(before, value);
    else out[key] = value;
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Loads the input through the real loader (so findings carry real lines and columns) and builds
 * a rule context over it: every change is under evaluation. Also returns what loading found, so
 * a test can make sure its records are valid and the rule is the only one speaking.
 */
export function contextFrom(input: EstateInput): { context: RuleContext; loadFindings: Finding[] } {
  const sources = new SourceIndex();
  const policyText =
    typeof input.policy === 'string'
      ? input.policy
      : input.policy
        ? YAML.stringify({
            apiVersion: 'changeops/v1',
            kind: 'Policy',
            id: 'test',
            ...input.policy,
          })
        : undefined;
  const policy = loadPolicy(
    policyText === undefined ? undefined : { path: 'changeops.yaml', text: policyText },
    sources,
  );
  if (!policy.usable) throw new Error(`test policy unusable: ${JSON.stringify(policy.findings)}`);
  const cis = input.cis ?? [aCi('pg-payments')];
  const files = [
    ...cis.map((ci) => ({ path: `cmdb/${String(ci.id)}.yaml`, text: YAML.stringify(ci) })),
    ...(input.changes ?? []).map((change) => ({
      path: `changes/${String(change.id)}.yaml`,
      text: YAML.stringify(change),
    })),
  ];
  const loaded = loadRecords(policy, files, { sources });
  const estate = loaded.estate;
  const context: RuleContext = {
    estate,
    sources: loaded.sources,
    now: new Date(input.now ?? NOW),
    changes: [...estate.changes.values()],
    releases: [...estate.releases.values()],
    ...(input.base
      ? {
          base: {
            changes: new Map(
              input.base.map((change) => [String(change.id), change as unknown as Change]),
            ),
            releases: new Map(),
          },
        }
      : {}),
    impactOf:
      input.impact ??
      ((change) => {
        // Only the change's own CIs: enough for rules that do not follow the graph.
        let most: ConfigurationItem | undefined;
        for (const id of change.cis) {
          const ci = estate.cis.get(id)?.data;
          if (ci && (!most || ci.criticality < most.criticality)) most = ci;
        }
        const level = most
          ? estate.policy.impactByCriticality[most.criticality as 1 | 2 | 3 | 4]
          : 'low';
        return {
          ids: new Set(change.cis),
          level,
          ...(most
            ? { mostCritical: { id: most.id, criticality: most.criticality, via: [most.id] } }
            : {}),
        };
      }),
  };
  return { context, loadFindings: loaded.findings };
}

/** Runs one rule over the input, as the registry would, and returns its findings in full. */
export function evaluateRule(rule: Rule, input: EstateInput): Finding[] {
  const { context, loadFindings } = contextFrom(input);
  // A test whose records fail the schema tests the wrong thing, unless it means to.
  if (loadFindings.length > 0 && !input.invalid)
    throw new Error(`test records do not load cleanly: ${JSON.stringify(loadFindings)}`);
  return evaluate([rule], context);
}

/** Runs one rule over the input and returns what a user reads of each finding. */
export function findingsOf(rule: Rule, input: EstateInput): Seen[] {
  return evaluateRule(rule, input).map(({ id, field, severity, message }) => ({
    id,
    ...(field === undefined ? {} : { field }),
    severity,
    message,
  }));
}
