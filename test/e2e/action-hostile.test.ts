import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  pullRequestEvent,
  scenarioFromPullRequest,
  writeEventFile,
} from '../fakes/webhooks.js';
import { workflowCommandLines } from '../fixtures/workflow-commands.js';
import { baseEstate, changeRecord, makeCheckout, type Checkout, type Files } from './checkout.js';
import { runAction, type ActionRun } from './run-action.js';
import { fakeGitHubPerTest } from '../fakes/per-test.js';

/**
 * The bundled action on pull requests whose records are hostile: it must not crash, run out of
 * memory, leak its credentials into the log, or let a record print a workflow command of its
 * own. Run as the runner runs it, against the OpenAPI-checked fake GitHub.
 */
let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

async function check(
  checkout: Checkout,
  files: string[],
  extra: { env?: Record<string, string>; inputs?: Record<string, string> } = {},
): Promise<ActionRun> {
  const repo = gh.repo('acme/estate');
  const pr = repo.addPullRequest({
    number: 7,
    author: 'alice',
    head: { sha: checkout.headSha, ref: 'feature' },
    base: { sha: checkout.baseSha, ref: 'main' },
    mergeCommitSha: checkout.mergeSha,
    files: files.map((filename) => ({ filename, status: 'added' })),
  });
  const payload = pullRequestEvent('synchronize', scenarioFromPullRequest('acme/estate', pr));
  const env = actionsEnvironment({
    eventName: 'pull_request',
    payload,
    eventPath: writeEventFile(payload),
    apiUrl: gh.url,
    sha: checkout.mergeSha,
  });
  return runAction({
    cwd: checkout.dir,
    env: { ...env, ...extra.env },
    inputs: { command: 'check', token: TOKENS.actions, ...extra.inputs },
  });
}

/** What a hostile pull request writes into every text field it can. */
const payload =
  '##[add-mask]hunter2 ##[set-output name=pwned;]1 ::warning::mid-line\n' +
  '::error file=forged.yaml::forged\r::notice::after a CR ::stop-commands::tok';

/** The workflow commands @actions/core writes, one per line, with its escaping. */
const coreCommand = /^::(error|warning|notice|debug|add-mask|group|endgroup)( [^:]*)?::[^\r\n]*$/;

describe('the action on hostile records', () => {
  it('prints only the workflow commands it means, and outputs only its own', async () => {
    const change = changeRecord('CHG-0100')
      .replace('title: Add an index to the orders table', `title: ${JSON.stringify(payload)}`)
      .concat(`${JSON.stringify(payload)}: unknown field\n`);
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': change,
      [`cmdb/name\n::error::forged-by-a-file-name.yaml`]: `apiVersion: changeops/v1\nkind: ConfigurationItem\nid: x\nname: ${JSON.stringify(payload)}\n`,
    });
    const run = await check(checkout, ['changes/CHG-0100-orders-index.yaml']);

    expect(run.code).toBe(1);
    // Every line the runner would take for a command is one @actions/core wrote, whole.
    const commands = workflowCommandLines(run.stdout);
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toMatch(coreCommand);
    expect(run.stdout).not.toMatch(/^::(error|warning|notice) file=forged\.yaml::forged/m);
    expect(run.stdout).not.toMatch(/^::stop-commands::/m);
    expect(run.stdout).not.toMatch(/^::add-mask::hunter2/m);
    // The record's text stays data, escaped by @actions/core: a file name's newline and colons
    // in a property, the legacy form inside the message of a command the runner has already
    // recognised (it tries "::" first, and "##[" only when that fails).
    expect(run.stdout).toContain('file=cmdb/name%0A%3A%3Aerror%3A%3Aforged-by-a-file-name.yaml');
    expect(run.annotations.some((a) => a.message.includes('##[add-mask]hunter2'))).toBe(true);
    expect(Object.keys(run.outputs).sort()).toEqual(
      [
        'changes',
        'comment-id',
        'errors',
        'impacted',
        'notices',
        'risk',
        'valid',
        'warnings',
      ].sort(),
    );
    expect(run.outputs.changes).toBe('["CHG-0100"]');
  });

  it('masks its token, and each line of an App private key, before printing anything else', async () => {
    const key = [
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEAq3ZLxzTqs0aexampleexampleexample',
      '-----END RSA PRIVATE KEY-----',
    ].join('\n');
    const checkout = await makeCheckout({
      'changes/CHG-0100-orders-index.yaml': changeRecord('CHG-0100'),
    });
    const run = await check(checkout, ['changes/CHG-0100-orders-index.yaml'], {
      env: { 'INPUT_APP-PRIVATE-KEY': key },
    });
    const lines = run.stdout.split('\n');
    const masks = lines.filter((line) => line.startsWith('::add-mask::'));
    expect(masks).toContain(`::add-mask::${TOKENS.actions}`);
    expect(masks).toContain('::add-mask::MIIEowIBAAKCAQEAq3ZLxzTqs0aexampleexampleexample');
    // The masks come first: nothing is printed before the runner knows what to hide.
    expect(lines.slice(0, masks.length)).toEqual(masks);
    // Then which changeops ran: package.json's version, as `changeops --version` says it.
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(lines[masks.length]).toBe(`changeops ${version}`);
  });
});

describe('the action on a CMDB that is one chain of 20,000 CIs', () => {
  /** ci-0 <- ci-1 <- ... <- ci-19999, the last one business critical: 2.9 MB of CMDB. */
  function chain(n: number): Files {
    const files: Files = {};
    const docs: string[] = [];
    for (let i = 0; i < n; i++) {
      docs.push(
        `apiVersion: changeops/v1\nkind: ConfigurationItem\nid: ci-${i}\nname: Link ${i} of the chain of services\nclass: service\nowner: "@acme/ops"\ncriticality: ${i === n - 1 ? 1 : 3}\nenvironment: production\n${i > 0 ? `dependsOn: [ci-${i - 1}]\n` : ''}`,
      );
    }
    for (let f = 0; f * 5_000 < n; f++)
      files[`cmdb/chain-${f}.yaml`] = docs.slice(f * 5_000, (f + 1) * 5_000).join('---\n');
    return files;
  }

  it('checks a change at its root within a 256 MB heap, listing what fits', async () => {
    const change = changeRecord('CHG-0100').replace('cis: [pg-orders]', 'cis: [ci-0]');
    const checkout = await makeCheckout(
      { 'changes/CHG-0100-orders-index.yaml': change },
      { ...baseEstate, ...chain(20_000) },
    );
    const run = await check(checkout, ['changes/CHG-0100-orders-index.yaml'], {
      env: { NODE_OPTIONS: '--max-old-space-size=256' },
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs.impacted!)).toHaveLength(20_000);
    const comment = gh.repo('acme/estate').commentsOn(7)[0]!.body;
    expect(comment.length).toBeLessThanOrEqual(65_536);
    expect(comment).toContain('CHG-0100');
    expect(run.summary).toContain('… and 19,900 more CIs, further away');
    expect(run.summary).toContain('`ci-0` → `ci-1` → … → `ci-96` → `ci-97` → `ci-98`');
  });
});
