import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../../src/git/history.js';
import { GitError } from '../../../src/git/errors/git-error.js';
import { openRepository } from '../../../src/git/repository.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import { changeYaml, DatedRepo, githubUser, releaseYaml } from './dated-repo.js';

/** Runs `work` with a `git` on PATH that logs every invocation, and returns what ran. */
async function gitCalls<T>(work: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const bin = mkdtempSync(join(tmpdir(), 'changeops-git-shim-'));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  const path = process.env['PATH'];
  process.env['PATH'] = `${bin}:${path}`;
  try {
    const result = await work();
    return { result, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    process.env['PATH'] = path;
    rmSync(bin, { recursive: true, force: true });
  }
}

describe('readHistory on a generated repository', () => {
  let repo: DatedRepo;
  let merge: string;

  beforeAll(() => {
    repo = new DatedRepo();
    repo
      .write({
        'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
        'changes/CHG-0001-upgrade.yaml': changeYaml('CHG-0001'),
        'cmdb/pg.yaml': 'not read by the history\n',
        'README.md': 'not a record\n',
      })
      .commit('Add CHG-0001 (#3)', '2026-01-10T09:00:00Z', githubUser('octocat', 583231));
    merge = repo.mergePullRequest(12, 'approve-1', '2026-01-12T15:30:00Z', (r) => {
      r.write({ 'changes/CHG-0001-upgrade.yaml': changeYaml('CHG-0001', { status: 'approved' }) });
      r.commit('Approve CHG-0001', '2026-01-11T08:00:00Z', githubUser('alice', 77));
    });
    repo
      .write({ 'changes/CHG-0001-upgrade.yaml': null })
      .write({
        'changes/CHG-0001-upgrade-pg.yaml': changeYaml('CHG-0001', { status: 'approved' }),
        'changes/notes.md': 'not a record either\n',
      })
      .commit('Rename the file of CHG-0001', '2026-01-13T10:00:00Z');
    repo
      .write({ 'changes/CHG-0002.yaml': changeYaml('CHG-0002') })
      .commit('Add CHG-0002', '2026-01-14T10:00:00Z');
    repo
      .write({ 'changes/CHG-0002.yaml': null })
      .commit('Withdraw CHG-0002', '2026-01-15T10:00:00Z');
  });

  afterAll(() => repo.remove());

  it('lists each commit that touched records, oldest first, with dates, authors and pull requests', async () => {
    const history = await readHistory(await openRepository(repo.dir));
    expect(history.shallow).toBe(false);
    expect(history.notes).toEqual([]);
    expect(
      history.commits.map((c) => [
        c.subject,
        c.date,
        c.author.login ?? null,
        c.pullRequest ?? null,
      ]),
    ).toEqual([
      ['Add CHG-0001 (#3)', '2026-01-10T09:00:00Z', 'octocat', 3],
      ['Merge pull request #12 from acme/approve-1', '2026-01-12T15:30:00Z', 'merger', 12],
      ['Rename the file of CHG-0001', '2026-01-13T10:00:00Z', null, null],
      ['Add CHG-0002', '2026-01-14T10:00:00Z', null, null],
      ['Withdraw CHG-0002', '2026-01-15T10:00:00Z', null, null],
    ]);
    // The merge lands the side branch's work at the merge's date; the side commit is not listed.
    expect(history.commits[1]!.sha).toBe(merge);
    expect(history.commits[1]!.parents).toHaveLength(2);
  });

  it('reads the record files of each commit with their text, and nothing else', async () => {
    const history = await readHistory(await openRepository(repo.dir));
    const files = history.commits.map((c) =>
      c.files.map((f) => `${f.status} ${f.previousPath ? `${f.previousPath} -> ` : ''}${f.path}`),
    );
    expect(files).toEqual([
      ['added changeops.yaml', 'added changes/CHG-0001-upgrade.yaml'],
      ['modified changes/CHG-0001-upgrade.yaml'],
      ['renamed changes/CHG-0001-upgrade.yaml -> changes/CHG-0001-upgrade-pg.yaml'],
      ['added changes/CHG-0002.yaml'],
      ['deleted changes/CHG-0002.yaml'],
    ]);
    expect(history.commits[1]!.files[0]!.text).toContain('status: approved');
    expect(history.commits[4]!.files[0]!.text).toBeUndefined();
  });

  it('spawns one git log and one git cat-file, however many records there are', async () => {
    // The git binary is found on PATH when the repository is opened: open it under the shim.
    const few = await gitCalls(async () => readHistory(await openRepository(repo.dir)));
    expect(few.calls).toHaveLength(3);
    expect(few.calls[1]).toMatch(/ log .*--first-parent/);
    expect(few.calls[2]).toBe('cat-file --batch-command --buffer');

    const many = new DatedRepo();
    try {
      for (let batch = 0; batch < 6; batch++) {
        const files: Record<string, string> = {};
        for (let i = 0; i < 20; i++) {
          const id = `CHG-${String(batch * 20 + i + 1).padStart(4, '0')}`;
          files[`changes/${id}.yaml`] = changeYaml(id, {
            status: batch % 2 ? 'approved' : 'proposed',
          });
        }
        many.write(files).commit(`Batch ${batch}`, `2026-02-0${batch + 1}T10:00:00Z`);
      }
      const counted = await gitCalls(async () => readHistory(await openRepository(many.dir)));
      // openRepository's rev-parse, then the same two, for 120 records in 6 commits.
      expect(counted.calls).toHaveLength(3);
      expect(counted.calls[0]).toMatch(/^rev-parse/);
      expect(counted.result.commits.flatMap((c) => c.files)).toHaveLength(120);
      expect(buildTimelines(counted.result).changes.size).toBe(120);
    } finally {
      many.remove();
    }
  });

  it('cuts the history at since and until, and says what since leaves out', async () => {
    const open = await openRepository(repo.dir);
    const history = await readHistory(open, {
      since: new Date('2026-01-12T00:00:00Z'),
      until: new Date('2026-01-14T00:00:00Z'),
    });
    expect(history.commits.map((c) => c.date)).toEqual([
      '2026-01-12T15:30:00Z',
      '2026-01-13T10:00:00Z',
    ]);
    expect(history.since).toBe('2026-01-12T00:00:00Z');
    expect(history.notes).toEqual([
      'the history was read from 2026-01-12T00:00:00Z on: records changed before then are seen from their first change after it',
    ]);
    // CHG-0001 is first seen modified: its addition lies before the history.
    const timeline = buildTimelines(history).changes.get('CHG-0001')!;
    expect(timeline.addedBeforeHistory).toBe(true);
    expect(timeline.statuses[0]).toMatchObject({ status: 'approved', knownSince: true });
  });

  it.each([
    ['-c', 'an option'],
    ['--output=/tmp/pwned', 'an option with a value'],
    ['main..feature', 'a range'],
    ['^main', 'an exclusion'],
    ['main:changes', 'a path'],
    ['main feature', 'two refs'],
    ['', 'nothing'],
  ])('refuses the ref %j (%s) before running git', async (ref) => {
    const open = await openRepository(repo.dir);
    const run = await gitCalls(() => readHistory(open, { ref }).catch((error: unknown) => error));
    expect(run.result).toBeInstanceOf(GitError);
    expect((run.result as Error).message).toBe(
      `${JSON.stringify(ref)} is not a valid git ref to read the history of`,
    );
    expect(run.calls).toEqual([]);
  });

  it('says which ref is not a commit', async () => {
    const open = await openRepository(repo.dir);
    await expect(readHistory(open, { ref: 'no-such-branch' })).rejects.toThrow(
      /^cannot read the history of "no-such-branch": fatal: bad revision 'no-such-branch'$/,
    );
  });
});

describe('readHistory on awkward repositories', () => {
  const repos: DatedRepo[] = [];
  const made = () => {
    const repo = new DatedRepo();
    repos.push(repo);
    return repo;
  };
  afterAll(() => repos.forEach((repo) => repo.remove()));

  it('reads records in a sub-folder with paths relative to it, and ignores the rest of the tree', async () => {
    const repo = made();
    repo
      .write({
        'ops/changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
        'ops/changes/CHG-0001.yaml': changeYaml('CHG-0001'),
        'changes/CHG-0009.yaml': changeYaml('CHG-0009'),
      })
      .commit('Add records', '2026-03-01T10:00:00Z');
    repo
      .write({ 'changes/CHG-0009.yaml': changeYaml('CHG-0009', { status: 'approved' }) })
      .commit('Outside the folder', '2026-03-02T10:00:00Z');
    const history = await readHistory(await openRepository(join(repo.dir, 'ops')));
    expect(history.commits).toHaveLength(1);
    expect(history.commits[0]!.files.map((f) => f.path)).toEqual([
      'changeops.yaml',
      'changes/CHG-0001.yaml',
    ]);
  });

  it('marks a shallow clone boundary and says what is missing', async () => {
    const origin = made();
    for (const [day, status] of [
      ['01', 'proposed'],
      ['02', 'approved'],
      ['03', 'implemented'],
    ] as const) {
      origin
        .write({ 'changes/CHG-0001.yaml': changeYaml('CHG-0001', { status }) })
        .commit(`CHG-0001 ${status}`, `2026-04-${day}T10:00:00Z`);
    }
    const clone = mkdtempSync(join(tmpdir(), 'changeops-shallow-'));
    try {
      execFileSync('git', ['clone', '--quiet', '--depth', '2', `file://${origin.dir}`, clone]);
      const history = await readHistory(await openRepository(clone));
      expect(history.shallow).toBe(true);
      expect(history.commits.map((c) => [c.subject, c.boundary])).toEqual([
        ['CHG-0001 approved', true],
        ['CHG-0001 implemented', false],
      ]);
      expect(history.notes[0]).toMatch(
        /^the clone is shallow: history before [0-9a-f]{12} \(2026-04-02T10:00:00Z\) is not in it, so records already there are dated from that commit, not from when they were added; check out with fetch-depth: 0 for the whole history$/,
      );
      const timeline = buildTimelines(history).changes.get('CHG-0001')!;
      expect(timeline.addedBeforeHistory).toBe(true);
      expect(timeline.statuses.map((s) => [s.status, s.knownSince ?? false])).toEqual([
        ['approved', true],
        ['implemented', false],
      ]);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('never reads a version over the size cap, nor follows a symbolic link', async () => {
    const repo = made();
    repo
      .write({
        'changes/CHG-0001.yaml': changeYaml('CHG-0001'),
        'changes/CHG-0002.yaml': `${changeYaml('CHG-0002')}# ${'x'.repeat(5000)}\n`,
      })
      .link('changes/CHG-0003.yaml', '/etc/passwd')
      .commit('Add three', '2026-05-01T10:00:00Z');
    const history = await readHistory(await openRepository(repo.dir), { maxFileBytes: 2000 });
    const files = Object.fromEntries(
      history.commits[0]!.files.map((f) => [f.path, f.text !== undefined ? 'read' : f.unreadable]),
    );
    expect(files).toEqual({
      'changes/CHG-0001.yaml': 'read',
      'changes/CHG-0002.yaml': expect.stringMatching(
        /^the version is 5\d{3} bytes, over the limit of 2000$/,
      ),
      'changes/CHG-0003.yaml': 'the version is a symbolic link; changeops does not follow it',
    });
    const timelines = buildTimelines(history);
    expect([...timelines.changes.keys()]).toEqual(['CHG-0001']);
    expect(timelines.skippedCount).toBe(2);
  });

  it('keeps commit fields apart whatever a subject or a name holds', async () => {
    const repo = made();
    repo
      .write({ 'changes/CHG-0001.yaml': changeYaml('CHG-0001') })
      .commit('\u001e3f0c evil\u001f (#5)', '2026-06-01T10:00:00Z', {
        name: 'Mallory \u001e x',
        email: 'm@example.com',
      });
    const history = await readHistory(await openRepository(repo.dir));
    expect(history.commits).toHaveLength(1);
    expect(history.commits[0]!.author.name).toBe('Mallory \u001e x');
    expect(history.commits[0]!.files.map((f) => f.path)).toEqual(['changes/CHG-0001.yaml']);
  });

  it('reads the first commit and the records of repositories configured otherwise', async () => {
    const repo = made();
    for (const [key, value] of [
      ['log.showRoot', 'false'],
      ['log.showSignature', 'true'],
      ['diff.renames', 'false'],
      ['color.ui', 'always'],
    ])
      repo.git('config', key!, value!);
    repo
      .write({ 'changes/CHG-0001.yaml': changeYaml('CHG-0001') })
      .commit('Root', '2026-06-02T10:00:00Z');
    repo.git('mv', 'changes/CHG-0001.yaml', 'changes/CHG-0001-renamed.yaml');
    repo.commit('Rename', '2026-06-03T10:00:00Z');
    const history = await readHistory(await openRepository(repo.dir));
    expect(history.commits.map((c) => c.files.map((f) => `${f.status} ${f.path}`))).toEqual([
      ['added changes/CHG-0001.yaml'],
      ['renamed changes/CHG-0001-renamed.yaml'],
    ]);
  });

  it('gives an empty history for a repository without commits', async () => {
    const repo = made();
    const history = await readHistory(await openRepository(repo.dir));
    expect(history.commits).toEqual([]);
  });

  it('reads a release and a change from one file', async () => {
    const repo = made();
    repo
      .write({
        'changes/bundle.yaml': `${changeYaml('CHG-0001')}---\n${releaseYaml('REL-1', { changes: ['CHG-0001'] })}`,
      })
      .commit('Bundle', '2026-07-01T10:00:00Z');
    const timelines = buildTimelines(await readHistory(await openRepository(repo.dir)));
    expect([...timelines.changes.keys(), ...timelines.releases.keys()]).toEqual([
      'CHG-0001',
      'REL-1',
    ]);
  });
});
