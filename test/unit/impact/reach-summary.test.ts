import { describe, expect, it } from 'vitest';
import { changeImpactOn } from '../../../src/impact/change-impact.js';
import { buildGraph, type CmdbGraph } from '../../../src/impact/graph.js';
import {
  levelTable,
  mostCriticalAt,
  summariseReach,
  traceImpact,
  viaOf,
} from '../../../src/impact/impact.js';
import type { Level } from '../../../src/records/level.js';
import { loadPolicy } from '../../../src/records/load.js';
import type { ConfigurationItem } from '../../../src/records/types.generated.js';
import { ci, paymentsEstate } from '../../fixtures/estate.js';

const policy = loadPolicy(undefined).policy;

/** A small deterministic pseudo-random generator, so a failure names its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** A CMDB with cycles, self-references, repeats, unknown references and invalid criticalities. */
function estateOf(seed: number): ConfigurationItem[] {
  const next = random(seed);
  const size = 3 + Math.floor(next() * 40);
  const id = (n: number) => `ci-${String(n).padStart(3, '0')}`;
  const pick = () =>
    next() < 0.1 ? `ghost-${Math.floor(next() * 5)}` : id(Math.floor(next() * size));
  const records: ConfigurationItem[] = [];
  for (let n = 0; n < size; n++) {
    const edges = () => Array.from({ length: Math.floor(next() * 4) }, pick);
    const criticality = next() < 0.05 ? 7 : 1 + Math.floor(next() * 4);
    records.push(
      ci(id((n * 7) % size), {
        criticality,
        dependsOn: edges(),
        partOf: edges(),
        ...(next() < 0.5 ? { environment: next() < 0.5 ? 'prod' : 'test' } : {}),
      }),
    );
  }
  return records;
}

/** What changeImpactOn worked out before summariseReach: the full trace, then its most critical. */
function byTrace(graph: CmdbGraph, named: string[], table: readonly Level[]) {
  const reached = traceImpact(graph, named, { paths: false });
  const position = mostCriticalAt(reached, graph, table);
  return {
    reached,
    indices: reached.indices,
    unknown: reached.unknown,
    mostCritical:
      position < 0
        ? undefined
        : {
            id: reached.impacted[position]!.id,
            criticality: graph.criticality[reached.indices[position]!]!,
            via: viaOf(reached, position),
          },
  };
}

const tables: Array<readonly Level[]> = [
  levelTable(policy),
  // Not monotone: criticality 3 maps higher than 1 and 2.
  levelTable({ impactByCriticality: { 1: 'low', 2: 'medium', 3: 'high', 4: 'low' } }),
  levelTable({ impactByCriticality: { 1: 'low', 2: 'low', 3: 'low', 4: 'low' } }),
];

describe('summariseReach, the check fast path of an impact', () => {
  it('finds what traceImpact, mostCriticalAt and viaOf find, on graphs with cycles and gaps', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const records = estateOf(seed);
      const graph = buildGraph(records);
      const next = random(seed * 31);
      for (let query = 0; query < 5; query++) {
        const named = Array.from({ length: Math.floor(next() * 4) }, () =>
          next() < 0.2
            ? `ghost-${Math.floor(next() * 3)}`
            : records[Math.floor(next() * records.length)]!.id,
        );
        for (const table of tables) {
          const expected = byTrace(graph, named, table);
          const summary = summariseReach(graph, named, table);
          expect({ seed, ...summary }).toEqual({
            seed,
            indices: expected.indices,
            unknown: expected.unknown,
            ...(expected.mostCritical ? { mostCritical: expected.mostCritical } : {}),
          });
        }
      }
    }
  });

  it('reports nothing reached for no CI or only unknown ones', () => {
    const graph = buildGraph(paymentsEstate());
    expect(summariseReach(graph, [], levelTable(policy))).toEqual({
      indices: new Int32Array(0),
      unknown: [],
    });
    expect(summariseReach(graph, ['ghost', 'ghost'], levelTable(policy))).toEqual({
      indices: new Int32Array(0),
      unknown: ['ghost'],
    });
  });
});

describe('changeImpactOn, made lazily from the summary', () => {
  it('gives the ids, count, level, most critical CI and reached set the full trace gives', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const records = estateOf(seed);
      const graph = buildGraph(records);
      const named = [records[0]!.id, 'ghost-9', records[records.length - 1]!.id, 'ghost-1'];
      const table = levelTable(policy);
      const expected = byTrace(graph, named, table);
      const impact = changeImpactOn(graph, named, policy, table);
      const ids = [
        ...new Set([...expected.reached.impacted.map((entry) => entry.id), ...expected.unknown]),
      ].sort();
      expect(impact.count).toBe(ids.length);
      expect(impact.ids).toEqual(ids);
      expect(impact.level).toBe(
        expected.mostCritical ? table[expected.mostCritical.criticality] : 'low',
      );
      expect(impact.mostCritical).toEqual(expected.mostCritical);
      expect(impact.reached).toEqual(expected.reached);
      // Made once.
      expect(impact.reached).toBe(impact.reached);
      expect(impact.ids).toBe(impact.ids);
    }
  });

  it('keeps its own copy of the named CIs: the caller may reuse its list', () => {
    const graph = buildGraph(paymentsEstate());
    const named = ['pg-payments'];
    const impact = changeImpactOn(graph, named, policy);
    named[0] = 'reporting';
    expect(impact.reached.start).toEqual(['pg-payments']);
  });
});
