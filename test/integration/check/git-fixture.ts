import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { main } from '../../../src/cli/main.js';

/** The evaluation time of the integration tests: every schedule below lies ahead of it. */
export const NOW = new Date('2030-05-01T00:00:00Z');

/** A scratch directory under the OS's temp folder, removed by `remove`. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'changeops-check-'));
}

/** Removes a scratch directory. */
export function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes files (path -> text) under a directory, making folders as needed. */
export function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A new repository on branch main, with a local identity and no signing. */
export async function initRepository(dir: string): Promise<SimpleGit> {
  const git = simpleGit(dir);
  await git.raw(['init', '--quiet', '--initial-branch=main']);
  await git.addConfig('user.name', 'Test');
  await git.addConfig('user.email', 'test@example.com');
  await git.addConfig('commit.gpgsign', 'false');
  return git;
}

/** Stages everything and commits. */
export async function commit(git: SimpleGit, message: string): Promise<void> {
  await git.raw(['add', '--all']);
  await git.raw(['commit', '--quiet', '--no-verify', '-m', message]);
}

/** What running `changeops check` printed and returned. */
export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `changeops check` on a directory at the fixed time and captures its output. */
export async function check(
  dir: string,
  options: { base?: string; json?: boolean } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [
      'check',
      '--dir',
      dir,
      '--now',
      NOW.toISOString(),
      ...(options.base !== undefined ? [`--base=${options.base}`] : []),
      ...(options.json ? ['--json'] : []),
    ],
    { out: (text) => out.push(text), err: (text) => err.push(text) },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `check --json`, parsed, with each finding as the line a compiler would print. */
export async function checkJson(
  dir: string,
  base?: string,
): Promise<{ code: number; findings: string[]; outcome: Record<string, unknown>; err: string }> {
  const run = await check(dir, { json: true, ...(base !== undefined ? { base } : {}) });
  if (!run.out) return { code: run.code, findings: [], outcome: {}, err: run.err };
  const outcome = JSON.parse(run.out) as {
    changes: Array<{ findings: Finding[] }>;
    releases: Array<{ findings: Finding[] }>;
    repository: Finding[];
  };
  const all = [
    ...outcome.changes.flatMap((change) => change.findings),
    ...outcome.releases.flatMap((release) => release.findings),
    ...outcome.repository,
  ];
  return {
    code: run.code,
    findings: all.map(
      (f) => `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`,
    ),
    outcome: outcome as unknown as Record<string, unknown>,
    err: run.err,
  };
}

interface Finding {
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  rule: string;
}

/** The policy of the test estate: the defaults, rogue changes at warning. */
export const policy = `apiVersion: changeops/v1
kind: Policy
id: test
rules:
  rogue-change: warning
`;

/** A CI record. */
export function ciYaml(id: string, extra = ''): string {
  return `apiVersion: changeops/v1
kind: ConfigurationItem
id: ${id}
name: ${id}
class: application
owner: "@acme/team"
criticality: 3
environment: production
${extra}`;
}

/** A complete change record that every evaluation rule passes at NOW. */
export function changeYaml(
  id: string,
  fields: { status?: string; cis?: string; start?: string; end?: string } = {},
): string {
  return `apiVersion: changeops/v1
kind: Change
id: ${id}
title: Change ${id}
type: normal
status: ${fields.status ?? 'proposed'}
requester: octocat
cis: ${fields.cis ?? '[pg-payments]'}
reason: It is needed.
risk: {likelihood: low, impact: high}
plan:
  implementation: Roll out the new version with the usual pipeline.
  test: Tested on staging with production data.
  backout: Roll back to the previous version with the pipeline.
schedule: {start: ${fields.start ?? '2030-06-04T22:00:00Z'}, end: ${fields.end ?? '2030-06-04T23:30:00Z'}}
`;
}

/** The estate on main: two CIs with code, a database, an approved and a proposed change. */
export const estate: Record<string, string> = {
  'changeops.yaml': policy,
  'cmdb/pg-payments.yaml': ciYaml('pg-payments'),
  'cmdb/payments-api.yaml': ciYaml(
    'payments-api',
    'dependsOn: [pg-payments]\npaths: ["services/payments/**"]\n',
  ),
  'cmdb/search.yaml': ciYaml('search', 'paths: ["services/search/**"]\n'),
  'changes/CHG-0001-pg-upgrade.yaml': changeYaml('CHG-0001', { status: 'approved' }),
  'changes/CHG-0002-search-reindex.yaml': changeYaml('CHG-0002', {
    cis: '[search]',
    start: '2030-06-11T22:00:00Z',
    end: '2030-06-11T23:00:00Z',
  }),
  'services/payments/api.ts': 'export const api = 1;\n',
  'services/search/index.ts': 'export const index = 1;\n',
  'README.md': '# shop\n',
};
