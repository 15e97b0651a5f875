import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/impact/graph.js';
import { elidePath, shortPaths, traceImpact } from '../../../src/impact/impact.js';
import { renderImpactText } from '../../../src/render/impact-text.js';
import { maxTreeIndent, renderImpactTree } from '../../../src/render/impact-tree.js';
import { ci, impactFrom } from '../../fixtures/estate.js';

/**
 * A CMDB can be one long chain (20,000 CIs, each depending on the one before): every CI is then
 * as deep as its place in the chain, and listing each with its full path costs 200 million ids.
 * Paths come from the breadth-first parents, shortened to their first and last hop, so the work
 * and the output grow with the CIs, not with the CIs times their depth.
 */
const n = 20_000;
const chain = traceImpact(
  buildGraph(
    Array.from({ length: n }, (_, i) =>
      ci(`ci-${i}`, i === 0 ? {} : { dependsOn: [`ci-${i - 1}`] }),
    ),
  ),
  ['ci-0'],
  { paths: false },
);

describe('elidePath', () => {
  it.each([
    [['a'], ['a']],
    [
      ['a', 'b', 'c', 'd', 'e'],
      ['a', 'b', 'c', 'd', 'e'],
    ],
    [
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['a', 'b', '…', 'e', 'f'],
    ],
  ])('shows %j as %j', (path, shown) => {
    expect(elidePath(path)).toEqual(shown);
  });
});

describe('shortPaths', () => {
  it('gives the first and last hop of the path to every CI of a 20,000-CI chain', () => {
    const pathOf = shortPaths(chain);
    expect(pathOf(0)).toEqual(['ci-0']);
    expect(pathOf(4)).toEqual(['ci-0', 'ci-1', 'ci-2', 'ci-3', 'ci-4']);
    expect(pathOf(5)).toEqual(['ci-0', 'ci-1', '…', 'ci-4', 'ci-5']);
    expect(pathOf(n - 1)).toEqual(['ci-0', 'ci-1', '…', 'ci-19998', 'ci-19999']);
    let ids = 0;
    for (let p = 0; p < n; p++) ids += pathOf(p).length;
    expect(ids).toBeLessThan(5 * n);
  });

  it('starts a path of its own at a CI whose parent is out of place', () => {
    const impact = impactFrom([
      { id: 'b', name: 'b', criticality: 3, depth: 1, via: ['a', 'b'], relation: 'dependsOn' },
    ]);
    expect(shortPaths(impact)(0)).toEqual(['b']);
  });
});

describe('the impact of a 20,000-CI chain, printed', () => {
  it('lists every CI on one short line of the text table', () => {
    const lines = renderImpactText(chain).trimEnd().split('\n');
    expect(lines).toHaveLength(n + 2);
    expect(lines.at(-1)).toBe('ci-19999  19999  3     ci-0 > ci-1 > … > ci-19998 > ci-19999');
    expect(Math.max(...lines.slice(0, 100).map((line) => line.length))).toBeLessThan(80);
  });

  it('draws the tree deeper than 24 levels without indenting further, saying the depth', () => {
    const lines = renderImpactTree(chain).trimEnd().split('\n');
    expect(lines).toHaveLength(n + 2);
    const indent = (line: string) => line.indexOf('└──');
    expect(indent(lines[maxTreeIndent]!)).toBe(4 * (maxTreeIndent - 1));
    expect(indent(lines[maxTreeIndent + 1]!)).toBe(4 * (maxTreeIndent - 1));
    expect(lines[n - 1]!.trimStart()).toBe('└── [depth 19999] is depended on by ci-19999');
    expect(lines.at(-1)).toBe('20000 CIs');
  });
});
