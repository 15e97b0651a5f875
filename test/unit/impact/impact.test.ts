import { describe, expect, it } from 'vitest';
import type { ConfigurationItem } from '../../../src/records/types.generated.js';
import { buildGraph } from '../../../src/impact/graph.js';
import {
  impactedIndices,
  impactLevel,
  traceImpact,
  sharedIndices,
  viaOf,
  type Impact,
} from '../../../src/impact/impact.js';
import { ci, paymentsEstate } from '../../fixtures/estate.js';

/** An impact as [id, depth, relation, via] rows: the whole answer, easy to read in a table. */
function rows(impact: Impact): [string, number, string, string][] {
  return impact.impacted.map((c) => [c.id, c.depth, c.relation, (c.via ?? []).join(' > ')]);
}

const chain = [
  ci('a'),
  ci('b', { dependsOn: ['a'] }),
  ci('c', { dependsOn: ['b'] }),
  ci('d', { dependsOn: ['c'] }),
];
// Two ways from db to shop of the same length, and a longer third through slow.
const diamond = [
  ci('db'),
  ci('api-2', { dependsOn: ['db'], partOf: ['shop'] }),
  ci('api-1', { dependsOn: ['db'], partOf: ['shop'] }),
  ci('slow', { dependsOn: ['db'] }),
  ci('slower', { dependsOn: ['slow'] }),
  ci('shop', { dependsOn: ['slower'] }),
];
const cycle = [
  ci('x', { dependsOn: ['z'] }),
  ci('y', { dependsOn: ['x'] }),
  ci('z', { dependsOn: ['y'] }),
];

describe('traceImpact', () => {
  it.each<[string, ConfigurationItem[], string[], [string, number, string, string][]]>([
    [
      'a chain, transitively',
      chain,
      ['a'],
      [
        ['a', 0, 'direct', 'a'],
        ['b', 1, 'dependsOn', 'a > b'],
        ['c', 2, 'dependsOn', 'a > b > c'],
        ['d', 3, 'dependsOn', 'a > b > c > d'],
      ],
    ],
    [
      'a chain, only downstream of the change',
      chain,
      ['c'],
      [
        ['c', 0, 'direct', 'c'],
        ['d', 1, 'dependsOn', 'c > d'],
      ],
    ],
    [
      'a diamond, at the shortest depth by the smallest id',
      diamond,
      ['db'],
      [
        ['db', 0, 'direct', 'db'],
        ['api-1', 1, 'dependsOn', 'db > api-1'],
        ['api-2', 1, 'dependsOn', 'db > api-2'],
        ['slow', 1, 'dependsOn', 'db > slow'],
        ['shop', 2, 'partOf', 'db > api-1 > shop'],
        ['slower', 2, 'dependsOn', 'db > slow > slower'],
      ],
    ],
    [
      'a cycle, each CI once',
      cycle,
      ['x'],
      [
        ['x', 0, 'direct', 'x'],
        ['y', 1, 'dependsOn', 'x > y'],
        ['z', 2, 'dependsOn', 'x > y > z'],
      ],
    ],
    [
      'a database: the app on it and the service the app is part of',
      paymentsEstate(),
      ['pg-payments'],
      [
        ['pg-payments', 0, 'direct', 'pg-payments'],
        ['payments-api', 1, 'dependsOn', 'pg-payments > payments-api'],
        ['reporting', 1, 'dependsOn', 'pg-payments > reporting'],
        ['online-shop', 2, 'partOf', 'pg-payments > payments-api > online-shop'],
      ],
    ],
    [
      'a service: not the database under it',
      paymentsEstate(),
      ['online-shop'],
      [['online-shop', 0, 'direct', 'online-shop']],
    ],
    [
      'an app: the service it is part of, not the database it depends on',
      paymentsEstate(),
      ['payments-api'],
      [
        ['payments-api', 0, 'direct', 'payments-api'],
        ['online-shop', 1, 'partOf', 'payments-api > online-shop'],
      ],
    ],
    [
      'several named CIs, one reachable from the other staying direct',
      chain,
      ['c', 'a', 'c'],
      [
        ['a', 0, 'direct', 'a'],
        ['c', 0, 'direct', 'c'],
        ['b', 1, 'dependsOn', 'a > b'],
        ['d', 1, 'dependsOn', 'c > d'],
      ],
    ],
    [
      'a CI that names itself',
      [ci('self', { dependsOn: ['self'], partOf: ['self'] }), ci('next', { dependsOn: ['self'] })],
      ['self'],
      [
        ['self', 0, 'direct', 'self'],
        ['next', 1, 'dependsOn', 'self > next'],
      ],
    ],
    ['nothing named', chain, [], []],
  ])('%s', (_, records, start, expected) => {
    expect(rows(traceImpact(buildGraph(records), start))).toEqual(expected);
  });

  it('explains a diamond the same way whatever order the records come in', () => {
    const one = traceImpact(buildGraph(diamond), ['db']);
    const other = traceImpact(buildGraph([...diamond].reverse()), ['db']);
    expect(rows(other)).toEqual(rows(one));
  });

  it('reports named ids the CMDB does not know, once each, in the order given', () => {
    const impact = traceImpact(buildGraph(chain), ['ghost', 'c', 'ghost', 'Phantom']);
    expect(impact.unknown).toEqual(['ghost', 'Phantom']);
    expect(impact.start).toEqual(['c']);
    expect(impact.impacted.map((c) => c.id)).toEqual(['c', 'd']);
  });

  it('carries name, criticality and environment for the renderers', () => {
    const [, api] = traceImpact(buildGraph(paymentsEstate()), ['pg-payments']).impacted;
    expect(api).toEqual({
      id: 'payments-api',
      name: 'Payments API',
      depth: 1,
      relation: 'dependsOn',
      criticality: 1,
      environment: 'production',
      via: ['pg-payments', 'payments-api'],
    });
  });

  it('leaves paths out when asked, and rebuilds the same ones from the parent links', () => {
    const graph = buildGraph(diamond);
    const full = traceImpact(graph, ['db']);
    const lean = traceImpact(graph, ['db'], { paths: false });
    expect(lean.impacted.every((c) => c.via === undefined)).toBe(true);
    expect(lean.impacted.map((_, p) => viaOf(lean, p))).toEqual(full.impacted.map((c) => c.via));
    expect([...lean.parents]).toEqual([-1, 0, 0, 0, 1, 3]);
  });

  it('stops at maxDepth', () => {
    const impact = traceImpact(buildGraph(chain), ['a'], { maxDepth: 2 });
    expect(impact.impacted.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('gives each query its own answer although the working memory is shared', () => {
    const graph = buildGraph(paymentsEstate());
    const first = traceImpact(graph, ['pg-payments']);
    const snapshot = structuredClone(first);
    traceImpact(graph, ['payments-api']);
    impactedIndices(graph, ['online-shop']);
    expect(first).toEqual(snapshot);
    expect(traceImpact(graph, ['pg-payments'])).toEqual(snapshot);
  });
});

describe('impactedIndices', () => {
  it('is the impacted set as ascending graph indices', () => {
    const graph = buildGraph(paymentsEstate());
    const ids = [...impactedIndices(graph, ['pg-payments', 'nope'])].map((i) => graph.ids[i]);
    expect(ids).toEqual(['online-shop', 'payments-api', 'pg-payments', 'reporting']);
  });

  it('finds the CIs two changes both impact', () => {
    const graph = buildGraph(paymentsEstate());
    const db = impactedIndices(graph, ['pg-payments']);
    const api = impactedIndices(graph, ['payments-api']);
    const shared = [...sharedIndices(db, api)].map((i) => graph.ids[i]);
    expect(shared).toEqual(['online-shop', 'payments-api']);
    expect(sharedIndices(db, impactedIndices(graph, []))).toHaveLength(0);
  });
});

describe('impactLevel', () => {
  const estate = [
    ci('db', { criticality: 3, environment: 'production' }),
    ci('app', { criticality: 2, environment: 'production', dependsOn: ['db'] }),
    ci('shop', { criticality: 1, environment: 'production', dependsOn: ['app'] }),
    ci('replica', { criticality: 4, environment: 'staging', dependsOn: ['db'] }),
    ci('lab', { criticality: 3, dependsOn: ['replica'] }),
    ci('tool', { criticality: 4, environment: 'staging' }),
  ];
  const graph = buildGraph(estate);

  it.each<[string, string[], Parameters<typeof impactLevel>[2], string, string | null]>([
    ['reaches business critical: high', ['db'], undefined, 'high', 'shop'],
    ['only medium CIs: medium', ['lab'], undefined, 'medium', 'lab'],
    ['only low CIs: low', ['tool'], undefined, 'low', 'tool'],
    ['nothing known: low', ['ghost'], undefined, 'low', null],
    [
      'a custom mapping',
      ['db'],
      { impactByCriticality: { '1': 'medium', '2': 'medium' } },
      'medium',
      'shop',
    ],
    // A mapping that is not monotone cannot hide the CI it ranks highest.
    [
      'a mapping that is not monotone',
      ['db'],
      { impactByCriticality: { '1': 'low', '2': 'low', '4': 'high' } },
      'high',
      'replica',
    ],
    // The effective policy keys the mapping by number.
    ['numeric keys', ['tool'], { impactByCriticality: { 4: 'medium' } }, 'medium', 'tool'],
  ])('%s', (_, start, policy, level, mostCritical) => {
    const assessment = impactLevel(traceImpact(graph, start), graph, policy);
    expect([assessment.level, assessment.mostCritical]).toEqual([level, mostCritical]);
  });

  it('breaks the level down by environment, CIs without one last', () => {
    const assessment = impactLevel(traceImpact(graph, ['db', 'tool']), graph, {
      impactByCriticality: { '3': 'low', '4': 'medium' },
    });
    expect(assessment).toEqual({
      level: 'high',
      mostCritical: 'shop',
      criticality: 1,
      byEnvironment: [
        { environment: 'production', level: 'high', mostCritical: 'shop', criticality: 1 },
        // replica and tool tie at criticality 4: the nearer one wins.
        { environment: 'staging', level: 'medium', mostCritical: 'tool', criticality: 4 },
        { environment: null, level: 'low', mostCritical: 'lab', criticality: 3 },
      ],
    });
  });
});
