import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeRecord, makeCheckout } from '../e2e/checkout.js';
import { gateEstate, lowRisk, runGate, seedTeams } from '../e2e/gate-harness.js';
import { runAction } from '../e2e/run-action.js';
import { startGitHubServer, TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  pullRequestEvent,
  scenarioFromPullRequest,
  writeEventFile,
} from '../fakes/webhooks.js';
import { DatedRepo, runCli } from '../integration/report/dated-repo.js';

// docs/troubleshooting.md is built from the real messages: each entry's text block, after its
// `<!-- message: name -->` marker, must be what the code prints in the scenario of that name,
// line for line. An entry without a scenario, or a scenario without an entry, fails too.

const repoRoot = join(import.meta.dirname, '..', '..');
const page = readFileSync(join(repoRoot, 'docs', 'troubleshooting.md'), 'utf8');

/** Each entry of the page: its name and the lines of its text block. */
const entries = new Map(
  [...page.matchAll(/<!-- message: ([a-z-]+) -->\n```text\n([\s\S]*?)\n```/g)].map((m) => [
    m[1]!,
    m[2]!.split('\n'),
  ]),
);

/** A scratch repository holding the example estate, committed once; `edit` changes it after. */
async function estate(edit: (dir: string, repo: DatedRepo) => void = () => {}) {
  const repo = new DatedRepo();
  for (const part of ['changeops.yaml', 'changes', 'cmdb'])
    cpSync(join(repoRoot, part), join(repo.dir, part), { recursive: true });
  repo.commit('The example estate', '2026-11-01T09:00:00Z');
  edit(repo.dir, repo);
  made.push(repo);
  return repo.dir;
}
const made: DatedRepo[] = [];

/** Replaces text that must occur once in a file of the estate. */
function replace(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  expect(text.split(from)).toHaveLength(2);
  writeFileSync(path, text.replace(from, to));
}

/** What a CLI run printed, stdout then stderr, as lines. */
async function cli(...argv: string[]): Promise<string[]> {
  const run = await runCli(...argv);
  return [...run.out, ...run.err];
}

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startGitHubServer();
});
afterAll(async () => {
  await gh.close();
  for (const repo of made) repo.remove();
});

let runs = 0;

/** The bundled action's `check` on pull request #7 of acme/estate, with a token and an event. */
async function actionRun(token: string, options: { event?: string; fork?: boolean } = {}) {
  const checkout = await makeCheckout({
    'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
  });
  const name = `acme/estate-${++runs}`;
  const repo = gh.repo(name);
  const pr = repo.addPullRequest({
    number: 7,
    author: 'alice',
    head: { sha: checkout.headSha, ref: 'feature' },
    base: { sha: checkout.baseSha, ref: 'main' },
    mergeCommitSha: checkout.mergeSha,
    files: [{ filename: 'changes/CHG-0100-orders-index.yaml', status: 'added' }],
  });
  const scenario = {
    ...scenarioFromPullRequest(name, pr),
    ...(options.fork ? { headRepo: 'mallory/estate' } : {}),
  };
  const payload = pullRequestEvent('synchronize', scenario);
  const env = actionsEnvironment({
    eventName: 'pull_request',
    payload,
    eventPath: writeEventFile(payload),
    apiUrl: gh.url,
    sha: checkout.mergeSha,
  });
  if (options.event) env.GITHUB_EVENT_NAME = options.event;
  const run = await runAction({ cwd: checkout.dir, env, inputs: { command: 'check', token } });
  return run.stdout.split('\n');
}

const scenarios: Record<string, () => Promise<string[]>> = {
  'unquoted-at': async () => {
    const dir = await estate((d) =>
      replace(d, 'cmdb/apps/payments-api.yaml', 'owner: "@acme/payments"', 'owner: @acme/payments'),
    );
    return cli('validate', '--dir', dir);
  },
  'hash-comment': async () => {
    const dir = await estate((d) =>
      replace(
        d,
        'changes/CHG-0005-catalog-price-history.yaml',
        '\nreason:',
        '\nproblem: #123\nreason:',
      ),
    );
    return cli('validate', '--dir', dir);
  },
  'version-number': async () => {
    const dir = await estate((d) =>
      replace(
        d,
        'changes/REL-2026.12-omnibus-pricing.yaml',
        'version: "2026.12.0"',
        'version: 1.10',
      ),
    );
    return cli('validate', '--dir', dir);
  },
  'tab-indent': async () => {
    const dir = await estate((d) =>
      replace(d, 'changes/CHG-0004-kafka-3-8.yaml', '\n  test: ', '\n\ttest: '),
    );
    return cli('validate', '--dir', dir);
  },
  'unknown-ci': async () => {
    const dir = await estate((d) =>
      replace(
        d,
        'changes/CHG-0007-pgbouncer-payments.yaml',
        'cis: [pg-payments',
        'cis: [pg-paymnets',
      ),
    );
    return cli('validate', '--dir', dir);
  },
  'file-name': async () => {
    const dir = await estate((d) => {
      renameSync(
        join(d, 'changes/CHG-0012-staging-kubernetes-1-33.yaml'),
        join(d, 'changes/CHG-0012-k8s.yaml'),
      );
      replace(d, 'changes/CHG-0012-k8s.yaml', 'id: CHG-0012', 'id: CHG-0013');
    });
    return cli('validate', '--dir', dir);
  },
  'missing-field': async () => {
    const dir = await estate((d) => {
      const file = 'changes/CHG-0009-rotate-tools-certificate.yaml';
      replace(
        d,
        file,
        'title: Rotate the *.tools.acme.example certificate before it expires on 2027-03-15\n',
        '',
      );
      replace(d, file, 'risk: { likelihood: low, impact: low }', 'risk: { likelihood: low }');
    });
    return cli('validate', '--dir', dir);
  },
  'duplicate-key': async () => {
    const dir = await estate((d) =>
      writeFileSync(
        join(d, 'cmdb/apps/catalog-api.yaml'),
        `${readFileSync(join(d, 'cmdb/apps/catalog-api.yaml'), 'utf8')}name: Catalog\n`,
      ),
    );
    return cli('validate', '--dir', dir);
  },
  'unknown-rule': async () => {
    const dir = await estate((d) =>
      replace(d, 'changeops.yaml', '\nrules:\n', '\nrules:\n  lead-tim: warning\n'),
    );
    return cli('check', '--dir', dir, '--now', '2026-12-01');
  },
  'rogue-change': async () => {
    const dir = await estate((d, repo) => {
      repo.write({ 'services/payments/pool.go': 'package payments\n' });
      repo.commit('Tune the pool', '2026-11-02T09:00:00Z');
    });
    return cli('check', '--dir', dir, '--base', 'HEAD~1', '--now', '2026-12-01');
  },
  'folder-link': async () => {
    const outside = mkdtempSync(join(tmpdir(), 'changeops-secret-'));
    try {
      const dir = await estate((d) => {
        symlinkSync(outside, join(d, 'cmdb', 'shared'));
        mkdirSync(join(d, 'records', 'team'), { recursive: true });
        symlinkSync(join('..', 'records', 'team'), join(d, 'cmdb', 'team'));
      });
      return await cli('validate', '--dir', dir);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  },
  'no-records': async () => {
    const shop = mkdtempSync(join(tmpdir(), 'changeops-shop-'));
    mkdirSync(join(shop, 'services'));
    try {
      const lines = await cli('validate', '--dir', join(shop, 'services'));
      return lines.map((line) => line.replaceAll(shop, '~/shop'));
    } finally {
      rmSync(shop, { recursive: true, force: true });
    }
  },
  'base-missing': async () => cli('check', '--dir', await estate(), '--base', 'origin/main'),
  'base-not-a-ref': async () => cli('check', '--dir', await estate(), '--base', 'main..HEAD'),
  'date-without-zone': async () =>
    cli('check', '--dir', await estate(), '--now', '2026-12-01T09:00'),
  'unknown-option': async () => cli('check', '--dir', await estate(), '--frm', 'x'),
  'token-refused': async () => actionRun('ghs_revoked0000'),
  'token-empty': async () => actionRun(''),
  'token-read-only': async () => actionRun(TOKENS.forkReadOnly, { fork: true }),
  'wrong-event': async () => actionRun(TOKENS.actions, { event: 'push' }),
  'gate-token-refused': async () => {
    const gate = await startGitHubServer();
    try {
      seedTeams(gate);
      const checkout = await makeCheckout(
        { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100') },
        gateEstate,
      );
      const { run } = await runGate(gate, { checkout, token: 'ghs_revoked0000' });
      // The head commit differs every run: the page shows one.
      return run.stdout
        .split('\n')
        .map((line) => line.replace(/ on [0-9a-f]{12}:/, ' on 1a2b3c4d5e6f:'));
    } finally {
      await gate.close();
    }
  },
};

describe('docs/troubleshooting.md: every message is what the code prints', () => {
  it('has a scenario for every entry, and an entry for every scenario', () => {
    expect([...entries.keys()].sort()).toEqual(Object.keys(scenarios).sort());
  });

  it.each(Object.keys(scenarios))('%s', async (name) => {
    const printed = await scenarios[name]!();
    for (const line of entries.get(name) ?? []) expect(printed).toContain(line);
  });
});
