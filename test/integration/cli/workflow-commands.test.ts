import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciText, makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';
import { workflowCommandLines } from '../../fixtures/workflow-commands.js';

/**
 * People run `changeops check` or `changeops schedule` in a `run:` step, and the runner reads
 * every line the step prints as a possible workflow command: a record that gets
 * `::add-mask::`, `::set-output` or `##[stop-commands]` onto a line of its own would command
 * the runner. The bundle runs as a process on an estate whose every printed field (file names,
 * ids, titles, names, values quoted in messages, a check's output) carries such commands, through
 * every command and format (release, report and evidence on the estate's git history, verify
 * running a check that prints them); no line of stdout or stderr may be one, and JSON must parse
 * to the same text.
 */
const bin = join(fileURLToPath(new URL('../../../', import.meta.url)), 'bin/changeops.js');

/** What a hostile pull request writes into every text field it can. */
const payload =
  '##[add-mask]hunter2 ::warning::mid-line\n::error file=x::forged\r::notice::after a CR' +
  '\u2028::after a line separator\u0085::after a NEL \t::debug::after blanks ' +
  '\u200b::after a zero-width space :\u200b:split ##[set-output name=pwned;]1';

const q = (text: string) => JSON.stringify(text);

let root: string;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'changeops-ics-'));
  root = makeWorkspace({
    'cmdb/inj.yaml': ciText('inj', `description: ${q(payload)}\n`).replace(
      'name: The inj service',
      `name: ${q(payload)}`,
    ),
    // An id the schema refuses is still loaded (so references to it resolve), and the impact
    // table starts its lines with ids.
    'cmdb/bad-id.yaml': ciText('x', `dependsOn: [inj]\n`).replace(
      'id: x',
      `id: ${q(`::set-output name=ci::1\n${payload}`)}`,
    ),
    [`cmdb/file\n::error::forged-by-a-file-name ##[add-mask]x.yaml`]: ciText(
      'named',
      `${q(payload)}: 1\n`,
    ),
    'changes/CHG-0101-inj.yaml': [
      'apiVersion: changeops/v1',
      'kind: Change',
      'id: CHG-0101',
      `title: ${q(payload)}`,
      'type: normal',
      'status: proposed',
      'requester: octocat',
      'cis: [inj]',
      `reason: ${q(payload)}`,
      'risk: {likelihood: low, impact: low}',
      `plan: {implementation: ${q(payload)}, test: ${q(payload)}, backout: ${q(payload)}}`,
      'schedule: {start: 2031-03-10T22:00:00Z, end: 2031-03-10T23:00:00Z}',
      `release: ${q(`REL-${payload}`)}`,
      '',
    ].join('\n'),
    'changes/REL-2031.3-inj.yaml': [
      'apiVersion: changeops/v1',
      'kind: Release',
      'id: REL-2031.3',
      `title: ${q(payload)}`,
      'version: "2031.3.0"',
      'type: minor',
      'status: planned',
      'changes: [CHG-0101]',
      'schedule: {start: 2031-03-11T20:00:00Z, end: 2031-03-11T22:00:00Z}',
      '',
    ].join('\n'),
    // A change deployed, whose check prints the payload as it is: verify shows its output.
    'changes/CHG-0102-check.yaml': [
      'apiVersion: changeops/v1',
      'kind: Change',
      'id: CHG-0102',
      `title: ${q(payload)}`,
      'type: normal',
      'status: approved',
      'requester: octocat',
      'cis: [inj]',
      `reason: ${q(payload)}`,
      'risk: {likelihood: low, impact: low}',
      `plan: {implementation: ${q(payload)}, test: ${q(payload)}, backout: ${q(payload)}}`,
      'schedule: {start: 2031-03-12T22:00:00Z, end: 2031-03-12T23:00:00Z}',
      'checks: [{name: says-the-payload, run: "cat payload.txt; exit 1"}]',
      // The report lists the problems a change remediates as the record names them.
      `problem: ${q(payload)}`,
      '',
    ].join('\n'),
    'payload.txt': payload,
  });
  // release, report and evidence read the records' history: one commit on main holds them all.
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git(
    '-c',
    'user.name=Test',
    '-c',
    'user.email=test@example.com',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    `The estate ${payload}`,
  );
});

afterAll(() => {
  removeWorkspaces();
  rmSync(scratch, { recursive: true, force: true });
});

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args, '--dir', root], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const commands: Array<[string, string[]]> = [
  ['validate', ['validate']],
  ['validate --json', ['validate', '--json']],
  ['check', ['check', '--now', '2031-01-01T00:00:00Z']],
  ['check --json', ['check', '--json', '--now', '2031-01-01T00:00:00Z']],
  ['impact of a CI', ['impact', 'inj']],
  ['impact --format tree', ['impact', 'inj', '--format', 'tree']],
  ['impact --format mermaid', ['impact', 'inj', '--format', 'mermaid']],
  ['impact --json', ['impact', 'inj', '--json']],
  ['impact of a change', ['impact', 'CHG-0101']],
  ['impact of an unknown id', ['impact', `::error::${payload}`]],
  ['schedule', ['schedule', '--from', '2031-01-01']],
  ['schedule --all', ['schedule', '--from', '2031-01-01', '--all', '--group', 'week']],
  ['schedule --json', ['schedule', '--from', '2031-01-01', '--json']],
  ['a usage error', ['check', '--now', payload]],
  ['release', ['release', 'REL-2031.3']],
  ['release --notes', ['release', 'REL-2031.3', '--notes']],
  ['release --json', ['release', 'REL-2031.3', '--json']],
  ['release of an unknown id', ['release', `REL-${payload}`]],
  ['report', ['report']],
  ['report --format markdown', ['report', '--format', 'markdown']],
  ['report --json', ['report', '--json']],
  ['evidence', ['evidence', 'CHG-0101']],
  ['evidence --json', ['evidence', 'CHG-0101', '--json']],
  ['evidence of an unknown id', ['evidence', `CHG-${payload}`]],
  ['verify', ['verify', '--changes', 'CHG-0102']],
  ['verify --json', ['verify', '--changes', 'CHG-0102', '--json']],
];

describe('changeops on records that carry workflow commands', () => {
  it.each(commands)('prints no workflow command: %s', (_, args) => {
    const { stdout, stderr } = run(...args);
    // The hostile text did reach the output: the test would see a command if one got through.
    expect(`${stdout}${stderr}`).toContain('hunter2');
    expect(workflowCommandLines(stdout)).toEqual([]);
    expect(workflowCommandLines(stderr)).toEqual([]);
  });

  it('prints no workflow command when it confirms the calendar it wrote', () => {
    const file = join(scratch, `cal\n::error::forged ##[add-mask]y.ics`);
    const { stdout, stderr, code } = run('schedule', '--from', '2031-01-01', '--ics', file);
    expect(code).toBe(0);
    expect(stderr).toMatch(/wrote \d+ events to /);
    expect(workflowCommandLines(stdout)).toEqual([]);
    expect(workflowCommandLines(stderr)).toEqual([]);
  });

  type Listed = Array<{ id?: string; title?: string; message?: string }>;
  const json = (...args: string[]) => JSON.parse(run(...args).stdout) as Record<string, unknown>;
  const titleOf = (list: unknown) => (list as Listed).find((e) => e.id === 'CHG-0101')?.title;

  it('keeps check --json valid JSON that says exactly what the record says', () => {
    const outcome = json('check', '--json', '--now', '2031-01-01T00:00:00Z');
    expect(titleOf(outcome.changes)).toBe(payload);
  });

  it('keeps schedule --json valid JSON that says exactly what the record says', () => {
    const schedule = json('schedule', '--from', '2031-01-01', '--json');
    expect(titleOf(schedule.entries)).toBe(payload);
  });

  it('keeps impact --json valid JSON that says exactly what the record says', () => {
    const impact = json('impact', 'inj', '--json');
    expect((impact.subject as { name: string }).name).toBe(payload);
  });

  it('keeps release --json valid JSON that says exactly what the record says', () => {
    const release = json('release', 'REL-2031.3', '--json');
    expect(titleOf(release.changes)).toBe(payload);
  });

  it('keeps report --json valid JSON that names the problem as the record does', () => {
    const report = json('report', '--json');
    const { remediations } = report.problems as { remediations: Array<{ problem: string }> };
    expect(remediations.map((r) => r.problem)).toContain(payload);
  });

  it('keeps evidence --json valid JSON that says exactly what the record says', () => {
    const pack = json('evidence', 'CHG-0101', '--json');
    expect((pack.change as { title: string }).title).toBe(payload);
  });

  it("keeps verify --json valid JSON that holds the check's output as it printed it", () => {
    const outcome = json('verify', '--changes', 'CHG-0102', '--json');
    const [change] = outcome.changes as Array<{ checks: Array<{ output: string }> }>;
    expect(change!.checks[0]!.output).toBe(payload);
  });

  it('keeps validate --json valid JSON that quotes the record as it is', () => {
    const outcome = json('validate', '--json');
    const quoted = (outcome.errors as Listed).find((e) => e.message?.includes('has no field'));
    expect(quoted?.message).toContain(payload.slice(0, 40));
  });
});
