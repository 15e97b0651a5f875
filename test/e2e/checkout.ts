// Builds a real git checkout the way actions/checkout leaves one for a pull_request run: a base
// commit on main, a head commit on a branch, and the test merge commit GitHub checks out.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit } from 'simple-git';

/** The shas of a pull request's checkout. */
export interface Checkout {
  dir: string;
  baseSha: string;
  headSha: string;
  mergeSha: string;
}

/** Files by repository path. */
export type Files = Record<string, string>;

/** A small estate: a policy, a database, an application on it, a service it is part of. */
export const baseEstate: Files = {
  'changeops.yaml': `apiVersion: changeops/v1
kind: Policy
id: e2e
boards:
  cab:
    members: ["@acme/cab"]
leadTimeHours: {normal: 0}
`,
  'cmdb/pg-orders.yaml': `apiVersion: changeops/v1
kind: ConfigurationItem
id: pg-orders
name: Orders database
class: database
owner: "@acme/dba"
criticality: 2
environment: production
`,
  'cmdb/orders-api.yaml': `apiVersion: changeops/v1
kind: ConfigurationItem
id: orders-api
name: Orders API
class: application
owner: "@acme/orders"
criticality: 2
environment: production
dependsOn: [pg-orders]
partOf: [shop]
paths: ["services/orders/**"]
`,
  'cmdb/shop.yaml': `apiVersion: changeops/v1
kind: ConfigurationItem
id: shop
name: Online shop
class: business-service
owner: "@acme/shop"
criticality: 1
environment: production
`,
  'services/orders/main.go': 'package main\n',
};

/** A valid normal change to the orders database, scheduled well ahead. */
export function changeRecord(id: string, extra = ''): string {
  return `apiVersion: changeops/v1
kind: Change
id: ${id}
title: Add an index to the orders table
type: normal
status: proposed
requester: alice
cis: [pg-orders]
reason: Order search times out at peak; the index brings it under 100 ms.
risk: {likelihood: low, impact: high}
plan:
  implementation: Create the index concurrently with the migration tool.
  test: Ran the migration on a production-sized copy in staging; timings attached.
  backout: Drop the index concurrently; nothing else depends on it.
schedule: {start: 2030-02-04T22:00:00Z, end: 2030-02-04T23:00:00Z}
${extra}`;
}

function write(dir: string, files: Files): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * Commits `base` on main, then `head` on a branch (the `executables` of it with the x bit),
 * then checks out their merge commit.
 */
export async function makeCheckout(
  head: Files,
  base: Files = baseEstate,
  options: { executables?: string[] } = {},
): Promise<Checkout> {
  const dir = mkdtempSync(join(tmpdir(), 'changeops-e2e-'));
  const git = simpleGit(dir);
  await git.init(['-b', 'main']);
  await git
    .addConfig('user.name', 'Test')
    .addConfig('user.email', 'test@example.com')
    .addConfig('commit.gpgsign', 'false');
  write(dir, base);
  await git.add('.').commit('base');
  const baseSha = (await git.revparse(['HEAD'])).trim();
  await git.checkoutLocalBranch('feature');
  write(dir, head);
  for (const path of options.executables ?? []) chmodSync(join(dir, path), 0o755);
  await git.add('.').commit('head');
  const headSha = (await git.revparse(['HEAD'])).trim();
  await git.checkout(['--detach', baseSha]);
  await git.merge(['--no-ff', '-m', 'Merge feature into main', headSha]);
  const mergeSha = (await git.revparse(['HEAD'])).trim();
  return { dir, baseSha, headSha, mergeSha };
}
