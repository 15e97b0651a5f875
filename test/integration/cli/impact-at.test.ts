import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/git/repository.js';
import { originRepository } from '../../../src/git/remote.js';
import { changeYaml, ciYaml, DatedRepo, runCli } from '../report/dated-repo.js';

// `changeops impact --at REF`: the CMDB as it was at a commit, read through git.
describe('changeops impact --at', () => {
  let repo: DatedRepo;
  let before: string;
  beforeEach(() => {
    repo = new DatedRepo();
    before = repo
      .write({
        'ops/changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
        'ops/cmdb/pg.yaml': ciYaml('pg'),
        'ops/cmdb/api.yaml': ciYaml('api', { dependsOn: ['pg'] }),
        'ops/changes/CHG-0001.yaml': changeYaml('CHG-0001', { cis: ['pg'] }),
        'README.md': 'not records\n',
      })
      .commit('The estate', '2026-01-01T00:00:00Z');
    repo
      .write({
        'ops/cmdb/reports.yaml': ciYaml('reports', { dependsOn: ['pg'] }),
        'ops/cmdb/api.yaml': ciYaml('api'),
      })
      .commit('Reports read the database; the API no longer does', '2026-02-01T00:00:00Z');
  });
  afterEach(() => repo.remove());

  const ids = (stdout: string) =>
    (JSON.parse(stdout) as { impacted: Array<{ id: string }> }).impacted.map((ci) => ci.id);

  it('answers from the CMDB at the commit, in a sub-folder of the repository', async () => {
    const then = await runCli('impact', 'pg', '--at', before, '--json', '--dir', `${repo.dir}/ops`);
    expect(then.err).toEqual([]);
    expect(then.code).toBe(0);
    expect(ids(then.stdout)).toEqual(['pg', 'api']);
    const now = await runCli('impact', 'pg', '--json', '--dir', `${repo.dir}/ops`);
    expect(ids(now.stdout)).toEqual(['pg', 'reports']);
    const named = await runCli(
      'impact',
      'pg',
      '--at',
      'HEAD~1',
      '--json',
      '--dir',
      `${repo.dir}/ops`,
    );
    expect(JSON.parse(named.stdout).at).toEqual({ ref: 'HEAD~1', sha: before });
  });

  it('says which commit the text is of', async () => {
    const run = await runCli('impact', 'CHG-0001', '--at', 'HEAD~1', '--dir', `${repo.dir}/ops`);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(`As of HEAD~1 (commit ${before.slice(0, 12)}):`);
    expect(run.out[1]).toBe('CHG-0001  Change CHG-0001 (normal change, proposed)');
    const bySha = await runCli(
      'impact',
      'CHG-0001',
      '--at',
      before.slice(0, 10),
      '--dir',
      `${repo.dir}/ops`,
    );
    expect(bySha.out[0]).toBe(`As of commit ${before.slice(0, 12)}:`);
  });

  it('says a CI that did not exist then is unknown at that commit', async () => {
    const run = await runCli('impact', 'reports', '--at', before, '--dir', `${repo.dir}/ops`);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([
      `changeops impact: "reports" is neither a CI of the CMDB nor a change at ${before.slice(0, 12)}`,
    ]);
  });

  it('never follows a symbolic link the commit holds, and says the records have an error', async () => {
    repo.link('ops/cmdb/evil.yaml', '/etc/passwd').commit('A link', '2026-03-01T00:00:00Z');
    const run = await runCli('impact', 'pg', '--at', 'HEAD', '--json', '--dir', `${repo.dir}/ops`);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([
      'note: the records have 1 error, so the impact may be incomplete (run changeops validate)',
    ]);
    expect(JSON.parse(run.stdout).recordErrors).toBe(1);
  });

  it('reads no file over the size cap of the policy at that commit', async () => {
    repo
      .write({
        'ops/changeops.yaml':
          'apiVersion: changeops/v1\nkind: Policy\nid: test\nlimits: {maxFileBytes: 1024}\n',
        'ops/cmdb/big.yaml': `${ciYaml('big', { dependsOn: ['pg'] })}# ${'x'.repeat(1200)}\n`,
      })
      .commit('A big CI', '2026-03-01T00:00:00Z');
    const run = await runCli('impact', 'pg', '--at', 'HEAD', '--json', '--dir', `${repo.dir}/ops`);
    expect(ids(run.stdout)).toEqual(['pg', 'reports']);
    expect(run.err[0]).toMatch(/^note: the records have 1 error/);
  });

  it.each([
    ['--at=--output=/tmp/x', '"--output=/tmp/x" is not a valid git ref'],
    ['--at=-p', '"-p" is not a valid git ref'],
    ['--at=HEAD:ops/cmdb', '"HEAD:ops/cmdb" is not a valid git ref'],
    ['--at=HEAD@{1}', '"HEAD@{1}" is not a valid git ref'],
    ['--at=HEAD~1..HEAD', '"HEAD~1..HEAD" is not a valid git ref'],
    [
      '--at=origin/--upl=touch${IFS}pwned;true',
      '"origin/--upl=touch${IFS}pwned;true" is not a valid git ref: a part of it starts with "-"',
    ],
    ['--at=+HEAD:refs/heads/x', '"+HEAD:refs/heads/x" is not a valid git ref: it holds "+"'],
    ['--at=nope', '"nope" is not a commit in this repository'],
  ])('refuses %s before git can take it for something else', async (option, words) => {
    const run = await runCli('impact', 'pg', option, '--dir', `${repo.dir}/ops`);
    expect(run.code).toBe(2);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toContain(`changeops impact: --at ${words}`);
    expect(run.out).toEqual([]);
  });
});

describe('the GitHub repository of the origin remote', () => {
  let repo: DatedRepo;
  beforeEach(() => {
    repo = new DatedRepo();
  });
  afterEach(() => repo.remove());

  it.each([
    ['https://github.com/acme/shop.git', { owner: 'acme', repo: 'shop' }],
    ['https://github.com/acme/shop', { owner: 'acme', repo: 'shop' }],
    ['https://x-access-token:abc@github.com/acme/shop.git', { owner: 'acme', repo: 'shop' }],
    ['git@github.com:acme/shop.git', { owner: 'acme', repo: 'shop' }],
    ['ssh://git@github.example.com/acme/my.shop.git', { owner: 'acme', repo: 'my.shop' }],
    ['/srv/git/shop.git', undefined],
    ['https://github.com/acme/shop/extra', undefined],
  ])('reads %s', async (url, expected) => {
    repo.git('remote', 'add', 'origin', url);
    expect(await originRepository(await openRepository(repo.dir))).toEqual(expected);
  });

  it('gives nothing without an origin', async () => {
    expect(await originRepository(await openRepository(repo.dir))).toBeUndefined();
  });
});
