import { buildGraph, type CmdbGraph } from '../impact/graph.js';
import { impactLevel, impactOf, viaOf } from '../impact/impact.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import { parseYamlFile, type SourceText } from '../records/parse-yaml.js';
import type { Change, Release } from '../records/types.generated.js';
import type { ChangeImpact, RuleContext } from '../rules/rule.js';
import type { ChangedFile } from '../git/repository.js';
import { isPending } from '../rules/status.js';

const graphs = new WeakMap<Estate, CmdbGraph>();

/** The CMDB graph of an estate, built once however many use cases ask (rules, the report). */
export function graphOf(estate: Estate): CmdbGraph {
  let graph = graphs.get(estate);
  if (!graph) {
    graph = buildGraph([...estate.cis.values()].map((ci) => ci.data));
    graphs.set(estate, graph);
  }
  return graph;
}

/**
 * The `impactOf` of a rule context: the CMDB graph is built once, on first use, and each set of
 * named CIs is worked out once however many rules (and changes naming the same CIs) ask.
 */
export function impactResolver(estate: Estate): (change: Change) => ChangeImpact {
  let graph: CmdbGraph | undefined;
  const cache = new Map<string, ChangeImpact>();
  return (change) => {
    const named = Array.isArray(change.cis)
      ? change.cis.filter((id): id is string => typeof id === 'string')
      : [];
    const key = named.join('\n');
    const cached = cache.get(key);
    if (cached) return cached;
    graph ??= graphOf(estate);
    const impact = impactOf(graph, named, { paths: false });
    const assessed = impactLevel(impact, graph, estate.policy);
    const ids = new Set(impact.impacted.map((ci) => ci.id));
    // A named CI missing from the CMDB is still touched by the change (integrity reports it).
    for (const id of impact.unknown) ids.add(id);
    const result: ChangeImpact = { ids, level: assessed.level };
    if (assessed.mostCritical !== null && assessed.criticality !== null) {
      const position = impact.impacted.findIndex((ci) => ci.id === assessed.mostCritical);
      result.mostCritical = {
        id: assessed.mostCritical,
        criticality: assessed.criticality,
        via: viaOf(impact, position),
      };
    }
    cache.set(key, result);
    return result;
  };
}

/** The changes and releases a run evaluates. */
export interface UnderEvaluation {
  changes: Array<LoadedRecord<Change>>;
  releases: Array<LoadedRecord<Release>>;
}

// A closed release is history; every other one can still be wrong about its changes.
const settledRelease: ReadonlySet<Release['status']> = new Set(['closed']);

/**
 * What a run evaluates. With the record files changed since the base: the changes and releases
 * in those files, whatever their status (each rule decides which statuses it judges). Without
 * a base: every pending (proposed or approved) change and every release not yet closed.
 */
export function selectUnderEvaluation(
  estate: Estate,
  changedRecordFiles?: ReadonlySet<string>,
): UnderEvaluation {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const changes = [...estate.changes.values()].filter((record) =>
    changedRecordFiles ? changedRecordFiles.has(record.source.file) : isPending(record.data),
  );
  const releases = [...estate.releases.values()].filter((record) =>
    changedRecordFiles
      ? changedRecordFiles.has(record.source.file)
      : !settledRelease.has(record.data.status),
  );
  return { changes: changes.sort(byId), releases: releases.sort(byId) };
}

/** What the base looked like, as a use case gathered it (see CheckFacts.base). */
export interface BaseFiles {
  /** The files changed since the merge base. */
  changedFiles: readonly ChangedFile[];
  /** The base's text of the changed record files, by their path at the base. */
  files: readonly SourceText[];
  /** Record files at the base (by their path there) whose text could not be read. */
  unreadable?: readonly string[];
}

/**
 * The changes and releases as they were at the base. Records of files changed since the base
 * are parsed from the base's text with the loader's parser; every other record is the same at
 * the base as now, so it is taken from the current estate instead of being read twice. A record
 * whose base file could not be read or parsed is taken as unchanged: a transition that cannot
 * be known is not reported.
 */
export function baseRecords(estate: Estate, base: BaseFiles): NonNullable<RuleContext['base']> {
  const changes = new Map<string, Change>();
  const releases = new Map<string, Release>();
  // The base was checked when it was the head: its findings are not this run's business, only
  // its records are. So the base text is parsed, and neither validated nor indexed for positions.
  const unknownAtBase = new Set(base.unreadable ?? []);
  for (const file of base.files) {
    const parsed = parseYamlFile(file, estate.policy.limits);
    if (parsed.findings.length > 0) unknownAtBase.add(file.path);
    for (const doc of parsed.documents) {
      const data = doc.data as { kind?: unknown; id?: unknown } | null;
      if (!data || typeof data !== 'object' || typeof data.id !== 'string') continue;
      if (data.kind === 'Change' && !changes.has(data.id)) changes.set(data.id, data as Change);
      if (data.kind === 'Release' && !releases.has(data.id)) releases.set(data.id, data as Release);
    }
  }
  const changedNow = new Set<string>();
  const unknownNow = new Set<string>();
  for (const file of base.changedFiles) {
    if (file.status === 'deleted') continue;
    changedNow.add(file.path);
    if (unknownAtBase.has(file.previousPath ?? file.path)) unknownNow.add(file.path);
  }
  const same = (file: string) => !changedNow.has(file) || unknownNow.has(file);
  for (const record of estate.changes.values())
    if (same(record.source.file) && !changes.has(record.id)) changes.set(record.id, record.data);
  for (const record of estate.releases.values())
    if (same(record.source.file) && !releases.has(record.id)) releases.set(record.id, record.data);
  return { changes, releases };
}
