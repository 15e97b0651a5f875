import { isLevel, levelRank, type Level } from '../records/level.js';
import type { Policy } from '../records/types.generated.js';
import { EdgeKind, type CmdbGraph } from './graph.js';

/** Why a CI is impacted: it was named, it depends on the CI before it, or that CI is part of it. */
export type Relation = 'direct' | 'dependsOn' | 'partOf';

/** One impacted CI and what explains it. */
export interface ImpactedCi {
  id: string;
  name: string;
  /** Hops from the nearest named CI: 0 for the named CIs themselves. */
  depth: number;
  /** The relation of the last hop of `via`. */
  relation: Relation;
  criticality: number;
  environment: string | null;
  /**
   * The ids from a named CI to this one, both included, such as
   * ['pg-payments', 'payments-api', 'online-shop']. Only when asked for (`paths`, the default);
   * `viaOf` rebuilds it from `parents` otherwise.
   */
  via?: string[];
}

/** The blast radius of a change: every CI reached from the named ones, with its explanation. */
export interface Impact {
  /** The named CIs found in the CMDB, ascending, without repeats. */
  start: string[];
  /** The named ids not in the CMDB, in the order given, without repeats. */
  unknown: string[];
  /** The named CIs and every CI they impact, by depth, then id. */
  impacted: ImpactedCi[];
  /** Graph index of each entry of `impacted`. */
  indices: Int32Array;
  /**
   * For each entry of `impacted`, the position in `impacted` of the hop before it, or -1 for a
   * named CI: the explanation tree. A parent always comes before its children.
   */
  parents: Int32Array;
}

/** How far and how much an impact query works out. */
export interface ImpactOptions {
  /** Build `via` for every impacted CI (default true); `viaOf` can still do it later. */
  paths?: boolean;
  /** Stop this many hops from the named CIs (default: no limit). */
  maxDepth?: number;
}

/** Edge kind code -> relation; 0 marks a named CI. */
const relationOf: Relation[] = ['direct', 'direct', 'direct'];
relationOf[EdgeKind.dependsOn] = 'dependsOn';
relationOf[EdgeKind.partOf] = 'partOf';

/**
 * Per-graph working memory, reused by every query so a query allocates only its result. `seen`
 * holds the query number that last reached a node: bumping the number clears it for free.
 */
interface Scratch {
  seen: Uint32Array;
  epoch: number;
  queue: Int32Array;
  parent: Int32Array;
  /** The edge kind of the hop into each reached node, 0 for a named one. */
  hop: Uint8Array;
  levels: number[];
}

const scratches = new WeakMap<CmdbGraph, Scratch>();

function scratchOf(graph: CmdbGraph): Scratch {
  let scratch = scratches.get(graph);
  if (!scratch) {
    const n = graph.size;
    scratch = {
      seen: new Uint32Array(n),
      epoch: 0,
      queue: new Int32Array(n),
      parent: new Int32Array(n),
      hop: new Uint8Array(n),
      levels: [],
    };
    scratches.set(graph, scratch);
  }
  if (scratch.epoch === 0xffffffff) {
    scratch.seen.fill(0);
    scratch.epoch = 0;
  }
  scratch.epoch++;
  return scratch;
}

/**
 * Marks the named CIs as reached at depth 0 and queues them. Returns how many were queued (repeats
 * dropped) and the ids the graph does not know.
 */
function seed(
  graph: CmdbGraph,
  scratch: Scratch,
  ids: readonly string[],
): { count: number; unknown: string[] } {
  const { seen, epoch, queue, parent, hop } = scratch;
  const unknown: string[] = [];
  let unknownSet: Set<string> | undefined;
  let count = 0;
  for (const id of ids) {
    const node = graph.index.get(id);
    if (node === undefined) {
      unknownSet ??= new Set();
      if (!unknownSet.has(id)) {
        unknownSet.add(id);
        unknown.push(id);
      }
    } else if (seen[node] !== epoch) {
      seen[node] = epoch;
      parent[node] = -1;
      hop[node] = 0;
      queue[count++] = node;
    }
  }
  return { count, unknown };
}

/**
 * Breadth-first search along impact edges from the `seeded` CIs at the head of the queue. Leaves
 * the reached nodes in `queue[0..count)` and the start of each depth in `levels`. With
 * `canonical`, each depth is sorted before it is expanded, so the queue ends up ordered by depth
 * then id and each node's parent is the smallest id one hop nearer: one stable explanation
 * whatever order the edges came in.
 */
function search(
  graph: CmdbGraph,
  scratch: Scratch,
  seeded: number,
  canonical: boolean,
  maxDepth: number,
): number {
  const { offsets, targets, kinds } = graph;
  const { seen, epoch, queue, parent, hop, levels } = scratch;
  levels.length = 0;
  let tail = seeded;
  let levelStart = 0;
  let levelEnd = tail;
  let depth = 0;
  while (levelStart < levelEnd) {
    levels.push(levelStart);
    if (canonical && levelEnd - levelStart > 1) queue.subarray(levelStart, levelEnd).sort();
    if (depth >= maxDepth) break;
    for (let p = levelStart; p < levelEnd; p++) {
      const u = queue[p]!;
      const end = offsets[u + 1]!;
      for (let e = offsets[u]!; e < end; e++) {
        const v = targets[e]!;
        if (seen[v] === epoch) continue;
        seen[v] = epoch;
        // p is final: this depth was sorted before it was expanded.
        parent[v] = p;
        hop[v] = kinds[e]!;
        queue[tail++] = v;
      }
    }
    levelStart = levelEnd;
    levelEnd = tail;
    depth++;
  }
  return levelEnd;
}

/** Works out every CI a change to the named CIs impacts, and the path that explains each one. */
export function traceImpact(
  graph: CmdbGraph,
  ids: readonly string[],
  options: ImpactOptions = {},
): Impact {
  const scratch = scratchOf(graph);
  const { count: seeded, unknown } = seed(graph, scratch, ids);
  const reached = search(graph, scratch, seeded, true, options.maxDepth ?? Infinity);
  const { queue, parent, hop, levels } = scratch;
  const { criticality, environment, environments } = graph;

  const indices = queue.slice(0, reached);
  const parents = new Int32Array(reached);
  const impacted = new Array<ImpactedCi>(reached);
  const withPaths = options.paths ?? true;
  const start: string[] = [];
  let depth = 0;
  for (let p = 0; p < reached; p++) {
    while (depth + 1 < levels.length && levels[depth + 1]! <= p) depth++;
    const node = indices[p]!;
    const from = parent[node]!;
    parents[p] = from;
    const id = graph.ids[node]!;
    const env = environment[node]!;
    const entry: ImpactedCi = {
      id,
      name: graph.names[node]!,
      depth,
      relation: relationOf[hop[node]!]!,
      criticality: criticality[node]!,
      environment: env >= 0 ? environments[env]! : null,
    };
    if (withPaths) {
      // Sized up front and filled backwards along the parents: several times faster than
      // copying the parent's path, which shows on a query that reaches most of the estate.
      const via = new Array<string>(depth + 1);
      for (let k = depth, q = p; k >= 0; k--, q = parents[q]!) via[k] = graph.ids[indices[q]!]!;
      entry.via = via;
    }
    if (depth === 0) start.push(id);
    impacted[p] = entry;
  }
  return { start, unknown, impacted, indices, parents };
}

/**
 * What a check needs of an impact, without listing it (traceImpact makes an entry per reached
 * CI; a check of 5,000 changes reads only the level, the count and one path of each).
 */
export interface ReachSummary {
  /** The graph indices traceImpact's `indices` holds: by depth, then id. */
  indices: Int32Array;
  /** As traceImpact's `unknown`: the named ids not in the CMDB, in the order given. */
  unknown: string[];
  /**
   * The CI at mostCriticalAt's position, with its criticality and the path traceImpact's parent
   * links give it (viaOf); absent when nothing is reached.
   */
  mostCritical?: { id: string; criticality: number; via: string[] };
}

/**
 * The same search as traceImpact (canonical, so the same parents), read straight from the
 * working memory: the reached indices, the unknown ids, and the most critical CI under `table`
 * (levelTable of the policy) with its path, as mostCriticalAt and viaOf would find them on
 * traceImpact's answer. Nothing is made per reached CI.
 */
export function summariseReach(
  graph: CmdbGraph,
  ids: readonly string[],
  table: readonly Level[],
): ReachSummary {
  const scratch = scratchOf(graph);
  const { count: seeded, unknown } = seed(graph, scratch, ids);
  const reached = search(graph, scratch, seeded, true, Infinity);
  const { queue, parent } = scratch;
  const { criticality } = graph;
  // mostCriticalAt's order: the highest level, then the lowest criticality, then the first in
  // the queue (by depth, then id). Ranks by criticality 0..4 under the table.
  const rank = table.map((level) => levelRank(level));
  let best = -1;
  let bestRank = -1;
  let bestCriticality = 0;
  for (let p = 0; p < reached; p++) {
    const c = criticality[queue[p]!]!;
    const r = rank[c]!;
    if (best < 0 || r > bestRank || (r === bestRank && c < bestCriticality)) {
      best = p;
      bestRank = r;
      bestCriticality = c;
    }
  }
  const indices = queue.slice(0, reached);
  if (best < 0) return { indices, unknown };
  const via: string[] = [];
  for (let p = best; p >= 0; p = parent[queue[p]!]!) via.push(graph.ids[queue[p]!]!);
  via.reverse();
  return {
    indices,
    unknown,
    mostCritical: { id: graph.ids[queue[best]!]!, criticality: bestCriticality, via },
  };
}

/** The path of ids from a named CI to `impacted[position]`, rebuilt from the parent links. */
export function viaOf(impact: Impact, position: number): string[] {
  const path: string[] = [];
  for (let p = position; p >= 0; p = impact.parents[p]!) path.push(impact.impacted[p]!.id);
  return path.reverse();
}

/** The mark that stands for the middle of a path that is shown shortened. */
export const elided = '…';

/** How much of a long path is shown: its first `head` ids and its last `tail` ids. */
export interface PathKeep {
  head: number;
  tail: number;
}

/**
 * The default shortening: the first and the last hop, `a > b > … > y > z`, so that listing a
 * 20,000-CI chain costs a few ids per CI rather than 200 million.
 */
export const firstAndLastHop: Readonly<PathKeep> = Object.freeze({ head: 2, tail: 2 });

/**
 * A path cut to its first `head` and last `tail` ids with `elided` between them, when it is
 * longer than that and one more; a shorter one unchanged. Ids are slugs, so the mark can never be
 * mistaken for one.
 */
export function elidePath(path: readonly string[], keep: PathKeep = firstAndLastHop): string[] {
  if (path.length <= keep.head + keep.tail + 1) return [...path];
  return [...path.slice(0, keep.head), elided, ...path.slice(path.length - keep.tail)];
}

/**
 * The shortened path (elidePath) to every impacted CI, from the parent links, in one pass over the
 * impact before the first question: each answer then costs `head + tail` steps, however long the
 * path. An entry whose parent does not come before it (an impact put together by hand) starts a
 * path of its own.
 */
export function shortPaths(
  impact: Impact,
  keep: PathKeep = firstAndLastHop,
): (position: number) => string[] {
  const { impacted, parents } = impact;
  const n = impacted.length;
  const parentOf = (p: number) => {
    const parent = parents[p] ?? -1;
    return parent >= 0 && parent < p ? parent : -1;
  };
  const hops = new Int32Array(n);
  // first[k][p]: the position of the k-th CI on p's path, for the `head` first ones.
  const first = Array.from({ length: keep.head }, () => new Int32Array(n).fill(-1));
  for (let p = 0; p < n; p++) {
    const parent = parentOf(p);
    hops[p] = parent < 0 ? 0 : hops[parent]! + 1;
    for (let k = 0; k < keep.head; k++)
      first[k]![p] = hops[p] === k ? p : parent < 0 ? -1 : first[k]![parent]!;
  }
  const up = (p: number, count: number) => {
    const ids = new Array<string>(count);
    for (let k = count - 1, q = p; k >= 0; k--, q = parentOf(q)) ids[k] = impacted[q]!.id;
    return ids;
  };
  return (p) => {
    const length = hops[p]! + 1;
    if (length <= keep.head + keep.tail + 1) return up(p, length);
    const head = first.map((positions) => impacted[positions[p]!]!.id);
    return [...head, elided, ...up(p, keep.tail)];
  };
}

/**
 * The graph indices of every CI the named CIs impact (them included), ascending, without paths
 * or ids: the cheap form for comparing many changes, such as collision detection.
 */
export function impactedIndices(graph: CmdbGraph, ids: readonly string[]): Int32Array {
  const scratch = scratchOf(graph);
  const { count } = seed(graph, scratch, ids);
  const reached = search(graph, scratch, count, false, Infinity);
  return scratch.queue.slice(0, reached).sort();
}

/** The indices two ascending index sets share, ascending: the CIs two changes both impact. */
export function sharedIndices(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      out[k++] = x;
      i++;
      j++;
    }
  }
  return out.slice(0, k);
}

/** The impact level of the CIs of one environment. */
export interface EnvironmentImpact {
  /** null for CIs that name no environment. */
  environment: string | null;
  level: Level;
  /** The CI that sets the level. */
  mostCritical: string;
  criticality: number;
}

/** How bad a change's impact is, from the most critical CI it reaches. */
export interface ImpactAssessment {
  /** 'low' when nothing in the CMDB is reached. */
  level: Level;
  /**
   * The CI that sets the level: of those mapped to the highest level, the most critical, then the
   * nearest, then the smallest id.
   */
  mostCritical: string | null;
  criticality: number | null;
  /** One entry per environment reached, ascending, CIs without an environment last. */
  byEnvironment: EnvironmentImpact[];
}

// Indexed by criticality; 0 never occurs (an invalid criticality is stored as 1).
const defaultImpactByCriticality: readonly Level[] = ['high', 'high', 'high', 'medium', 'low'];

/** Criticality 1..4 -> level under the policy, the defaults filling its gaps. */
export function levelTable(policy: Pick<Policy, 'impactByCriticality'> | undefined): Level[] {
  const table = [...defaultImpactByCriticality];
  const custom = policy?.impactByCriticality;
  if (custom) {
    for (const key of ['1', '2', '3', '4'] as const) {
      const level = custom[key];
      if (isLevel(level)) table[Number(key)] = level;
    }
  }
  return table;
}

/**
 * The impact level of an impact under the policy's `impactByCriticality`, overall and per
 * environment. The level is the highest any reached CI maps to, which for the usual (monotone)
 * mapping is the level of the most critical CI; a mapping that is not monotone cannot hide a CI.
 */
export function impactLevel(
  impact: Impact,
  graph: CmdbGraph,
  policy?: Pick<Policy, 'impactByCriticality'>,
): ImpactAssessment {
  const table = levelTable(policy);
  // Slot per environment index, plus one (the last) for CIs without one.
  const noEnvironment = graph.environments.length;
  const best = new Map<number, number>();
  const better = betterOf(impact, graph, table);
  for (let p = 0; p < impact.indices.length; p++) {
    const node = impact.indices[p]!;
    const env = graph.environment[node]!;
    const slot = env >= 0 ? env : noEnvironment;
    const current = best.get(slot);
    if (current === undefined || better(p, current)) best.set(slot, p);
  }
  const overall = mostCriticalAt(impact, graph, table);
  const describe = (p: number): { level: Level; mostCritical: string; criticality: number } => {
    const c = graph.criticality[impact.indices[p]!]!;
    return { level: table[c]!, mostCritical: impact.impacted[p]!.id, criticality: c };
  };
  const byEnvironment = [...best.entries()]
    .sort(([a], [b]) => a - b)
    .map(([slot, p]) => ({
      environment: slot === noEnvironment ? null : graph.environments[slot]!,
      ...describe(p),
    }));
  if (overall < 0) return { level: 'low', mostCritical: null, criticality: null, byEnvironment };
  return { ...describe(overall), byEnvironment };
}

/** Whether the CI at one position of an impact sets a higher level than the CI at another. */
function betterOf(
  impact: Impact,
  graph: CmdbGraph,
  table: readonly Level[],
): (candidate: number, current: number) => boolean {
  return (candidate, current) => {
    const a = graph.criticality[impact.indices[candidate]!]!;
    const b = graph.criticality[impact.indices[current]!]!;
    const byLevel = levelRank(table[a]!) - levelRank(table[b]!);
    // impacted is already by depth then id, so the first of equals is the nearest, smallest id.
    return byLevel > 0 || (byLevel === 0 && a < b);
  };
}

/**
 * The position in `impacted` of the CI that sets an impact's level (impactLevel's
 * `mostCritical`), or -1 when nothing is reached; `table` is levelTable of the policy. Without
 * the per-environment levels: a check asks this once per change.
 */
export function mostCriticalAt(impact: Impact, graph: CmdbGraph, table: readonly Level[]): number {
  const better = betterOf(impact, graph, table);
  let overall = -1;
  for (let p = 0; p < impact.indices.length; p++)
    if (overall < 0 || better(p, overall)) overall = p;
  return overall;
}
