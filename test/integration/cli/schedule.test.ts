import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';

/** `changeops schedule` on workspaces written to a temporary folder, and on this repository. */
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

function policy(extra = ''): string {
  return `apiVersion: changeops/v1
kind: Policy
id: test
freezes:
  - name: Spring sale
    start: 2027-02-14T00:00:00Z
    end: 2027-02-16T06:00:00Z
    allow: [emergency]
${extra}`;
}

function ci(id: string, lines = ''): string {
  return `apiVersion: changeops/v1
kind: ConfigurationItem
id: ${id}
name: The ${id}
class: service
owner: "@acme/ops"
criticality: 2
${lines}`;
}

function change(
  id: string,
  fields: { title: string; type?: string; status: string; cis: string; schedule?: string },
  extra = '',
): string {
  return `apiVersion: changeops/v1
kind: Change
id: ${id}
title: ${fields.title}
type: ${fields.type ?? 'normal'}
status: ${fields.status}
requester: octocat
cis: [${fields.cis}]
${fields.schedule ? `schedule: {${fields.schedule}}\n` : ''}${extra}`;
}

/**
 * Two changes whose impacts meet on payments-api in overlapping windows, a normal change inside
 * the freeze and an emergency one it allows, a closed and a draft change, a pending change with
 * no date, and the release of the first two.
 */
function estate(extra: Record<string, string> = {}): string {
  return makeWorkspace(
    {
      'changeops.yaml': policy(),
      'cmdb/online-shop.yaml': ci('online-shop'),
      'cmdb/payments-api.yaml': ci(
        'payments-api',
        'dependsOn: [pg-payments]\npartOf: [online-shop]\n',
      ),
      'cmdb/pg-payments.yaml': ci('pg-payments'),
      'cmdb/search.yaml': ci('search'),
      'changes/CHG-0001-upgrade-pg.yaml': change(
        'CHG-0001',
        {
          title: 'Upgrade the payments database',
          status: 'approved',
          cis: 'pg-payments',
          schedule: 'start: 2027-02-09T22:00:00Z, end: 2027-02-09T23:30:00Z',
        },
        'release: REL-2027.02\n',
      ),
      'changes/CHG-0002-pool.yaml': change(
        'CHG-0002',
        {
          title: 'Tune the payments API pool',
          status: 'proposed',
          cis: 'payments-api',
          schedule: 'start: 2027-02-09T23:00:00Z, end: 2027-02-10T00:30:00Z',
        },
        'release: REL-2027.02\n',
      ),
      'changes/CHG-0003-reindex.yaml': change('CHG-0003', {
        title: 'Reindex search',
        status: 'proposed',
        cis: 'search',
        schedule: 'start: 2027-02-15T22:00:00Z, end: 2027-02-15T23:00:00Z',
      }),
      'changes/CHG-0004-hotfix.yaml': change('CHG-0004', {
        title: 'Hotfix the payments API',
        type: 'emergency',
        status: 'approved',
        cis: 'payments-api',
        schedule: 'start: 2027-02-15T03:00:00Z, end: 2027-02-15T03:30:00Z',
      }),
      'changes/CHG-0005-archive.yaml': change('CHG-0005', {
        title: 'Archive old search indexes',
        status: 'closed',
        cis: 'search',
        schedule: 'start: 2027-02-20T10:00:00Z, end: 2027-02-20T11:00:00Z',
      }),
      'changes/CHG-0006-plan.yaml': change('CHG-0006', {
        title: 'Plan the next upgrade',
        status: 'proposed',
        cis: 'pg-payments',
      }),
      'changes/CHG-0007-idea.yaml': change('CHG-0007', {
        title: 'An idea for later',
        status: 'draft',
        cis: 'search',
        schedule: 'start: 2027-02-21T10:00:00Z, end: 2027-02-21T11:00:00Z',
      }),
      'changes/REL-2027.02-tuning.yaml': `apiVersion: changeops/v1
kind: Release
id: REL-2027.02
title: Payments tuning
version: "2027.2.0"
type: minor
status: planned
changes: [CHG-0001, CHG-0002]
schedule: {start: 2027-02-09T22:00:00Z, end: 2027-02-10T02:00:00Z}
`,
      ...extra,
    },
    false,
  );
}

const collisionOf0001 =
  '    ✗ collides with CHG-0002 (proposed) from 2027-02-09T23:00:00Z to 2027-02-09T23:30:00Z on 2 impacted CIs: online-shop and payments-api';
const collisionOf0002 =
  '    ✗ collides with CHG-0001 (approved) from 2027-02-09T23:00:00Z to 2027-02-09T23:30:00Z on 2 impacted CIs: online-shop and payments-api';
const freezeOf0003 =
  '    ✗ in the freeze "Spring sale" (2027-02-14T00:00:00Z to 2027-02-16T06:00:00Z), which allows only emergency changes';

describe('changeops schedule, text', () => {
  it('shows pending changes, releases and freezes by day, with their marks, and exits 1', async () => {
    const { code, out, err } = await run('schedule', '--from', '2027-02-01', '--dir', estate());
    expect(out).toEqual([
      'Forward schedule of change from 2027-02-01T00:00:00Z, no end (times in UTC)',
      '',
      'Tue 2027-02-09',
      '  22:00 to Wed 2027-02-10 02:00  REL-2027.02  Payments tuning',
      '    minor release 2027.2.0, planned · changes: CHG-0001 and CHG-0002',
      '  22:00 to 23:30  CHG-0001  Upgrade the payments database',
      '    normal change, approved · CIs: pg-payments · release REL-2027.02',
      collisionOf0001,
      '  23:00 to Wed 2027-02-10 00:30  CHG-0002  Tune the payments API pool',
      '    normal change, proposed · CIs: payments-api · release REL-2027.02',
      collisionOf0002,
      '',
      'Sun 2027-02-14',
      '  00:00 to Tue 2027-02-16 06:00  Freeze: Spring sale',
      '    allows only emergency changes',
      '',
      'Mon 2027-02-15',
      '  03:00 to 03:30  CHG-0004  Hotfix the payments API',
      '    emergency change, approved · CIs: payments-api',
      '  22:00 to 23:00  CHG-0003  Reindex search',
      '    normal change, proposed · CIs: search',
      freezeOf0003,
      '',
      'Not scheduled: CHG-0006',
      '',
      '✗ 4 changes, 1 release, 1 freeze: 1 collision, 1 freeze conflict',
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(1);
  });

  it('takes a date alone as a whole day for --to, and shows what is under way at --from', async () => {
    const { code, out } = await run(
      'schedule',
      '--from',
      '2027-02-15T03:15:00+00:00',
      '--to',
      '2027-02-15',
      '--dir',
      estate(),
    );
    expect(out).toEqual([
      'Forward schedule of change from 2027-02-15T03:15:00Z to 2027-02-16T00:00:00Z (times in UTC)',
      '',
      'Sun 2027-02-14',
      '  00:00 to Tue 2027-02-16 06:00  Freeze: Spring sale',
      '    allows only emergency changes',
      '',
      'Mon 2027-02-15',
      '  03:00 to 03:30  CHG-0004  Hotfix the payments API',
      '    emergency change, approved · CIs: payments-api',
      '  22:00 to 23:00  CHG-0003  Reindex search',
      '    normal change, proposed · CIs: search',
      freezeOf0003,
      '',
      'Not scheduled: CHG-0006',
      '',
      '✗ 2 changes, 0 releases, 1 freeze: no collisions, 1 freeze conflict',
    ]);
    expect(code).toBe(1);
  });

  it('exits 0 when nothing shown collides or breaks a freeze', async () => {
    const { code, out } = await run('schedule', '--from', '2027-02-17', '--dir', estate());
    expect(out).toEqual([
      'Forward schedule of change from 2027-02-17T00:00:00Z, no end (times in UTC)',
      '',
      'Nothing is scheduled in this period.',
      '',
      'Not scheduled: CHG-0006',
      '',
      '✓ 0 changes, 0 releases, 0 freezes: no collisions, no freeze conflicts',
    ]);
    expect(code).toBe(0);
  });

  it('adds finished and draft changes with --all, unmarked', async () => {
    const { code, out } = await run('schedule', '--from', '2027-02-17', '--all', '--dir', estate());
    expect(out.slice(2, 9)).toEqual([
      'Sat 2027-02-20',
      '  10:00 to 11:00  CHG-0005  Archive old search indexes',
      '    normal change, closed · CIs: search',
      '',
      'Sun 2027-02-21',
      '  10:00 to 11:00  CHG-0007  An idea for later',
      '    normal change, draft · CIs: search',
    ]);
    expect(code).toBe(0);
  });

  it('groups by ISO week with --group week', async () => {
    const { out } = await run(
      'schedule',
      '--from',
      '2027-02-01',
      '--group',
      'week',
      '--dir',
      estate(),
    );
    expect(out.filter((line) => line.startsWith('Week') || /^ {2}\S/.test(line))).toEqual([
      'Week 2027-W06 (Mon 2027-02-08 to Sun 2027-02-14)',
      '  Tue 2027-02-09 22:00 to Wed 2027-02-10 02:00  REL-2027.02  Payments tuning',
      '  Tue 2027-02-09 22:00 to 23:30  CHG-0001  Upgrade the payments database',
      '  Tue 2027-02-09 23:00 to Wed 2027-02-10 00:30  CHG-0002  Tune the payments API pool',
      '  Sun 2027-02-14 00:00 to Tue 2027-02-16 06:00  Freeze: Spring sale',
      'Week 2027-W07 (Mon 2027-02-15 to Sun 2027-02-21)',
      '  Mon 2027-02-15 03:00 to 03:30  CHG-0004  Hotfix the payments API',
      '  Mon 2027-02-15 22:00 to 23:00  CHG-0003  Reindex search',
    ]);
  });

  it('starts at the current time without --from', async () => {
    const root = estate({
      'changes/CHG-0008-past.yaml': change('CHG-0008', {
        title: 'Long ago',
        status: 'approved',
        cis: 'search',
        schedule: 'start: 2001-01-01T00:00:00Z, end: 2001-01-01T01:00:00Z',
      }),
      'changes/CHG-0009-future.yaml': change('CHG-0009', {
        title: 'Far ahead',
        status: 'approved',
        cis: 'search',
        schedule: 'start: 2099-01-01T00:00:00Z, end: 2099-01-01T01:00:00Z',
      }),
    });
    const before = Date.now();
    const { out } = await run('schedule', '--dir', root);
    const from = Date.parse(/from (\S+),/.exec(out[0]!)![1]!);
    expect(from).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(from).toBeLessThanOrEqual(Date.now());
    expect(out.some((line) => line.includes('CHG-0009  Far ahead'))).toBe(true);
    expect(out.some((line) => line.includes('CHG-0008'))).toBe(false);
  });
});

describe('changeops schedule and the policy', () => {
  it('signs marks with ! and exits 0 when the policy makes collisions warnings', async () => {
    const root = estate({
      'changeops.yaml': policy('rules:\n  collision: warning\n  freeze: off\n'),
    });
    const { code, out } = await run('schedule', '--from', '2027-02-01', '--dir', root);
    expect(out).toContain(
      '    ! collides with CHG-0002 (proposed) from 2027-02-09T23:00:00Z to 2027-02-09T23:30:00Z on 2 impacted CIs: online-shop and payments-api (warning)',
    );
    expect(out.some((line) => line.includes('in the freeze'))).toBe(false);
    expect(out.at(-1)).toBe('✓ 4 changes, 1 release, 1 freeze: 1 collision, no freeze conflicts');
    expect(code).toBe(0);
  });

  it('compares only the named CIs when the collision scope is direct', async () => {
    const root = estate({
      'changeops.yaml': policy('rules:\n  collision: {severity: error, scope: direct}\n'),
    });
    const { code, out } = await run(
      'schedule',
      '--from',
      '2027-02-01',
      '--to',
      '2027-02-12',
      '--dir',
      root,
    );
    expect(out.at(-1)).toBe(
      '✓ 2 changes, 1 release, 0 freezes: no collisions, no freeze conflicts',
    );
    expect(code).toBe(0);
  });

  it('exits 2 when changeops.yaml cannot be used, still printing the schedule', async () => {
    const root = estate({ 'changeops.yaml': policy('freezes: twice\n') });
    const { code, out, err } = await run('schedule', '--from', '2027-02-17', '--dir', root);
    expect(err).toEqual([
      'note: changeops.yaml cannot be used, so its freezes and rule settings are unknown (run changeops validate)',
    ]);
    expect(out[0]).toBe(
      'Forward schedule of change from 2027-02-17T00:00:00Z, no end (times in UTC)',
    );
    expect(code).toBe(2);
  });

  it('never says "no freeze conflicts" when changeops.yaml cannot be used, and marks nothing', async () => {
    // One typo in the freezes: the policy (its freezes, the collision rule's settings) is unknown.
    const root = estate({
      'changeops.yaml': policy().replace(
        '    end: 2027-02-16T06:00:00Z',
        '    ends: 2027-02-16T06:00:00Z',
      ),
    });
    const { code, out } = await run('schedule', '--from', '2027-02-01', '--dir', root);
    expect(out.at(-1)).toBe(
      '✗ 4 changes, 1 release, 0 freezes: collisions and freeze conflicts unknown, because changeops.yaml cannot be used (run changeops validate)',
    );
    expect(out.join('\n')).not.toMatch(/no freeze conflicts|collides with|in the freeze/);
    expect(code).toBe(2);
  });

  it('says so in --json when changeops.yaml cannot be used: policyUsable false, ok false', async () => {
    const root = estate({ 'changeops.yaml': policy('freezes: twice\n') });
    const { code, out } = await run('schedule', '--from', '2027-03-01', '--json', '--dir', root);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ policyUsable: false, ok: false });
    expect(code).toBe(2);
  });

  it('notes on stderr that records with errors may make the schedule incomplete', async () => {
    const root = estate({
      'changes/CHG-0010-broken.yaml': 'apiVersion: changeops/v1\nkind: Change\nid: CHG-0010\n',
    });
    const { code, err } = await run('schedule', '--from', '2027-02-17', '--dir', root);
    expect(err).toEqual([
      'note: the records have 5 errors, so the schedule may be incomplete (run changeops validate)',
    ]);
    expect(code).toBe(0);
  });
});

describe('changeops schedule --json', () => {
  it('prints every entry with RFC 3339 times, its marks, and the counts', async () => {
    const { code, out } = await run(
      'schedule',
      '--from',
      '2027-02-01',
      '--to',
      '2027-02-12',
      '--json',
      '--dir',
      estate(),
    );
    const json = JSON.parse(out.join('\n'));
    expect(json).toEqual({
      from: '2027-02-01T00:00:00Z',
      // A date alone for --to is the end of that day.
      to: '2027-02-13T00:00:00Z',
      entries: [
        {
          kind: 'release',
          id: 'REL-2027.02',
          title: 'Payments tuning',
          type: 'minor',
          status: 'planned',
          start: '2027-02-09T22:00:00Z',
          end: '2027-02-10T02:00:00Z',
          version: '2027.2.0',
          changes: ['CHG-0001', 'CHG-0002'],
        },
        {
          kind: 'change',
          id: 'CHG-0001',
          title: 'Upgrade the payments database',
          type: 'normal',
          status: 'approved',
          start: '2027-02-09T22:00:00Z',
          end: '2027-02-09T23:30:00Z',
          cis: ['pg-payments'],
          release: 'REL-2027.02',
          requester: 'octocat',
          // Every key is there; null when the record has no such field.
          reason: null,
          collisions: [
            {
              with: 'CHG-0002',
              status: 'proposed',
              start: '2027-02-09T23:00:00Z',
              end: '2027-02-09T23:30:00Z',
              shared: ['online-shop', 'payments-api'],
              scope: 'impacted',
              severity: 'error',
            },
          ],
          freezeConflicts: [],
        },
        {
          kind: 'change',
          id: 'CHG-0002',
          title: 'Tune the payments API pool',
          type: 'normal',
          status: 'proposed',
          start: '2027-02-09T23:00:00Z',
          end: '2027-02-10T00:30:00Z',
          cis: ['payments-api'],
          release: 'REL-2027.02',
          requester: 'octocat',
          // Every key is there; null when the record has no such field.
          reason: null,
          collisions: [
            {
              with: 'CHG-0001',
              status: 'approved',
              start: '2027-02-09T23:00:00Z',
              end: '2027-02-09T23:30:00Z',
              shared: ['online-shop', 'payments-api'],
              scope: 'impacted',
              severity: 'error',
            },
          ],
          freezeConflicts: [],
        },
      ],
      unscheduled: ['CHG-0006'],
      collisions: 1,
      freezeConflicts: 0,
      policyUsable: true,
      ok: false,
    });
    expect(code).toBe(1);
  });
});

describe('changeops schedule --ics', () => {
  it('writes the calendar, prints the schedule as usual, and confirms on stderr', async () => {
    const root = estate();
    const file = join(root, 'schedule.ics');
    const { code, out, err } = await run(
      'schedule',
      '--from',
      '2027-02-01',
      '--ics',
      file,
      '--dir',
      root,
    );
    expect(out[0]).toBe(
      'Forward schedule of change from 2027-02-01T00:00:00Z, no end (times in UTC)',
    );
    expect(err).toEqual([`wrote 6 events to ${file}`]);
    expect(code).toBe(1);
    const ics = readFileSync(file, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    // Outside a git work tree, the folder's digest names the repository.
    const uids = ics.match(/^UID:[^\r]*/gm)!.map((uid) => uid.replace(/@dir-[0-9a-f]{12}\./, '@…'));
    expect(uids).toEqual([
      'UID:REL-2027.02@…changeops',
      'UID:CHG-0001@…changeops',
      'UID:CHG-0002@…changeops',
      'UID:freeze-20270214T000000Z-spring-sale@…changeops',
      'UID:CHG-0004@…changeops',
      'UID:CHG-0003@…changeops',
    ]);
    expect(ics).toMatch(/\r\nUID:CHG-0003@dir-[0-9a-f]{12}\.changeops\r\nDTSTAMP:/);
    expect(ics).toMatch(
      /\r\nDTSTART:20270215T220000Z\r\nDTEND:20270215T230000Z\r\nSUMMARY:CHG-0003 Reindex search\r\n/,
    );
    expect(ics).toContain('\r\nCATEGORIES:change,emergency\r\nSTATUS:CONFIRMED\r\n');
    expect(ics).toContain('\r\nCATEGORIES:change,normal\r\nSTATUS:TENTATIVE\r\n');
  });

  it('exits 2 with a clear message when the file cannot be written', async () => {
    const root = estate();
    const file = join(root, 'no', 'such', 'folder', 'schedule.ics');
    const { code, err } = await run(
      'schedule',
      '--from',
      '2027-02-17',
      '--ics',
      file,
      '--dir',
      root,
    );
    expect(err[0]).toMatch(
      /^changeops schedule: cannot write the calendar to .*schedule\.ics: ENOENT/,
    );
    expect(existsSync(file)).toBe(false);
    expect(code).toBe(2);
  });
});

describe('changeops schedule, usage errors', () => {
  it.each([
    [
      ['--from', '2027-02-30'],
      '--from "2027-02-30" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
    ],
    [
      ['--from', '2027-02-01T10:00'],
      '--from "2027-02-01T10:00" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
    ],
    [
      ['--to', 'tomorrow'],
      '--to "tomorrow" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
    ],
    [
      ['--from', '2027-03-01', '--to', '2027-02-01'],
      '--to (2027-02-02T00:00:00Z) is not after --from (2027-03-01T00:00:00Z)',
    ],
    [['--group', 'month'], '--group is "month"; use day or week'],
    [['CHG-0001'], 'schedule takes no arguments, not CHG-0001'],
  ])('exits 2 for %j', async (args, message) => {
    const { code, out, err } = await run('schedule', ...args, '--dir', estate());
    expect(err[0]).toBe(`changeops schedule: ${message}`);
    expect(out).toEqual([]);
    expect(code).toBe(2);
  });
});

describe('changeops schedule on this repository', () => {
  it('shows the pending spring changes and their release, and leaves out the cancelled one', async () => {
    const { out } = await run(
      'schedule',
      '--from',
      '2027-02-01',
      '--to',
      '2027-03-01',
      '--json',
      '--dir',
      repoRoot,
    );
    const json = JSON.parse(out.join('\n'));
    const ids = (json.entries as Array<{ id?: string }>).map((entry) => entry.id);
    expect(ids).toEqual(expect.arrayContaining(['REL-2027.01', 'CHG-0007', 'CHG-0008']));
    expect(ids).not.toContain('CHG-0011');
    const chg7 = json.entries.find((entry: { id?: string }) => entry.id === 'CHG-0007');
    expect(chg7).toMatchObject({
      kind: 'change',
      status: 'approved',
      start: '2027-02-09T22:00:00Z',
      cis: ['pg-payments', 'payments-api'],
      release: 'REL-2027.01',
    });
  });
});
