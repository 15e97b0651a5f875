import { afterAll, describe, expect, it } from 'vitest';
import { impact } from '../../../src/app/impact.js';
import { loadWorkspace } from '../../../src/app/load-workspace.js';
import { validate } from '../../../src/app/validate.js';
import { runImpact } from '../../../src/cli/impact.js';
import { decideCheck } from '../../../src/evaluate/decide.js';
import { renderCheckReport } from '../../../src/evaluate/report.js';
import { ciText, makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';
import { expectRatioBelow } from '../../fixtures/timing.js';

/**
 * The limits of one pull request's files, as ratios: each hostile input below took from seconds
 * to 25 minutes, or crashed the run, before the loader and the impact worked in one pass. Each is
 * timed against a benign input of the same size in the same run (a file of valid records, a
 * CMDB of as many CIs that is not one chain), so the bound holds on a slow or a busy machine and
 * only work that grows faster than the input can break it. The ratios are printed.
 */
afterAll(removeWorkspaces);

/** At most this many times the benign input: linear work is well under; quadratic is 100s over. */
const maxRatio = 50;

/** A file of valid CIs at least `bytes` long. */
function benignFile(bytes: number): string {
  const docs: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const doc = ciText(`benign-${i}`, 'description: One of the workers of the nightly run.\n');
    docs.push(doc);
    length += doc.length + 4;
  }
  return docs.join('---\n');
}

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: v`).join('\n');

const hostileFiles: Array<[string, () => string]> = [
  ['105,000 unknown keys in one 1 MiB file', () => ciText('keys', `${keys(105_000)}\n`)],
  [
    '105,000 unknown keys in a file with an anchor',
    () => ciText('keys', `description: &d Text.\n${keys(105_000)}\n`),
  ],
  [
    '130,000 schema errors in one file',
    () => ciText('many', `dependsOn: [${Array(130_000).fill('1').join(',')}]\n`),
  ],
  [
    '100 aliases of a 150,000-item list',
    () =>
      ciText(
        'wide',
        `notes: &l [${Array.from({ length: 150_000 }, (_, i) => i).join(',')}]\nmore: [${Array(100).fill('*l').join(',')}]\n`,
      ),
  ],
  ['a 1 MB unknown key', () => ciText('big', `${'x'.repeat(1_000_000)}: 1\n`)],
  [
    '60,000 references to CIs that do not exist',
    () =>
      ciText(
        'refs',
        `dependsOn: [${Array.from({ length: 60_000 }, (_, i) => `gone-${i}`).join(', ')}]\n`,
      ),
  ],
];

describe('one hostile file, against a benign file of the same size', () => {
  it.each(hostileFiles)('%s', (name, make) => {
    const text = make();
    // A policy in each, so that the only findings are the file's (not the defaults' notice).
    const policy = { 'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\nid: p\n' };
    const hostile = makeWorkspace({ ...policy, 'cmdb/hostile.yaml': text }, false);
    const benign = makeWorkspace({ ...policy, 'cmdb/benign.yaml': benignFile(text.length) }, false);
    expect(validate(benign).valid).toBe(true);
    const outcome = validate(hostile);
    expect(outcome.valid).toBe(false);
    expect(outcome.findings.length).toBeLessThanOrEqual(101);
    expectRatioBelow(
      name,
      () => validate(hostile),
      () => validate(benign),
      maxRatio,
      { rounds: 2 },
    );
  });
});

describe('a CMDB that is one chain of 20,000 CIs, against 20,000 CIs one hop away', () => {
  const n = 20_000;
  /** CI i depends on CI i-1 (a chain), or on CI 0 (a star): the same files, the same CIs reached. */
  function cmdb(shape: 'chain' | 'star'): string {
    const texts = Array.from({ length: n }, (_, i) =>
      ciText(`ci-${i}`, i === 0 ? '' : `dependsOn: [ci-${shape === 'chain' ? i - 1 : 0}]\n`),
    );
    const files: Record<string, string> = {
      'changes/CHG-0001-root.yaml': [
        'apiVersion: changeops/v1',
        'kind: Change',
        'id: CHG-0001',
        'title: Restart the root of the estate',
        'type: normal',
        'status: proposed',
        'requester: octocat',
        'cis: [ci-0]',
        'reason: The root service leaks memory and must be restarted weekly.',
        'risk: {likelihood: low, impact: medium}',
        'plan: {implementation: Restart it., test: Watch the dashboards., backout: Start it again.}',
        'schedule: {start: 2031-03-10T22:00:00Z, end: 2031-03-10T23:00:00Z}',
        '',
      ].join('\n'),
    };
    for (let f = 0; f * 5_000 < n; f++)
      files[`cmdb/part-${f}.yaml`] = texts.slice(f * 5_000, (f + 1) * 5_000).join('---\n');
    return makeWorkspace(files, false);
  }
  const chain = cmdb('chain');
  const star = cmdb('star');
  const sink = { out: () => undefined, err: () => undefined };

  it.each([
    ['impact as text', { json: false, format: 'text' }],
    ['impact --format tree', { json: false, format: 'tree' }],
    ['impact --json', { json: true, format: 'text' }],
  ] as const)('%s', (name, options) => {
    expect(impact(chain, 'ci-0')).toMatchObject({ found: true });
    const print = (dir: string) => runImpact({ dir, id: 'ci-0', ...options }, sink);
    print(chain);
    print(star);
    expectRatioBelow(
      `${name} on a 20,000-CI chain`,
      () => print(chain),
      () => print(star),
      maxRatio,
      { rounds: 2 },
    );
  });

  it('the pull request report (comment and job summary)', () => {
    const decide = (dir: string) =>
      renderCheckReport(
        decideCheck({ workspace: loadWorkspace(dir), now: new Date('2031-01-01T00:00:00Z') })
          .outcome,
        { repository: 'acme/estate', headSha: 'a'.repeat(40) },
      );
    expect(decide(chain).comment.length).toBeLessThanOrEqual(65_536);
    decide(star);
    expectRatioBelow(
      'the report of a change at the root of a 20,000-CI chain',
      () => decide(chain),
      () => decide(star),
      maxRatio,
      { rounds: 2 },
    );
  });
});
