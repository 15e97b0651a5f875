import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'changeops-sched-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (t) => out.push(...t.split('\n')),
    err: (t) => err.push(...t.split('\n')),
  });
  return { code, out, err };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'ws-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const ci = (id: string, extra = '') =>
  `apiVersion: changeops/v1\nkind: ConfigurationItem\nid: ${id}\nname: ${id} service\nclass: application\nowner: "@acme/team"\ncriticality: 2\nenvironment: production\n${extra}`;
const change = (id: string, cis: string, start: string, end: string, title = 'Patch the service') =>
  `apiVersion: changeops/v1\nkind: Change\nid: ${id}\ntitle: ${title}\ntype: normal\nstatus: proposed\nrequester: alice\ncis: [${cis}]\nschedule: {start: ${start}, end: ${end}}\n`;

describe('changeops impact', () => {
  it('explains the impact of a CI of our own estate with the path to each impacted CI', async () => {
    const { code, out } = await run('impact', 'pg-payments', '--json', '--dir', repoRoot);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n')) as {
      impacted: Array<{ id: string; depth: number; via: string[]; relation: string }>;
      level: string;
    };
    expect(json.impacted[0]).toMatchObject({
      id: 'pg-payments',
      depth: 0,
      via: ['pg-payments'],
      relation: 'direct',
    });
    expect(json.impacted).toContainEqual(
      expect.objectContaining({
        id: 'payments-api',
        depth: 1,
        via: ['pg-payments', 'payments-api'],
        relation: 'dependsOn',
      }),
    );
    expect(json.level).toBe('high');
  });

  it('takes a change id and starts from the CIs the change names', async () => {
    const { code, out } = await run('impact', 'CHG-0007', '--json', '--dir', repoRoot);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n')) as { impacted: Array<{ id: string; depth: number }> };
    expect(
      json.impacted
        .filter((c) => c.depth === 0)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['payments-api', 'pg-payments']);
  });

  it('draws a mermaid graph GitHub renders, starting with graph LR and no fence', async () => {
    const { code, out } = await run(
      'impact',
      'pg-payments',
      '--format',
      'mermaid',
      '--dir',
      repoRoot,
    );
    expect(code).toBe(0);
    expect(out[0]).toBe('graph LR');
    expect(out.join('\n')).not.toContain('```');
  });

  it('refuses an unknown id with exit 2 and the closest known id', async () => {
    const { code, err } = await run('impact', 'pg-paymnets', '--dir', repoRoot);
    expect(code).toBe(2);
    expect(err[0]).toBe(
      'changeops impact: "pg-paymnets" is neither a CI of the CMDB nor a change; did you mean "pg-payments"?',
    );
  });

  it('asks for an id when none is given', async () => {
    const { code, err } = await run('impact', '--dir', repoRoot);
    expect(code).toBe(2);
    expect(err[0]).toBe('changeops impact: give a CI id or a change id (CHG-...)');
  });
});

describe('changeops schedule', () => {
  const dir = workspace({
    'changeops.yaml': `apiVersion: changeops/v1\nkind: Policy\nid: t\nfreezes:\n  - {name: Year end, start: 2030-12-20T00:00:00Z, end: 2031-01-03T00:00:00Z, allow: [emergency]}\n`,
    'cmdb/api.yaml': ci('api'),
    'cmdb/web.yaml': ci('web', 'dependsOn: [api]\n'),
    'changes/CHG-0001-a.yaml': change(
      'CHG-0001',
      'api',
      '2030-06-03T22:00:00Z',
      '2030-06-03T23:30:00Z',
      'Patch the API; then, restart it',
    ),
    'changes/CHG-0002-b.yaml': change(
      'CHG-0002',
      'web',
      '2030-06-03T23:00:00Z',
      '2030-06-04T00:30:00Z',
    ),
    'changes/CHG-0003-c.yaml': change(
      'CHG-0003',
      'web',
      '2030-12-22T22:00:00Z',
      '2030-12-22T23:00:00Z',
    ),
  });

  it('lists changes by day and marks a collision and a freeze conflict, with exit 1', async () => {
    const { code, out } = await run('schedule', '--from', '2030-01-01', '--dir', dir);
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toContain('CHG-0001');
    expect(text).toMatch(/CHG-0002[\s\S]*CHG-0001|CHG-0001[\s\S]*CHG-0002/);
    expect(text).toMatch(/collides with CHG-000[12]/);
    expect(text).toContain('Year end');
  });

  it('prints the schedule as JSON with the collision and the freeze conflict', async () => {
    const { out } = await run('schedule', '--from', '2030-01-01', '--json', '--dir', dir);
    const json = JSON.parse(out.join('\n')) as {
      ok: boolean;
      collisions: unknown[];
      freezeConflicts: unknown[];
      entries: Array<{ kind: string; id?: string }>;
    };
    expect(json.ok).toBe(false);
    expect(json.collisions).toBe(1);
    expect(json.freezeConflicts).toBe(1);
    expect(json.entries.filter((e) => e.kind === 'change').map((e) => e.id)).toEqual([
      'CHG-0001',
      'CHG-0002',
      'CHG-0003',
    ]);
  });

  it('writes an iCalendar file calendar apps import: CRLF lines of at most 75 octets, escaped text', async () => {
    const file = join(dir, 'fsc.ics');
    await run('schedule', '--from', '2030-01-01', '--ics', file, '--dir', dir);
    const ics = readFileSync(file, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of ics.split('\r\n').slice(0, -1)) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      expect(line.includes('\n')).toBe(false);
    }
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toMatch(/\r\nUID:CHG-0001@[^\r]+\.changeops\r\n/);
    expect(unfolded).toContain('SUMMARY:CHG-0001 Patch the API\\; then\\, restart it');
    expect(unfolded).toContain('DTSTART:20300603T220000Z');
    expect(unfolded).toContain('STATUS:TENTATIVE');
  });

  it('refuses a date it cannot read with exit 2', async () => {
    const { code, err } = await run('schedule', '--from', 'yesterday', '--dir', dir);
    expect(code).toBe(2);
    expect(err[0]).toBe(
      'changeops schedule: --from "yesterday" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
    );
  });
});
