import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/impact/graph.js';
import { traceImpact, type Impact } from '../../../src/impact/impact.js';
import { mermaidText, renderImpactMermaid } from '../../../src/render/impact-mermaid.js';
import { ci, paymentsEstate } from '../../fixtures/estate.js';

// Every statement the renderer may write; anything else in the output is an injection.
const statement = [
  /^graph (LR|TD)$/,
  /^ {2}n\d+(\(\["[^"]*"\]\)|\["[^"]*"\])$/,
  /^ {2}n\d+ -->\|(is depended on by|is part of)\| n\d+$/,
  /^ {2}(more|empty)\["[^"]*"\]$/,
  /^ {2}classDef (start|critical) [a-z0-9:#,-]+$/,
  /^ {2}class n\d+(,n\d+)* (start|critical)$/,
];
// Inside a label: plain characters, our own line breaks, and entity codes.
const safeLabel = /^(?:[A-Za-z0-9 .,_/@+-]|<br\/>|#\d+;)*$/;

function assertSafe(diagram: string): void {
  const lines = diagram.trimEnd().split('\n');
  for (const line of lines) {
    expect(
      statement.some((s) => s.test(line)),
      line,
    ).toBe(true);
    const label = /"([^"]*)"/.exec(line)?.[1];
    if (label !== undefined) expect(label, line).toMatch(safeLabel);
  }
}

describe('renderImpactMermaid', () => {
  const graph = buildGraph(paymentsEstate());

  it('draws the impacted CIs along their explanations, named and critical CIs marked', () => {
    expect(renderImpactMermaid(traceImpact(graph, ['pg-payments']))).toBe(
      [
        'graph LR',
        '  n0(["pg-payments<br/>Payments DB"])',
        '  n1["payments-api<br/>Payments API<br/>critical"]',
        '  n2["reporting<br/>Reporting"]',
        '  n3["online-shop<br/>Online Shop<br/>critical"]',
        '  n0 -->|is depended on by| n1',
        '  n0 -->|is depended on by| n2',
        '  n1 -->|is part of| n3',
        '  classDef start stroke-width:3px,stroke:#0969da',
        '  classDef critical fill:#ffebe9,stroke:#cf222e,color:#82071e',
        '  class n0 start',
        '  class n1,n3 critical',
        '',
      ].join('\n'),
    );
  });

  it('draws only the nearest CIs of a big impact and says how many it left out', () => {
    const text = renderImpactMermaid(traceImpact(graph, ['pg-payments']), {
      maxNodes: 2,
      direction: 'TD',
    });
    expect(text).toBe(
      [
        'graph TD',
        '  n0(["pg-payments<br/>Payments DB"])',
        '  n1["payments-api<br/>Payments API<br/>critical"]',
        '  n0 -->|is depended on by| n1',
        '  more["2 more CIs not shown, only the 2 nearest"]',
        '  classDef start stroke-width:3px,stroke:#0969da',
        '  classDef critical fill:#ffebe9,stroke:#cf222e,color:#82071e',
        '  class n0 start',
        '  class n1 critical',
        '',
      ].join('\n'),
    );
  });

  it('caps at 200 CIs by default, every drawn edge between drawn CIs', () => {
    const cis = [
      ci('hub'),
      ...Array.from({ length: 300 }, (_, i) => ci(`app-${i}`, { dependsOn: ['hub'] })),
    ];
    const text = renderImpactMermaid(traceImpact(buildGraph(cis), ['hub']));
    const nodes = text.split('\n').filter((l) => /^ {2}n\d+[[(]/.test(l));
    expect(nodes).toHaveLength(200);
    expect(text).toContain('  more["101 more CIs not shown, only the 200 nearest"]');
    for (const [, from, to] of text.matchAll(/n(\d+) -->\|[^|]*\| n(\d+)/g)) {
      expect(Number(from)).toBeLessThan(200);
      expect(Number(to)).toBeLessThan(200);
    }
    assertSafe(text);
  });

  it('draws no dangling edge for an impact put together out of order', () => {
    const impact: Impact = {
      start: ['a'],
      unknown: [],
      impacted: [
        { id: 'a', name: 'a', depth: 0, relation: 'direct', criticality: 3, environment: null },
        { id: 'b', name: 'b', depth: 1, relation: 'partOf', criticality: 3, environment: null },
      ],
      indices: new Int32Array(2),
      parents: Int32Array.from([-1, 7]),
    };
    expect(renderImpactMermaid(impact)).not.toContain('-->');
  });

  it('says when nothing is impacted', () => {
    expect(renderImpactMermaid(traceImpact(graph, ['ghost']))).toBe(
      'graph LR\n  empty["No CI of the CMDB is impacted"]\n',
    );
  });

  it.each([
    [
      'a quote that tries to close the label and add a click',
      '"]; click n0 "javascript:alert(1)"',
      '#34;#93;#59; click n0 #34;javascript#58;alert#40;1#41;#34;',
    ],
    ['HTML', '<script>alert(1)</script>', '#60;script#62;alert#40;1#41;#60;/script#62;'],
    ['a markdown string', '`**bold**`', '#96;#42;#42;bold#42;#42;#96;'],
    [
      'a directive',
      '%%{init: {"securityLevel":"loose"}}%%',
      '#37;#37;#123;init#58; #123;#34;securityLevel#34;#58;#34;loose#34;#125;#125;#37;#37;',
    ],
    ['a forged entity', '#quot;', '#35;quot#59;'],
    ['line breaks', 'one\ntwo\r\n  three', 'one two three'],
    ['an ampersand and accents', 'Zürich & Genève', 'Z#252;rich #38; Gen#232;ve'],
    ['an astral character', 'db 🐘', 'db #128024;'],
  ])('escapes %s', (_, name, label) => {
    expect(mermaidText(name)).toBe(label);
  });

  it('clips long names so the diagram stays under mermaid size cap', () => {
    expect(mermaidText('x'.repeat(100))).toBe(`${'x'.repeat(59)}#8230;`);
  });

  it('lets no hostile name out of its label', () => {
    const hostile = [
      '"]; click n0 "javascript:alert(1)"',
      '<script>alert(1)</script><img src=x onerror=alert(1)>',
      'x"]\n  n0 --> n1\n  click n1 "https://evil.example"',
      '%%{init: {"securityLevel":"loose"}}%%',
      '`x` | y] (z) {w} ; #35; end',
    ];
    const cis = [
      ci('db', { name: hostile[0]!, criticality: 1 }),
      ...hostile.slice(1).map((name, i) => ci(`app-${i}`, { name, dependsOn: ['db'] })),
    ];
    const text = renderImpactMermaid(traceImpact(buildGraph(cis), ['db']));
    assertSafe(text);
    // The words survive as text inside labels; no statement, tag, directive or fence does.
    expect(text).not.toMatch(/^\s*click|<script|<img|%%|`/m);
    expect(text.split('\n')).toHaveLength(1 + 5 + 4 + 4 + 1);
  });
});
