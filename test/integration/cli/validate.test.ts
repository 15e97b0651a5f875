import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { commands, main } from '../../../src/cli/main.js';
import {
  ciText,
  fixtureText,
  makeWorkspace,
  removeWorkspaces,
  replaceOnce,
  validDir,
} from '../../fixtures/estate.js';

/** `changeops validate` on workspaces on disk: what a person or a CI job sees, and the exit code. */
afterEach(removeWorkspaces);

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the CLI in-process and captures what it prints, one entry per printed line. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (text) => out.push(...text.split('\n')),
    err: (text) => err.push(...text.split('\n')),
  });
  return { code, out, err };
}

/** The valid estate with four things wrong, one of them a whole unreadable file. */
function brokenEstate(): string {
  return makeWorkspace({
    'cmdb/payments-api.yaml': replaceOnce(
      fixtureText('cmdb/payments-api.yaml'),
      'criticality: 1',
      'criticality: 5',
    ),
    'changes/CHG-0042-upgrade-pg.yaml': replaceOnce(
      fixtureText('changes/CHG-0042-upgrade-pg.yaml'),
      'status: proposed',
      'status: aproved',
    ),
    'changes/REL-2026.12-december.yaml': replaceOnce(
      fixtureText('changes/REL-2026.12-december.yaml'),
      'changes: [CHG-0042]',
      'changes: [CHG-0042, CHG-0043]',
    ),
    'cmdb/cache.yaml': ciText('cache', 'name: The cache again\n'),
  });
}

const statusMessage =
  '"status" is "aproved", which is not one of: draft, proposed, approved, implemented, failed, backed-out, closed, rejected, cancelled; did you mean "approved"?';
const defaultsNotice =
  "there is no changeops.yaml, so the default policy is in force: normal and emergency changes need one approval from the owners of the CIs they touch, normal changes 48 hours' lead time, there are no boards, templates, maintenance windows or freezes, and every evaluation rule runs at its default severity; add changeops.yaml to set your own";
const duplicateKey =
  'a key appears twice in the same mapping; keep one (YAML would silently drop the other)';

describe('changeops validate, text output', () => {
  it('prints one line per problem, like a compiler, then a summary, and exits 1', async () => {
    const { code, out, err } = await run('validate', '--dir', brokenEstate());
    expect(out).toEqual([
      `changes/CHG-0042-upgrade-pg.yaml:7:9: error: ${statusMessage} [schema]`,
      'changes/REL-2026.12-december.yaml:9:21: error: "CHG-0043" is not a known change; did you mean "CHG-0042"? [reference]',
      `cmdb/cache.yaml:8:1: error: ${duplicateKey} [yaml-duplicate-key]`,
      'cmdb/payments-api.yaml:9:14: error: "criticality" is 5, which must be at most 4 [schema]',
      '✗ 5 records in 6 files: 4 errors',
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });

  it('prints only the summary for a valid estate, and exits 0', async () => {
    const { code, out, err } = await run('validate', '--dir', makeWorkspace());
    expect(out).toEqual(['✓ 5 records in 5 files: valid']);
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });

  it('says that the default policy is in force when there is no changeops.yaml, in the singular', async () => {
    const root = makeWorkspace({ 'cmdb/web.yaml': ciText('web') }, false);
    const { code, out } = await run('validate', '--dir', root);
    expect(out).toEqual([
      `changeops.yaml:1:1: notice: ${defaultsNotice} [policy]`,
      '✓ 1 record in 1 file: valid (1 notice)',
    ]);
    expect(code).toBe(0);
  });

  it('refuses a folder with no changeops.yaml, changes/ or cmdb/ as a usage error', async () => {
    const root = makeWorkspace({ 'README.md': '# not an estate\n' }, false);
    const { code, out, err } = await run('validate', '--dir', root);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `changeops validate: ${root} holds no changeops.yaml, changes/ or cmdb/: is --dir right?`,
    ]);
    expect(code).toBe(2);
  });

  it('never prints a control character from a record to the terminal', async () => {
    const root = makeWorkspace({
      'cmdb/evil.yaml': ciText('evil').replace(
        'kind: ConfigurationItem',
        'kind: "\\e[2J\\e[31mCI"',
      ),
    });
    const { code, out } = await run('validate', '--dir', root);
    expect(out).toEqual([
      'cmdb/evil.yaml:2:7: error: "kind" is "\\u001b[2J\\u001b[31mCI", which is not one of: ConfigurationItem, Change, Release [kind]',
      '✗ 5 records in 6 files: 1 error',
    ]);
    expect(out.join('\n').includes('\u001b')).toBe(false);
    expect(code).toBe(1);
  });

  it('validates the repository in the current directory when --dir is left out', async () => {
    const before = process.cwd();
    process.chdir(validDir);
    try {
      const { code, out } = await run('validate');
      expect(out).toEqual(['✓ 5 records in 5 files: valid']);
      expect(code).toBe(0);
    } finally {
      process.chdir(before);
    }
  });
});

describe('changeops validate --json', () => {
  it('prints {ok, valid, errors, warnings, ...} with a position on every error, every key there', async () => {
    const { code, out, err } = await run('validate', '--json', '--dir', brokenEstate());
    expect(JSON.parse(out.join('\n'))).toEqual({
      ok: false,
      valid: false,
      policyUsable: true,
      errors: [
        {
          file: 'changes/CHG-0042-upgrade-pg.yaml',
          line: 7,
          column: 9,
          severity: 'error',
          rule: 'schema',
          message: statusMessage,
          field: 'status',
          kind: 'Change',
          id: 'CHG-0042',
          omitted: null,
        },
        {
          file: 'changes/REL-2026.12-december.yaml',
          line: 9,
          column: 21,
          severity: 'error',
          rule: 'reference',
          message: '"CHG-0043" is not a known change; did you mean "CHG-0042"?',
          field: 'changes[1]',
          kind: 'Release',
          id: 'REL-2026.12',
          omitted: null,
        },
        {
          file: 'cmdb/cache.yaml',
          line: 8,
          column: 1,
          severity: 'error',
          rule: 'yaml-duplicate-key',
          message: duplicateKey,
          field: null,
          kind: null,
          id: null,
          omitted: null,
        },
        {
          file: 'cmdb/payments-api.yaml',
          line: 9,
          column: 14,
          severity: 'error',
          rule: 'schema',
          message: '"criticality" is 5, which must be at most 4',
          field: 'criticality',
          kind: 'ConfigurationItem',
          id: 'payments-api',
          omitted: null,
        },
      ],
      warnings: [],
      counts: { errors: 4, warnings: 0, notices: 0 },
      files: 6,
      records: 5,
    });
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });

  it('prints valid: true and empty lists for a valid estate, and exits 0', async () => {
    const { code, out } = await run('validate', '--dir', makeWorkspace(), '--json');
    expect(JSON.parse(out.join('\n'))).toEqual({
      ok: true,
      valid: true,
      policyUsable: true,
      errors: [],
      warnings: [],
      counts: { errors: 0, warnings: 0, notices: 0 },
      files: 5,
      records: 5,
    });
    expect(code).toBe(0);
  });

  it('prints the policy errors as JSON and exits 2 when changeops.yaml is unusable', async () => {
    const root = makeWorkspace({
      'changeops.yaml': replaceOnce(fixtureText('changeops.yaml'), 'kind: Policy', 'kind: Polcy'),
    });
    const { code, out } = await run('validate', '--json', '--dir', root);
    const report = JSON.parse(out.join('\n')) as { valid: boolean; errors: unknown[] };
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      {
        file: 'changeops.yaml',
        line: 3,
        column: 7,
        severity: 'error',
        rule: 'schema',
        message: '"kind" must be "Policy", not "Polcy"',
        field: 'kind',
        kind: 'Policy',
        id: 'acme',
        omitted: null,
      },
    ]);
    expect(code).toBe(2);
  });
});

describe('changeops validate, exit code 2', () => {
  it('exits 2 on a policy that is not a Policy, and still reports the records', async () => {
    const root = makeWorkspace({
      'changeops.yaml': replaceOnce(fixtureText('changeops.yaml'), 'kind: Policy', 'kind: Polcy'),
    });
    const { code, out } = await run('validate', '--dir', root);
    expect(out).toEqual([
      'changeops.yaml:3:7: error: "kind" must be "Policy", not "Polcy" [schema]',
      '✗ 5 records in 5 files: 1 error',
    ]);
    expect(code).toBe(2);
  });

  it('exits 2 on a changeops.yaml that is not valid YAML', async () => {
    const root = makeWorkspace({ 'changeops.yaml': 'apiVersion: changeops/v1\nkind: [Policy\n' });
    const { code, out } = await run('validate', '--dir', root);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(
      /^changeops\.yaml:\d+:\d+: error: the file is not valid YAML: .+ \[yaml\]$/,
    );
    expect(out[1]).toBe('✗ 5 records in 5 files: 1 error');
    expect(code).toBe(2);
  });

  it('exits 2 on a changeops.yaml holding two policies', async () => {
    const policy = fixtureText('changeops.yaml');
    const root = makeWorkspace({ 'changeops.yaml': `${policy}---\n${policy}` });
    const { code, out } = await run('validate', '--dir', root);
    expect(out).toEqual([
      'changeops.yaml:1:1: error: changeops.yaml must hold exactly one Policy record, not 2 [policy]',
      '✗ 5 records in 5 files: 1 error',
    ]);
    expect(code).toBe(2);
  });

  it('exits 2 on an unknown command and shows the commands', async () => {
    const { code, out, err } = await run('frobnicate');
    expect(err[0]).toBe('changeops: unknown command "frobnicate"');
    expect(err).toContain('  validate  check every record against its schema and check integrity');
    expect(out).toEqual([]);
    expect(code).toBe(2);
  });

  it('exits 2 with the usage on stderr when no command is given', async () => {
    const { code, out, err } = await run();
    expect(err[0]).toBe('Usage: changeops <command> [options]');
    expect(out).toEqual([]);
    expect(code).toBe(2);
  });

  it('exits 2 on an unknown option and shows the command usage', async () => {
    const { code, out, err } = await run('validate', '--frob');
    expect(err[0]).toBe('changeops validate: unknown option --frob');
    expect(err).toContain('Usage: changeops validate [--dir DIR] [--json]');
    expect(out).toEqual([]);
    expect(code).toBe(2);
  });

  it('exits 2 when --dir has no value', async () => {
    const { code, err } = await run('validate', '--dir');
    expect(err[0]).toBe('changeops validate: the option --dir needs a value');
    expect(code).toBe(2);
  });

  it('exits 2 when --dir is not a directory', async () => {
    const missing = join(makeWorkspace({}, false), 'no-such-folder');
    const { code, out, err } = await run('validate', '--dir', missing);
    expect(err[0]).toBe(`changeops validate: --dir ${missing} is not a directory`);
    expect(out).toEqual([]);
    expect(code).toBe(2);
  });

  it('exits 2 when --dir names a file', async () => {
    const root = makeWorkspace({}, false);
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'not a repository');
    const { code, err } = await run('validate', '--dir', file);
    expect(err[0]).toBe(`changeops validate: --dir ${file} is not a directory`);
    expect(code).toBe(2);
  });
});

describe('changeops --help', () => {
  it('prints the commands and the exit codes on stdout and exits 0', async () => {
    const { code, out, err } = await run('--help');
    expect(out).toEqual([
      'Usage: changeops <command> [options]',
      '',
      'ITIL change, release and configuration management as YAML records in Git.',
      '',
      'Commands:',
      ...Object.entries(commands).map(([name, command]) => {
        const width = Math.max(...Object.keys(commands).map((n) => n.length));
        return `  ${name.padEnd(width)}  ${command.summary}`;
      }),
      '',
      'Every command takes --dir DIR (the repository root, default .) and --json (machine output:',
      'one JSON document on stdout with "ok" true or false, the shape in schemas/output/; a command',
      'that cannot answer prints {"ok": false, "error": {"code", "message"}}). Files named in options',
      '(--ics, --out, --reviews, --members) are relative to the current directory, not to --dir.',
      'Dates are a day (2027-02-01, UTC) or a date and time with its zone (2027-02-01T08:00:00Z), for',
      'every option.',
      "Run changeops <command> --help for a command's options.",
      'Exit codes: 0 fine, 1 the records or change fail, 2 usage or configuration error.',
    ]);
    expect(out).toContainEqual(
      expect.stringMatching(
        /^ {2}validate +check every record against its schema and check integrity$/,
      ),
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });

  it('prints the validate options for validate --help and -h, and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, out } = await run('validate', flag);
      expect(out[0]).toBe('Usage: changeops validate [--dir DIR] [--json]');
      expect(out).toContain('  --dir DIR   the repository root (default: the current directory)');
      expect(out).toContain(
        '  --json      print {"ok", "valid", "policyUsable", "errors", "warnings", "counts", "files",',
      );
      expect(code).toBe(0);
    }
  });
});

describe('the changeops binary', () => {
  const bin = join(repoRoot, 'bin/changeops.js');
  const built = existsSync(join(repoRoot, 'dist/cli.js'));
  const spawn = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000 });

  it.skipIf(!built)('validates a valid estate and exits 0', () => {
    const result = spawn('validate', '--dir', makeWorkspace());
    expect(result.stdout).toBe('✓ 5 records in 5 files: valid\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!built)('reports hostile files with exit 1 and no stack trace', () => {
    const bomb = ['l0: &l0 "lol"'];
    for (let i = 1; i <= 9; i++)
      bomb.push(
        `l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const root = makeWorkspace({
      'cmdb/bomb.yaml': `${bomb.join('\n')}\n`,
      'cmdb/deep.yaml': ciText('deep', `notes: ${'['.repeat(10_000)}\n`),
      'cmdb/latin1.yaml': Buffer.from(ciText('cafe', 'description: Caf\u00e9\n'), 'latin1'),
    });
    const result = spawn('validate', '--dir', root);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.replace(/:.*\[/, ': [').trim())).toEqual([
      'cmdb/bomb.yaml: [yaml-aliases]',
      'cmdb/deep.yaml: [yaml-depth]',
      'cmdb/latin1.yaml: [encoding]',
      '✗ 5 records in 8 files: 3 errors',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
    expect(result.status).toBe(1);
  });
});
