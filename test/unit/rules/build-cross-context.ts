import * as YAML from 'yaml';
import type { Finding } from '../../../src/records/finding.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { SourceIndex } from '../../../src/records/locate.js';
import type { Change, Release } from '../../../src/records/types.generated.js';
import { evaluate, type Rule, type RuleContext } from '../../../src/rules/rule.js';

/** The evaluation time of every cross-record test: Monday 1 March 2027, noon UTC. */
export const NOW = '2027-03-01T12:00:00Z';

/** An estate as YAML texts, and what of it is under evaluation. */
export interface CrossInput {
  /** The text of changeops.yaml; the defaults when left out. */
  policy?: string;
  /** Record files now, by path. */
  files: Record<string, string>;
  /** Ids of the changes and releases under evaluation; every one when left out. */
  evaluate?: readonly string[];
  /** Record files at the base, by path; no base when left out. */
  base?: Record<string, string>;
  /** Paths changed since the base. */
  changedPaths?: readonly string[];
  /** A stub impact: change id -> impacted CI ids (the change's own CIs when not given). */
  impact?: Record<string, readonly string[]>;
}

/** What a test asserts about a finding: whose, which field, how bad, and the sentence. */
export type Seen = Pick<Finding, 'id' | 'field' | 'severity' | 'message'>;

/** A valid change record as YAML; fields override the defaults, undefined removes one. */
export function change(id: string, fields: Record<string, unknown> = {}): string {
  return record(
    {
      apiVersion: 'changeops/v1',
      kind: 'Change',
      id,
      title: `Change ${id}`,
      type: 'normal',
      status: 'proposed',
      requester: 'octocat',
      cis: ['pg-payments'],
      risk: { likelihood: 'low', impact: 'low' },
      plan: { implementation: 'Do it.', test: 'Tested.', backout: 'Undo it.' },
      schedule: { start: '2027-03-10T22:00:00Z', end: '2027-03-10T23:00:00Z' },
    },
    fields,
  );
}

/** A valid release record as YAML. */
export function release(id: string, fields: Record<string, unknown> = {}): string {
  return record(
    {
      apiVersion: 'changeops/v1',
      kind: 'Release',
      id,
      title: `Release ${id}`,
      version: '2027.3.0',
      type: 'minor',
      status: 'planned',
      changes: [],
      schedule: { start: '2027-03-10T20:00:00Z', end: '2027-03-11T02:00:00Z' },
    },
    fields,
  );
}

/** A valid configuration item as YAML. */
export function ci(id: string, fields: Record<string, unknown> = {}): string {
  return record(
    {
      apiVersion: 'changeops/v1',
      kind: 'ConfigurationItem',
      id,
      name: id,
      class: 'application',
      owner: '@acme/team',
      criticality: 3,
    },
    fields,
  );
}

function record(defaults: Record<string, unknown>, fields: Record<string, unknown>): string {
  const data: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  return YAML.stringify(data);
}

/** Files by path for a list of records: changes and releases under changes/, CIs under cmdb/. */
export function files(...texts: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const text of texts) {
    const data = YAML.parse(text) as { kind: string; id: string };
    out[`${data.kind === 'ConfigurationItem' ? 'cmdb' : 'changes'}/${data.id}.yaml`] = text;
  }
  return out;
}

/**
 * Loads the texts through the real loader (loadPolicy, loadRecords) and builds a rule context:
 * a fixed `now`, the chosen records under evaluation, the base records, the changed paths and
 * a stub impact. Returns the load findings too, so a test can insist its records are valid.
 */
export function crossContext(input: CrossInput): { context: RuleContext; loadFindings: Finding[] } {
  const sources = new SourceIndex();
  const policy = loadPolicy(
    input.policy === undefined ? undefined : { path: 'changeops.yaml', text: input.policy },
    sources,
  );
  if (!policy.usable) throw new Error(`test policy unusable: ${JSON.stringify(policy.findings)}`);
  const load = (texts: Record<string, string>, index: SourceIndex) =>
    loadRecords(
      policy,
      Object.entries(texts).map(([path, text]) => ({ path, text })),
      { sources: index },
    );
  const loaded = load(input.files, sources);
  const { estate } = loaded;
  const chosen = (id: string) => input.evaluate === undefined || input.evaluate.includes(id);
  const context: RuleContext = {
    estate,
    sources,
    now: new Date(NOW),
    changes: [...estate.changes.values()].filter((record) => chosen(record.id)),
    releases: [...estate.releases.values()].filter((record) => chosen(record.id)),
    impactOf: (data: Change) => ({
      ids: new Set(input.impact?.[data.id] ?? data.cis),
      level: 'low',
    }),
  };
  if (input.base) {
    const base = load(input.base, new SourceIndex()).estate;
    context.base = {
      changes: new Map<string, Change>([...base.changes].map(([id, r]) => [id, r.data])),
      releases: new Map<string, Release>([...base.releases].map(([id, r]) => [id, r.data])),
    };
  }
  if (input.changedPaths) context.changedPaths = input.changedPaths;
  return { context, loadFindings: loaded.findings.filter((f) => f.rule !== 'reference') };
}

/** Runs one rule as the registry would and returns what a user reads of each finding. */
export function seen(rule: Rule, input: CrossInput & { policy?: string }): Seen[] {
  const { context, loadFindings } = crossContext(input);
  if (loadFindings.length > 0)
    throw new Error(`test records do not load cleanly: ${JSON.stringify(loadFindings)}`);
  return evaluate([rule], context).map(({ id, field, severity, message }) => ({
    id,
    ...(field === undefined ? {} : { field }),
    severity,
    message,
  }));
}

/** Runs one rule and returns its findings in full (positions included). */
export function run(rule: Rule, input: CrossInput): Finding[] {
  return evaluate([rule], crossContext(input).context);
}
