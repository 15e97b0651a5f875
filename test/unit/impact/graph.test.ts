import { describe, expect, it } from 'vitest';
import type { ConfigurationItem } from '../../../src/records/types.generated.js';
import { buildGraph, EdgeKind, type CmdbGraph } from '../../../src/impact/graph.js';
import { ci } from '../../fixtures/estate.js';

/** The edges of a graph as readable triples, in CSR order. */
function edges(graph: CmdbGraph): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (let u = 0; u < graph.size; u++) {
    for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
      const kind = graph.kinds[e] === EdgeKind.dependsOn ? 'dependsOn' : 'partOf';
      out.push([graph.ids[u]!, graph.ids[graph.targets[e]!]!, kind]);
    }
  }
  return out;
}

describe('buildGraph', () => {
  it('points edges the way impact travels: to dependents and to wholes', () => {
    const graph = buildGraph([
      ci('app', { dependsOn: ['db'], partOf: ['shop'] }),
      ci('db'),
      ci('shop'),
    ]);
    expect(graph.ids).toEqual(['app', 'db', 'shop']);
    expect(edges(graph)).toEqual([
      ['app', 'shop', 'partOf'],
      ['db', 'app', 'dependsOn'],
    ]);
    expect(graph.stats).toMatchObject({ nodes: 3, edges: 2, unknownReferences: 0 });
  });

  it('gives the same graph whatever order the records come in', () => {
    const records = [
      ci('c', { dependsOn: ['a', 'b'] }),
      ci('a', { partOf: ['c', 'b'] }),
      ci('b', { dependsOn: ['a'] }),
      ci('d', { partOf: ['c'], dependsOn: ['b'] }),
    ];
    const one = buildGraph(records);
    const other = buildGraph([...records].reverse());
    expect(other.ids).toEqual(one.ids);
    expect(other.offsets).toEqual(one.offsets);
    expect(other.targets).toEqual(one.targets);
    expect(other.kinds).toEqual(one.kinds);
  });

  it('orders each CI neighbours by id and keeps one edge of a repeated pair', () => {
    // b.dependsOn a and a.partOf b both say a change to a impacts b.
    const graph = buildGraph([
      ci('a', { partOf: ['b', 'z'] }),
      ci('b', { dependsOn: ['a'] }),
      ci('m', { dependsOn: ['a'] }),
      ci('z'),
    ]);
    expect(edges(graph)).toEqual([
      ['a', 'b', 'dependsOn'],
      ['a', 'm', 'dependsOn'],
      ['a', 'z', 'partOf'],
    ]);
    expect(graph.stats.duplicateEdges).toBe(1);
  });

  it.each<[string, ConfigurationItem[], Partial<CmdbGraph['stats']>]>([
    [
      'unknown references',
      [ci('a', { dependsOn: ['ghost'], partOf: ['nowhere', 'b'] }), ci('b')],
      { edges: 1, unknownReferences: 2 },
    ],
    [
      'self references',
      [ci('a', { dependsOn: ['a'], partOf: ['a'] })],
      { edges: 0, selfReferences: 2 },
    ],
    [
      'duplicate ids',
      [ci('a'), ci('a', { dependsOn: ['b'] }), ci('b')],
      { nodes: 2, edges: 0, duplicateIds: 1 },
    ],
    [
      'invalid criticality',
      [ci('a', { criticality: 7 }), ci('b', { criticality: 2.5 })],
      { invalidCriticality: 2 },
    ],
  ])('leaves out and counts %s', (_, records, stats) => {
    expect(buildGraph(records).stats).toMatchObject(stats);
  });

  it('keeps the first record of a duplicate id', () => {
    const graph = buildGraph([ci('a', { name: 'First' }), ci('a', { name: 'Second' })]);
    expect(graph.names).toEqual(['First']);
  });

  it('counts an invalid criticality as business critical (fails closed)', () => {
    const graph = buildGraph([ci('a', { criticality: 0 }), ci('b', { criticality: 4 })]);
    expect([...graph.criticality]).toEqual([1, 4]);
  });

  it('interns environments in ascending order, -1 for none', () => {
    const graph = buildGraph([
      ci('a', { environment: 'staging' }),
      ci('b', { environment: 'production' }),
      ci('c'),
      ci('d', { environment: 'staging' }),
    ]);
    expect(graph.environments).toEqual(['production', 'staging']);
    expect([...graph.environment]).toEqual([1, 0, -1, 1]);
  });

  it('survives records that break the schema', () => {
    const hostile = [
      { ...ci('a'), dependsOn: 'b' },
      { ...ci('b'), partOf: [42, null, { id: 'a' }, 'a'] },
      { ...ci('__proto__'), dependsOn: ['constructor', 'b'] },
      { kind: 'ConfigurationItem' },
      null,
    ] as unknown as ConfigurationItem[];
    const graph = buildGraph(hostile);
    expect(graph.ids).toEqual(['__proto__', 'a', 'b']);
    expect(edges(graph)).toEqual([
      ['b', '__proto__', 'dependsOn'],
      ['b', 'a', 'partOf'],
    ]);
    expect(graph.stats.unknownReferences).toBe(4);
  });

  it('builds an empty graph from no records', () => {
    const graph = buildGraph([]);
    expect(graph.size).toBe(0);
    expect([...graph.offsets]).toEqual([0]);
  });

  describe('records whose ids already ascend (the fast path: the records are the nodes)', () => {
    const sorted = [
      ci('a', { dependsOn: ['c', 'ghost'], partOf: ['b', 'a'] }),
      ci('b', { environment: 'prod', criticality: 9 }),
      ci('c', { partOf: ['a', 'a'], dependsOn: ['b'] }),
      ci('d', { dependsOn: ['a', 'c'], environment: 'dev' }),
    ];

    it('gives the graph the same records in any other order give', () => {
      const expected = buildGraph([sorted[2]!, sorted[0]!, sorted[3]!, sorted[1]!]);
      expect(buildGraph(sorted)).toEqual(expected);
      expect(buildGraph([...sorted].reverse())).toEqual(expected);
    });

    it.each<[string, unknown[]]>([
      ['a repeat right after its first record', [...sorted, { ...ci('d'), name: 'Second' }]],
      ['a repeat further on', [ci('a'), ci('b'), ci('a', { name: 'Second' })]],
      ['an id out of order at the end', [...sorted, ci('ab')]],
      ['a record with no id', [sorted[0], { kind: 'ConfigurationItem' }, sorted[1]]],
      ['a record that is no mapping', [sorted[0], null, sorted[1]]],
      ['ids that ascend only by locale', [ci('b'), ci('B')]],
    ])('falls back to sorting on %s, keeping the first record of an id', (_, records) => {
      const cis = records as ConfigurationItem[];
      const graph = buildGraph(cis);
      const usable = cis.filter((record) => typeof record?.id === 'string');
      const firsts = usable.filter(
        (record, k) => usable.findIndex((other) => other.id === record.id) === k,
      );
      expect(graph.ids).toEqual(firsts.map((record) => record.id).sort());
      expect(graph.names).toEqual(
        [...firsts].sort((x, y) => (x.id < y.id ? -1 : 1)).map((record) => record.name),
      );
      expect(graph.stats.duplicateIds).toBe(usable.length - firsts.length);
      // The same graph from the first records alone, in an order that does not ascend.
      expect({ ...buildGraph([...firsts].reverse()), stats: undefined }).toEqual({
        ...graph,
        stats: undefined,
      });
    });
  });

  it('grows its edge lists for CIs with more references than it made room for', () => {
    const many = Array.from({ length: 60 }, (_, k) => `c${k % 7}`);
    const records = [
      ci('a', { dependsOn: many, partOf: [...many, 'ghost', 'a'] }),
      ci('b', { dependsOn: ['a', ...many], partOf: many }),
      ...Array.from({ length: 7 }, (_, k) => ci(`c${k}`, { dependsOn: ['a', 'b'] })),
    ];
    const graph = buildGraph(records);
    const expected: [string, string, string][] = [];
    const sevens = Array.from({ length: 7 }, (_, k) => `c${k}`);
    // a: impacts b (b dependsOn a), its wholes c0..c6, and c0..c6 (they depend on a) once each.
    expected.push(['a', 'b', 'dependsOn']);
    for (const c of sevens) expected.push(['a', c, 'dependsOn']);
    for (const c of sevens) expected.push(['b', c, 'dependsOn']);
    for (const c of sevens) expected.push([c, 'a', 'dependsOn'], [c, 'b', 'dependsOn']);
    expect(edges(graph)).toEqual(expected);
    expect(graph.stats).toMatchObject({
      nodes: 9,
      edges: expected.length,
      unknownReferences: 1,
      selfReferences: 1,
      duplicateEdges: 60 + 60 + 1 + 60 + 60 + 14 - expected.length,
    });
  });
});
