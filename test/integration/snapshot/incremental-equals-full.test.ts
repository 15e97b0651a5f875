// The estate snapshot's promise: a run through the snapshot (only the files changed since its
// commit parsed) gives what a run that parses every file gives, findings and all. Property-based:
// generated estates in real git repositories, random edits on disk (some committed, some not),
// and the validate and check outcomes compared with and without the snapshot.
import fc from 'fast-check';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../../src/app/check.js';
import { readNewest } from '../../../src/app/load-workspace.js';
import { validate, validateRepository } from '../../../src/app/validate.js';
import { scratch, remove } from '../check/git-fixture.js';

const NOW = new Date('2030-05-01T00:00:00Z');
const binary = fileURLToPath(new URL('../../../bin/changeops.js', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach(remove));

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

function put(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const ciYaml = (id: string, deps: string[], extra = '') =>
  [
    'apiVersion: changeops/v1',
    'kind: ConfigurationItem',
    `id: ${id}`,
    `name: The ${id} service`,
    'class: application',
    'owner: "@acme/ops"',
    'criticality: 3',
    ...(deps.length ? [`dependsOn: [${deps.join(', ')}]`] : []),
    extra,
  ].join('\n');

const changeYaml = (id: string, cis: string[], extra = '') =>
  [
    'apiVersion: changeops/v1',
    'kind: Change',
    `id: ${id}`,
    `title: Change ${id}`,
    'type: normal',
    'status: proposed',
    'requester: octocat',
    `cis: [${cis.join(', ')}]`,
    'risk: {likelihood: low, impact: low}',
    'plan: {implementation: Do it., test: Tested., backout: Undo it.}',
    `schedule: {start: 2031-0${1 + (id.length % 8)}-10T22:00:00Z, end: 2031-0${1 + (id.length % 8)}-10T23:00:00Z}`,
    extra,
  ].join('\n');

/** Lists of ids as a hostile or careless CI writes them: a snapshot holds each as it is. */
const oddLists = [
  'dependsOn: 5',
  'dependsOn: [ghost-ci, ghost-ci, ci-0]',
  'partOf: null',
  'dependsOn: []',
  'dependsOn: [CHG-0001]',
  'dependsOn: [ci-1, 7]',
  'partOf: {ci-1: true}',
];

/** One edit of the working tree; `commit` edits are committed before the run. */
type Edit =
  | { op: 'deps'; ci: number; deps: number[]; ghost: boolean }
  | { op: 'delete'; file: number }
  | { op: 'duplicate'; ci: number; name: number }
  | { op: 'broken'; file: number }
  | { op: 'schema'; ci: number }
  | { op: 'rename'; file: number }
  | { op: 'cis'; change: number; cis: number[]; ghost: boolean }
  | { op: 'anchors'; ci: number }
  | { op: 'ignored'; ci: number }
  | { op: 'link'; file: number }
  | { op: 'ghost' }
  | { op: 'odd'; ci: number; list: number }
  | { op: 'policy' };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    op: fc.constant('deps' as const),
    ci: fc.nat(40),
    deps: fc.array(fc.nat(40), { maxLength: 3 }),
    ghost: fc.boolean(),
  }),
  fc.record({ op: fc.constant('delete' as const), file: fc.nat(60) }),
  fc.record({ op: fc.constant('duplicate' as const), ci: fc.nat(40), name: fc.nat(5) }),
  fc.record({ op: fc.constant('broken' as const), file: fc.nat(60) }),
  fc.record({ op: fc.constant('schema' as const), ci: fc.nat(40) }),
  fc.record({ op: fc.constant('rename' as const), file: fc.nat(60) }),
  fc.record({
    op: fc.constant('cis' as const),
    change: fc.nat(20),
    cis: fc.array(fc.nat(40), { minLength: 1, maxLength: 3 }),
    ghost: fc.boolean(),
  }),
  fc.record({ op: fc.constant('anchors' as const), ci: fc.nat(40) }),
  fc.record({ op: fc.constant('ignored' as const), ci: fc.nat(40) }),
  fc.record({ op: fc.constant('link' as const), file: fc.nat(60) }),
  // The CI the estate's (and the edits') dangling references name, added: they resolve.
  fc.constant({ op: 'ghost' as const }),
  fc.record({ op: fc.constant('odd' as const), ci: fc.nat(40), list: fc.nat(oddLists.length - 1) }),
  fc.constant({ op: 'policy' as const }),
);

/** The record files on disk, sorted: what an edit picks from by index. */
function recordFiles(dir: string): string[] {
  const out: string[] = [];
  for (const folder of ['changes', 'cmdb']) {
    try {
      for (const name of readdirSync(join(dir, folder), { recursive: true, encoding: 'utf8' }))
        if (name.endsWith('.yaml')) out.push(`${folder}/${name}`);
    } catch {
      // The folder is gone.
    }
  }
  return out.sort();
}

function apply(dir: string, cis: number, e: Edit): void {
  const id = (n: number) => `ci-${n % cis}`;
  const files = recordFiles(dir);
  const file = (n: number) => files[n % Math.max(files.length, 1)];
  switch (e.op) {
    case 'deps':
      put(
        dir,
        `cmdb/${id(e.ci)}.yaml`,
        ciYaml(id(e.ci), [...e.deps.map(id), ...(e.ghost ? ['ghost-ci'] : [])]),
      );
      return;
    case 'delete': {
      const path = file(e.file);
      if (path) rmSync(join(dir, path), { force: true });
      return;
    }
    case 'duplicate':
      put(dir, `cmdb/copy-${e.name}.yaml`, ciYaml(id(e.ci), []));
      return;
    case 'broken': {
      const path = file(e.file);
      if (path) put(dir, path, 'id: [unclosed\n  kind: {');
      return;
    }
    case 'schema':
      put(dir, `cmdb/${id(e.ci)}.yaml`, ciYaml(id(e.ci), [], 'criticality2: nine'));
      return;
    case 'rename': {
      const path = file(e.file);
      if (path) renameSync(join(dir, path), join(dir, path.replace(/\.yaml$/, '-moved.yaml')));
      return;
    }
    case 'cis':
      put(
        dir,
        `changes/CHG-${String(e.change).padStart(4, '0')}-edit.yaml`,
        changeYaml(`CHG-${String(e.change).padStart(4, '0')}`, [
          ...e.cis.map(id),
          ...(e.ghost ? ['ghost-ci'] : []),
        ]),
      );
      return;
    case 'anchors':
      put(
        dir,
        `cmdb/${id(e.ci)}.yaml`,
        ciYaml(id(e.ci), [], 'tags: &t [a, b]\nlabels: *t\n').replace(
          'class: application',
          'class: &c application',
        ),
      );
      return;
    case 'ignored':
      put(dir, '.gitignore', 'cmdb/local-*.yaml\n');
      put(dir, `cmdb/local-${e.ci}.yaml`, ciYaml(`local-${e.ci}`, [id(e.ci)]));
      return;
    case 'link': {
      const path = file(e.file);
      if (!path) return;
      try {
        symlinkSync(`../${path}`, join(dir, 'cmdb', `link-${e.file}.yaml`));
      } catch {
        // There is one already.
      }
      return;
    }
    case 'ghost':
      put(dir, 'cmdb/ghost-ci.yaml', ciYaml('ghost-ci', []));
      return;
    case 'odd':
      put(dir, `cmdb/${id(e.ci)}.yaml`, ciYaml(id(e.ci), [], oddLists[e.list]));
      return;
    case 'policy':
      put(
        dir,
        'changeops.yaml',
        'apiVersion: changeops/v1\nkind: Policy\nid: edited\nlimits: {maxFileBytes: 4000}\n',
      );
  }
}

/** A generated estate committed on main, its snapshot written by a first run. */
async function estate(cis: number, changes: number, seed: number, odd = false): Promise<string> {
  const dir = scratch();
  dirs.push(dir);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  put(dir, 'changeops.yaml', 'apiVersion: changeops/v1\nkind: Policy\nid: test\n');
  for (let i = 0; i < cis; i++)
    put(dir, `cmdb/ci-${i}.yaml`, ciYaml(`ci-${i}`, i > 0 ? [`ci-${(i * 7 + seed) % i}`] : []));
  if (odd) {
    // What the snapshot then holds besides: a dangling reference (an edit may add the CI it
    // names), a CI that names itself, a list that is no list.
    put(dir, 'cmdb/ci-1.yaml', ciYaml('ci-1', ['ci-0', 'ghost-ci']));
    put(dir, 'cmdb/ci-2.yaml', ciYaml('ci-2', ['ci-0', 'ci-2']));
    put(dir, 'cmdb/ci-3.yaml', ciYaml('ci-3', [], 'partOf: 7'));
  }
  for (let i = 0; i < changes; i++) {
    const chg = `CHG-${String(i).padStart(4, '0')}`;
    put(dir, `changes/${chg}-work.yaml`, changeYaml(chg, [`ci-${(i * 3 + seed) % cis}`]));
  }
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', 'estate');
  return dir;
}

/** Everything a face prints of validate and check, for both ways of loading. */
async function outcomes(dir: string, cache: boolean) {
  const validated = await validateRepository(dir, { cache });
  const checked = await check({ root: dir, now: NOW, cache });
  const based = await check({ root: dir, base: 'HEAD~0', now: NOW, cache, fetch: false });
  const { snapshot, ...validation } = validated;
  return {
    snapshot: [snapshot.status, checked.snapshot?.status, based.snapshot?.status],
    text: JSON.stringify({
      validation,
      check: checked.outcome,
      outputs: checked.outputs(),
      based: based.outcome,
    }),
  };
}

describe('the estate snapshot', () => {
  it('writes a snapshot on a clean working tree, then reads it: the same outcome as a full load', async () => {
    const dir = await estate(30, 10, 1);
    const first = await validateRepository(dir);
    expect(first.snapshot.status).toBe('written');
    const again = await validateRepository(dir);
    expect(again.snapshot).toEqual({ status: 'read', parsed: 0 });
    const { snapshot: _s, ...rest } = again;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(validate(dir)));
  });

  it('an incremental run equals a full run, findings and all, whatever the edits', async () => {
    const dir = await estate(40, 20, 3, true);
    await validateRepository(dir);
    const root = git(dir, 'rev-parse', 'HEAD').trim();
    let read = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        fc.nat(6),
        async (edits, committed) => {
          git(dir, 'reset', '--quiet', '--hard');
          git(dir, 'clean', '--quiet', '-fdx', '--exclude=.git');
          edits.forEach((e, index) => {
            apply(dir, 40, e);
            if (index === committed - 1) {
              git(dir, 'add', '--all');
              git(dir, 'commit', '--quiet', '--allow-empty', '-m', 'edit');
            }
          });
          const cached = await outcomes(dir, true);
          const full = await outcomes(dir, false);
          if (cached.snapshot.includes('read')) read++;
          expect(cached.text).toBe(full.text);
          // Back to the estate's commit for the next case.
          git(dir, 'reset', '--quiet', '--hard', root);
        },
      ),
      { numRuns: 40, seed: 13 },
    );
    // Most cases went through a snapshot: the property is about the incremental path.
    expect(read).toBeGreaterThan(20);
  }, 120_000);

  it("the action's way (records are the commit's, diffed commit to commit) equals a full run", async () => {
    const dir = await estate(40, 20, 6, true);
    const root = git(dir, 'rev-parse', 'HEAD').trim();
    await validateRepository(dir, { committed: true });
    let read = 0;
    await fc.assert(
      fc.asyncProperty(
        // A checkout holds what its commit holds: no ignored file beside it.
        fc.array(
          edit.filter((e) => e.op !== 'ignored'),
          { minLength: 1, maxLength: 6 },
        ),
        async (edits) => {
          edits.forEach((e) => apply(dir, 40, e));
          git(dir, 'add', '--all');
          git(dir, 'commit', '--quiet', '--allow-empty', '-m', 'edits');
          const run = (cache: boolean) =>
            check({ root: dir, base: root, now: NOW, cache, fetch: false, workingTree: false });
          const [cached, full] = [await run(true), await run(false)];
          const validated = await validateRepository(dir, { committed: true });
          if (cached.snapshot?.status === 'read') read++;
          expect(JSON.stringify(cached.outcome)).toBe(JSON.stringify(full.outcome));
          const { snapshot: _s, ...validation } = validated;
          expect(JSON.stringify(validation)).toBe(JSON.stringify(validate(dir)));
          git(dir, 'reset', '--quiet', '--hard', root);
          git(dir, 'clean', '--quiet', '-fdx', '--exclude=.git');
        },
      ),
      { numRuns: 20, seed: 13 },
    );
    expect(read).toBeGreaterThan(10);
  }, 120_000);

  it('reads back the lists of ids a snapshot holds as they were written, however odd', async () => {
    const dir = await estate(6, 3, 8);
    oddLists.forEach((list, n) => put(dir, `cmdb/odd-${n}.yaml`, ciYaml(`odd-${n}`, [], list)));
    put(dir, 'cmdb/odd-self.yaml', ciYaml('odd-self', ['ci-0', 'odd-self', 'odd-self']));
    put(dir, 'cmdb/z-copy.yaml', ciYaml('ci-2', ['odd-self', 'ghost-ci']));
    git(dir, 'add', '--all');
    git(dir, 'commit', '--quiet', '-m', 'odd lists');
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    const full = await outcomes(dir, false);
    const cached = await outcomes(dir, true);
    expect(cached.snapshot).toEqual(['read', 'read', 'read']);
    expect(cached.text).toBe(full.text);
    // The sentences a user reads, from the lists held as positions in the snapshot.
    for (const sentence of [
      '"ghost-ci" is not a known configuration item in the CMDB',
      '"CHG-0001" is not a known configuration item in the CMDB',
      '"odd-self" names itself in dependsOn',
    ])
      expect(cached.text).toContain(JSON.stringify(sentence).slice(1, -1));
    // The CI a dangling reference names, added and not committed: it resolves.
    put(dir, 'cmdb/ghost-ci.yaml', ciYaml('ghost-ci', []));
    const fixed = await outcomes(dir, true);
    expect(fixed.snapshot[0]).toBe('read');
    expect(fixed.text).toBe((await outcomes(dir, false)).text);
    expect(fixed.text).not.toContain('\\"ghost-ci\\" is not a known');
  });

  it('reads back a snapshot holding text beyond ASCII (names, titles) as it was written', async () => {
    const dir = await estate(6, 3, 7);
    put(
      dir,
      'cmdb/ci-1.yaml',
      ciYaml('ci-1', ['ci-0']).replace('The ci-1 service', 'Zürich ☃ 東京'),
    );
    put(
      dir,
      'changes/CHG-0001-work.yaml',
      changeYaml('CHG-0001', ['ci-1']).replace('Change CHG-0001', 'Café «naïve»'),
    );
    git(dir, 'commit', '--quiet', '--all', '-m', 'names');
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    // Its texts are UTF-8 (each read as Latin-1 only when it is ASCII).
    const folder = join(dir, '.git', 'changeops');
    const file = readFileSync(join(folder, readdirSync(folder)[0]!));
    expect(file.includes(Buffer.from('Zürich ☃ 東京', 'utf8'))).toBe(true);
    const cached = await check({ root: dir, now: NOW });
    expect(cached.snapshot?.status).toBe('read');
    expect(JSON.stringify(cached.outcome)).toContain('Café «naïve»');
    expect(JSON.stringify(cached.outcome)).toContain('Zürich ☃ 東京');
    expect(JSON.stringify(cached.outcome)).toBe(
      JSON.stringify((await check({ root: dir, now: NOW, cache: false })).outcome),
    );
  });

  it('writes no snapshot of a name UTF-8 cannot carry (a lone surrogate), and loads every file', async () => {
    const dir = await estate(4, 2, 3);
    put(
      dir,
      'cmdb/ci-1.yaml',
      ciYaml('ci-1', ['ci-0']).replace('The ci-1 service', '"bad \\ud800 name"'),
    );
    git(dir, 'commit', '--quiet', '--all', '-m', 'surrogate');
    const run = await validateRepository(dir);
    expect(run.snapshot.status).toBe('none');
    expect(existsSync(join(dir, '.git', 'changeops'))).toBe(false);
    expect(JSON.stringify((await check({ root: dir, now: NOW })).outcome)).toBe(
      JSON.stringify((await check({ root: dir, now: NOW, cache: false })).outcome),
    );
  });

  it.each([
    ['a byte of its paths changed', (file: Buffer) => flip(file, sectionAt(file, 'p.t'))],
    ['a byte of its header changed', (file: Buffer) => flip(file, 20)],
    ['cut short', (file: Buffer) => file.subarray(0, file.length / 2)],
    ['cut inside its header', (file: Buffer) => file.subarray(0, 40)],
    ['not one at all', () => Buffer.from('{"format":')],
    ['empty', () => Buffer.alloc(0)],
  ])('ignores a snapshot file %s and loads every file', async (_what, damage) => {
    const dir = await estate(10, 5, 2);
    await validateRepository(dir);
    const folder = join(dir, '.git', 'changeops');
    const path = join(folder, readdirSync(folder)[0]!);
    const good = readFileSync(path);
    // Its ids say every CI depends on ids that do not exist: trusted, every CI would be wrong.
    writeFileSync(path, damage(Buffer.from(good)));
    const run = await validateRepository(dir);
    expect(run.snapshot.status).not.toBe('read');
    expect(run.valid).toBe(true);
    expect(run.findings).toEqual([]);
    expect(readFileSync(path)).toEqual(good);
  });

  it("reads a snapshot whose graph is damaged, and builds the graph: the outcome a full run's", async () => {
    const dir = await estate(10, 5, 6);
    await validateRepository(dir);
    const folder = join(dir, '.git', 'changeops');
    const path = join(folder, readdirSync(folder)[0]!);
    const good = readFileSync(path);
    const full = JSON.stringify((await check({ root: dir, now: NOW, cache: false })).outcome);
    // Every edge's target made the first CI.
    const parts = unseal(good);
    const wrong = Buffer.from(parts.sections.get('g.targets')!).fill(0);
    // Sealed again (its CRC-32 made for the wrong graph), the graph is trusted: the outcome moves.
    parts.sections.set('g.targets', wrong);
    writeFileSync(path, reseal(parts));
    const trusted = await check({ root: dir, now: NOW });
    expect(trusted.snapshot?.status).toBe('read');
    expect(JSON.stringify(trusted.outcome)).not.toBe(full);
    // The same bytes in the good file, its CRC-32 the good graph's: damaged, so built again.
    const damaged = Buffer.from(good);
    damaged.set(wrong, sectionAt(damaged, 'g.targets'));
    writeFileSync(path, damaged);
    const cached = await check({ root: dir, now: NOW });
    expect(cached.snapshot?.status).toBe('read');
    expect(JSON.stringify(cached.outcome)).toBe(full);
  });
});

describe("integrity through a snapshot (each file's findings kept, looked at where the diff reaches)", () => {
  it("reports a change's template that the branch's policy no longer has, as a full run does", async () => {
    const dir = await estate(6, 3, 2);
    const policy = 'apiVersion: changeops/v1\nkind: Policy\nid: test\n';
    const template =
      'templates:\n  - {id: std-restart, title: Restart, cis: [ci-0], maxRisk: low}\n';
    put(dir, 'changeops.yaml', policy + template);
    put(
      dir,
      'changes/CHG-0001-work.yaml',
      changeYaml('CHG-0001', ['ci-0'], 'template: std-restart'),
    );
    git(dir, 'commit', '--quiet', '--all', '-m', 'a template');
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    // The branch drops the template; the base's policy (the snapshot's key) still has it.
    put(dir, 'changeops.yaml', policy);
    const run = (cache: boolean) =>
      check({ root: dir, base: 'HEAD~0', now: NOW, cache, fetch: false });
    const [cached, full] = [await run(true), await run(false)];
    expect(cached.snapshot?.status).toBe('read');
    const text = JSON.stringify(cached.outcome);
    expect(text).toContain(
      JSON.stringify('"std-restart" is not a known standard-change template of the policy').slice(
        1,
        -1,
      ),
    );
    expect(text).toBe(JSON.stringify(full.outcome));
  });

  it('reports the stored CIs and changes that name a CI the branch deletes, as a full run does', async () => {
    // Every other CI depends on ci-0 and CHG-0000 names it: files unchanged, quiet at the commit.
    const dir = await estate(8, 4, 0);
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    rmSync(join(dir, 'cmdb/ci-0.yaml'));
    const [cached, full] = [await outcomes(dir, true), await outcomes(dir, false)];
    expect(cached.snapshot).toEqual(['read', 'read', 'read']);
    const { validation } = JSON.parse(cached.text) as {
      validation: { findings: Array<{ file: string; rule: string; message: string }> };
    };
    expect(
      validation.findings
        .filter((finding) => finding.rule === 'reference')
        .map(({ file, message }) => `${file}: ${message.split(';')[0]}`),
    ).toEqual(
      ['changes/CHG-0000-work.yaml', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `cmdb/ci-${n}.yaml`)].map(
        (file) => `${file}: "ci-0" is not a known configuration item in the CMDB`,
      ),
    );
    expect(cached.text).toBe(full.text);
  });

  it('checks every reference again when a file parsed every run drops an id the others name', async () => {
    // ci-0's data is no plain data (NaN): the snapshot holds no record of it, so no id it had.
    const dir = await estate(8, 4, 0);
    put(dir, 'cmdb/ci-0.yaml', ciYaml('ci-0', [], 'weight: .nan'));
    git(dir, 'commit', '--quiet', '--all', '-m', 'not a number');
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    put(dir, 'cmdb/ci-0.yaml', ciYaml('ci-zero', [], 'weight: .nan'));
    const [cached, full] = [await outcomes(dir, true), await outcomes(dir, false)];
    expect(cached.snapshot).toEqual(['read', 'read', 'read']);
    expect(cached.text).toContain(
      JSON.stringify('"ci-0" is not a known configuration item in the CMDB').slice(1, -1),
    );
    expect(cached.text).toBe(full.text);
  });

  it("indexes a changed file's CI that comes before a stored CI of its id: the stored one is the duplicate, as in a full run", async () => {
    const dir = await estate(8, 4, 0);
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    // cmdb/a-ci-3.yaml comes before the stored cmdb/ci-3.yaml; cmdb/zz.yaml after cmdb/ci-4.yaml.
    put(dir, 'cmdb/a-ci-3.yaml', ciYaml('ci-3', ['ci-0']));
    put(dir, 'cmdb/zz.yaml', ciYaml('ci-4', []));
    const [cached, full] = [await outcomes(dir, true), await outcomes(dir, false)];
    expect(cached.snapshot).toEqual(['read', 'read', 'read']);
    const { validation } = JSON.parse(cached.text) as {
      validation: { findings: Array<{ file: string; rule: string; message: string }> };
    };
    expect(
      validation.findings
        .filter((finding) => finding.rule === 'unique-id')
        .map(({ file, message }) => `${file}: ${message}`),
    ).toEqual([
      'cmdb/ci-3.yaml: the ConfigurationItem id "ci-3" is already used at cmdb/a-ci-3.yaml:3; ids must be unique',
      'cmdb/zz.yaml: the ConfigurationItem id "ci-4" is already used at cmdb/ci-4.yaml:3; ids must be unique',
    ]);
    expect(cached.text).toBe(full.text);
  });

  it("reads a snapshot whose stored CIs repeat an id one record at a time: the outcome a full run's when the first goes", async () => {
    const dir = await estate(8, 4, 0);
    put(dir, 'cmdb/copy.yaml', ciYaml('ci-2', ['ci-1']));
    git(dir, 'add', '--all');
    git(dir, 'commit', '--quiet', '-m', 'a second ci-2');
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    // The first ci-2 goes: the stored second one is the CI ci-2 now, with its own dependsOn.
    rmSync(join(dir, 'cmdb/ci-2.yaml'));
    const [cached, full] = [await outcomes(dir, true), await outcomes(dir, false)];
    expect(cached.snapshot).toEqual(['read', 'read', 'read']);
    expect(cached.text).not.toContain('unique-id');
    expect(cached.text).toBe(full.text);
  });

  it('reads back a stored CI whose id breaks its schema as a full run has it: never a "did you mean"', async () => {
    const dir = await estate(8, 4, 0);
    put(dir, 'cmdb/bad.yaml', ciYaml('Bad CI', []));
    put(dir, 'cmdb/ci-5.yaml', ciYaml('ci-5', ['Bad CI', 'bad-ci']));
    git(dir, 'add', '--all');
    git(dir, 'commit', '--quiet', '-m', 'a bad id');
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    put(dir, 'cmdb/ci-6.yaml', ciYaml('ci-6', ['Bad CI', 'bad-cj']));
    const [cached, full] = [await outcomes(dir, true), await outcomes(dir, false)];
    expect(cached.snapshot).toEqual(['read', 'read', 'read']);
    expect(cached.text).toContain('bad-cj');
    expect(cached.text).toBe(full.text);
  });

  it("trusts the files' stored integrity only while its section is whole", async () => {
    const dir = await estate(10, 5, 4, true);
    await validateRepository(dir);
    const folder = join(dir, '.git', 'changeops');
    const path = join(folder, readdirSync(folder)[0]!);
    const good = readFileSync(path);
    const full = JSON.stringify((await check({ root: dir, now: NOW, cache: false })).outcome);
    const dangling = JSON.stringify('"ghost-ci" is not a known').slice(1, -1);
    expect(full).toContain(dangling);
    // Every file said to be quiet, sealed again: trusted, ci-1's dangling reference goes unsaid.
    const parts = unseal(good);
    const quiet = Buffer.from(parts.sections.get('q')!).fill(1);
    parts.sections.set('q', quiet);
    writeFileSync(path, reseal(parts));
    const trusted = await check({ root: dir, now: NOW });
    expect(trusted.snapshot?.status).toBe('read');
    expect(JSON.stringify(trusted.outcome)).not.toContain(dangling);
    // The same bytes in the good file, its CRC-32 the good section's: integrity checked whole.
    const damaged = Buffer.from(good);
    damaged.set(quiet, sectionAt(damaged, 'q'));
    writeFileSync(path, damaged);
    const cached = await check({ root: dir, now: NOW });
    expect(cached.snapshot?.status).toBe('read');
    expect(JSON.stringify(cached.outcome)).toBe(full);
  });
});

/** A snapshot file's parts: its header (without its sections' places) and each section, in order. */
function unseal(file: Buffer): {
  header: Record<string, unknown>;
  sections: Map<string, Buffer>;
  places: Record<string, [number, number, number]>;
} {
  const first = file.indexOf(0x0a);
  const second = file.indexOf(0x0a, first + 1);
  const { sections: places, ...header } = JSON.parse(file.toString('utf8', first + 1, second)) as {
    sections: Record<string, [number, number, number]>;
  };
  const body = file.subarray(second + 1);
  const sections = new Map<string, Buffer>();
  for (const [name, [offset, length]] of Object.entries(places))
    sections.set(name, Buffer.from(body.subarray(offset, offset + length)));
  return { header, sections, places };
}

/** The parts sealed as the writer seals them: each section's place and CRC-32 made again, then the header's. */
function reseal({ header, sections }: ReturnType<typeof unseal>): Buffer {
  const places: Record<string, [number, number, number]> = {};
  let offset = 0;
  for (const [name, bytes] of sections) {
    places[name] = [offset, bytes.length, crc32(bytes)];
    offset += Math.ceil(bytes.length / 8) * 8;
  }
  let line = JSON.stringify({ ...header, sections: places });
  line += ' '.repeat((8 - ((15 + line.length + 1) % 8)) % 8);
  const digest = crc32(Buffer.from(line, 'utf8')).toString(16).padStart(8, '0');
  const head = Buffer.from(`crc32:${digest}\n${line}\n`, 'utf8');
  const file = Buffer.alloc(head.length + offset);
  head.copy(file);
  for (const [name, bytes] of sections) bytes.copy(file, head.length + places[name]![0]);
  return file;
}

/** Where a section starts in the file. */
function sectionAt(file: Buffer, name: string): number {
  const second = file.indexOf(0x0a, file.indexOf(0x0a) + 1);
  return second + 1 + unseal(file).places[name]![0];
}

/** The file with its header's places of sections edited, its digest made again. */
function withPlaces(
  file: Buffer,
  edit: (places: Record<string, [number, number]>) => void,
): Buffer {
  const second = file.indexOf(0x0a, file.indexOf(0x0a) + 1);
  const header = JSON.parse(file.toString('utf8', 15, second)) as {
    sections: Record<string, [number, number]>;
  };
  edit(header.sections);
  let line = JSON.stringify(header);
  // The body where it was: the header line as long as before (or the body moved whole).
  line = line.padEnd(second - 15, ' ');
  const digest = crc32(Buffer.from(line, 'utf8')).toString(16).padStart(8, '0');
  const head = Buffer.from(`crc32:${digest}\n${line}\n`, 'utf8');
  return Buffer.concat([head, file.subarray(second + 1)]);
}

/** The file with one byte changed. */
function flip(file: Buffer, at: number): Buffer {
  file[at] = file[at]! ^ 0x20;
  return file;
}

describe('a snapshot edited and resealed (its CRC-32s made again)', () => {
  type Parts = ReturnType<typeof unseal>;
  /** A section of numbers as Int32s, whatever width the writer chose (`widths`). */
  const int32 = (parts: Parts, name: string) => {
    const bytes = parts.sections.get(name)!;
    const width = (parts.header.widths as Record<string, number>)[name] ?? 4;
    const View = width === 1 ? Int8Array : width === 2 ? Int16Array : Int32Array;
    const copy = new Uint8Array(bytes).buffer;
    return Int32Array.from(new View(copy, 0, bytes.length / width));
  };
  /** Written back as Int32s, its width said so. */
  const setInt32 = (parts: Parts, name: string, array: Int32Array) => {
    delete (parts.header.widths as Record<string, number>)[name];
    parts.sections.set(name, Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  };
  const ints = (name: string, change: (all: Int32Array) => Int32Array) => (parts: Parts) =>
    setInt32(parts, name, change(int32(parts, name)));
  const json = (name: string, change: (value: unknown[]) => unknown) => (parts: Parts) => {
    const value = JSON.parse(parts.sections.get(name)!.toString('utf8')) as unknown[];
    parts.sections.set(name, Buffer.from(JSON.stringify(change(value) ?? value), 'utf8'));
  };
  const strings = (name: string, change: (all: string[]) => string[]) => (parts: Parts) => {
    const text = parts.sections.get(`${name}.t`)!.toString('utf8');
    const ends = int32(parts, `${name}.o`);
    const all = [...ends.subarray(1)].map((end, n) => text.slice(ends[n], end));
    const changed = change(all);
    parts.sections.set(`${name}.t`, Buffer.from(changed.join(''), 'utf8'));
    let end = 0;
    setInt32(parts, `${name}.o`, Int32Array.from([0, ...changed.map((s) => (end += s.length))]));
  };
  /** The first change's data text (each change's and release's is a string of section `x`). */
  const firstData = (change: (text: string, all: string[]) => string) =>
    strings('x', (all) => [change(all[0]!, all), ...all.slice(1)]);
  /** Its title another: what a run would report were the data trusted. */
  const retitled = (text: string) => text.replace('"title":"Change CHG-0000"', '"title":"Trusted"');
  const edits: Array<[string, (parts: Parts) => void]> = [
    ['one id too few', ints('ip', (all) => all.slice(0, -1))],
    ["an id's code past the ids written whole", ints('ip', (all) => all.map((v) => -5 * v))],
    ["a file's name past its path", ints('pn', (all) => all.map((v) => v + 200))],
    [
      'a record count past the records',
      ints('e', (all) => all.map((v, n) => (n === 0 ? 1000 : v))),
    ],
    ['a record count below -2', ints('e', (all) => all.map((v, n) => (n === 0 ? -3 : v)))],
    ['a kind that is none', (parts) => parts.sections.get('k')!.fill(7, 0, 1)],
    ['a CI column one short', ints('c0', (all) => all.slice(1))],
    ["a code past its column's strings", ints('c0', (all) => all.map(() => 1_000_000))],
    ["a code past its column's other values", ints('c2', (all) => all.map(() => -1_000))],
    ['a path out of order', strings('p', (all) => all.reverse())],
    [
      'path ends past their text',
      ints('p.o', (all) => all.map((v, n) => (n === all.length - 1 ? v + 1 : v))),
    ],
    ['a path that is no UTF-8', (parts) => parts.sections.get('p.t')!.fill(0xff, 0, 1)],
    ['a finding without its fields', json('pf', (pf) => pf.push([0, [{ file: 'x' }]]))],
    ['a list position past the strings', ints('lt0', (all) => all.map(() => 1_000_000))],
    ['a negative list position', ints('lt0', (all) => all.map(() => -1))],
    ['list offsets one short', ints('lo0', (all) => all.slice(1))],
    [
      'list offsets that fall back',
      ints('lo0', (all) => all.map((v, n) => (n === 1 ? v + 99 : v))),
    ],
    [
      'a list where its column says none',
      ints('c4', (all) => all.map((v, n) => (n === 1 ? 0 : v))),
    ],
    ['a list code in a list column past 1', ints('c4', (all) => all.map((v) => (v === 1 ? 2 : v)))],
    ['an id prefix past its file name', ints('ip', (all) => all.map((v) => (v > 0 ? 120 : v)))],
    ['a negative id prefix', ints('ip', (all) => all.map((v) => (v > 0 ? -1 : v)))],
    ['a section missing', (parts) => parts.sections.delete('d')],
    ['a width that is none', (parts) => ((parts.header.widths as Record<string, number>).d = 3)],
  ];

  it('reseals a good snapshot byte for byte as the writer wrote it', async () => {
    const dir = await estate(10, 5, 5);
    await validateRepository(dir);
    const folder = join(dir, '.git', 'changeops');
    const good = readFileSync(join(folder, readdirSync(folder)[0]!));
    expect(reseal(unseal(good))).toEqual(good);
  });

  it.each(edits)(
    "ignores %s: every file read, the outcome a full run's, nothing thrown",
    async (_what, edit) => {
      const dir = await estate(10, 5, 5);
      await validateRepository(dir);
      const folder = join(dir, '.git', 'changeops');
      const path = join(folder, readdirSync(folder)[0]!);
      const parts = unseal(readFileSync(path));
      edit(parts);
      // Planted before each run: a run that ignores it writes a good one in its place.
      const planted = reseal(parts);
      const plant = () => writeFileSync(path, planted);
      plant();
      const run = await validateRepository(dir);
      expect(run.snapshot.status).toBe('written');
      expect(run.valid).toBe(true);
      plant();
      const checked = await check({ root: dir, now: NOW });
      expect(checked.snapshot?.status).toBe('written');
      expect(JSON.stringify(checked.outcome)).toBe(
        JSON.stringify((await check({ root: dir, now: NOW, cache: false })).outcome),
      );
    },
  );

  // Each change's and release's data is parsed and checked when a run first reads it: one that
  // does not check then is read from its file, as a full load reads it, and the outcome is the
  // same. Trusted, each of these would change what the run reports.
  const lateEdits: Array<[string, (parts: Parts) => void]> = [
    ["a change's data that is another change's", firstData((_, all) => all[1]!)],
    [
      "a change's data of another kind",
      firstData((text) => retitled(text).replace('"kind":"Change"', '"kind":"Release"')),
    ],
    ["a change's data that is not a record", firstData(() => '"CHG-0000"')],
    [
      "a change's data with a __proto__ key",
      firstData((text) => retitled(text).replace('{', '{"__proto__":{"a":1},')),
    ],
    ["a change's data that is no JSON", firstData((text) => text.slice(0, -1))],
    [
      "a change's data with a -0",
      firstData((text) => text.replace('"title":"Change CHG-0000"', '"title":-0')),
    ],
    [
      "a change's data nested deeper than a record may be",
      firstData((text) =>
        text.replace('"title":"Change CHG-0000"', `"title":${'['.repeat(200)}${']'.repeat(200)}`),
      ),
    ],
    [
      "a change's data with a number JSON cannot hold",
      firstData((text) => text.replace('"title":"Change CHG-0000"', '"title":1e999')),
    ],
    [
      "a change's data id-less",
      firstData((text) => retitled(text).replace('"id":"CHG-0000",', '')),
    ],
  ];

  it.each(lateEdits)(
    "reads %s from its file when the data is first read: the outcome a full run's, nothing thrown",
    async (_what, edit) => {
      const dir = await estate(10, 5, 5);
      await validateRepository(dir);
      const folder = join(dir, '.git', 'changeops');
      const path = join(folder, readdirSync(folder)[0]!);
      const parts = unseal(readFileSync(path));
      edit(parts);
      writeFileSync(path, reseal(parts));
      const full = await outcomes(dir, false);
      const cached = await outcomes(dir, true);
      // The snapshot is read (no part of it is found wrong while decoding), and stays.
      expect(cached.snapshot).toEqual(['read', 'read', 'read']);
      expect(cached.text).toBe(full.text);
      expect(readFileSync(path)).toEqual(reseal(parts));
    },
  );

  it.each([
    [
      'a byte of a title changed',
      (file: Buffer) => flip(file, file.indexOf('"title":"Change', sectionAt(file, 'x.t')) + 9),
    ],
    [
      'its place past the end of the file',
      (file: Buffer) => withPlaces(file, (places) => (places['x.t']![1] += 1e6)),
    ],
  ])(
    "reads every change from its file when the data's texts are damaged (%s): the outcome a full run's",
    async (_what, damage) => {
      const dir = await estate(10, 5, 5);
      await validateRepository(dir);
      const folder = join(dir, '.git', 'changeops');
      const path = join(folder, readdirSync(folder)[0]!);
      writeFileSync(path, damage(readFileSync(path)));
      const full = await outcomes(dir, false);
      const cached = await outcomes(dir, true);
      expect(cached.snapshot).toEqual(['read', 'read', 'read']);
      expect(cached.text).toBe(full.text);
    },
  );

  // A pull request's collision rule places every other change in time from the snapshot's
  // schedule texts (section `w`), no change's data parsed: trusted while the section is whole,
  // and when it is missing or damaged each change's data read instead, as a full run.
  it("places the stored changes in time from the snapshot's schedules only while that section is whole", async () => {
    const dir = await estate(10, 5, 5);
    await validateRepository(dir);
    const folder = join(dir, '.git', 'changeops');
    const path = join(folder, readdirSync(folder)[0]!);
    const good = readFileSync(path);
    // One change edited on the branch: the others are the snapshot's.
    const edited = join(dir, 'changes', 'CHG-0000-work.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('title: Change', 'title: Edited'));
    const run = async (cache: boolean) => {
      const checked = await check({ root: dir, base: 'HEAD', now: NOW, cache, fetch: false });
      return { status: checked.snapshot?.status, text: JSON.stringify(checked.outcome) };
    };
    const full = (await run(false)).text;
    expect(full).toContain('are both scheduled from');
    expect(await run(true)).toEqual({ status: 'read', text: full });
    // Every stored schedule emptied, sealed again: trusted, no collision is found.
    const parts = unseal(good);
    const count = int32(parts, 'w.o').length;
    parts.sections.set('w.t', Buffer.alloc(0));
    setInt32(parts, 'w.o', new Int32Array(count));
    const emptied = reseal(parts);
    writeFileSync(path, emptied);
    const trusted = await run(true);
    expect(trusted.status).toBe('read');
    expect(trusted.text).not.toContain('are both scheduled from');
    // The same bytes in the good file, its CRC-32 the good section's: each change's data read.
    const damaged = Buffer.from(good);
    damaged.fill(0x30, sectionAt(damaged, 'w.t'), sectionAt(damaged, 'w.t') + 8);
    writeFileSync(path, damaged);
    expect(await run(true)).toEqual({ status: 'read', text: full });
    // No section at all (a snapshot written without it), or one of another length: the same.
    const without = unseal(good);
    without.sections.delete('w.t');
    without.sections.delete('w.o');
    writeFileSync(path, reseal(without));
    expect(await run(true)).toEqual({ status: 'read', text: full });
    const short = unseal(good);
    strings('w', (all) => all.slice(2))(short);
    writeFileSync(path, reseal(short));
    expect(await run(true)).toEqual({ status: 'read', text: full });
  });

  it("selects a warm check's changes from the snapshot's flags only while that section is whole", async () => {
    const dir = await estate(10, 6, 3);
    // Two of the six changes closed: a run without a base evaluates the other four.
    for (const chg of ['CHG-0001', 'CHG-0004']) {
      const file = join(dir, 'changes', `${chg}-work.yaml`);
      writeFileSync(file, readFileSync(file, 'utf8').replace('status: proposed', 'status: closed'));
    }
    git(dir, 'commit', '--quiet', '--all', '-m', 'two closed');
    await validateRepository(dir);
    const folder = join(dir, '.git', 'changeops');
    const path = join(folder, readdirSync(folder)[0]!);
    const good = readFileSync(path);
    const run = async (cache: boolean) => {
      const checked = await check({ root: dir, now: NOW, cache });
      return {
        status: checked.snapshot?.status,
        text: JSON.stringify(checked.outcome),
        changes: checked.outcome.changes.map((change) => change.id),
      };
    };
    const full = await run(false);
    expect(full.changes).toEqual(['CHG-0000', 'CHG-0002', 'CHG-0003', 'CHG-0005']);
    expect(await run(true)).toEqual({ ...full, status: 'read' });
    // Every flag set, sealed again: trusted, the closed changes are evaluated too.
    const parts = unseal(good);
    const flags = parts.sections.get('u')!;
    expect([...flags.subarray(0, 6)]).toEqual([1, 0, 1, 1, 0, 1]);
    parts.sections.set('u', Buffer.alloc(flags.length, 1));
    writeFileSync(path, reseal(parts));
    const trusted = await run(true);
    expect(trusted.status).toBe('read');
    expect(trusted.changes).toHaveLength(6);
    // The same bytes in the good file, its CRC-32 the good section's: each change's data read.
    const damaged = Buffer.from(good);
    damaged[sectionAt(damaged, 'u')] = 0;
    writeFileSync(path, damaged);
    expect(await run(true)).toEqual({ ...full, status: 'read' });
    // No section (a snapshot written without it), one too short, or a byte neither 0 nor 1.
    const without = unseal(good);
    without.sections.delete('u');
    writeFileSync(path, reseal(without));
    expect(await run(true)).toEqual({ ...full, status: 'read' });
    const short = unseal(good);
    short.sections.set('u', flags.subarray(1));
    writeFileSync(path, reseal(short));
    expect(await run(true)).toEqual({ ...full, status: 'read' });
    const odd = unseal(good);
    odd.sections.set('u', Buffer.from(flags.map((flag, at) => (at === 1 ? 2 : flag))));
    writeFileSync(path, reseal(odd));
    expect(await run(true)).toEqual({ ...full, status: 'read' });
  });

  it.each([
    [
      'a section not 8-byte aligned',
      (places: Record<string, [number, number]>) => (places.e![0] += 4),
    ],
    [
      'a section past the end of the file',
      (places: Record<string, [number, number]>) => (places['p.t']![1] += 1e6),
    ],
    [
      'a section at a negative place',
      (places: Record<string, [number, number]>) => (places.k![0] = -8),
    ],
  ])('ignores a header naming %s', async (_what, edit) => {
    const dir = await estate(10, 5, 5);
    await validateRepository(dir);
    const folder = join(dir, '.git', 'changeops');
    const path = join(folder, readdirSync(folder)[0]!);
    writeFileSync(path, withPlaces(readFileSync(path), edit));
    const run = await validateRepository(dir);
    expect(run.snapshot.status).toBe('written');
    expect(run.valid).toBe(true);
  });
});

describe('changeops --no-cache', () => {
  it.each([['validate'], ['check', '--now', '2030-05-01T00:00:00Z']])(
    '%s --no-cache reads every file and leaves .git/changeops/ alone; without it a snapshot is written',
    async (...args) => {
      const dir = await estate(5, 3, 4);
      const run = (...extra: string[]) => {
        const done = spawnSync(process.execPath, [binary, ...args, '--dir', dir, ...extra], {
          encoding: 'utf8',
        });
        return `${done.status}\n${done.stdout}${done.stderr}`;
      };
      const folder = join(dir, '.git', 'changeops');
      const uncached = run('--no-cache');
      expect(existsSync(folder)).toBe(false);
      const cached = run();
      expect(readdirSync(folder)).toHaveLength(1);
      expect(run()).toBe(uncached);
      expect(cached).toBe(uncached);
    },
  );
});

describe('the snapshot read ahead', () => {
  it("passes over a newer snapshot of another build: it reads this build's newest", async () => {
    const dir = await estate(6, 3, 2);
    const folder = join(dir, '.git', 'changeops');
    expect((await validateRepository(dir)).snapshot.status).toBe('written');
    const [own] = readdirSync(folder).filter((name) => name.endsWith('.snapshot'));
    const parts = unseal(readFileSync(join(folder, own!)));
    const key = parts.header.key as Record<string, unknown>;
    // The same estate as an upgraded (or older) changeops wrote it, and written after ours.
    const other = join(folder, `${'f'.repeat(64)}.snapshot`);
    writeFileSync(
      other,
      reseal({ ...parts, header: { ...parts.header, key: { ...key, build: 'another-build' } } }),
    );
    const later = new Date(Date.now() + 60_000);
    utimesSync(other, later, later);
    const read = readNewest(folder);
    expect(read?.file).toBe(join(folder, own!));
    expect(read?.snapshot.key).toEqual(key);
    // With only the other build's, nothing is read ahead.
    rmSync(join(folder, own!));
    expect(readNewest(folder)).toBeUndefined();
  });
});
