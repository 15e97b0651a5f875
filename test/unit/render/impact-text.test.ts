import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/impact/graph.js';
import { traceImpact } from '../../../src/impact/impact.js';
import { renderImpactText } from '../../../src/render/impact-text.js';
import { ci, paymentsEstate } from '../../fixtures/estate.js';

describe('renderImpactText', () => {
  const graph = buildGraph(paymentsEstate());

  it('lists each CI with its depth, criticality and explanation', () => {
    expect(renderImpactText(traceImpact(graph, ['pg-payments', 'ghost']))).toBe(
      [
        'Impact of pg-payments: 4 CIs',
        'ID            DEPTH  CRIT  VIA',
        'pg-payments   0      2     pg-payments',
        'payments-api  1      1     pg-payments > payments-api',
        'reporting     1      3     pg-payments > reporting',
        'online-shop   2      1     pg-payments > payments-api > online-shop',
        'Not in the CMDB: ghost',
        '',
      ].join('\n'),
    );
  });

  it('explains paths the query left out', () => {
    const lean = renderImpactText(traceImpact(graph, ['pg-payments'], { paths: false }));
    expect(lean).toBe(renderImpactText(traceImpact(graph, ['pg-payments'])));
  });

  it.each([
    [['ghost'], 'No CI of the CMDB is impacted.\nNot in the CMDB: ghost\n'],
    [[], 'No CI of the CMDB is impacted.\n'],
  ])('says when nothing is impacted (%j)', (start, text) => {
    expect(renderImpactText(traceImpact(graph, start))).toBe(text);
  });

  it('names at most five starting CIs in the heading', () => {
    const cis = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ci(id));
    const text = renderImpactText(
      traceImpact(buildGraph(cis), ['g', 'f', 'e', 'd', 'c', 'b', 'a']),
    );
    expect(text.split('\n')[0]).toBe('Impact of a, b, c, d, e and 2 more: 7 CIs');
  });

  it('prints hostile ids and names without terminal escapes or forged lines', () => {
    const cis = [ci('db'), ci('evil\u001b[2J\nforged  0  1  db', { dependsOn: ['db'] })];
    const lines = renderImpactText(traceImpact(buildGraph(cis), ['db'])).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toBe(
      'evil\\u001b[2J\\u000aforged  0  1  db  1      3     db > evil\\u001b[2J\\u000aforged  0  1  db',
    );
  });
});
