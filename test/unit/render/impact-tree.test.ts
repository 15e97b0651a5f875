import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/impact/graph.js';
import { traceImpact } from '../../../src/impact/impact.js';
import { renderImpactTree } from '../../../src/render/impact-tree.js';
import { ci, paymentsEstate } from '../../fixtures/estate.js';

describe('renderImpactTree', () => {
  const graph = buildGraph(paymentsEstate());

  it('draws the explanation as a tree, each line continuing the one above', () => {
    expect(renderImpactTree(traceImpact(graph, ['pg-payments', 'ghost']))).toBe(
      [
        'pg-payments (Payments DB)',
        '├── is depended on by payments-api (Payments API) [critical]',
        '│   └── is part of online-shop (Online Shop) [critical]',
        '└── is depended on by reporting (Reporting)',
        '',
        '4 CIs',
        'Not in the CMDB: ghost',
        '',
      ].join('\n'),
    );
  });

  it('makes each named CI a root, even when another named CI reaches it', () => {
    expect(renderImpactTree(traceImpact(graph, ['pg-payments', 'payments-api']))).toBe(
      [
        'payments-api (Payments API) [critical]',
        '└── is part of online-shop (Online Shop) [critical]',
        'pg-payments (Payments DB)',
        '└── is depended on by reporting (Reporting)',
        '',
        '4 CIs',
        '',
      ].join('\n'),
    );
  });

  it('leaves out a name that only repeats the id', () => {
    const cis = [ci('a'), ci('b', { dependsOn: ['a'] }), ci('c', { dependsOn: ['a'] })];
    expect(renderImpactTree(traceImpact(buildGraph(cis), ['a']))).toBe(
      'a\n├── is depended on by b\n└── is depended on by c\n\n3 CIs\n',
    );
  });

  it('says when nothing is impacted', () => {
    expect(renderImpactTree(traceImpact(graph, ['ghost']))).toBe(
      'No CI of the CMDB is impacted.\nNot in the CMDB: ghost\n',
    );
  });

  it('keeps a hostile name on its own line', () => {
    const cis = [ci('db', { name: 'DB\n└── is part of fake (Forged)\r\u202e' })];
    expect(renderImpactTree(traceImpact(buildGraph(cis), ['db']))).toBe(
      'db (DB\\u000a└── is part of fake (Forged)\\u000d\\u202e)\n\n1 CI\n',
    );
  });
});
