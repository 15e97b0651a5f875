// The base decides, end to end: the bundled action on a pull request whose head tries to change
// the rules it is judged by. The checkout is what actions/checkout leaves (the test merge
// commit), the base sha comes from a real webhook payload, the comment goes to the
// OpenAPI-checked fake GitHub.
import { describe, expect, it } from 'vitest';
import { TOKENS, type FakeGitHub } from '../fakes/github-server.js';
import {
  actionsEnvironment,
  pullRequestEvent,
  scenarioFromPullRequest,
  writeEventFile,
} from '../fakes/webhooks.js';
import { baseEstate, makeCheckout, type Checkout, type Files } from './checkout.js';
import { runAction, type ActionRun } from './run-action.js';
import { fakeGitHubPerTest } from '../fakes/per-test.js';

let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
});

async function checkPullRequest(checkout: Checkout, files: string[]): Promise<ActionRun> {
  const repo = gh.repo('acme/estate');
  const pr = repo.addPullRequest({
    number: 7,
    author: 'alice',
    head: { sha: checkout.headSha, ref: 'feature' },
    base: { sha: checkout.baseSha, ref: 'main' },
    mergeCommitSha: checkout.mergeSha,
    files: files.map((filename) => ({ filename, status: 'modified' })),
  });
  const payload = pullRequestEvent('synchronize', scenarioFromPullRequest('acme/estate', pr));
  return runAction({
    cwd: checkout.dir,
    env: actionsEnvironment({
      eventName: 'pull_request',
      payload,
      eventPath: writeEventFile(payload),
      apiUrl: gh.url,
      sha: checkout.mergeSha,
    }),
    inputs: { command: 'check', token: TOKENS.actions },
  });
}

const comment = () => gh.repo('acme/estate').commentsOn(7)[0]?.body ?? '';

const policy = (rules: string, extra = '') => `apiVersion: changeops/v1
kind: Policy
id: e2e
leadTimeHours: {normal: 0}
windows:
  - name: Production nights
    days: [mon, tue, wed, thu, fri, sat, sun]
    from: '22:00'
    to: '02:00'
    environments: [production]
  - name: Staging any time
    days: [mon, tue, wed, thu, fri, sat, sun]
    from: '00:00'
    to: '24:00'
    environments: [staging]
rules:
${rules}${extra}`;

const base: Files = { ...baseEstate, 'changeops.yaml': policy('  rogue-change: error\n') };

/**
 * A change with seven errors under the base policy: five missing fields (required-content), an
 * understated impact (pg-orders is part of the criticality-1 shop's chain) and the orders
 * code it changes without naming orders-api (rogue-change).
 */
const sevenErrors: Files = {
  'changes/CHG-0200-orders-tuning.yaml': `apiVersion: changeops/v1
kind: Change
id: CHG-0200
title: Tune the orders database
type: normal
status: proposed
requester: alice
cis: [pg-orders]
risk: {likelihood: low, impact: low}
`,
  'services/orders/main.go': 'package main // tuned\n',
};

describe('changeops check on a pull request that changes its own rules (the bundled action)', () => {
  it('keeps the errors when the pull request turns the rules off in its own changeops.yaml, and names the policy edit', async () => {
    const checkout = await makeCheckout(
      {
        ...sevenErrors,
        'changeops.yaml': policy(
          '  required-content: off\n  impact-understated: off\n  rogue-change: off\n',
        ),
      },
      base,
    );
    const run = await checkPullRequest(checkout, [
      'changeops.yaml',
      'changes/CHG-0200-orders-tuning.yaml',
      'services/orders/main.go',
    ]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.outputs.errors).toBe('7');
    const body = comment();
    expect(body).toContain('❌ **7 errors**');
    expect(body).not.toContain('No errors');
    expect(body).toContain(
      "this pull request changes the policy: rules.required-content error -&gt; off; rules.impact-understated error -&gt; off; rules.rogue-change error -&gt; off; it takes effect after merge, and until then the base's policy is in force (`policy-change`)",
    );
    expect(
      run.annotations.find((a) => a.properties.title === 'changeops policy-change'),
    ).toMatchObject({ level: 'warning', properties: { file: 'changeops.yaml', line: '17' } });
    // The rogue orders code: the command to run, and GitHub's editor on the head branch.
    expect(body).toContain('- run `changeops new --cis orders-api` in your clone');
    const link =
      /\[create `changes\/CHG-0201-orders-api\.yaml` in GitHub's editor\]\(([^)]+)\)/.exec(
        body,
      )?.[1];
    const url = new URL(link!);
    expect(url.origin + url.pathname).toBe('https://github.com/acme/estate/new/feature');
    expect(url.searchParams.get('filename')).toBe('changes/CHG-0201-orders-api.yaml');
    expect(url.searchParams.get('value')).toContain('id: CHG-0201\n');
    expect(url.searchParams.get('value')).toContain('requester: alice\ncis: [orders-api]\n');
  });

  it('keeps the impact and the production window when the pull request lowers its CIs to criticality 4 / staging', async () => {
    const lowered = (id: string) =>
      base[`cmdb/${id}.yaml`]!.replace(/criticality: \d/, 'criticality: 4').replace(
        'environment: production',
        'environment: staging',
      );
    const checkout = await makeCheckout(
      {
        'cmdb/pg-orders.yaml': lowered('pg-orders'),
        'cmdb/orders-api.yaml': lowered('orders-api'),
        'cmdb/shop.yaml': lowered('shop'),
        'changes/CHG-0201-orders-index.yaml': `apiVersion: changeops/v1
kind: Change
id: CHG-0201
title: Add an index to the orders table
type: normal
status: proposed
requester: alice
cis: [pg-orders]
reason: Order search times out at peak; the index brings it under 100 ms.
risk: {likelihood: low, impact: low}
plan:
  implementation: Create the index concurrently with the migration tool.
  test: Ran the migration on a production-sized copy in staging; timings attached.
  backout: Drop the index concurrently; nothing else depends on it.
schedule: {start: 2030-02-04T14:00:00Z, end: 2030-02-04T15:00:00Z}
`,
      },
      base,
    );
    const run = await checkPullRequest(checkout, ['cmdb/pg-orders.yaml']);

    expect(run.code).toBe(1);
    const body = comment();
    expect(body).toContain(
      'risk.impact is low, but the change reaches shop (criticality 1) through pg-orders -&gt; orders-api -&gt; shop; the CMDB puts its impact at high, so assess it as high',
    );
    expect(body).toContain(
      'no maintenance window of the policy applies to a normal change on production and staging CIs',
    );
    expect(body).toContain('a CMDB edit is a change too: this branch edits orders-api in the CMDB');
    expect(JSON.parse(run.outputs.impacted!)).toEqual(['orders-api', 'pg-orders', 'shop']);
  });

  it('reads the pull request under the limits of the base policy, whatever limits it proposes', async () => {
    const aliases = Array.from({ length: 150 }, () => '*t').join(', ');
    const checkout = await makeCheckout(
      {
        'changeops.yaml': policy('  rogue-change: error\n', 'limits:\n  maxAliases: 10000\n'),
        'cmdb/tagged.yaml': `${base['cmdb/shop.yaml']!.replace('id: shop', 'id: tagged')}tags: &t [a]\nlabels: [${aliases}]\n`,
      },
      base,
    );
    const run = await checkPullRequest(checkout, ['changeops.yaml', 'cmdb/tagged.yaml']);

    expect(run.code).toBe(1);
    expect(
      run.annotations.find((a) => a.properties.title === 'changeops yaml-aliases')?.message,
    ).toBe(
      'the file expands YAML aliases (*name) more than 100 times; records do not need aliases, write the values out',
    );
    expect(comment()).toContain('limits.maxAliases 100 -&gt; 10000');
  });

  it('fails the step with a sentence when the base policy cannot be used', async () => {
    const checkout = await makeCheckout(
      { 'changeops.yaml': base['changeops.yaml']! },
      { ...base, 'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\n' },
    );
    const run = await checkPullRequest(checkout, ['changeops.yaml']);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::the base branch's changeops.yaml is the policy in force and cannot be used; fix it on the base branch (see the errors in the report)",
    );
  });
});
