import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/records/finding.js';
import { renderComment, reportMarker } from '../../../src/render/comment.js';
import { reportMermaid } from '../../../src/render/report-mermaid.js';
import type { ChangeView, ReportView } from '../../../src/render/report-view.js';
import { templateHelpers, templateSources } from '../../../src/render/templates.js';
import { impactFrom, noImpact } from '../../fixtures/estate.js';

const sha = '0123456789abcdef0123456789abcdef01234567';
const file = 'changes/CHG-0042-upgrade-pg.yaml';

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  file,
  line: 12,
  column: 5,
  severity: 'error',
  rule: 'backout-plan',
  message: 'plan.backout is missing: a normal change needs a back-out plan',
  ...overrides,
});

const aChange = (overrides: Partial<ChangeView> = {}): ChangeView => ({
  id: 'CHG-0042',
  title: 'Upgrade the payments database to PostgreSQL 17',
  type: 'normal',
  status: 'proposed',
  file,
  requester: 'octocat',
  riskLevel: 'high',
  impactLevel: 'medium',
  schedule: { start: '2026-12-02T22:00:00Z', end: '2026-12-02T23:30:00Z' },
  findings: [
    finding({
      line: 20,
      severity: 'warning',
      rule: 'lead-time',
      message: 'starts in 2 days; a normal change needs 5 days of lead time',
    }),
    finding(),
  ],
  impact: impactFrom([
    {
      id: 'pg-payments',
      name: 'Payments DB',
      criticality: 1,
      environment: 'production',
      depth: 0,
      via: ['pg-payments'],
      relation: 'direct',
    },
    {
      id: 'payments-api',
      name: 'Payments API',
      criticality: 1,
      environment: 'production',
      depth: 1,
      via: ['pg-payments', 'payments-api'],
      relation: 'dependsOn',
    },
    {
      id: 'online-shop',
      name: 'Online shop',
      criticality: 2,
      depth: 2,
      via: ['pg-payments', 'payments-api', 'online-shop'],
      relation: 'partOf',
    },
  ]),
  ...overrides,
});

const aView = (overrides: Partial<ReportView> = {}): ReportView => ({
  repository: 'acme/shop',
  headSha: sha,
  base: 'main',
  counts: { errors: 1, warnings: 1, notices: 1 },
  changes: [aChange()],
  releases: [
    {
      id: 'REL-2026.12',
      title: 'December release',
      version: '2026.12.0',
      status: 'planned',
      file: 'changes/REL-2026.12.yaml',
      findings: [],
    },
  ],
  otherFindings: [
    finding({
      file: 'services/payments/api.ts',
      line: 0,
      severity: 'notice',
      rule: 'rogue-change',
      message: 'changes code of payments-api, which no change record names',
    }),
  ],
  runUrl: 'https://github.com/acme/shop/actions/runs/42',
  ...overrides,
});

const blob = `https://github.com/acme/shop/blob/${sha}`;

/** The comment of `aView()`, line by line: what a reviewer reads in the PR. */
const expected = [
  '<!-- changeops:report -->',
  '## Change report',
  '',
  '❌ **1 error**, 1 warning, 1 notice · 1 change, 1 release checked against `main`',
  '',
  '### ❌ `CHG-0042` Upgrade the payments database to PostgreSQL 17',
  '',
  '| type | status | risk | impact | schedule | requester |',
  '|---|---|---|---|---|---|',
  '| normal | proposed | high | medium | 2026-12-02T22:00:00Z → 2026-12-02T23:30:00Z | octocat |',
  '',
  `- ❌ [\`${file}:12\`](${blob}/${file}#L12) plan.backout is missing: a normal change needs a back-out plan (\`backout-plan\`)`,
  `- ⚠️ [\`${file}:20\`](${blob}/${file}#L20) starts in 2 days; a normal change needs 5 days of lead time (\`lead-time\`)`,
  '',
  '**Impacted CIs** (3)',
  '',
  '```mermaid',
  'graph LR',
  '  n0(["pg-payments<br/>Payments DB<br/>critical"])',
  '  n1["payments-api<br/>Payments API<br/>critical"]',
  '  n2["online-shop<br/>Online shop"]',
  '  n0 -->|is depended on by| n1',
  '  n1 -->|is part of| n2',
  '  classDef start stroke-width:3px,stroke:#0969da',
  '  classDef critical fill:#ffebe9,stroke:#cf222e,color:#82071e',
  '  class n0 start',
  '  class n0,n1 critical',
  '```',
  '',
  '<details><summary>Impacted CI table</summary>',
  '',
  '| CI | criticality | environment | depth | via |',
  '|---|---|---|---|---|',
  '| Payments DB `pg-payments` | 1 | production | 0 | named |',
  '| Payments API `payments-api` | 1 | production | 1 | `pg-payments` |',
  '| Online shop `online-shop` | 2 | — | 2 | `pg-payments` → `payments-api` |',
  '',
  '</details>',
  '',
  '### ✅ Release `REL-2026.12` December release',
  '',
  'Version `2026.12.0`, status planned.',
  '',
  'No findings.',
  '',
  '### Other findings',
  '',
  `- ℹ️ [\`services/payments/api.ts\`](${blob}/services/payments/api.ts) changes code of payments-api, which no change record names (\`rogue-change\`)`,
  '',
  '### Approvals',
  '',
  'Approvals are evaluated by the `gate` command.',
  '',
  '---',
  '',
  '<sub>The full report is in the [job summary](https://github.com/acme/shop/actions/runs/42) of this workflow run.</sub>',
  '',
].join('\n');

/** The lines of `body` from the one that starts with `first` up to the next blank line. */
function block(body: string, first: string): string[] {
  const lines = body.split('\n');
  const start = lines.findIndex((line) => line.startsWith(first));
  if (start === -1) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('renderComment', () => {
  it('renders a small report exactly', () => {
    expect(renderComment(aView())).toBe(expected);
  });

  it('starts with the marker, or the one the caller gives', () => {
    expect(renderComment(aView()).split('\n')[0]).toBe(reportMarker);
    const body = renderComment(aView(), { marker: '<!-- changeops:report env=prod -->' });
    expect(body.split('\n')[0]).toBe('<!-- changeops:report env=prod -->');
  });

  it.each(['changeops:report', '<!-- a --> b -->', '<!-- a\nb -->', '<!-- a -- b -->'])(
    'refuses a marker that is not one single-line HTML comment: %j',
    (marker) => {
      expect(() => renderComment(aView(), { marker })).toThrow(RangeError);
    },
  );

  it('says no errors with a check mark, and leaves out the base when there is none', () => {
    const body = renderComment(
      aView({
        base: undefined,
        counts: { errors: 0, warnings: 2, notices: 0 },
        changes: [],
        releases: [],
      }),
    );
    expect(body.split('\n')[3]).toBe(
      '✅ **No errors**, 2 warnings, 0 notices · 0 changes, 0 releases checked',
    );
  });

  it('groups thousands in counts', () => {
    const body = renderComment(aView({ counts: { errors: 12345, warnings: 1, notices: 0 } }));
    expect(body.split('\n')[3]).toMatch(/^❌ \*\*12,345 errors\*\*, 1 warning, 0 notices/);
  });

  it('warns that an advisory gate can be forged, right under the outcome', () => {
    const lines = renderComment(aView({ advisory: { statusContext: 'changeops/cab' } })).split(
      '\n',
    );
    expect(lines.slice(5, 8)).toEqual([
      '> [!WARNING]',
      '> **Advisory only.** The approval gate runs without a GitHub App identity, so its `changeops/cab` status can be forged by any workflow in this repository: it only advises. Run the gate as a GitHub App and require the check from that App to enforce approvals.',
      '',
    ]);
    expect(renderComment(aView())).not.toContain('Advisory only');
  });

  it('links findings to the file at the head commit, on the GitHub server given', () => {
    const body = renderComment(aView(), { serverUrl: 'https://ghe.example.com/' });
    expect(body).toContain(
      `[\`${file}:12\`](https://ghe.example.com/acme/shop/blob/${sha}/${file}#L12)`,
    );
  });

  it('encodes each segment of a linked path, so a file name cannot end the link', () => {
    const body = renderComment(
      aView({
        changes: [aChange({ findings: [finding({ file: 'changes/CHG 1 (copy)#[x].yaml' })] })],
      }),
    );
    expect(body).toContain(`](${blob}/changes/CHG%201%20%28copy%29%23%5Bx%5D.yaml#L12)`);
  });

  it.each([
    ['no repository', { repository: undefined }],
    ['no head commit', { headSha: undefined }],
    ['a head that is not a sha', { headSha: 'main' }],
    ['a repository with a path in it', { repository: 'acme/shop/../evil' }],
  ])('shows the location without a link when there is %s', (_name, overrides) => {
    const body = renderComment(aView(overrides));
    expect(body).toContain(`- ❌ \`${file}:12\` plan.backout`);
    expect(body).not.toContain('/blob/');
  });

  it.each([['../secrets.yaml'], ['changes//x.yaml'], ['/etc/passwd']])(
    'gives no link to a path that leaves the repository: %s',
    (path) => {
      const body = renderComment(
        aView({ otherFindings: [], changes: [aChange({ findings: [finding({ file: path })] })] }),
      );
      expect(body).toContain(`- ❌ \`${path}:12\` plan.backout`);
      expect(body).not.toContain('/blob/');
    },
  );

  it('leaves out the run link when the run URL could break out of the link', () => {
    const body = renderComment(aView({ runUrl: 'https://x.example/a)(b' }));
    expect(body).toContain('The full report is in the job summary of this workflow run.');
    expect(body).not.toContain('x.example');
  });

  it('lists findings errors first, then by file and line', () => {
    const body = renderComment(
      aView({
        changes: [
          aChange({
            findings: [
              finding({ line: 3, severity: 'notice', rule: 'n' }),
              finding({ line: 9, severity: 'error', rule: 'e2' }),
              finding({ line: 2, severity: 'warning', rule: 'w' }),
              finding({ line: 1, severity: 'error', rule: 'e1' }),
            ],
          }),
        ],
      }),
    );
    const rules = block(body, '- ❌').map((line) => /\(`([^`]+)`\)$/.exec(line)?.[1]);
    expect(rules).toEqual(['e1', 'e2', 'w', 'n']);
  });

  it('marks a change by its worst finding', () => {
    const heading = (findings: Finding[]) =>
      renderComment(aView({ changes: [aChange({ findings })] }))
        .split('\n')
        .find((line) => line.includes('`CHG-0042`'));
    expect(heading([])).toMatch(/^### ✅ /);
    expect(heading([finding({ severity: 'notice' })])).toMatch(/^### ℹ️ /);
    expect(heading([finding({ severity: 'notice' }), finding({ severity: 'warning' })])).toMatch(
      /^### ⚠️ /,
    );
    expect(heading([finding({ severity: 'warning' }), finding()])).toMatch(/^### ❌ /);
  });

  it('shows a dash for what a change does not say', () => {
    const body = renderComment(
      aView({
        changes: [
          aChange({
            riskLevel: undefined,
            impactLevel: undefined,
            schedule: undefined,
            requester: undefined,
          }),
        ],
      }),
    );
    expect(body).toContain('| normal | proposed | — | — | — | — |');
  });

  it('shows no impact block for a change that names no CI', () => {
    const body = renderComment(aView({ changes: [aChange({ impact: noImpact })] }));
    expect(body).not.toContain('Impacted CIs');
    expect(body).not.toContain('```mermaid');
  });

  it('shortens a long chain of CIs in the via column', () => {
    const via = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const body = renderComment(
      aView({
        changes: [
          aChange({
            // The whole chain: the route of h is every CI before it.
            impact: impactFrom(
              via.map((id, depth) => ({
                id,
                name: id.toUpperCase(),
                criticality: 3,
                depth,
                via: via.slice(0, depth + 1),
                relation: depth === 0 ? ('direct' as const) : ('dependsOn' as const),
              })),
            ),
          }),
        ],
      }),
    );
    expect(body).toContain('| H `h` | 3 | — | 7 | `a` → `b` → … → `e` → `f` → `g` |');
  });
});

describe('reportMermaid', () => {
  it('draws at most 40 CIs, the nearest first, in a fenced block', () => {
    const impacted = Array.from({ length: 45 }, (_, i) => ({
      id: `ci-${44 - i}`,
      name: `CI ${44 - i}`,
      criticality: 3,
      depth: 44 - i,
      via: Array.from({ length: 45 - i }, (_v, k) => `ci-${k}`),
      relation: i === 44 ? ('direct' as const) : ('dependsOn' as const),
    }));
    const lines = reportMermaid(impactFrom(impacted)).split('\n');
    expect(lines.slice(0, 3)).toEqual(['```mermaid', 'graph LR', '  n0(["ci-0<br/>CI 0"])']);
    expect(lines.filter((line) => /^ {2}n\d+\(?\["/.test(line))).toHaveLength(40);
    expect(lines).toContain('  n38 -->|is depended on by| n39');
    expect(lines).toContain('  more["5 more CIs not shown, only the 40 nearest"]');
    expect(lines.at(-1)).toBe('```');
  });

  it('draws a CI whose explanation names no earlier CI as a start, not a dangling edge', () => {
    const lines = reportMermaid(
      impactFrom([
        { id: 'b', name: 'b', criticality: 3, depth: 1, via: ['gone', 'b'], relation: 'dependsOn' },
      ]),
    ).split('\n');
    expect(lines).toContain('  n0(["b"])');
    expect(lines.filter((line) => line.includes('-->'))).toEqual([]);
  });
});

describe('templates', () => {
  // With noEscape, a bare {{field}} would print record text as markdown: every value must go
  // through one of the escaping helpers, which is what this walk over the templates checks.
  type Node = { type: string; [key: string]: unknown };
  function mustaches(node: unknown, found: Node[] = []): Node[] {
    if (Array.isArray(node)) {
      for (const child of node) mustaches(child, found);
    } else if (node && typeof node === 'object') {
      const n = node as Node;
      if (n.type === 'MustacheStatement') found.push(n);
      for (const key of ['body', 'program', 'inverse']) mustaches(n[key], found);
    }
    return found;
  }

  it.each(Object.entries(templateSources))(
    '%s prints values only through helpers',
    (_name, source) => {
      const helpers = new Set(Object.keys(templateHelpers));
      for (const m of mustaches(Handlebars.parse(source))) {
        const path = (m['path'] as { original: string }).original;
        const params = m['params'] as unknown[];
        expect(helpers, `{{${path}}} is not a helper`).toContain(path);
        if (path !== 'marker')
          expect(params.length, `{{${path}}} has no argument`).toBeGreaterThan(0);
        expect(m['escaped'], `{{{${path}}}}`).toBe(true);
      }
    },
  );

  it('uses only partials that exist', () => {
    const names = new Set(Object.keys(templateSources));
    for (const source of Object.values(templateSources)) {
      for (const [, name] of source.matchAll(/\{\{>\s*([\w-]+)/g)) expect(names).toContain(name);
    }
  });
});
