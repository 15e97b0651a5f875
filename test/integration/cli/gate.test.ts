// changeops gate: the approval gate simulated offline, on a real repository, from files of reviews
// and team members; the same core as the action's command: gate.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { gateEstate, highRisk, lowRisk } from '../../e2e/gate-harness.js';
import { commit, initRepository, remove, scratch, write } from '../check/git-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = scratch();
  const git = await initRepository(dir);
  write(dir, gateEstate);
  await commit(git, 'base');
  await git.raw(['checkout', '--quiet', '-b', 'feature']);
  write(dir, { 'changes/CHG-0100-reporting.yaml': lowRisk('CHG-0100') });
  await commit(git, 'CHG-0100');
});
afterEach(() => remove(dir));

async function gate(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['gate', '--dir', dir, ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function file(name: string, data: unknown): string {
  const path = join(dir, '..', `${name}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

const members = () => file('members', { '@acme/cab': ['carla', 'cody'], '@acme/dba': ['dana'] });
const reviews = (...who: [string, string][]) =>
  file(
    'reviews',
    who.map(([login, state], i) => ({
      id: i + 1,
      user: { login, type: 'User' },
      state,
      submitted_at: `2030-01-01T00:0${i}:00Z`,
    })),
  );

describe('changeops gate (offline simulation)', () => {
  it('says who must still approve, and exits 1', async () => {
    const run = await gate('--base', 'main', '--reviews', reviews(), '--members', members());
    expect(run.out.split('\n')[0]).toBe('changeops/cab (pending): Missing: cab');
    expect(run.out).toContain(
      'pending  cab-low-risk (cab): 0 of 1 approval from cab; missing 1 from @acme/cab (for CHG-0100)',
    );
    expect(run.code).toBe(1);
  });

  it('exits 0 when a CAB member approved, and never counts the author given', async () => {
    const run = await gate(
      '--base',
      'main',
      '--reviews',
      reviews(['cody', 'APPROVED'], ['carla', 'APPROVED']),
      '--members',
      members(),
      '--author',
      'cody',
    );
    expect(run.out.split('\n')[0]).toBe('changeops/cab (success): Approved: cab (carla)');
    expect(run.out).toContain('cody: the PR author');
    expect(run.code).toBe(0);
  });

  it('prints the status and the tree as JSON with --json', async () => {
    write(dir, { 'changes/CHG-0200-orders.yaml': highRisk('CHG-0200') });
    const run = await gate(
      '--base',
      'main',
      '--json',
      '--reviews',
      reviews(['carla', 'APPROVED'], ['dana', 'CHANGES_REQUESTED']),
      '--members',
      members(),
    );
    const json = JSON.parse(run.out) as { approval: string; status: Record<string, string> };
    expect(json.approval).toBe('blocked');
    expect(json.status).toMatchObject({
      context: 'changeops/cab',
      state: 'failure',
      description: 'Blocked: dana (owner of pg-orders) requested changes',
    });
    expect(run.code).toBe(1);
  });

  it('exits 2 and names the team when the members file does not list one a requirement needs', async () => {
    const run = await gate(
      '--base',
      'main',
      '--reviews',
      reviews(['carla', 'APPROVED']),
      '--members',
      file('members', {}),
    );
    expect(run.err).toContain('the members file lists no @acme/cab; add it');
    expect(run.code).toBe(2);
  });

  it.each([
    ['a reviews file that does not exist', () => join(dir, 'nope.json'), 'cannot be read (ENOENT)'],
    ['a reviews file that is not JSON', () => file('bad', 'x').replace(/$/, ''), ''],
  ])('exits 2 for %s, naming the file', async (_what, path, says) => {
    const target = path();
    if (says === '') writeFileSync(target, '{not json');
    const run = await gate('--base', 'main', '--reviews', target);
    expect(run.err).toContain(`--reviews ${target}`);
    if (says) expect(run.err).toContain(says);
    expect(run.code).toBe(2);
  });

  it('needs --base and --reviews', async () => {
    expect((await gate('--reviews', reviews())).code).toBe(2);
    expect((await gate('--base', 'main')).err).toContain('gate needs --reviews FILE');
  });
});
