import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/report/canonical-json.js';
import { verifyEvidence, type EvidencePack } from '../../../src/report/evidence.js';
import { startGitHubServer, TOKENS, type FakeGitHub } from '../../fakes/github-server.js';
import {
  changeYaml,
  ciYaml,
  DatedRepo,
  githubUser,
  runCli,
  type ChangeFields,
} from '../report/dated-repo.js';

// `changeops evidence` through the real command on a generated history: CHG-0042 proposed in #10,
// approved in #11 (merged by carol), the CMDB grown after the approval, implemented by a deploy,
// and its review recorded by verify in #12.
const file = 'changes/CHG-0042-upgrade-pg.yaml';
const checks = [
  { name: 'db-ping', run: './scripts/db-ping.sh' },
  { name: 'payments-health', run: './scripts/check-payments.sh' },
];
const base: ChangeFields = {
  title: 'Upgrade the payments database',
  requester: 'octocat',
  cis: ['pg'],
  schedule: { start: '2026-03-10T22:00:00Z', end: '2026-03-10T23:00:00Z' },
  checks,
};
const review = {
  outcome: 'success',
  date: '2026-03-11T08:00:00Z',
  run: 'https://github.com/acme/shop/actions/runs/4242',
};

describe('changeops evidence on a generated history', () => {
  let repo: DatedRepo;
  let approvalSha: string;
  let sideSha: string;
  beforeAll(() => {
    repo = new DatedRepo();
    repo
      .write({
        'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
        'cmdb/pg.yaml': ciYaml('pg'),
        'cmdb/api.yaml': ciYaml('api', { dependsOn: ['pg'], criticality: 1 }),
        [file]: changeYaml('CHG-0042', base),
      })
      .commit('Propose CHG-0042 (#10)', '2026-03-01T09:00:00Z', githubUser('octocat', 583231));
    approvalSha = repo.mergePullRequest(
      11,
      'approve-42',
      '2026-03-03T12:00:00Z',
      (r) => {
        r.write({ [file]: changeYaml('CHG-0042', { ...base, status: 'approved' }) });
        sideSha = r.commit('Approve CHG-0042', '2026-03-02T10:00:00Z', githubUser('dev1', 5));
      },
      githubUser('carol', 31),
    );
    // After the approval the CMDB grows: reports reads the database too. Not impacted "then".
    repo
      .write({ 'cmdb/reports.yaml': ciYaml('reports', { dependsOn: ['pg'] }) })
      .commit('Add the reports service', '2026-03-04T09:00:00Z');
    repo
      .write({ [file]: changeYaml('CHG-0042', { ...base, status: 'implemented' }) })
      .commit('CHG-0042 deployed', '2026-03-10T23:00:00Z', githubUser('deployer', 8));
    repo
      .write({ [file]: changeYaml('CHG-0042', { ...base, status: 'implemented', review }) })
      .commit('Record the review of CHG-0042 (#12)', '2026-03-11T08:05:00Z');
  });
  afterAll(() => repo.remove());

  const pack = async (...args: string[]): Promise<EvidencePack> => {
    const run = await runCli('evidence', 'CHG-0042', '--json', '--dir', repo.dir, ...args);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    // The printed pack carries "ok" beside the sealed fields; the digest covers the others.
    const { ok, ...printed } = JSON.parse(run.stdout) as EvidencePack & { ok: boolean };
    expect(ok).toBe(true);
    return printed;
  };

  it('names who requested it, every status with its commit, date and pull request, and who committed it', async () => {
    const evidence = await pack();
    expect(evidence.requested).toMatchObject({
      by: 'octocat',
      committedBy: { login: 'octocat' },
      at: '2026-03-01T09:00:00Z',
      pullRequest: 10,
    });
    expect(
      evidence.statuses.map((s) => [s.status, s.at, s.pullRequest ?? null, s.author.login ?? null]),
    ).toEqual([
      ['proposed', '2026-03-01T09:00:00Z', 10, 'octocat'],
      ['approved', '2026-03-03T12:00:00Z', 11, 'carol'],
      ['implemented', '2026-03-10T23:00:00Z', null, 'deployer'],
    ]);
    expect(evidence.statuses[1]!.sha).toBe(approvalSha);
    expect(evidence.pullRequests).toEqual([10, 11, 12]);
    expect(evidence.outcome).toMatchObject({ outcome: 'implemented', at: '2026-03-10T23:00:00Z' });
  });

  it('computes the impact from the CMDB at the approval commit, not from today’s', async () => {
    const evidence = await pack();
    expect(evidence.impact.commit).toBe(approvalSha);
    expect(evidence.impact.cis.map((ci) => [ci.id, ci.depth, ci.via])).toEqual([
      ['pg', 0, ['pg']],
      ['api', 1, ['pg', 'api']],
    ]);
    // impact --at gives the same answer; without it, today's CMDB has reports too.
    const then = JSON.parse(
      (await runCli('impact', 'CHG-0042', '--at', approvalSha, '--json', '--dir', repo.dir)).stdout,
    );
    expect(then.impacted.map((ci: { id: string }) => ci.id)).toEqual(['pg', 'api']);
    expect(then.at).toEqual({ ref: approvalSha, sha: approvalSha });
    const now = JSON.parse(
      (await runCli('impact', 'CHG-0042', '--json', '--dir', repo.dir)).stdout,
    );
    expect(now.impacted.map((ci: { id: string }) => ci.id)).toEqual(['pg', 'api', 'reports']);
  });

  it('lists the approvals from git alone, and says that is not who reviewed', async () => {
    const evidence = await pack();
    expect(evidence.approvals).toEqual({
      source: 'git',
      approvers: [
        { login: 'carol', at: '2026-03-03T12:00:00Z', commit: approvalSha, pullRequest: 11 },
      ],
      note: 'who committed each move to approved and the pull request that merged it, not who reviewed it; give a token to list the reviews the gate counted',
    });
  });

  it('lists the checks the implemented version named, and the review verify recorded', async () => {
    const evidence = await pack();
    expect(evidence.checks).toEqual([
      { name: 'db-ping', run: './scripts/db-ping.sh', listed: true, outcome: 'not recorded' },
      {
        name: 'payments-health',
        run: './scripts/check-payments.sh',
        listed: true,
        outcome: 'not recorded',
      },
    ]);
    expect(evidence.verification).toEqual({
      ...review,
      recordedIn: {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        date: '2026-03-11T08:05:00Z',
        pullRequest: 12,
      },
    });
    expect(evidence.problem).toEqual({ opened: [] });
  });

  it('renders the same pack as markdown an auditor can read', async () => {
    const run = await runCli('evidence', 'CHG-0042', '--dir', repo.dir);
    expect(run.code).toBe(0);
    const text = run.stdout;
    for (const line of [
      '# Evidence: `CHG-0042` Upgrade the payments database',
      '| requested by | octocat |',
      `| carol | 2026-03-03T12:00:00Z | \`${approvalSha.slice(0, 12)}\` | — | #11 |`,
      '| db-ping | `./scripts/db-ping.sh` | not recorded | — | — |',
      `Computed from the CMDB at \`${approvalSha.slice(0, 12)}\`.`,
    ])
      expect(text).toContain(line);
    expect(text).toMatch(
      /\| approved \| proposed \| 2026-03-03T12:00:00Z \| `[0-9a-f]{12}` \| #11 \| carol \|/,
    );
    expect(text).toMatch(/The post-implementation review recorded success on 2026-03-11T08:00:00Z/);
    expect(text).not.toContain('`reports`');
  });

  it('seals the pack with a digest that stays for the same history and changes with it', async () => {
    const first = await pack();
    expect(verifyEvidence(first)).toBe(true);
    const { digest, ...content } = first;
    expect(digest).toBe(digestOf(content));
    expect((await pack()).digest).toBe(digest);
    const later = new DatedRepo();
    try {
      later.git('fetch', '--quiet', repo.dir, 'main:main-copy');
      later.git('reset', '--quiet', '--hard', 'main-copy');
      later
        .write({ [file]: changeYaml('CHG-0042', { ...base, status: 'closed', review }) })
        .commit('Close CHG-0042', '2026-03-20T09:00:00Z');
      const run = await runCli('evidence', 'CHG-0042', '--json', '--dir', later.dir);
      const { ok: _ok, ...closed } = JSON.parse(run.stdout) as EvidencePack & { ok: boolean };
      expect(closed.digest).not.toBe(digest);
      expect(closed.statuses.at(-1)).toMatchObject({ status: 'closed', from: 'implemented' });
      // An edit of the pack shows too.
      expect(verifyEvidence({ ...first, requested: { ...first.requested, by: 'mallory' } })).toBe(
        false,
      );
    } finally {
      later.remove();
    }
  });

  describe('--out', () => {
    let out: string;
    beforeEach(() => {
      out = mkdtempSync(join(tmpdir(), 'changeops-evidence-'));
    });
    afterEach(() => rmSync(out, { recursive: true, force: true }));

    it('writes the markdown and JSON files, leaves them alone when they hold the same pack, and never replaces another unless forced', async () => {
      const folder = join(out, 'audit', '2026-q1');
      const first = await runCli(
        'evidence',
        'CHG-0042',
        '--out',
        folder,
        '--json',
        '--dir',
        repo.dir,
      );
      expect(first.code).toBe(0);
      const md = join(folder, 'CHG-0042.evidence.md');
      const json = join(folder, 'CHG-0042.evidence.json');
      const digest = (JSON.parse(readFileSync(json, 'utf8')) as EvidencePack).digest;
      expect(first.err).toEqual([`wrote ${md}`, `wrote ${json}`, `digest ${digest}`]);
      // --json with --out: what was written, as JSON on stdout.
      expect(JSON.parse(first.out.join('\n'))).toEqual({
        ok: true,
        files: [
          { path: md, outcome: 'created' },
          { path: json, outcome: 'created' },
        ],
        digest,
      });
      expect(readFileSync(md, 'utf8')).toContain(digest);

      const again = await runCli(
        'evidence',
        'CHG-0042',
        '--out',
        folder,
        '--json',
        '--dir',
        repo.dir,
      );
      expect(again.code).toBe(0);
      expect(again.err).toEqual([`unchanged ${md}`, `unchanged ${json}`, `digest ${digest}`]);

      // The same files now hold a pack of another branch: refused, nothing written.
      repo.git('branch', '--quiet', 'older', 'HEAD~1');
      try {
        const other = await runCli(
          'evidence',
          'CHG-0042',
          '--out',
          folder,
          '--json',
          '--branch',
          'older',
          '--dir',
          repo.dir,
        );
        expect(other.code).toBe(2);
        expect(other.err).toEqual([
          `changeops evidence: ${md} and ${json} already hold another evidence pack; nothing was written (give --force to replace, or another --out)`,
        ]);
        expect((JSON.parse(readFileSync(json, 'utf8')) as EvidencePack).digest).toBe(digest);
        const forced = await runCli(
          'evidence',
          'CHG-0042',
          '--out',
          folder,
          '--json',
          '--branch',
          'older',
          '--force',
          '--dir',
          repo.dir,
        );
        expect(forced.code).toBe(0);
        expect(forced.err.slice(0, 2)).toEqual([`replaced ${md}`, `replaced ${json}`]);
        expect((JSON.parse(readFileSync(json, 'utf8')) as EvidencePack).verification).toBeNull();
      } finally {
        repo.git('branch', '--quiet', '-D', 'older');
      }
    });

    it('writes only the markdown without --json', async () => {
      const run = await runCli('evidence', 'CHG-0042', '--out', out, '--dir', repo.dir);
      expect(run.code).toBe(0);
      expect(existsSync(join(out, 'CHG-0042.evidence.md'))).toBe(true);
      expect(existsSync(join(out, 'CHG-0042.evidence.json'))).toBe(false);
    });
  });

  describe('--github', () => {
    let gh: FakeGitHub;
    const saved = { ...process.env };
    beforeEach(async () => {
      gh = await startGitHubServer();
      process.env.GITHUB_TOKEN = TOKENS.user;
      process.env.GITHUB_API_URL = gh.url;
      delete process.env.GH_TOKEN;
      delete process.env.GITHUB_REPOSITORY;
    });
    afterEach(async () => {
      process.env = { ...saved };
      try {
        gh.assertNoViolations();
      } finally {
        await gh.close();
      }
    });

    it('names the approvals the gate counted on the approving pull request, and its status', async () => {
      const shop = gh.repo('acme/shop');
      shop.addPullRequest({
        number: 11,
        author: 'dev1',
        merged: true,
        head: { sha: sideSha, ref: 'approve-42' },
        mergeCommitSha: approvalSha,
        commits: [{ sha: sideSha, author: 'dev1' }],
        reviews: [
          {
            user: 'bob',
            state: 'APPROVED',
            commitId: 'b'.repeat(40),
            submittedAt: '2026-03-02T11:00:00Z',
          },
          { user: 'dave', state: 'CHANGES_REQUESTED', submittedAt: '2026-03-02T11:30:00Z' },
          { user: 'alice', state: 'APPROVED', submittedAt: '2026-03-02T12:00:00Z' },
          { user: 'octocat', state: 'APPROVED', submittedAt: '2026-03-02T12:10:00Z' },
          { user: 'renovate[bot]', state: 'APPROVED', submittedAt: '2026-03-02T12:20:00Z' },
          { user: 'dave', state: 'APPROVED', submittedAt: '2026-03-02T13:00:00Z' },
          { user: 'dave', state: 'COMMENTED', submittedAt: '2026-03-02T13:30:00Z' },
        ],
      });
      shop.addStatus(sideSha, {
        state: 'success',
        context: 'changeops/cab',
        description: 'Approved by alice and dave',
        creator: 'changeops-app[bot]',
        createdAt: '2026-03-02T13:00:05Z',
      });
      const evidence = await pack('--github', '--repo', 'acme/shop');
      expect(evidence.approvals.source).toBe('github');
      // bob approved an older commit, octocat requested the change, renovate is a bot.
      expect(evidence.approvals.approvers).toEqual([
        { login: 'alice', at: '2026-03-02T12:00:00Z', commit: sideSha, pullRequest: 11 },
        { login: 'dave', at: '2026-03-02T13:00:00Z', commit: sideSha, pullRequest: 11 },
      ]);
      expect(evidence.approvals.note).toBe(
        `the reviews the gate counts (the latest of each person on the head commit; not the PR author, a requester, a commit author or a bot), read from GitHub: #11: 2 approvals of its head commit ${sideSha.slice(0, 12)} count; the gate's status changeops/cab there was success ("Approved by alice and dave"), posted by changeops-app[bot] at 2026-03-02T13:00:05Z`,
      );
      // The pull request, its reviews, its commits, its head's statuses.
      expect(gh.requestCounts()).toEqual({ reads: 4, writes: 0, total: 4 });
      const gitOnly = await pack();
      expect(evidence.digest).not.toBe(gitOnly.digest);
    });

    it('does not take the reviews of a pull request that did not merge the approving commit', async () => {
      // The approval's commit names #11, but on GitHub #11 merged something else.
      const shop = gh.repo('acme/shop');
      shop.addPullRequest({
        number: 11,
        author: 'dev1',
        merged: true,
        head: { sha: sideSha, ref: 'elsewhere' },
        mergeCommitSha: 'c'.repeat(40),
        reviews: [{ user: 'alice', state: 'APPROVED', submittedAt: '2026-03-02T12:00:00Z' }],
      });
      const evidence = await pack('--github', '--repo', 'acme/shop');
      expect(evidence.approvals.approvers).toEqual([]);
      expect(evidence.approvals.note).toContain(
        `#11 merged cccccccccccc, not ${approvalSha.slice(0, 12)}, though the commit that approved CHG-0042 names it: its reviews are not this change's approvals`,
      );
    });

    it('does not take the reviews of a pull request that was never merged', async () => {
      gh.repo('acme/shop').addPullRequest({
        number: 11,
        author: 'dev1',
        head: { sha: sideSha, ref: 'approve-42' },
        reviews: [{ user: 'alice', state: 'APPROVED', submittedAt: '2026-03-02T12:00:00Z' }],
      });
      const evidence = await pack('--github', '--repo', 'acme/shop');
      expect(evidence.approvals.approvers).toEqual([]);
      expect(evidence.approvals.note).toContain(
        '#11 was never merged, though the commit that approved CHG-0042 names it',
      );
    });

    it('says which pull request GitHub could not give, and keeps going', async () => {
      gh.repo('acme/shop');
      const evidence = await pack('--github', '--repo', 'acme/shop');
      expect(evidence.approvals.approvers).toEqual([]);
      expect(evidence.approvals.note).toMatch(/#11 could not be read from GitHub \(404: /);
    });

    it('asks for a token rather than reading GitHub without one', async () => {
      delete process.env.GITHUB_TOKEN;
      const run = await runCli(
        'evidence',
        'CHG-0042',
        '--github',
        '--repo',
        'acme/shop',
        '--dir',
        repo.dir,
      );
      expect(run.code).toBe(2);
      expect(run.err[0]).toBe(
        'changeops evidence: --github reads GitHub with the token in GITHUB_TOKEN or GH_TOKEN; set one',
      );
      expect(gh.requestCounts().total).toBe(0);
    });
  });

  it.each([
    [
      ['CHG-0043'],
      'changeops evidence: "CHG-0043" is not a change on main; did you mean "CHG-0042"?',
    ],
    [['chg-42'], 'changeops evidence: "chg-42" is not a change id; give one like CHG-0042'],
    [
      ['../../etc/passwd', '--out', 'x'],
      'changeops evidence: "../../etc/passwd" is not a change id; give one like CHG-0042',
    ],
    [
      ['CHG-0042', '--force'],
      'changeops evidence: --force replaces evidence files: give --out DIR too',
    ],
    [
      ['CHG-0042', '--repo', 'acme/shop'],
      'changeops evidence: --repo names the repository GitHub is read from: give --github too',
    ],
    [
      ['CHG-0042', '--branch=-p'],
      'changeops evidence: --branch "-p" is not a valid git ref (no leading "-" or "^", "..", ":", "@{", spaces or control characters)',
    ],
  ])('exits 2 for %j with a sentence that says why', async (args, sentence) => {
    const run = await runCli('evidence', ...args, '--dir', repo.dir);
    expect(run.code).toBe(2);
    expect(run.err[0]).toBe(sentence);
    expect(run.out).toEqual([]);
  });

  it('says a change that is only in the working tree has no evidence on the branch yet', async () => {
    repo.write({ 'changes/CHG-0099-new.yaml': changeYaml('CHG-0099', { cis: ['pg'] }) });
    try {
      const run = await runCli('evidence', 'CHG-0099', '--dir', repo.dir);
      expect(run.code).toBe(2);
      expect(run.err).toEqual([
        'changeops evidence: "CHG-0099" is in the working tree but not on main: the evidence is what the branch recorded, so merge it first',
      ]);
    } finally {
      rmSync(join(repo.dir, 'changes/CHG-0099-new.yaml'));
    }
  });
});
