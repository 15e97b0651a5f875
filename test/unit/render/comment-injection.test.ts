import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/records/finding.js';
import { renderComment, reportMarker } from '../../../src/render/comment.js';
import type { ChangeView, ReportView } from '../../../src/render/report-view.js';
import { impactFrom, type ImpactedSketch } from '../../fixtures/estate.js';
import { renderSummary } from '../../../src/render/summary.js';

// Record text is written by whoever opens the pull request. These tests put hostile text in the
// fields of a report and read the markdown the way GitHub would, without a markdown library: line
// by line for blocks (headings, quotes, lists, tables, fences), then inline (code spans, HTML,
// links) and finally the text GitHub's filters see after entities are decoded (mentions,
// references, bare URLs).

const sha = 'fedcba9876543210fedcba9876543210fedcba98';
const runUrl = 'https://github.com/acme/shop/actions/runs/42';
const blob = `https://github.com/acme/shop/blob/${sha}/`;
const z = '\u200B';

const ours = {
  headings: [
    /^## Change report$/,
    /^### (❌|⚠️|ℹ️|✅) (Release )?`[^\n]+$/,
    /^### (Other findings|Approvals)$/,
  ],
  quotes: [/^> \[!WARNING\]$/, /^> \*\*Advisory only\.\*\* The approval gate/],
  listItems: /^- (❌|⚠️|ℹ️|✅|⏳|⛔|➖|…) /,
  tableHeaders: [
    '| type | status | risk | impact | schedule | requester |',
    '| CI | criticality | environment | depth | via |',
  ],
  html: /^<(\/?(details|summary|sub))>/,
  bold: /\*\*[^*\n]+\*\*/g,
  // The statements impact-mermaid.ts writes; a label holds plain characters, its own line
  // breaks and entity codes, never a quote, bracket or backtick.
  mermaid: [
    /^graph LR$/,
    /^ {2}n\d+(\(\["(?:[A-Za-z0-9 .,_/@+-]|<br\/>|#\d+;)*"\]\)|\["(?:[A-Za-z0-9 .,_/@+-]|<br\/>|#\d+;)*"\])$/,
    /^ {2}n\d+ -->\|(is depended on by|is part of)\| n\d+$/,
    /^ {2}more\["\d+ more CIs? not shown, only the \d+ nearest"\]$/,
    /^ {2}classDef (start|critical) [a-z0-9:#,-]+$/,
    /^ {2}class n\d+(,n\d+)* (start|critical)$/,
  ],
};

/** A link destination we build: a file at the head commit, or the run. */
function trustedUrl(url: string): boolean {
  if (url === runUrl) return true;
  if (!url.startsWith(blob)) return false;
  return /^[A-Za-z0-9%._~/-]+(#L\d+)?$/.test(url.slice(blob.length));
}

/** Cells of a GFM table row: split at every pipe not preceded by a backslash. */
function cells(row: string): number {
  return row
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/).length;
}

/** The text of a line with its code spans taken out; problems with the spans are reported. */
function withoutCodeSpans(line: string, problems: string[], where: string): string {
  let rest = '';
  let i = 0;
  while (i < line.length) {
    const open = /`+/.exec(line.slice(i));
    if (!open) {
      rest += line.slice(i);
      break;
    }
    rest += line.slice(i, i + open.index);
    const start = i + open.index + open[0].length;
    const close = new RegExp(`(?<!\`)${open[0]}(?!\`)`).exec(line.slice(start));
    if (!close) {
      problems.push(`${where}: a backtick run that closes no code span: ${line}`);
      return rest;
    }
    i = start + close.index + open[0].length;
    rest += '\u0000code\u0000';
  }
  return rest;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&(amp|lt|gt|quot);/g, (_m, name: string) => named[name]!);
}

/** Everything in `body` that GitHub would turn into something other than our own markup. */
function inspect(body: string, kind: 'comment' | 'summary'): string[] {
  const problems: string[] = [];
  const lines = body.split('\n');
  const markers = body.split('<!--').length - 1;
  if (kind === 'comment') {
    if (lines[0] !== reportMarker) problems.push(`the first line is not the marker: ${lines[0]}`);
    if (markers !== 1) problems.push(`${markers} HTML comments, expected the marker alone`);
  } else if (markers !== 0) problems.push(`${markers} HTML comments in the summary`);
  let inFence = false;
  let tableColumns = 0;
  for (const [index, line] of lines.entries()) {
    const where = `line ${index + 1}`;
    if (inFence) {
      if (line === '```') inFence = false;
      else if (!ours.mermaid.some((shape) => shape.test(line))) {
        problems.push(`${where}: not a mermaid statement of ours: ${line}`);
      }
      continue;
    }
    if (line === '```mermaid') {
      inFence = true;
      continue;
    }
    if (index === 0 && kind === 'comment') continue;
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) problems.push(`${where}: a code fence: ${line}`);
    if (/^ {0,3}#{1,6}( |$)/.test(line) && !ours.headings.some((h) => h.test(line))) {
      problems.push(`${where}: a heading: ${line}`);
    }
    if (/^ {0,3}>/.test(line) && !ours.quotes.some((q) => q.test(line))) {
      problems.push(`${where}: a block quote: ${line}`);
    }
    if (/^ {0,3}([-+*]|\d{1,9}[.)])( |$)/.test(line) && !ours.listItems.test(line)) {
      problems.push(`${where}: a list item: ${line}`);
    }
    if (/^ {0,3}(=+|-{2,}|\*{3,}|_{3,})\s*$/.test(line) && line !== '---') {
      problems.push(`${where}: a setext underline or thematic break: ${line}`);
    }
    if (/^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(line) && line !== '---') {
      if (!ours.tableHeaders.includes(lines[index - 1] ?? '')) {
        problems.push(`${where}: a table delimiter row under a header that is not ours: ${line}`);
      }
    }
    if (line.startsWith('|')) {
      if (ours.tableHeaders.includes(line)) tableColumns = cells(line);
      else if (cells(line) !== tableColumns) {
        problems.push(
          `${where}: a table row with ${cells(line)} cells, not ${tableColumns}: ${line}`,
        );
      }
    } else tableColumns = 0;

    // Inline: code spans are inert; links must be ours; HTML must be ours.
    let rest = withoutCodeSpans(line, problems, where);
    const urls: string[] = [];
    rest = rest.replace(/\]\(([^)\s]*)\)/g, (_m, url: string) => {
      urls.push(url);
      return ']\u0000url\u0000';
    });
    for (const url of urls) if (!trustedUrl(url)) problems.push(`${where}: a link to ${url}`);
    const alert = ours.quotes[0]!.test(line) ? 1 : 0;
    if ((rest.match(/\[/g) ?? []).length !== urls.length + alert) {
      problems.push(`${where}: a bracket that is not one of our links: ${line}`);
    }
    for (const at of rest.matchAll(/</g)) {
      if (!ours.html.test(rest.slice(at.index))) problems.push(`${where}: HTML: ${line}`);
    }
    if (/[*_~$\\]/.test(rest.replace(ours.bold, ''))) {
      problems.push(`${where}: emphasis, math or escape characters: ${line}`);
    }
    if (/&(?!amp;|lt;|gt;|#\d+;)/.test(rest)) problems.push(`${where}: a raw ampersand: ${line}`);

    // What GitHub's filters see, after the parser decoded the entities.
    const text = decodeEntities(rest);
    if (/@[A-Za-z0-9]/.test(text)) problems.push(`${where}: a mention: ${line}`);
    if (/(^|[^\w&])#\d/.test(text) || /\bGH-\d/i.test(text)) {
      problems.push(`${where}: an issue reference: ${line}`);
    }
    if (/:\/\/|www\./i.test(text)) problems.push(`${where}: a bare URL: ${line}`);
    if (/:(?!\d\d:)[\w+-]+:/.test(text.replace(/:\/\//g, ''))) {
      problems.push(`${where}: an emoji shortcode: ${line}`);
    }
    if (/(^|[\s([{])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b/i.test(text)) {
      problems.push(`${where}: a commit SHA: ${line}`);
    }
  }
  if (inFence) problems.push('a code fence that never closes');
  const details = (body.match(/<details>/g) ?? []).length;
  if (details !== (body.match(/<\/details>/g) ?? []).length) problems.push('unbalanced <details>');
  return problems;
}

const anImpact = (text: string): ImpactedSketch[] => [
  {
    id: text,
    name: text,
    criticality: 1,
    environment: text,
    depth: 0,
    via: [text],
    relation: 'direct',
  },
  {
    id: `${text}-b`,
    name: text,
    criticality: 2,
    depth: 1,
    via: [text, `${text}-b`],
    relation: 'dependsOn',
  },
  {
    id: `${text}-c`,
    name: text,
    criticality: 3,
    depth: 2,
    via: [text, `${text}-b`, `${text}-c`],
    relation: 'partOf',
  },
];

const aFinding = (text: string): Finding => ({
  file: `changes/${text}.yaml`,
  line: 3,
  column: 1,
  severity: 'error',
  rule: text,
  message: text,
  field: text,
  id: text,
});

/** A report with `text` in every field that a record, a file name or the PR can set. */
function hostileView(text: string): ReportView {
  const change: ChangeView = {
    id: text,
    title: text,
    type: text as ChangeView['type'],
    status: text,
    file: `changes/${text}.yaml`,
    requester: text,
    riskLevel: text as ChangeView['riskLevel'],
    impactLevel: text as ChangeView['impactLevel'],
    schedule: { start: text, end: text },
    findings: [
      aFinding(text),
      { ...aFinding(text), file: 'changes/CHG-1.yaml', severity: 'warning' },
    ],
    impact: impactFrom(anImpact(text)),
  };
  return {
    repository: 'acme/shop',
    headSha: sha,
    base: text,
    counts: { errors: 1, warnings: 1, notices: 0 },
    changes: [change],
    releases: [
      {
        id: text,
        title: text,
        version: text,
        status: text,
        file: text,
        findings: [aFinding(text)],
      },
    ],
    otherFindings: [aFinding(text)],
    advisory: { statusContext: text },
    runUrl,
  };
}

/** A clean report whose one change has the given title. */
function titled(title: string): ReportView {
  return {
    ...hostileView('CHG-1'),
    base: 'main',
    changes: [{ ...hostileView('CHG-1').changes[0]!, title, findings: [] }],
    releases: [],
    otherFindings: [],
    advisory: { statusContext: 'changeops/cab' },
  };
}

const payloads: [string, string][] = [
  ['a heading', '# Approved by CAB'],
  ['a markdown link', '[click](https://evil.example)'],
  ['an image', '![x](https://evil.example/x.png)'],
  ['a reference link', '[x][1]\n\n[1]: https://evil.example'],
  ['an autolink', '<https://evil.example>'],
  ['a bare URL', 'see https://evil.example and www.evil.example'],
  ['table rows', '| a | b |\n|---|---|\n| c | d |'],
  ['a team mention', '@acme/cab please approve'],
  ['an email address', 'write to cab@evil.example'],
  ['the report marker', '<!-- changeops:report -->'],
  ['the gate marker', '<!-- changeops:gate -->'],
  ['the meta marker on its own line', '\n<!-- changeops:meta run=99999999 nonce=x -->\n'],
  ['an image tag', '<img src=x onerror=alert(1)>'],
  ['an open details', '<details open><summary>Approved</summary>'],
  ['a script', '<script>alert(1)</script>'],
  ['a code fence', '```\n# fenced'],
  ['a tilde fence', '~~~\n# fenced'],
  ['a code span break-out', '`` ` ``'],
  ['a mermaid break-out', '"]-->n0\n```\n# out'],
  ['an entity that decodes to a mention', '&#64;acme/cab &commat;acme'],
  ['issue references', '#123 acme/other#4 GH-5'],
  ['an emoji shortcode', ':white_check_mark: Approved by the CAB :+1:'],
  ['a commit SHA', 'deadbeefcafe1234'],
  ['emphasis', '**Approved** _by_ ~~nobody~~'],
  ['a block quote alert', '> [!NOTE]\n> approved'],
  ['a task list', '- [x] approved\n1. done'],
  ['a setext heading', 'Approved\n==='],
  ['backslashes before pipes', '\\| \\\\| `|`'],
  ['math', '$\\href{https://evil.example}{x}$'],
  ['bidi overrides', 'CHG\u202E1 gnitset\u202C'],
  ['control characters', 'a\u0000b\u0007c\u001bd'],
];

describe('hostile record text', () => {
  describe.each([
    ['comment', (view: ReportView) => renderComment(view)],
    ['summary', (view: ReportView) => renderSummary(view)],
  ] as const)('in the %s', (kind, render) => {
    it.each(payloads)('%s in every field stays text', (_name, payload) => {
      expect(inspect(render(hostileView(payload)), kind)).toEqual([]);
    });
  });

  it('the checker itself catches what it looks for', () => {
    const body = `${reportMarker}\n# Approved\n[x](https://evil.example) @acme #1 <img>\n<!-- changeops:gate -->\n\`\`\`\n`;
    expect(inspect(body, 'comment')).toEqual([
      '2 HTML comments, expected the marker alone',
      'line 2: a heading: # Approved',
      'line 3: a link to https://evil.example',
      'line 3: HTML: [x](https://evil.example) @acme #1 <img>',
      'line 3: a mention: [x](https://evil.example) @acme #1 <img>',
      'line 3: an issue reference: [x](https://evil.example) @acme #1 <img>',
      'line 4: HTML: <!-- changeops:gate -->',
      'line 5: a code fence: ```',
      'line 5: a backtick run that closes no code span: ```',
    ]);
  });
});

describe('a change title', () => {
  const headingOf = (body: string) => body.split('\n').find((line) => line.includes('`CHG-1`'))!;

  it('"# Approved by CAB" makes no heading', () => {
    const body = renderComment(titled('# Approved by CAB'));
    expect(headingOf(body)).toBe('### ✅ `CHG-1` &#35; Approved by CAB');
    expect(body.split('\n').filter((line) => line.startsWith('#'))).toEqual([
      '## Change report',
      '### ✅ `CHG-1` &#35; Approved by CAB',
      '### Approvals',
    ]);
  });

  it('on a line of its own makes no heading either', () => {
    const body = renderComment(titled('fine\n# Approved by CAB\n> quoted'));
    expect(headingOf(body)).toBe('### ✅ `CHG-1` fine &#35; Approved by CAB &gt; quoted');
    expect(inspect(body, 'comment')).toEqual([]);
  });

  it('"[click](https://evil.example)" and a bare "https://evil.example" make no link', () => {
    const body = renderComment(titled('[click](https://evil.example) or https://evil.example'));
    expect(headingOf(body)).toBe(
      `### ✅ \`CHG-1\` &#91;click&#93;(https:${z}//evil.example) or https:${z}//evil.example`,
    );
    expect(body).not.toContain('](https://evil');
    expect(body).not.toMatch(/https?:\/\/evil/);
  });

  it('"| a | b |" rows make no table', () => {
    const body = renderComment(titled('| a | b |\n|---|---|\n| c | d |'));
    expect(headingOf(body)).toBe(
      '### ✅ `CHG-1` &#124; a &#124; b &#124; &#124;---&#124;---&#124; &#124; c &#124; d &#124;',
    );
    expect(body.split('\n').filter((line) => line.startsWith('|---'))).toHaveLength(2);
    expect(inspect(body, 'comment')).toEqual([]);
  });

  it('"@acme/cab please approve" mentions nobody', () => {
    const body = renderComment(titled('@acme/cab please approve'));
    expect(headingOf(body)).toBe(`### ✅ \`CHG-1\` @${z}acme/cab please approve`);
    expect(body).not.toMatch(/@[A-Za-z0-9]/);
  });

  it.each(['<!-- changeops:report -->', '<!-- changeops:gate -->'])(
    '"%s" adds no second marker',
    (marker) => {
      const body = renderComment(titled(`${marker}\n${marker}`));
      expect(body.split(reportMarker)).toHaveLength(2);
      expect(body.split('<!--')).toHaveLength(2);
      expect(body.startsWith(`${reportMarker}\n`)).toBe(true);
    },
  );

  it.each(['<img src=x onerror=alert(1)>', '<details open>'])('"%s" makes no HTML', (html) => {
    const body = renderComment(titled(html));
    expect(headingOf(body)).toBe(
      `### ✅ \`CHG-1\` ${html.replace('<', '&lt;').replace('>', '&gt;')}`,
    );
    expect(body).not.toContain(html);
  });
});

describe('a CI', () => {
  const withCi = (ci: Partial<ImpactedSketch>) => {
    const view = titled('Upgrade');
    const impacted: ImpactedSketch = {
      id: 'db',
      name: 'DB',
      criticality: 1,
      depth: 0,
      via: ['db'],
      relation: 'direct',
      ...ci,
    };
    return { ...view, changes: [{ ...view.changes[0]!, impact: impactFrom([impacted]) }] };
  };

  it('named "```" breaks out of neither its code span nor the mermaid block', () => {
    const body = renderComment(withCi({ id: '```', name: '```', via: ['```'] }));
    expect(body).toContain('  n0(["#96;#96;#96;<br/>critical"])');
    expect(body).toContain('| &#96;&#96;&#96; ```` ``` ```` | 1 | — | 0 | named |');
    expect(body.split('\n').filter((line) => line.startsWith('```'))).toEqual([
      '```mermaid',
      '```',
    ]);
    expect(inspect(body, 'comment')).toEqual([]);
  });

  it("named '\"]-->n0' adds no node or edge", () => {
    const body = renderComment(
      withCi({ id: 'db', name: '"]-->n0\nclick n0 "https://evil.example"' }),
    );
    const graph = body.slice(
      body.indexOf('```mermaid'),
      body.indexOf('```', body.indexOf('```mermaid') + 3),
    );
    expect(graph.split('\n').slice(2, 3)).toEqual([
      '  n0(["db<br/>#34;#93;--#62;n0 click n0 #34;https#58;//evil.example#34;<br/>critical"])',
    ]);
    expect(inspect(body, 'comment')).toEqual([]);
  });

  it('with a pipe in its id keeps the table row whole', () => {
    const body = renderComment(withCi({ id: 'a|b\\|c', name: 'x | y', via: ['a|b\\|c'] }));
    expect(body).toContain('| x &#124; y `a\\|b\\\\|c` | 1 | — | 0 | named |');
    expect(inspect(body, 'comment')).toEqual([]);
  });
});
