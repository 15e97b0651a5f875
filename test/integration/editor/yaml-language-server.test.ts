import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { yamlDiagnostics } from '../../fixtures/yaml-language-server.js';

// What a user's editor (VS Code's YAML extension runs yaml-language-server) underlines, asked of
// the language server itself, headless and offline: our own example estate and schemas, and a
// fresh repository after `changeops init` and `changeops new`, whose modelines point at the
// schemas init copied into .changeops/schemas/.

const here = process.cwd();

/** Every file below `dir` whose name matches, as absolute paths, sorted. */
function filesBelow(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => pattern.test(name))
    .map((name) => join(dir, name))
    .sort();
}

/** Runs the CLI in-process; the exit code and what it printed. */
async function changeops(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The diagnostics of each file that has any, its path relative to `root`. */
function nonEmpty(diagnostics: Record<string, string[]>, root: string): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(diagnostics)
      .filter(([, list]) => list.length > 0)
      .map(([file, list]) => [relative(root, file), list.map((d) => relative(root, d))]),
  );
}

let repo: string;
beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'changeops-editor-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  const init = await changeops([
    'init',
    '--dir',
    repo,
    '--yes',
    '--cab-team',
    '@acme/cab',
    '--owner',
    '@acme/payments',
    '--ci',
    'payments-api',
    '--paths',
    'services/payments/**',
  ]);
  expect(init.code, init.err).toBe(0);
  const created = await changeops([
    'new',
    '--dir',
    repo,
    '--yes',
    '--title',
    'Add a payments health endpoint',
    '--cis',
    'payments-api',
    '--reason',
    'Operations need a health check.',
    '--risk',
    'low/high',
    '--implementation',
    'Deploy the endpoint.',
    '--test',
    'Ran the endpoint tests in staging.',
    '--backout',
    'Redeploy the previous version.',
    '--requester',
    'octocat',
    '--now',
    '2027-03-01T09:00:00Z',
  ]);
  expect(created.code, created.err).toBe(0);
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('yaml-language-server in an editor', () => {
  it('underlines nothing in our example changeops.yaml, records and schemas', async () => {
    const files = [
      join(here, 'changeops.yaml'),
      ...filesBelow(join(here, 'changes'), /\.ya?ml$/),
      ...filesBelow(join(here, 'cmdb'), /\.ya?ml$/),
      ...filesBelow(join(here, 'schemas'), /\.schema\.json$/),
    ];
    expect(files.length).toBeGreaterThan(20);
    expect(nonEmpty(await yamlDiagnostics(files), here)).toEqual({});
  });

  it('underlines nothing in what init and new write, offline, the modelines on .changeops/schemas/', async () => {
    const files = [
      join(repo, 'changeops.yaml'),
      ...filesBelow(join(repo, 'changes'), /\.yaml$/),
      ...filesBelow(join(repo, 'cmdb'), /\.yaml$/),
      ...filesBelow(join(repo, '.changeops', 'schemas'), /\.schema\.json$/),
    ];
    expect(files.map((file) => relative(repo, file))).toEqual([
      'changeops.yaml',
      'changes/CHG-0001-add-a-payments-health-endpoint.yaml',
      'cmdb/payments-api.yaml',
      '.changeops/schemas/change.schema.json',
      '.changeops/schemas/common.schema.json',
      '.changeops/schemas/configuration-item.schema.json',
      '.changeops/schemas/policy-rules.schema.json',
      '.changeops/schemas/policy.schema.json',
      '.changeops/schemas/release.schema.json',
    ]);
    expect(nonEmpty(await yamlDiagnostics(files), repo)).toEqual({});
  });

  it('is not silent: it underlines a bad owner, an unknown key, a missing field and a broken schema', async () => {
    const bad = join(repo, 'bad');
    mkdirSync(join(bad, 'cmdb', 'deep'), { recursive: true });
    const ci = join(bad, 'cmdb', 'deep', 'ci.yaml');
    writeFileSync(
      ci,
      '# yaml-language-server: $schema=../../../.changeops/schemas/configuration-item.schema.json\napiVersion: changeops/v1\nkind: ConfigurationItem\nid: x\nname: X\nclass: application\nowner: acme/payments\ncriticality: 1\ncolour: blue\n',
    );
    const change = join(bad, 'change.yaml');
    writeFileSync(
      change,
      '# yaml-language-server: $schema=../.changeops/schemas/change.schema.json\napiVersion: changeops/v1\nkind: Change\nid: CHG-0002\n',
    );
    const policy = join(bad, 'changeops.yaml');
    writeFileSync(
      policy,
      '# yaml-language-server: $schema=../.changeops/schemas/policy.schema.json\napiVersion: changeops/v1\nkind: Policy\nid: policy\nimpactByCriticality: {1: high, 5: low}\n',
    );
    const schema = join(bad, 'broken.schema.json');
    writeFileSync(
      schema,
      '{\n  "$schema": "http://json-schema.org/draft-07/schema#",\n  "type": "object",\n  "required": "id"\n}\n',
    );
    const found = await yamlDiagnostics([ci, change, policy, schema]);
    expect(found[ci]).toEqual([
      expect.stringMatching(/ci\.yaml:7:8: String does not match the pattern of "\^@/),
      `${ci}:9:1: Property colour is not allowed.`,
    ]);
    expect(found[change]).toEqual(
      ['title', 'type', 'status', 'requester', 'cis'].map(
        (field) => `${change}:2:1: Missing property "${field}".`,
      ),
    );
    expect(found[policy]).toEqual([`${policy}:5:32: Property 5 is not allowed.`]);
    expect(found[schema]).toEqual([`${schema}:4:15: Incorrect type. Expected "array".`]);
  });
});
