import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as YAML from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNewChange, prepareNewChange, writeNewChange } from '../../../src/app/new-change.js';
import { main } from '../../../src/cli/main.js';

// changeops new on a repository init set up: the next id, the suggested slot, the record judged
// before it is written, an id that appears meanwhile, the questions on a terminal, --json.

let repo: string;
const now = '2027-03-01T09:00:00Z';

async function changeops(args: string[], answers?: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const offered: Array<readonly string[] | undefined> = [];
  const code = await main(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    ...(answers
      ? {
          ask: async (_question: string, completions?: readonly string[]) => {
            offered.push(completions);
            return answers.shift() ?? '';
          },
        }
      : {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n'), offered };
}

const complete = [
  '--title',
  'Add a payments health endpoint',
  '--cis',
  'payments-api',
  '--reason',
  'Operations need a health check.',
  '--risk',
  'low/medium',
  '--implementation',
  'Deploy it.',
  '--test',
  'Ran the tests in staging.',
  '--backout',
  'Redeploy the previous version.',
  '--requester',
  'octocat',
  '--now',
  now,
];

beforeEach(async () => {
  repo = mkdtempSync(join(tmpdir(), 'changeops-new-'));
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
  ]);
  expect(init.code, init.err).toBe(0);
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const changes = () => readdirSync(join(repo, 'changes')).filter((n) => n.endsWith('.yaml'));

describe('changeops new', () => {
  it('writes CHG-0001 in the first slot the policy accepts, which check then passes', async () => {
    const run = await changeops(['new', '--dir', repo, '--yes', ...complete]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(
      'wrote changes/CHG-0001-add-a-payments-health-endpoint.yaml (CHG-0001, normal, proposed)',
    );
    expect(run.err).toMatch(
      /note: scheduled in the first free slot \(48 hours' lead time, inside /,
    );
    const record = YAML.parse(
      readFileSync(join(repo, 'changes', 'CHG-0001-add-a-payments-health-endpoint.yaml'), 'utf8'),
    ) as { schedule: { start: string } };
    // The lead time (48 h) and a day more, from --now.
    expect(Date.parse(record.schedule.start)).toBeGreaterThanOrEqual(
      Date.parse(now) + 72 * 3600_000,
    );
    expect((await changeops(['check', '--dir', repo, '--now', now])).code).toBe(0);
  });

  it('suggests the next slot clear of a pending change on the same CI (the collision sweep)', async () => {
    const slot = async () => {
      const run = await changeops(['new', '--dir', repo, '--yes', '--json', ...complete]);
      expect(run.code, run.err).toBe(0);
      return (JSON.parse(run.out) as { schedule: { start: string; end: string } }).schedule;
    };
    const first = await slot();
    const second = await slot();
    expect(Date.parse(second.start)).toBeGreaterThanOrEqual(Date.parse(first.end));
    expect(changes()).toHaveLength(2);
    expect((await changeops(['check', '--dir', repo, '--now', now])).code).toBe(0);
  });

  it('takes the id after the highest, counting a file that does not load', async () => {
    writeFileSync(join(repo, 'changes', 'CHG-0007-broken.yaml'), 'id: [unclosed\n');
    const run = await changeops(['new', '--dir', repo, '--yes', '--json', ...complete]);
    const json = JSON.parse(run.out) as { ok: boolean; id: string; file: string };
    expect(json).toMatchObject({
      ok: true,
      id: 'CHG-0008',
      file: 'changes/CHG-0008-add-a-payments-health-endpoint.yaml',
    });
  });

  it('writes nothing when the record would fail check, and names the option that fixes it', async () => {
    const at = complete.indexOf('--backout');
    const withoutBackout = [...complete.slice(0, at), ...complete.slice(at + 2)];
    const run = await changeops(['new', '--dir', repo, '--yes', ...withoutBackout]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/plan\.backout.*\(set it with --backout\)/);
    expect(run.err).toContain('not written: changes/CHG-0001-add-a-payments-health-endpoint.yaml');
    expect(changes()).toEqual([]);
  });

  it('refuses an unknown CI with the closest id', async () => {
    const run = await changeops([
      'new',
      '--dir',
      repo,
      '--yes',
      ...complete.map((a) => (a === 'payments-api' ? 'payment-api' : a)),
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('"payment-api" is not a CI of the CMDB; did you mean payments-api?');
  });

  it('never writes over an id that appeared meanwhile', () => {
    const session = openNewChange(repo);
    writeFileSync(join(repo, 'changes', 'CHG-0001-someone-else.yaml'), '# theirs\n');
    const record = {
      id: session.nextId,
      title: 'Mine',
      type: 'normal' as const,
      status: 'draft' as const,
      requester: 'octocat',
      cis: ['payments-api'],
    };
    const prepared = prepareNewChange(session, record, new Date(now));
    expect(writeNewChange(session, prepared, record.id)).toEqual({
      refused: 'changes/CHG-0001-someone-else.yaml',
    });
    expect(changes()).toEqual(['CHG-0001-someone-else.yaml']);
    expect(readFileSync(join(repo, 'changes', 'CHG-0001-someone-else.yaml'), 'utf8')).toBe(
      '# theirs\n',
    );
  });

  it('asks on a terminal, offering the CMDB ids to complete', async () => {
    const answers = [
      '', // type: normal
      'Add a payments health endpoint',
      'payments-api',
      'Operations need a health check.',
      'low',
      'medium',
      'Deploy it.',
      'Ran the tests in staging.',
      'Redeploy the previous version.',
      '', // start: the suggested slot
      '', // end
      'octocat',
    ];
    const run = await changeops(['new', '--dir', repo, '--now', now], answers);
    expect(run.code, run.err).toBe(0);
    expect(run.offered).toContainEqual(['payments-api']);
    expect(changes()).toEqual(['CHG-0001-add-a-payments-health-endpoint.yaml']);
  });

  it('writes a draft with --draft, which the rules leave alone', async () => {
    const run = await changeops([
      'new',
      '--dir',
      repo,
      '--yes',
      '--draft',
      '--title',
      'Later',
      '--cis',
      'payments-api',
      '--requester',
      'octocat',
      '--now',
      now,
    ]);
    expect(run.code, run.err).toBe(0);
    expect(existsSync(join(repo, 'changes', 'CHG-0001-later.yaml'))).toBe(true);
    expect(readFileSync(join(repo, 'changes', 'CHG-0001-later.yaml'), 'utf8')).toContain(
      'status: draft',
    );
  });
});
