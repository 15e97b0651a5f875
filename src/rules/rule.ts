import type { ChangeImpact } from '../impact/change-impact.js';
import type { Finding, Severity } from '../records/finding.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import type { FieldPath, SourceIndex } from '../records/locate.js';
import { at } from '../records/finding-at.js';
import { FindingCollector } from '../records/finding-cap.js';
import type { Change, Release } from '../records/types.generated.js';

/**
 * Everything a rule may look at: plain data gathered by the use case (records, the base
 * revision's records, changed paths, the clock, impact). Rules never do IO.
 */
export interface RuleContext {
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
  };
  /** Repository paths changed since the base (code and records), when there is a base. */
  changedPaths?: readonly string[];
  /** The impact of a change on the CMDB: computed once per change and shared with the report. */
  changeImpact(change: Change): ChangeImpact;
}

/** A parameter a rule reads from its policy entry (`rules: {id: {severity, name: value}}`). */
export interface RuleParameter {
  description: string;
  default: unknown;
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
  estate: Estate,
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
