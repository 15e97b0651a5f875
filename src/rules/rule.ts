import type { ChangeImpact } from '../impact/change-impact.js';
import type { CmdbUnion } from '../impact/cmdb-union.js';
import type { Finding, Severity } from '../records/finding.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import type { FieldPath, SourceIndex } from '../records/locate.js';
import { at } from '../records/finding-at.js';
import { FindingCollector } from '../records/finding-cap.js';
import type { Change, Release } from '../records/types.generated.js';

/** One path of the policy whose effective value the branch changes: `rules.required-content`. */
export interface PolicyDifference {
  /** The path as a message names it: dotted keys, `[name]` for a named list item. */
  path: string;
  /** The effective value at the base; absent when the base has none there. */
  before?: unknown;
  /** The effective value the branch proposes; absent when it has none there. */
  after?: unknown;
  /** Where the value stands in the branch's policy file, as far as it exists there. */
  at: FieldPath;
}

/** The policy a branch proposes (its changeops.yaml differs from the base's): validated, not in force. */
export interface ProposedPolicy {
  /** Where findings about it point: the branch's policy record (or the deleted file). */
  record: { kind: 'Policy'; id: string; source: LoadedRecord<unknown>['source'] };
  /** False when the proposed policy does not validate: its own errors say why. */
  usable: boolean;
  /** The branch deletes the policy file: after merge the defaults would be in force. */
  deleted: boolean;
  /** The effective differences from the base's policy, in path order. */
  differences: readonly PolicyDifference[];
}

/**
 * Everything a rule may look at: plain data gathered by the use case (records, the base
 * revision's records, changed paths, the clock, impact). Rules never do IO.
 */
export interface RuleContext {
  /**
   * The records now, with the policy in force: with a base, the base commit's policy (never the
   * branch's), whose rules, severities and parameters every rule reads.
   */
  estate: Estate;
  sources: SourceIndex;
  /** The evaluation time: lead times and schedules are measured from it. */
  now: Date;
  /** The changes under evaluation: those changed since the base, or all of them. */
  changes: ReadonlyArray<LoadedRecord<Change>>;
  /** The releases under evaluation. */
  releases: ReadonlyArray<LoadedRecord<Release>>;
  /** The records as they were at the base revision, when there is one (status transitions). */
  base?: {
    changes: ReadonlyMap<string, Change>;
    releases: ReadonlyMap<string, Release>;
    /** The changes and releases at the base that the branch no longer has, with their base file. */
    removed?: ReadonlyArray<LoadedRecord<Change | Release>>;
  };
  /**
   * Paths changed since the base, relative to the git root as CI `paths` are (code; records that
   * are there are ignored by the rules that look for code), when there is a base.
   */
  changedPaths?: readonly string[];
  /**
   * The CMDB the changes are judged on: with a base, the union of the base's and the head's
   * (`estate.cis` is the head's alone); without one, the head's.
   */
  cmdb: CmdbUnion;
  /** The policy the branch proposes, when its policy file differs from the base's. */
  proposedPolicy?: ProposedPolicy;
  /** The impact of a change on the CMDB: computed once per change and shared with the report. */
  changeImpact(change: Change): ChangeImpact;
}

/**
 * A JSON Schema (draft-07) as plain data. A `$ref` may point into `common.schema.json`, whose
 * definitions (changeType, level, ...) the generated policy schema shares.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** A parameter a rule reads from its policy entry (`rules: {id: {severity, name: value}}`). */
export interface RuleParameter {
  description: string;
  default: unknown;
  /**
   * What the parameter accepts. `scripts/gen-rules-schema.ts` puts it into the policy's schema
   * (schemas/policy-rules.schema.json), so a policy that sets it wrongly is refused at load with
   * the line of the bad value, by `validate` as by `check`, rather than by the rule at run time.
   */
  schema: JsonSchema;
}

/** Reports one finding of the running rule at a field of a record. */
export type Report = (
  record: {
    kind: LoadedRecord<unknown>['kind'];
    id: string;
    source: LoadedRecord<unknown>['source'];
  },
  path: FieldPath,
  message: string,
) => void;

/** One evaluation rule: an id, what it checks, its default severity, and the check itself. */
export interface Rule {
  id: string;
  /** One sentence for the README and `--help`: what the rule checks. */
  description: string;
  defaultSeverity: Severity;
  parameters?: Record<string, RuleParameter>;
  check(context: RuleContext, report: Report, parameters: Readonly<Record<string, unknown>>): void;
}

/** A rule's severity and parameters as the policy sets them, defaults filled in. */
export function ruleSettings(
  rule: Rule,
  estate: Pick<Estate, 'policy'>,
): { severity: Severity | 'off'; parameters: Record<string, unknown> } {
  const entry = estate.policy.rules[rule.id];
  const parameters: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(rule.parameters ?? {}))
    parameters[name] = parameter.default;
  if (typeof entry === 'string') return { severity: entry, parameters };
  if (entry && typeof entry === 'object') {
    for (const [name, value] of Object.entries(entry))
      if (name !== 'severity') parameters[name] = value;
    return { severity: entry.severity ?? rule.defaultSeverity, parameters };
  }
  return { severity: rule.defaultSeverity, parameters };
}

/**
 * Runs rules over a context and collects their findings, each at the rule's configured severity:
 * at most `findingCaps.perFile` a file are positioned, the rest only counted (FindingCollector).
 */
export function evaluate(rules: readonly Rule[], context: RuleContext): Finding[] {
  const findings = new FindingCollector();
  for (const rule of rules) {
    const { severity, parameters } = ruleSettings(rule, context.estate);
    if (severity === 'off') continue;
    const report: Report = (record, path, message) => {
      findings.add(
        record.source.file,
        severity,
        () => at(context.sources, record.source, path, rule.id, message, record, severity),
        () => context.sources.position(record.source, path),
      );
    };
    rule.check(context, report, parameters);
  }
  return findings.done();
}
