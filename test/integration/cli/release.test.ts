import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeYaml,
  ciYaml,
  DatedRepo,
  githubUser,
  releaseYaml,
  runCli,
  type ChangeFields,
} from '../report/dated-repo.js';
import { makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';

// `changeops release` through the real command on a generated repository: a December release of
// two changes, CHG-0042 approved in pull request #41, CHG-0043 still proposed on main.

const policy = `apiVersion: changeops/v1
kind: Policy
id: test
leadTimeHours: {normal: 0}
freezes:
  - name: Year-end freeze
    start: 2026-12-20T00:00:00Z
    end: 2027-01-05T00:00:00Z
    allow: [emergency]
`;
const window = { start: '2026-12-03T20:00:00Z', end: '2026-12-03T22:00:00Z' };
const fields = (extra: ChangeFields = {}): ChangeFields => ({
  schedule: { start: '2026-12-03T20:30:00Z', end: '2026-12-03T21:00:00Z' },
  checks: [{ name: 'payments-health', run: './scripts/check-payments.sh' }],
  release: 'REL-2026.12',
  ...extra,
});
const change42 = (status: string) =>
  changeYaml('CHG-0042', fields({ status, title: 'Upgrade the payments database' }));
const change43 = (status: string) =>
  changeYaml(
    'CHG-0043',
    fields({
      status,
      title: 'Rotate the API keys',
      cis: ['payments-api'],
      schedule: { start: '2026-12-03T21:00:00Z', end: '2026-12-03T21:30:00Z' },
    }),
  );
const file42 = 'changes/CHG-0042-upgrade-pg.yaml';
const file43 = 'changes/CHG-0043-rotate-keys.yaml';

/** The repository: the plan (#40), then CHG-0042 approved in #41, merged by carol. */
function planned(): DatedRepo {
  const repo = new DatedRepo();
  repo
    .write({
      'changeops.yaml': policy,
      'cmdb/pg-payments.yaml': ciYaml('pg-payments'),
      'cmdb/payments-api.yaml': ciYaml('payments-api', { dependsOn: ['pg-payments'] }),
      [file42]: change42('proposed'),
      [file43]: change43('proposed'),
      'changes/REL-2026.12.yaml': releaseYaml('REL-2026.12', {
        title: 'December release',
        changes: ['CHG-0042', 'CHG-0043'],
        schedule: window,
      }),
    })
    .commit('Plan the December release (#40)', '2026-11-20T09:00:00Z', githubUser('octocat'));
  repo.mergePullRequest(
    41,
    'approve-42',
    '2026-11-21T16:00:00Z',
    (r) => {
      r.write({ [file42]: change42('approved') });
      r.commit('Approve CHG-0042', '2026-11-21T10:00:00Z', githubUser('octocat'));
    },
    githubUser('carol', 31),
  );
  return repo;
}

describe('changeops release on a generated history', () => {
  let repo: DatedRepo;
  beforeAll(() => {
    repo = planned();
  });
  afterAll(() => repo.remove());

  it('says a release whose change is still proposed on main is not ready, and which change', async () => {
    const run = await runCli('release', 'REL-2026.12', '--dir', repo.dir);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([
      'REL-2026.12 is not ready (1 reason)',
      '  - CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
      '',
      'Changes:',
      '  CHG-0042 Upgrade the payments database (ready, approved; PR #41; checks: payments-health)',
      '  CHG-0043 Rotate the API keys (not ready, proposed; PR #40; checks: payments-health)',
    ]);
  });

  it('names a change approved in the working tree but still proposed on main', async () => {
    repo.write({ [file43]: change43('approved') });
    try {
      const run = await runCli('release', 'REL-2026.12', '--dir', repo.dir);
      expect(run.code).toBe(1);
      expect(run.out[1]).toBe(
        '  - CHG-0043 is approved in the working tree but still proposed on main; the change must be merged as approved before REL-2026.12 is ready',
      );
    } finally {
      repo.git('checkout', '--quiet', '--', file43);
    }
  });

  it('prints the notes of a release that is not ready with a warning that lists why', async () => {
    const run = await runCli('release', 'REL-2026.12', '--notes', '--dir', repo.dir);
    expect(run.code).toBe(1);
    expect(run.out).toContain('> **Not ready.** To settle before it ships:');
    expect(run.out).toContain(
      '> - CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
    );
  });

  it('prints the JSON readiness with each change, its status on main and the commit that decided it', async () => {
    const run = await runCli('release', 'REL-2026.12', '--json', '--dir', repo.dir);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      release: 'REL-2026.12',
      branch: 'main',
      ready: false,
      summary: 'REL-2026.12 is not ready (1 reason)',
      reasons: [
        {
          code: 'not-approved',
          change: 'CHG-0043',
          message: 'CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
        },
      ],
      history: { ref: 'main', commits: 2, shallow: false, skippedVersions: 0, notes: [] },
    });
    expect(json.changes[0]).toEqual({
      id: 'CHG-0042',
      ready: true,
      merged: true,
      status: 'approved',
      title: 'Upgrade the payments database',
      type: 'normal',
      risk: { likelihood: 'low', impact: 'medium', level: 'low' },
      cis: ['pg-payments'],
      requester: 'octocat',
      pullRequest: 41,
      schedule: { start: '2026-12-03T20:30:00Z', end: '2026-12-03T21:00:00Z' },
      checks: [{ name: 'payments-health', run: './scripts/check-payments.sh' }],
      decidedBy: {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        date: '2026-11-21T16:00:00Z',
        pullRequest: 41,
      },
      reasons: [],
    });
    // Without --notes there are none: the key is there, null.
    expect(json.notes).toBeNull();
  });

  it('is ready once the approval is merged, and prints notes with the pull request that carried each change', async () => {
    const merged = planned();
    try {
      merged.mergePullRequest(42, 'approve-43', '2026-11-23T12:00:00Z', (r) => {
        r.write({ [file43]: change43('approved') });
        r.commit('Approve CHG-0043', '2026-11-23T10:00:00Z', githubUser('octocat'));
      });
      const ready = await runCli('release', 'REL-2026.12', '--dir', merged.dir);
      expect(ready.code).toBe(0);
      expect(ready.out[0]).toBe(
        'REL-2026.12 is ready: all 2 of its changes are approved on main, scheduled inside its window, clear of collisions and freezes, and list their checks',
      );
      const notes = await runCli('release', 'REL-2026.12', '--notes', '--dir', merged.dir);
      expect(notes.code).toBe(0);
      expect(notes.out).toEqual([
        '## Release notes: `REL-2026.12` December release',
        '',
        'Version 2026.3.0, a minor release, scheduled from 2026-12-03T20:00:00Z to 2026-12-03T22:00:00Z, status planned, changes as merged into main.',
        '',
        '| change | title | type | status | risk | CIs | requester | pull request |',
        '|---|---|---|---|---|---|---|---|',
        '| `CHG-0042` | Upgrade the payments database | normal | approved | low (likelihood low, impact medium) | `pg-payments` | octocat | #41 |',
        '| `CHG-0043` | Rotate the API keys | normal | approved | low (likelihood low, impact medium) | `payments-api` | octocat | #42 |',
      ]);
      const json = JSON.parse(
        (await runCli('release', 'REL-2026.12', '--notes', '--json', '--dir', merged.dir)).stdout,
      );
      expect(json.ready).toBe(true);
      expect(json.notes).toBe(`${notes.out.join('\n')}\n`);
    } finally {
      merged.remove();
    }
  });

  it('is not ready while a change of it collides with another change, in the collision rule’s words', async () => {
    const collided = planned();
    try {
      collided.mergePullRequest(42, 'approve-43', '2026-11-23T12:00:00Z', (r) => {
        r.write({ [file43]: change43('approved') });
        r.commit('Approve CHG-0043', '2026-11-23T10:00:00Z');
      });
      // Another approved change on the same database in the same half hour, in no release.
      collided.write({
        'changes/CHG-0050-vacuum.yaml': changeYaml('CHG-0050', {
          status: 'approved',
          title: 'Vacuum the payments database',
          schedule: { start: '2026-12-03T20:45:00Z', end: '2026-12-03T21:15:00Z' },
        }),
      });
      const run = await runCli('release', 'REL-2026.12', '--json', '--dir', collided.dir);
      expect(run.code).toBe(1);
      const reasons = JSON.parse(run.stdout).reasons;
      expect(reasons).toEqual([
        {
          code: 'conflict',
          change: 'CHG-0042',
          message:
            'CHG-0042 and CHG-0050 (approved) are both scheduled from 2026-12-03T20:45:00Z to 2026-12-03T21:00:00Z and share 2 impacted CIs: payments-api and pg-payments; reschedule one of them or combine them into one change',
        },
        {
          code: 'conflict',
          change: 'CHG-0043',
          message:
            'CHG-0043 and CHG-0050 (approved) are both scheduled from 2026-12-03T21:00:00Z to 2026-12-03T21:15:00Z and share 1 impacted CI: payments-api; reschedule one of them or combine them into one change',
        },
      ]);
    } finally {
      collided.remove();
    }
  });

  it('is not ready while a change of it is scheduled in a freeze that does not allow it', async () => {
    const frozen = new DatedRepo();
    try {
      const inFreeze = { start: '2026-12-22T20:00:00Z', end: '2026-12-22T21:00:00Z' };
      frozen
        .write({
          'changeops.yaml': policy,
          'cmdb/pg-payments.yaml': ciYaml('pg-payments'),
          'changes/CHG-0060.yaml': changeYaml(
            'CHG-0060',
            fields({ status: 'approved', release: 'REL-2026.13', schedule: inFreeze }),
          ),
          'changes/REL-2026.13.yaml': releaseYaml('REL-2026.13', {
            changes: ['CHG-0060'],
            schedule: { start: '2026-12-22T19:00:00Z', end: '2026-12-22T23:00:00Z' },
          }),
        })
        .commit('Plan the freeze release', '2026-11-20T09:00:00Z');
      const run = await runCli('release', 'REL-2026.13', '--dir', frozen.dir);
      expect(run.code).toBe(1);
      expect(run.out[1]).toBe(
        '  - CHG-0060: the schedule (2026-12-22T20:00:00Z to 2026-12-22T21:00:00Z) overlaps the freeze "Year-end freeze" (2026-12-20T00:00:00Z to 2027-01-05T00:00:00Z), which allows only emergency changes, not a normal change; schedule it to end by 2026-12-20T00:00:00Z or to start at 2027-01-05T00:00:00Z or later',
      );
    } finally {
      frozen.remove();
    }
  });

  it('is part of check --base when the branch edits the release, and leaves the exit code alone', async () => {
    repo.git('checkout', '--quiet', '-b', 'retitle');
    try {
      repo
        .write({
          'changes/REL-2026.12.yaml': releaseYaml('REL-2026.12', {
            title: 'The December release',
            changes: ['CHG-0042', 'CHG-0043'],
            schedule: window,
          }),
        })
        .commit('Retitle the release', '2026-11-22T09:00:00Z');
      const run = await runCli('check', '--base', 'main', '--json', '--dir', repo.dir);
      expect(run.code).toBe(0);
      const [release] = JSON.parse(run.stdout).releases;
      expect(release.readiness).toEqual({
        ready: false,
        branch: 'main',
        summary: 'REL-2026.12 is not ready (1 reason)',
        reasons: [
          {
            code: 'not-approved',
            change: 'CHG-0043',
            message: 'CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
          },
        ],
      });
      const text = await runCli('check', '--base', 'main', '--dir', repo.dir);
      expect(text.out).toContain('  REL-2026.12 is not ready (1 reason)');
      expect(text.out).toContain(
        '    - CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
      );
    } finally {
      repo.git('checkout', '--quiet', 'main');
      repo.git('branch', '--quiet', '-D', 'retitle');
    }
  });

  it.each([
    [
      ['REL-2026.1'],
      'changeops release: "REL-2026.1" is not a release in the records; did you mean "REL-2026.12"?',
    ],
    [
      ['CHG-0042'],
      'changeops release: "CHG-0042" is a change, not a release; changeops evidence gives the record of a change',
    ],
    [
      ['REL-2026.12', '--branch=--output=x'],
      'changeops release: --branch "--output=x" is not a valid git ref (no leading "-" or "^", "..", ":", "@{", spaces or control characters)',
    ],
    [
      ['REL-2026.12', '--branch', 'main..HEAD'],
      'changeops release: --branch "main..HEAD" is not a valid git ref (no leading "-" or "^", "..", ":", "@{", spaces or control characters)',
    ],
    [
      ['REL-2026.12', '--branch', 'nope'],
      'changeops release: --branch "nope" is not a commit in this repository (a shallow clone may lack it: fetch it, or check out with fetch-depth: 0)',
    ],
  ])('exits 2 for %j with a sentence that says why', async (args, sentence) => {
    const run = await runCli('release', ...args, '--dir', repo.dir);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([sentence]);
    expect(run.out).toEqual([]);
  });

  it('says the records need their git history when the folder is not a repository', async () => {
    const dir = makeWorkspace(
      { 'changes/REL-1.yaml': releaseYaml('REL-1', { changes: [] }) },
      false,
    );
    try {
      const run = await runCli('release', 'REL-1', '--dir', dir);
      expect(run.code).toBe(2);
      expect(run.err).toEqual([
        `changeops release: ${dir} is not inside a git work tree; the records' history is read from git`,
      ]);
    } finally {
      removeWorkspaces();
    }
  });

  it('asks for exactly one release id', async () => {
    for (const args of [[], ['REL-1', 'REL-2']]) {
      const run = await runCli('release', ...args, '--dir', repo.dir);
      expect(run.code).toBe(2);
      expect(run.err[0]).toMatch(/^changeops release: give (a|one) release id/);
    }
  });
});
