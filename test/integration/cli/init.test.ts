import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as YAML from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

// changeops init on real temporary git repositories: what it writes, what it refuses, --force,
// --upgrade, a monorepo's sub-folder, and the questions on a terminal (an injected ask).

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'changeops-init-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

async function changeops(args: string[], answers?: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const code = await main(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    ...(answers
      ? {
          ask: async (question: string) => {
            asked.push(question);
            return answers.shift() ?? '';
          },
        }
      : {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n'), asked };
}

const flags = [
  '--yes',
  '--cab-team',
  '@acme/cab',
  '--owner',
  '@acme/payments',
  '--ci',
  'payments-api',
];

describe('changeops init', () => {
  it('writes the policy, a first CI, the schemas and both workflows, and says what to turn on at GitHub', async () => {
    const run = await changeops([
      'init',
      '--dir',
      repo,
      ...flags,
      '--paths',
      'services/payments/**',
    ]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('wrote 12 files:');
    expect(run.out).toContain('Require status\n     checks to pass: changeops/cab');
    const ci = YAML.parse(readFileSync(join(repo, 'cmdb', 'payments-api.yaml'), 'utf8'));
    expect(ci).toMatchObject({
      id: 'payments-api',
      owner: '@acme/payments',
      paths: ['services/payments/**'],
    });
    const gate = readFileSync(join(repo, '.github', 'workflows', 'changeops.yml'), 'utf8');
    expect(gate).toMatch(/uses: actions\/checkout@[0-9a-f]{40} # v/);
    expect(gate).toContain('command: gate');
    expect(gate).toMatch(/concurrency:/);
    const validate = await changeops(['validate', '--dir', repo]);
    expect(validate.code, validate.out).toBe(0);
  });

  it('leaves a TODO that validate refuses when no CAB team is given', async () => {
    const run = await changeops(['init', '--dir', repo, '--yes', '--ci', 'payments-api']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('fill in the TODOs above');
    // A policy that cannot be used is a configuration error: exit 2.
    expect((await changeops(['validate', '--dir', repo])).code).toBe(2);
  });

  it('refuses when a file exists, lists it and writes nothing; --force replaces', async () => {
    writeFileSync(join(repo, 'changeops.yaml'), '# mine\n');
    const run = await changeops(['init', '--dir', repo, ...flags]);
    expect(run.code).toBe(2);
    expect(`${run.out}\n${run.err}`).toContain('changeops.yaml');
    expect(readFileSync(join(repo, 'changeops.yaml'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(repo, 'cmdb'))).toBe(false);
    expect((await changeops(['init', '--dir', repo, ...flags, '--force'])).code).toBe(0);
    expect(readFileSync(join(repo, 'changeops.yaml'), 'utf8')).toContain('kind: Policy');
  });

  it('--upgrade refreshes only .changeops/schemas', async () => {
    await changeops(['init', '--dir', repo, ...flags]);
    const schema = join(repo, '.changeops', 'schemas', 'change.schema.json');
    writeFileSync(schema, '{}\n');
    writeFileSync(join(repo, 'changeops.yaml'), '# edited\n');
    const run = await changeops(['init', '--dir', repo, '--upgrade']);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(schema, 'utf8')).toBe(readFileSync('schemas/change.schema.json', 'utf8'));
    expect(readFileSync(join(repo, 'changeops.yaml'), 'utf8')).toBe('# edited\n');
  });

  it('in a monorepo sub-folder: the workflows at the top with dir set, modelines that resolve', async () => {
    const folder = join(repo, 'teams', 'payments');
    mkdirSync(folder, { recursive: true });
    const run = await changeops(['init', '--dir', folder, ...flags]);
    expect(run.code, run.err).toBe(0);
    const gate = readFileSync(join(repo, '.github', 'workflows', 'changeops.yml'), 'utf8');
    expect(gate).toContain('dir: "teams/payments"');
    expect(existsSync(join(folder, '.github'))).toBe(false);
    for (const file of ['changeops.yaml', 'cmdb/payments-api.yaml']) {
      const modeline = readFileSync(join(folder, file), 'utf8').split('\n')[0]!;
      const target = /\$schema=(\S+)/.exec(modeline)![1]!;
      expect(existsSync(join(dirname(join(folder, file)), target)), `${file}: ${target}`).toBe(
        true,
      );
    }
  });

  it('asks on a terminal for what the options leave out', async () => {
    const run = await changeops(
      ['init', '--dir', repo, '--owner', '@acme/payments'],
      ['@acme/cab', '', 'payments-api', 'Payments API', 'services/payments/**'],
    );
    expect(run.code, run.err).toBe(0);
    expect(run.asked.length).toBeGreaterThanOrEqual(3);
    expect(run.asked.join('\n')).toMatch(/CAB/);
    const ci = YAML.parse(readFileSync(join(repo, 'cmdb', 'payments-api.yaml'), 'utf8'));
    expect(ci).toMatchObject({ id: 'payments-api', owner: '@acme/payments' });
    expect(readFileSync(join(repo, 'changeops.yaml'), 'utf8')).toContain('@acme/cab');
  });

  it('refuses a CAB team that is not @org/team, with the form to write', async () => {
    const run = await changeops(['init', '--dir', repo, '--yes', '--cab-team', 'acme/cab']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('write a team as @org/team-slug or a user as @login');
  });
});
