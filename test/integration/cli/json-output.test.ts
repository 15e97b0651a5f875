import { Ajv, type ValidateFunction } from 'ajv';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEstate, lowRisk } from '../../e2e/gate-harness.js';
import { DatedRepo, githubUser, runCli } from '../report/dated-repo.js';

// One documented JSON shape per command (schemas/output/<command>.schema.json): every command's
// --json output, on the example estate and on failure cases, validates against its schema, has
// the same verdict "ok" (true exactly when the exit code is 0), and never leaves a key out.

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const outputSchemas = join(repoRoot, 'schemas', 'output');

const ajv = new Ajv({ allErrors: true, strict: true });
for (const file of readdirSync(outputSchemas))
  ajv.addSchema(JSON.parse(readFileSync(join(outputSchemas, file), 'utf8')));
const validators = new Map<string, ValidateFunction>();
function schemaOf(command: string): ValidateFunction {
  let validate = validators.get(command);
  if (!validate) {
    validate = ajv.getSchema(`output/${command}.schema.json`);
    if (!validate) throw new Error(`schemas/output/${command}.schema.json is missing`);
    validators.set(command, validate);
  }
  return validate;
}

/** Runs a command with --json; the document must fit its command's schema, and ok the exit code. */
async function json(...argv: string[]): Promise<{ code: number; doc: Record<string, unknown> }> {
  const run = await runCli(...argv, '--json');
  const doc = JSON.parse(run.stdout) as Record<string, unknown>;
  const validate = schemaOf(argv[0]!);
  if (!validate(doc))
    throw new Error(
      `changeops ${argv.join(' ')} --json breaks schemas/output/${argv[0]}.schema.json:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`,
    );
  expect(doc.ok).toBe(run.code === 0);
  return { code: run.code, doc };
}

/** The example estate (changeops.yaml, changes/, cmdb/) committed once into a scratch repository. */
let estate: DatedRepo;
let plain: string;
beforeAll(() => {
  estate = new DatedRepo();
  for (const part of ['changeops.yaml', 'changes', 'cmdb'])
    cpSync(join(repoRoot, part), join(estate.dir, part), { recursive: true });
  estate.commit('The example estate (#1)', '2026-11-01T09:00:00Z', githubUser('octocat'));
  estate.git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
  plain = mkdtempSync(join(tmpdir(), 'changeops-plain-'));
});
afterAll(() => {
  estate.remove();
  rmSync(plain, { recursive: true, force: true });
});

describe('every command answers --json in its documented shape on the example estate', () => {
  const cases: Array<[string, string[], number]> = [
    ['validate', ['validate'], 0],
    ['check every pending change', ['check', '--now', '2026-12-01'], 0],
    ['check against a base', ['check', '--base', 'HEAD', '--now', '2026-12-01'], 0],
    ['impact of a CI', ['impact', 'pg-payments'], 0],
    ['impact of a change', ['impact', 'CHG-0004'], 0],
    ['impact at a commit', ['impact', 'pg-payments', '--at', 'HEAD'], 0],
    ['the schedule with every status', ['schedule', '--all', '--from', '2026-01-01'], 0],
    ['a release that is not ready', ['release', 'REL-2027.01'], 1],
    ['a release with its notes', ['release', 'REL-2026.12', '--notes'], 1],
    ['the KPI report', ['report'], 0],
    ['the KPI report of a window', ['report', '--since', '2026-01-01', '--until', '2026-12-31'], 0],
    ['an evidence pack', ['evidence', 'CHG-0001'], 0],
    [
      'verify without running the checks',
      ['verify', '--changes', 'CHG-0007', '--no-run-checks'],
      0,
    ],
    [
      'verify after a failed deploy',
      ['verify', '--changes', 'CHG-0007', '--no-run-checks', '--outcome', 'failure'],
      1,
    ],
    // The estate's checks name scripts this scratch copy does not have: they fail to run.
    ['verify running checks that fail', ['verify', '--changes', 'CHG-0007'], 1],
  ];
  it.each(cases)('%s', async (_, argv, code) => {
    const run = await json(...argv, '--dir', estate.dir);
    expect(run.code).toBe(code);
  });

  it('gives null, not a missing key, for what does not apply', async () => {
    const check = (await json('check', '--dir', estate.dir, '--now', '2026-12-01')).doc;
    expect(check.base).toBeNull();
    const impact = (await json('impact', 'pg-payments', '--dir', estate.dir)).doc;
    expect(impact.at).toBeNull();
    const release = (await json('release', 'REL-2027.01', '--dir', estate.dir)).doc;
    expect(release.notes).toBeNull();
    const report = (await json('report', '--dir', estate.dir)).doc;
    expect(report.since).toBeNull();
  });
});

describe('every command answers --json in its documented shape when it fails', () => {
  it('gives the findings of a broken estate, with ok false and exit 1', async () => {
    const broken = new DatedRepo();
    try {
      cpSync(join(estate.dir, 'changeops.yaml'), join(broken.dir, 'changeops.yaml'));
      cpSync(join(estate.dir, 'cmdb'), join(broken.dir, 'cmdb'), { recursive: true });
      cpSync(join(estate.dir, 'changes'), join(broken.dir, 'changes'), { recursive: true });
      broken.write({
        'changes/CHG-0099-broken.yaml':
          'apiVersion: changeops/v1\nkind: Change\nid: CHG-0099\ntitle: Broken\ntype: normal\nstatus: proposed\nrequester: octocat\ncis: [no-such-ci]\n',
        'cmdb/tools.yaml':
          'apiVersion: changeops/v1\nkind: ConfigurationItem\nid: tools\nname: Tools\nclass: application\nowner: @acme/tools\ncriticality: 3\n',
      });
      const validate = await json('validate', '--dir', broken.dir);
      expect(validate.code).toBe(1);
      const errors = validate.doc.errors as Array<{ message: string; field: unknown }>;
      expect(errors.map((e) => e.message)).toContain(
        'values that start with @ must be quoted: owner: "@acme/tools"',
      );
      // A finding with no field has "field": null.
      expect(errors.some((e) => e.field === null)).toBe(true);
      expect((await json('check', '--dir', broken.dir, '--now', '2026-12-01')).code).toBe(1);
    } finally {
      broken.remove();
    }
  });

  it('counts the findings a file does not list on the one that stands for them', async () => {
    const crowded = new DatedRepo();
    try {
      crowded.write({
        'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: test\n',
        'cmdb/many.yaml': `apiVersion: changeops/v1\nkind: ConfigurationItem\nid: many\nname: Many\nclass: application\nowner: "@acme/tools"\ncriticality: 3\nenvironment: production\ndependsOn: [${Array(150).fill('1').join(', ')}]\n`,
      });
      const validate = await json('validate', '--dir', crowded.dir);
      expect(validate.code).toBe(1);
      const errors = validate.doc.errors as Array<{ rule: string; omitted: unknown }>;
      expect(errors).toHaveLength(101);
      expect(errors[100]).toMatchObject({
        rule: 'too-many-findings',
        omitted: { errors: 50, warnings: 0, notices: 0 },
      });
      expect(errors[0]!.omitted).toBeNull();
      expect(validate.doc.counts).toEqual({ errors: 150, warnings: 0, notices: 0 });
    } finally {
      crowded.remove();
    }
  });

  const failures: Array<[string, string[], string, RegExp]> = [
    ['an unknown option', ['check', '--frm', 'x'], 'usage', /^unknown option --frm$/],
    ['a date no option reads', ['report', '--since', 'yesterday'], 'usage', /^--since "yesterday"/],
    [
      'a --now that is not a date',
      ['check', '--now', 'soon'],
      'usage',
      /^--now "soon" is not a date/,
    ],
    ['an unknown CI', ['impact', 'pg-paymnets'], 'not-found', /did you mean "pg-payments"\?$/],
    ['an unknown release', ['release', 'REL-1999.01'], 'not-found', /is not a release/],
    ['an unknown change', ['evidence', 'CHG-9999'], 'not-found', /is not a change on /],
    ['a base git cannot find', ['check', '--base', 'no-such-branch'], 'git', /no-such-branch/],
    ['--json with --format', ['report', '--format', 'markdown'], 'usage', /exclude each other/],
    [
      'verify of an unknown change',
      ['verify', '--changes', 'CHG-9999'],
      'usage',
      /is not a change/,
    ],
  ];
  it.each(failures)(
    '%s: {"ok": false, "error": {"code", "message"}}, exit 2',
    async (_, argv, code, message) => {
      const run = await json(...argv, '--dir', estate.dir);
      expect(run.code).toBe(2);
      expect(run.doc).toEqual({
        ok: false,
        error: { code, message: expect.stringMatching(message) },
      });
    },
  );

  it('says no-records for a --dir with nothing to read', async () => {
    for (const command of ['validate', 'check', 'schedule', 'impact']) {
      const argv = command === 'impact' ? [command, 'x'] : [command];
      const run = await json(...argv, '--dir', plain);
      expect(run.code).toBe(2);
      expect(run.doc).toMatchObject({ ok: false, error: { code: 'no-records' } });
    }
  });

  it('answers an unknown command with JSON too', async () => {
    const run = await runCli('frobnicate', '--json');
    expect(run.code).toBe(2);
    expect(schemaOf('validate')(JSON.parse(run.stdout))).toBe(true);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      error: { code: 'usage', message: 'unknown command "frobnicate"' },
    });
  });
});

describe('one date parser for every option', () => {
  it('reads --now 2026-12-01 as the start of that day, as --from and --since read it', async () => {
    const asDay = await runCli('check', '--dir', estate.dir, '--json', '--now', '2026-12-01');
    const asInstant = await runCli(
      'check',
      '--dir',
      estate.dir,
      '--json',
      '--now',
      '2026-12-01T00:00:00Z',
    );
    expect(asDay.code).toBe(asInstant.code);
    expect(JSON.parse(asDay.stdout)).toEqual(JSON.parse(asInstant.stdout));
  });

  it('refuses a date and time without a zone, which would depend on the machine', async () => {
    const run = await runCli('check', '--dir', estate.dir, '--now', '2026-12-01T09:00:00');
    expect(run.code).toBe(2);
    expect(run.err[0]).toBe(
      'changeops check: --now "2026-12-01T09:00:00" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
    );
  });
});

describe('changeops gate --json, the offline simulation, in its documented shape', () => {
  let repo: DatedRepo;
  let files: string;
  beforeAll(() => {
    repo = new DatedRepo();
    repo.write(gateEstate).commit('base', '2030-01-01T09:00:00Z');
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo
      .write({ 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100') })
      .commit('CHG-0100', '2030-01-02T09:00:00Z');
    files = mkdtempSync(join(tmpdir(), 'changeops-gate-files-'));
    writeFileSync(join(files, 'none.json'), '[]');
    writeFileSync(
      join(files, 'carla.json'),
      JSON.stringify([{ id: 1, user: { login: 'carla', type: 'User' }, state: 'APPROVED' }]),
    );
    writeFileSync(join(files, 'members.json'), JSON.stringify({ '@acme/cab': ['carla', 'cody'] }));
    writeFileSync(join(files, 'no-teams.json'), '{}');
  });
  afterAll(() => {
    repo.remove();
    rmSync(files, { recursive: true, force: true });
  });
  const gate = (reviews: string, members = 'members.json') =>
    json(
      'gate',
      '--dir',
      repo.dir,
      '--base',
      'main',
      '--reviews',
      join(files, reviews),
      '--members',
      join(files, members),
    );

  it('pending: a CAB approval is missing (exit 1)', async () => {
    const run = await gate('none.json');
    expect(run.code).toBe(1);
    expect(run.doc).toMatchObject({ approval: 'pending', status: { state: 'pending' } });
  });

  it('approved by a CAB member (exit 0), every requirement with its "error": null', async () => {
    const run = await gate('carla.json');
    expect(run.code).toBe(0);
    const tree = run.doc.tree as { children: Array<{ kind: string; error?: unknown }> };
    for (const node of tree.children.filter((child) => child.kind === 'requirement'))
      expect(node.error).toBeNull();
  });

  it('error: a team the members file does not list cannot be evaluated (exit 2)', async () => {
    const run = await gate('carla.json', 'no-teams.json');
    expect(run.code).toBe(2);
    expect(run.doc).toMatchObject({ ok: false, approval: 'error' });
  });

  it('a reviews file that cannot be read: {"ok": false, "error": {"code": "io"}}', async () => {
    const run = await gate('missing.json');
    expect(run.code).toBe(2);
    expect(run.doc).toMatchObject({ ok: false, error: { code: 'io' } });
  });
});
