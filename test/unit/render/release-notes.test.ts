import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { assessRelease } from '../../../src/report/readiness.js';
import { releaseNotesOf, type ReleaseNotes } from '../../../src/report/release-notes.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import {
  releaseNotesHelpers,
  releaseNotesTemplate,
  renderReleaseNotes,
} from '../../../src/render/release-notes.js';
import {
  renderReadinessMarkdown,
  renderReadinessText,
} from '../../../src/render/release-readiness.js';
import { change, historyOf } from '../report/history-builder.js';

const z = '\u200B';

const notes = (overrides: Partial<ReleaseNotes> = {}): ReleaseNotes => ({
  release: {
    id: 'REL-2026.12',
    title: 'December release',
    version: '2026.12.0',
    type: 'minor',
    status: 'planned',
    schedule: { start: '2026-12-03T20:00:00Z', end: '2026-12-03T22:00:00Z' },
  },
  branch: 'main',
  ready: true,
  reasons: [],
  changes: [
    {
      id: 'CHG-0042',
      title: 'Upgrade the payments database',
      type: 'normal',
      status: 'approved',
      risk: { likelihood: 'medium', impact: 'high', level: 'high' },
      cis: ['pg-payments'],
      requester: 'octocat',
      pullRequest: 41,
      merged: true,
    },
    { id: 'CHG-0043', type: 'standard', status: 'approved', cis: [], merged: true },
  ],
  ...overrides,
});

describe('renderReleaseNotes', () => {
  it('renders a ready release with a row per change', () => {
    expect(renderReleaseNotes(notes())).toBe(
      [
        '## Release notes: `REL-2026.12` December release',
        '',
        'Version 2026.12.0, a minor release, scheduled from 2026-12-03T20:00:00Z to 2026-12-03T22:00:00Z, status planned, changes as merged into main.',
        '',
        '| change | title | type | status | risk | CIs | requester | pull request |',
        '|---|---|---|---|---|---|---|---|',
        '| `CHG-0042` | Upgrade the payments database | normal | approved | high (likelihood medium, impact high) | `pg-payments` | octocat | #41 |',
        '| `CHG-0043` | — | standard | approved | — | — | — | — |',
        '',
      ].join('\n'),
    );
  });

  it('links pull requests when it knows the repository, and only then', () => {
    expect(renderReleaseNotes(notes(), { repository: 'acme/shop' })).toContain(
      '| [#41](https://github.com/acme/shop/pull/41) |',
    );
    expect(
      renderReleaseNotes(notes(), { repository: 'acme/shop)](https://evil.example' }),
    ).toContain('| #41 |');
  });

  it('warns with every reason when the release is not ready, and marks a change not merged', () => {
    const markdown = renderReleaseNotes(
      notes({
        ready: false,
        reasons: [
          'CHG-0043 is not on main; it must be merged and approved before REL-2026.12 is ready',
        ],
        changes: [{ id: 'CHG-0043', cis: [], merged: false }],
      }),
    );
    expect(markdown).toContain(
      [
        '> [!WARNING]',
        '> **Not ready.** To settle before it ships:',
        '> - CHG-0043 is not on main; it must be merged and approved before REL-2026.12 is ready',
      ].join('\n'),
    );
    expect(markdown).toContain('| `CHG-0043` | — | — | not on main | — | — | — | — |');
  });

  it('makes record text inert: no mention, markup, link or broken table', () => {
    const markdown = renderReleaseNotes(
      notes({
        release: { id: 'REL-1', title: '# @acme/cab <img src=x onerror=alert(1)>' },
        changes: [
          {
            id: 'CHG-1|x',
            title: 'Fix [click](https://evil.example) | ping @octocat, see #12',
            cis: ['a`b'],
            requester: '@mallory',
            merged: true,
          },
        ],
      }),
    );
    expect(markdown).not.toMatch(/<img/);
    expect(markdown).not.toMatch(/@acme|@octocat|@mallory/);
    expect(markdown).toContain(`@${z}acme/cab`);
    expect(markdown).not.toContain('](https://evil');
    expect(markdown).toContain(`&#35;${z}12`);
    const row = markdown.split('\n').find((line) => line.startsWith('| `CHG-1'))!;
    // Eight cells: the pipes inside record text are not cell separators.
    expect(row.replaceAll('\\|', '').split('|')).toHaveLength(10);
  });

  it('prints every value of its template through an escaping helper', () => {
    type Node = { type: string; [key: string]: unknown };
    const mustaches = (node: unknown, found: Node[] = []): Node[] => {
      if (Array.isArray(node)) for (const child of node) mustaches(child, found);
      else if (node && typeof node === 'object') {
        const n = node as Node;
        if (n.type === 'MustacheStatement') found.push(n);
        for (const key of ['body', 'program', 'inverse']) mustaches(n[key], found);
      }
      return found;
    };
    const helpers = new Set(Object.keys(releaseNotesHelpers));
    const found = mustaches(Handlebars.parse(releaseNotesTemplate));
    expect(found.length).toBeGreaterThan(5);
    for (const m of found) {
      const path = (m['path'] as { original: string }).original;
      expect(helpers, `{{${path}}} is not a helper`).toContain(path);
      expect((m['params'] as unknown[]).length, `{{${path}}} has no argument`).toBeGreaterThan(0);
    }
  });
});

describe('release readiness renderers', () => {
  const timelines = buildTimelines(
    historyOf([
      {
        date: '2026-11-01T00:00:00Z',
        subject: 'Merge pull request #41 from acme/x',
        files: {
          'changes/CHG-0042.yaml': change('CHG-0042', {
            status: 'approved',
            title: 'Upgrade\u001b[31m',
            schedule: { start: '2026-12-03T20:30:00Z', end: '2026-12-03T21:00:00Z' },
            checks: [{ name: 'payments-health', run: './check.sh' }],
          }),
          'changes/CHG-0043.yaml': change('CHG-0043'),
        },
      },
    ]),
  );
  const readiness = assessRelease({
    release: {
      id: 'REL-2026.12',
      status: 'planned',
      changes: ['CHG-0042', 'CHG-0043'],
      schedule: { start: '2026-12-03T20:00:00Z', end: '2026-12-03T22:00:00Z' },
    },
    timelines,
    branch: 'main',
  });

  it('prints the summary, the reasons and a line per change for a terminal', () => {
    expect(renderReadinessText(readiness)).toBe(
      [
        'REL-2026.12 is not ready (3 reasons)',
        '  - CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
        '  - CHG-0043 has no schedule; schedule it inside the window of REL-2026.12 (2026-12-03T20:00:00Z to 2026-12-03T22:00:00Z)',
        '  - CHG-0043 lists no post-implementation checks; add checks so REL-2026.12 can be verified after it is deployed',
        '',
        'Changes:',
        '  CHG-0042 Upgrade\\u001b[31m (ready, approved; PR #41; checks: payments-health)',
        '  CHG-0043 Change CHG-0043 (not ready, proposed; PR #41; no checks)',
        '',
      ].join('\n'),
    );
  });

  it('renders the same sentences as markdown', () => {
    const markdown = renderReadinessMarkdown(readiness);
    expect(markdown.split('\n').slice(0, 4)).toEqual([
      '### ⛔ Release `REL-2026.12`',
      '',
      'REL-2026.12 is not ready (3 reasons)',
      '',
    ]);
    expect(markdown).toContain(
      '- CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
    );
  });

  it('turns the readiness into notes that render', () => {
    const markdown = renderReleaseNotes(releaseNotesOf(readiness));
    expect(markdown).toContain('| `CHG-0043` | Change CHG-0043 | normal | proposed |');
    expect(markdown).toContain('> **Not ready.**');
  });
});
