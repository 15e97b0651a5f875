import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../../src/git/history.js';
import { openRepository } from '../../../src/git/repository.js';
import { buildEvidence, verifyEvidence } from '../../../src/report/evidence.js';
import { assessRelease } from '../../../src/report/readiness.js';
import { releaseNotesOf } from '../../../src/report/release-notes.js';
import { buildTimelines, type Timelines } from '../../../src/report/timeline.js';
import { renderEvidenceMarkdown } from '../../../src/render/evidence-markdown.js';
import { renderReleaseNotes } from '../../../src/render/release-notes.js';
import { changeYaml, DatedRepo, githubUser, releaseYaml, type ChangeFields } from './dated-repo.js';

const window = { start: '2026-12-03T20:00:00Z', end: '2026-12-03T22:00:00Z' };
const ready: ChangeFields = {
  schedule: { start: '2026-12-03T20:30:00Z', end: '2026-12-03T21:00:00Z' },
  checks: [
    { name: 'payments-health', run: './scripts/check-payments.sh' },
    { name: 'smoke', run: 'npm run smoke' },
  ],
  release: 'REL-2026.12',
};
const releaseRecord = {
  apiVersion: 'changeops/v1',
  kind: 'Release',
  id: 'REL-2026.12',
  title: 'December release',
  version: '2026.12.0',
  type: 'minor',
  status: 'planned',
  changes: ['CHG-0042', 'CHG-0043'],
  schedule: window,
};

describe('release readiness, notes and evidence from a generated history', () => {
  let repo: DatedRepo;
  const timelinesOf = async (ref = 'main'): Promise<Timelines> =>
    buildTimelines(await readHistory(await openRepository(repo.dir), { ref }));

  beforeAll(() => {
    repo = new DatedRepo();
    repo
      .write({
        'changes/CHG-0042-upgrade-pg.yaml': changeYaml('CHG-0042', {
          ...ready,
          title: 'Upgrade the payments database',
          requester: 'octocat',
        }),
        'changes/CHG-0043-rotate-keys.yaml': changeYaml('CHG-0043', {
          ...ready,
          title: 'Rotate the keys',
        }),
        'changes/REL-2026.12.yaml': releaseYaml('REL-2026.12', {
          changes: ['CHG-0042', 'CHG-0043'],
          schedule: window,
        }),
      })
      .commit(
        'Plan the December release (#40)',
        '2026-11-20T09:00:00Z',
        githubUser('octocat', 583231),
      );
    // CHG-0042 is approved in pull request #41, reviewed by the CAB, merged by carol.
    repo.mergePullRequest(
      41,
      'approve-42',
      '2026-11-21T16:00:00Z',
      (r) => {
        r.write({
          'changes/CHG-0042-upgrade-pg.yaml': changeYaml('CHG-0042', {
            ...ready,
            title: 'Upgrade the payments database',
            status: 'approved',
          }),
        });
        r.commit('Approve CHG-0042', '2026-11-21T10:00:00Z', githubUser('octocat', 583231));
      },
      githubUser('carol', 31),
    );
    // CHG-0043's approval waits in an open pull request that is not merged.
    repo.git('checkout', '--quiet', '-b', 'approve-43');
    repo
      .write({
        'changes/CHG-0043-rotate-keys.yaml': changeYaml('CHG-0043', {
          ...ready,
          title: 'Rotate the keys',
          status: 'approved',
        }),
      })
      .commit('Approve CHG-0043', '2026-11-22T10:00:00Z');
    repo.git('checkout', '--quiet', 'main');
  });

  afterAll(() => repo.remove());

  it('is not ready while a change is proposed on main, even when a pull request approves it', async () => {
    // Read from the pull request's head, the release still depends on main.
    repo.git('checkout', '--quiet', 'approve-43');
    try {
      const readiness = assessRelease({
        release: releaseRecord,
        timelines: await timelinesOf('main'),
        branch: 'main',
        workspace: new Map([['CHG-0043', { status: 'approved' }]]),
      });
      expect(readiness.ready).toBe(false);
      expect(readiness.reasons).toEqual([
        {
          code: 'not-approved',
          change: 'CHG-0043',
          message:
            'CHG-0043 is approved in the working tree but still proposed on main; the change must be merged as approved before REL-2026.12 is ready',
        },
      ]);
      // Without the working tree's view, the sentence the brief names.
      expect(
        assessRelease({
          release: releaseRecord,
          timelines: await timelinesOf('main'),
          branch: 'main',
        }).reasons.map((r) => r.message),
      ).toEqual(['CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready']);
    } finally {
      repo.git('checkout', '--quiet', 'main');
    }
  });

  it('is ready once the approval is merged, and renders its notes', async () => {
    const merged = new DatedRepo();
    try {
      // The same history, with #42 merged: cloned so the other tests keep theirs.
      merged.git('fetch', '--quiet', repo.dir, 'main:main-origin', 'approve-43:approve-43');
      merged.git('reset', '--quiet', '--hard', 'main-origin');
      merged.gitWith(
        { GIT_AUTHOR_DATE: '2026-11-23T12:00:00Z', GIT_COMMITTER_DATE: '2026-11-23T12:00:00Z' },
        'merge',
        '--quiet',
        '--no-ff',
        '-m',
        'Merge pull request #42 from acme/approve-43',
        'approve-43',
      );
      const timelines = buildTimelines(
        await readHistory(await openRepository(merged.dir), { ref: 'main' }),
      );
      const readiness = assessRelease({ release: releaseRecord, timelines, branch: 'main' });
      expect(readiness.reasons).toEqual([]);
      expect(readiness.summary).toBe(
        'REL-2026.12 is ready: all 2 of its changes are approved on main, scheduled inside its window, clear of collisions and freezes, and list their checks',
      );
      const markdown = renderReleaseNotes(releaseNotesOf(readiness), { repository: 'acme/shop' });
      expect(markdown).toContain('## Release notes: `REL-2026.12` December release');
      expect(markdown).toContain(
        '| `CHG-0042` | Upgrade the payments database | normal | approved | likelihood low, impact medium | `pg-payments` | octocat | [#41](https://github.com/acme/shop/pull/41) |',
      );
      expect(markdown).toContain(
        '| `CHG-0043` | Rotate the keys | normal | approved | likelihood low, impact medium | `pg-payments` | octocat | [#42](https://github.com/acme/shop/pull/42) |',
      );
      expect(markdown).not.toContain('Not ready');
    } finally {
      merged.remove();
    }
  });

  it('gives CHG-0042 an evidence pack that names every approver, check and date', async () => {
    const timelines = await timelinesOf();
    const pack = buildEvidence({
      timeline: timelines.changes.get('CHG-0042')!,
      branch: 'main',
      approvals: {
        source: 'github',
        approvers: [
          { login: 'alice', at: '2026-11-21T14:00:00Z', satisfies: 'cab', pullRequest: 41 },
          { login: 'bob', at: '2026-11-21T15:00:00Z', satisfies: 'cab', pullRequest: 41 },
        ],
      },
      checkOutcomes: [{ name: 'payments-health', outcome: 'passed', at: '2026-12-03T21:05:00Z' }],
      notes: timelines.notes,
    });
    expect(pack.requested).toMatchObject({
      by: 'octocat',
      committedBy: { login: 'octocat' },
      at: '2026-11-20T09:00:00Z',
      pullRequest: 40,
    });
    expect(pack.statuses.map((s) => [s.status, s.at, s.pullRequest, s.author.login])).toEqual([
      ['proposed', '2026-11-20T09:00:00Z', 40, 'octocat'],
      // The merge lands the approval: its date and its merger, not the side commit's.
      ['approved', '2026-11-21T16:00:00Z', 41, 'carol'],
    ]);
    const markdown = renderEvidenceMarkdown(pack);
    for (const expected of [
      '| alice | 2026-11-21T14:00:00Z | — | cab | #41 |',
      '| bob | 2026-11-21T15:00:00Z | — | cab | #41 |',
      '| payments-health | `./scripts/check-payments.sh` | passed | 2026-12-03T21:05:00Z | — |',
      '| smoke | `npm run smoke` | not recorded | — | — |',
      '| requested by | octocat |',
    ])
      expect(markdown).toContain(expected);
    expect(markdown).toMatch(
      /\| proposed \| — \| 2026-11-20T09:00:00Z \| `[0-9a-f]{12}` \| #40 \| octocat \|/,
    );
    expect(markdown).toMatch(
      /\| approved \| proposed \| 2026-11-21T16:00:00Z \| `[0-9a-f]{12}` \| #41 \| carol \|/,
    );
    expect(markdown).toContain(`| digest | \`${pack.digest}\` |`);
  });

  it('from git alone, names who committed the approval and the pull request that merged it', async () => {
    const pack = buildEvidence({
      timeline: (await timelinesOf()).changes.get('CHG-0042')!,
      branch: 'main',
    });
    expect(pack.approvals.approvers).toEqual([
      {
        login: 'carol',
        at: '2026-11-21T16:00:00Z',
        commit: pack.statuses[1]!.sha,
        pullRequest: 41,
      },
    ]);
    expect(renderEvidenceMarkdown(pack)).toContain(
      'From git alone: who committed each move to approved and the pull request that merged it, not who reviewed it; give a token to list the reviews the gate counted.',
    );
  });

  it('seals the pack with a digest that changes when the history does', async () => {
    const before = buildEvidence({
      timeline: (await timelinesOf()).changes.get('CHG-0042')!,
      branch: 'main',
    });
    // Read again: the same digest.
    const again = buildEvidence({
      timeline: (await timelinesOf()).changes.get('CHG-0042')!,
      branch: 'main',
    });
    expect(again.digest).toBe(before.digest);
    // The history is rewritten: the approval's merge is redone a day later.
    const rewritten = new DatedRepo();
    try {
      rewritten.git('fetch', '--quiet', repo.dir, 'main:main-origin');
      rewritten.git('reset', '--quiet', '--hard', 'main-origin~1');
      rewritten.gitWith(
        { GIT_AUTHOR_DATE: '2026-11-22T16:00:00Z', GIT_COMMITTER_DATE: '2026-11-22T16:00:00Z' },
        'merge',
        '--quiet',
        '--no-ff',
        '-m',
        'Merge pull request #41 from acme/approve-42',
        'main-origin^2',
      );
      const after = buildEvidence({
        timeline: buildTimelines(
          await readHistory(await openRepository(rewritten.dir), { ref: 'main' }),
        ).changes.get('CHG-0042')!,
        branch: 'main',
      });
      expect(after.statuses[1]!.at).toBe('2026-11-22T16:00:00Z');
      expect(after.digest).not.toBe(before.digest);
      expect(verifyEvidence(after)).toBe(true);
    } finally {
      rewritten.remove();
    }
  });
});
