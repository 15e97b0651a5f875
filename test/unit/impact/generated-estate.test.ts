import { beforeAll, describe, expect, it } from 'vitest';
import type { ConfigurationItem } from '../../../src/records/types.generated.js';
import { buildGraph, type CmdbGraph } from '../../../src/impact/graph.js';
import { impactedIndices, traceImpact } from '../../../src/impact/impact.js';
import { generateCmdb, prng } from '../../fixtures/generate-cmdb.js';

type Next = Map<string, string[]>;

/** Who a change to each CI impacts next, straight from the records and the SPEC's words. */
function nextOf(cis: readonly ConfigurationItem[]): Next {
  const known = new Set(cis.map((c) => c.id));
  const next: Next = new Map();
  const add = (from: string, to: string): void => {
    if (!known.has(from) || !known.has(to)) return;
    if (!next.has(from)) next.set(from, []);
    next.get(from)!.push(to);
  };
  for (const c of cis) {
    for (const b of c.dependsOn ?? []) add(b, c.id);
    for (const whole of c.partOf ?? []) add(c.id, whole);
  }
  return next;
}

/**
 * The obvious implementation to hold the fast one against: a breadth-first search over string
 * ids that keeps every CI's depth.
 */
function naiveImpact(
  next: Next,
  known: ReadonlySet<string>,
  start: readonly string[],
): Map<string, number> {
  const depth = new Map<string, number>();
  let frontier = start.filter((id) => known.has(id));
  for (const id of frontier) depth.set(id, 0);
  for (let d = 1; frontier.length > 0; d++) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const to of next.get(id) ?? []) {
        if (!depth.has(to)) {
          depth.set(to, d);
          following.push(to);
        }
      }
    }
    frontier = following;
  }
  return depth;
}

/** Every (from, to) hop of the records with its relation, as "from to" keys. */
function hopsOf(cis: readonly ConfigurationItem[]): Map<string, Set<string>> {
  const hops = new Map<string, Set<string>>();
  const add = (key: string, relation: string): void => {
    if (!hops.has(key)) hops.set(key, new Set());
    hops.get(key)!.add(relation);
  };
  for (const c of cis) {
    for (const b of c.dependsOn ?? []) add(`${b} ${c.id}`, 'dependsOn');
    for (const whole of c.partOf ?? []) add(`${c.id} ${whole}`, 'partOf');
  }
  return hops;
}

describe('impact on a generated 100,000-CI estate', () => {
  let cis: ConfigurationItem[];
  let graph: CmdbGraph;
  let hops: Map<string, Set<string>>;
  let next: Next;
  let known: Set<string>;
  let queries: string[][];

  beforeAll(() => {
    cis = generateCmdb({ cis: 100_000, seed: 7 });
    graph = buildGraph(cis);
    hops = hopsOf(cis);
    next = nextOf(cis);
    known = new Set(cis.map((c) => c.id));
    const random = prng(11);
    const any = (): string => graph.ids[Math.floor(random() * graph.size)]!;
    const ofClass = (cls: string): string => {
      for (;;) {
        const i = Math.floor(random() * graph.size);
        if (graph.classes[i] === cls) return graph.ids[i]!;
      }
    };
    // Mostly single CIs of every layer, some changes naming several, two with a huge radius.
    queries = [
      ...Array.from({ length: 60 }, () => [any()]),
      ...Array.from({ length: 20 }, () => [ofClass('database')]),
      ...Array.from({ length: 10 }, () => [ofClass('server')]),
      ...Array.from({ length: 10 }, () => [any(), any(), any()]),
      [ofClass('network')],
      ['core-000000'],
    ];
  });

  it('is about 250,000 edges with every reference known', () => {
    expect(graph.size).toBe(100_000);
    expect(graph.stats.edges).toBeGreaterThan(240_000);
    expect(graph.stats.edges).toBeLessThan(260_000);
    expect(graph.stats.unknownReferences).toBe(0);
  });

  // Checks collect mismatches and assert once: the widest query reaches most of the estate.
  it('reaches exactly what the naive search reaches, each at its shortest depth', () => {
    for (const start of queries) {
      const expected = naiveImpact(next, known, start);
      const impact = traceImpact(graph, start, { paths: false });
      const wrong = impact.impacted.filter((c) => expected.get(c.id) !== c.depth);
      expect(wrong, start.join()).toEqual([]);
      expect(impact.impacted.length, start.join()).toBe(expected.size);
    }
  });

  it('picks as the hop before each CI the smallest id among those one step nearer', () => {
    const previous = new Map<string, string[]>();
    for (const [from, tos] of next) {
      for (const to of tos) previous.set(to, [...(previous.get(to) ?? []), from]);
    }
    for (const start of queries.slice(0, 40)) {
      const depth = naiveImpact(next, known, start);
      const impact = traceImpact(graph, start);
      const wrong = impact.impacted.filter((c) => {
        if (c.depth === 0) return false;
        const nearer = (previous.get(c.id) ?? []).filter((p) => depth.get(p) === c.depth - 1);
        return c.via!.at(-2) !== nearer.sort()[0];
      });
      expect(wrong, start.join()).toEqual([]);
    }
  });

  it('explains every CI with a real shortest path ending in the relation it reports', () => {
    for (const start of queries) {
      const impact = traceImpact(graph, start);
      const wrong = impact.impacted.filter((c) => {
        const via = c.via!;
        if (via.length !== c.depth + 1 || !start.includes(via[0]!) || via.at(-1) !== c.id)
          return true;
        for (let k = 1; k < via.length; k++) if (!hops.has(`${via[k - 1]} ${via[k]}`)) return true;
        if (c.depth === 0) return c.relation !== 'direct';
        return !hops.get(`${via.at(-2)} ${c.id}`)!.has(c.relation);
      });
      expect(wrong, start.join()).toEqual([]);
    }
  });

  it('lists CIs by depth, then id, and the id set matches', () => {
    for (const start of queries) {
      const impact = traceImpact(graph, start, { paths: false });
      const keys = impact.impacted.map((c) => [c.depth, c.id] as const);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
      expect(keys).toEqual(sorted);
      const set = [...impactedIndices(graph, start)].map((i) => graph.ids[i]);
      expect(set).toEqual(impact.impacted.map((c) => c.id).sort());
    }
  });
});
