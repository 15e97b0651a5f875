import type { Estate } from '../records/estate.js';
import type { Level } from '../records/level.js';
import type { Change, ConfigurationItem } from '../records/types.generated.js';
import { StoredCis } from '../records/stored-cis.js';
import { viewOf } from '../records/stored-record.js';
import { buildGraph, type CmdbGraph } from './graph.js';
import { levelTable, summariseReach, traceImpact, type Impact } from './impact.js';

/**
 * The impact of one change, worked out once: the one object the rules, the change's summary,
 * the report (its CI table and mermaid graph) and the action's outputs all read.
 */
export interface ChangeImpact {
  /**
   * Every CI of the CMDB the change's CIs reach, by depth then id, with the breadth-first
   * parents that explain each one. Paths are not built up front: `viaOf(reached, p)` derives one.
   * Worked out when first read (the report and verify read it; a check's rules and summaries
   * do not).
   */
  readonly reached: Impact;
  /**
   * The ids of every impacted CI, the named ones missing from the CMDB included, ascending.
   * Made when first read.
   */
  readonly ids: readonly string[];
  /** How many ids there are (`ids.length`), without making them. */
  readonly count: number;
  /** The impact level computed from the most critical CI reached (policy.impactByCriticality). */
  readonly level: Level;
  /** The most critical CI reached, which explains the level, and the path to it. */
  readonly mostCritical?: { id: string; criticality: number; via: readonly string[] };
}

/** The CIs a change names, as far as they are usable: a record that failed its schema still counts. */
export function namedCis(change: Pick<Change, 'cis'>): string[] {
  return Array.isArray(change.cis)
    ? change.cis.filter((id): id is string => typeof id === 'string')
    : [];
}

// By the CIs' map: an estate judged under another policy shares its CIs, and so its graph.
const graphs = new WeakMap<Estate['cis'], CmdbGraph | (() => CmdbGraph | undefined)>();

/** The CMDB graph of an estate, built once however many parts of a run ask for it. */
export function graphOf(estate: Estate): CmdbGraph {
  const known = graphs.get(estate.cis);
  let graph = typeof known === 'function' ? known() : known;
  if (!graph) graph = buildGraph(viewsOf(estate.cis));
  graphs.set(estate.cis, graph);
  return graph;
}

/** The views of every CI (the fields the graph reads), in the map's order; stored ones without a record. */
export function viewsOf(cis: Estate['cis']): ConfigurationItem[] {
  if (cis instanceof StoredCis) return cis.views();
  // One pass and one array: 100,000 CIs on a cold check.
  const views: ConfigurationItem[] = [];
  for (const ci of cis.values()) views.push(viewOf(ci));
  return views;
}

/**
 * Gives graphOf the graph of these CIs without building it: `read` returns it (from the estate
 * snapshot, when the CIs are those it was built of), or undefined to have it built after all.
 */
export function knownGraph(cis: Estate['cis'], read: () => CmdbGraph | undefined): void {
  graphs.set(cis, read);
}

/**
 * The impact of changing the named CIs, on a graph, under the policy's impactByCriticality. The
 * level, the count and the most critical CI's path come from one search that makes nothing per
 * reached CI (summariseReach); `ids` and `reached` are made from it, or by the same search again,
 * when first read: the same values traceImpact and sortedIds give.
 */
export function changeImpactOn(
  graph: CmdbGraph,
  named: readonly string[],
  policy: Estate['policy'],
  levels: readonly Level[] = levelTable(policy),
): ChangeImpact {
  const names = [...named];
  const { indices, unknown, mostCritical } = summariseReach(graph, names, levels);
  let reached: Impact | undefined;
  let ids: string[] | undefined;
  return {
    get reached() {
      return (reached ??= traceImpact(graph, names, { paths: false }));
    },
    get ids() {
      return (ids ??= sortedIds(graph, indices, unknown));
    },
    count: indices.length + unknown.length,
    level: mostCritical ? levels[mostCritical.criticality]! : 'low',
    ...(mostCritical ? { mostCritical } : {}),
  };
}

/**
 * The impact of each change of an estate, computed on first use: the CMDB graph is built once,
 * and each set of named CIs is worked out once however many rules (and changes naming the same
 * CIs) ask. `graph` is the CMDB to judge on (the union of base and head in a pull request); the
 * estate's own by default.
 */
export function impactResolver(
  estate: Estate,
  graph: () => CmdbGraph = () => graphOf(estate),
): (change: Change) => ChangeImpact {
  const cache = new Map<string, ChangeImpact>();
  const levels = levelTable(estate.policy);
  return (change) => {
    const named = namedCis(change);
    const key = named.join('\n');
    let impact = cache.get(key);
    if (!impact) {
      impact = changeImpactOn(graph(), named, estate.policy, levels);
      cache.set(key, impact);
    }
    return impact;
  };
}

/**
 * The reached ids and the unknown named ones, ascending. Graph indices follow the ids' sort
 * order, so sorting the indices sorts the ids; the few unknown ids are merged in.
 */
function sortedIds(graph: CmdbGraph, indices: Int32Array, unknownIds: readonly string[]): string[] {
  const nodes = indices.slice().sort();
  const known = new Array<string>(nodes.length);
  for (let k = 0; k < nodes.length; k++) known[k] = graph.ids[nodes[k]!]!;
  if (unknownIds.length === 0) return known;
  const unknown = [...unknownIds].sort();
  const ids: string[] = [];
  let i = 0;
  let j = 0;
  while (i < known.length || j < unknown.length) {
    if (j >= unknown.length || (i < known.length && known[i]! < unknown[j]!)) ids.push(known[i++]!);
    else ids.push(unknown[j++]!);
  }
  return ids;
}
