// npm run bench: generated estates, each figure beside a floor measured in the same rounds (node
// start + reading + parsing the same files with the same parser), with the ratio and peak memory.
// Floor and command alternate run by run, and the ratio is the median of the rounds' ratios, so
// load from other work moves both. Figures are reported, never asserted: wall-clock limits do not
// belong in tests. A full run (no BENCH_ONLY) writes its tables into docs/benchmarks.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchImpact } from './bench-impact.js';
import { writeEstate } from './bench/generate-estate.js';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const only = process.env.BENCH_ONLY;

interface Sample {
  ms: number;
  rssMb: number;
}

function measure(args: string[], cwd = root): Sample {
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', join(root, 'scripts/bench/rss.mjs'), ...args],
    {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const ms = performance.now() - start;
  const rss = /@@maxrss (\d+)/.exec(result.stderr)?.[1];
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  return { ms, rssMb: rss ? Number(rss) / 1024 : NaN };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function estate(name: string, cis: number, changes: number): string {
  const dir = join(root, '.bench', name);
  const marker = join(dir, '.generated');
  const key = `${cis}/${changes}/v2`;
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== key) {
    const started = performance.now();
    const files = writeEstate(dir, cis, changes);
    writeFileSync(marker, key);
    console.log(
      `generated ${name}: ${files} files in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/**
 * The estate as a git repository: main holds it, and one branch per pull-request scenario adds
 * a commit: one and three change records edited, a CI edited, a CI deleted (its dependants'
 * references then dangle).
 */
function repository(name: string, cis: number, changes: number): string {
  const dir = join(root, '.bench', name);
  const marker = join(dir, '.generated');
  const key = `${cis}/${changes}/v2/git1`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === key) return dir;
  writeEstate(dir, cis, changes);
  writeFileSync(join(dir, '.gitignore'), '.generated\n');
  git(dir, 'init', '--quiet', '--initial-branch=main');
  for (const [k, v] of [
    ['user.name', 'bench'],
    ['user.email', 'bench@example.com'],
    ['commit.gpgsign', 'false'],
  ])
    git(dir, 'config', k!, v!);
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', 'estate');
  const edit = (path: string, from: RegExp, to: string) => {
    const full = join(dir, path);
    writeFileSync(full, readFileSync(full, 'utf8').replace(from, to));
  };
  const branch = (branchName: string, change: () => void) => {
    git(dir, 'checkout', '--quiet', '-b', branchName, 'main');
    change();
    git(dir, 'commit', '--quiet', '--all', '-m', branchName);
  };
  const title = (n: number) =>
    edit(
      `changes/CHG-${String(n).padStart(5, '0')}-routine.yaml`,
      /^title: .*$/m,
      'title: Edited in the pull request',
    );
  branch('pr-1', () => title(10));
  branch('pr-3', () => [10, 20, 30].forEach(title));
  branch('ci-edited', () =>
    edit(
      `cmdb/database/database-${Math.round(cis * 0.3)}.yaml`,
      /^criticality: \d$/m,
      'criticality: 1',
    ),
  );
  branch('ci-deleted', () => {
    rmSync(join(dir, `cmdb/server/server-${Math.round(cis * 0.1)}.yaml`));
  });
  git(dir, 'checkout', '--quiet', 'main');
  writeFileSync(marker, key);
  console.log(`generated ${name} (a git repository with four pull-request branches)`);
  return dir;
}

const rows: string[][] = [];
/**
 * Runs the floor and the command in turns, `runs` rounds; `before` runs before each command run
 * (outside the timing). The ratio is the median of the rounds' own ratios.
 */
function compare(
  label: string,
  dir: string,
  command: string[],
  options: { before?: () => void; cwd?: string } = {},
): void {
  const floor: Sample[] = [];
  const ours: Sample[] = [];
  const ratios: number[] = [];
  measure(['scripts/bench/floor.mjs', dir]); // warm the file cache for both
  for (let i = 0; i < runs; i++) {
    const f = measure(['scripts/bench/floor.mjs', dir]);
    options.before?.();
    const o = options.cwd
      ? measure([join(root, 'bin/changeops.js'), ...command], options.cwd)
      : measure(['bin/changeops.js', ...command, '--dir', dir]);
    floor.push(f);
    ours.push(o);
    ratios.push(o.ms / f.ms);
  }
  const f = median(floor.map((s) => s.ms));
  const o = median(ours.map((s) => s.ms));
  const row = [
    label,
    `${f.toFixed(0)} ms`,
    `${o.toFixed(0)} ms`,
    `${median(ratios).toFixed(2)}x`,
    `${Math.max(...floor.map((s) => s.rssMb)).toFixed(0)} MB`,
    `${Math.max(...ours.map((s) => s.rssMb)).toFixed(0)} MB`,
  ];
  rows.push(row);
  console.log(row.join('  |  '));
}

/** The snapshot rows of one size: first run (writes it), warm, and the pull requests. */
function snapshotRows(size: string, cis: number): void {
  const dir = repository(`repo-${size}`, cis, 5_000);
  const now = ['--now', '2029-01-01T00:00:00Z'];
  const n = cis.toLocaleString('en');
  git(dir, 'checkout', '--quiet', 'main');
  const forget = () => rmSync(join(dir, '.git', 'changeops'), { recursive: true, force: true });
  compare(`validate ${n} CIs, first run in git (writes the snapshot)`, dir, ['validate'], {
    before: forget,
    cwd: dir,
  });
  compare(`validate ${n} CIs, warm (snapshot, nothing changed)`, dir, ['validate'], { cwd: dir });
  compare(`check ${n} CIs (all pending), warm`, dir, ['check', ...now], { cwd: dir });
  for (const [branchName, what] of [
    ['pr-1', '1 change record edited'],
    ['pr-3', '3 change records edited'],
    ['ci-edited', 'a CI edited'],
    ['ci-deleted', 'a CI deleted'],
  ] as const) {
    git(dir, 'checkout', '--quiet', branchName);
    compare(`check --base main ${n} CIs, ${what}`, dir, ['check', '--base', 'main', ...now], {
      cwd: dir,
    });
  }
  git(dir, 'checkout', '--quiet', 'main');
  // The estate as it was at a commit, read through git (as impact --at, report, evidence and the
  // gate's base are): one listing and one cat-file, no snapshot.
  const database = readdirSync(join(dir, 'cmdb', 'database'))
    .sort()[0]!
    .replace(/\.yaml$/, '');
  compare(
    `impact ${database} --at main, ${n} CIs read through git`,
    dir,
    ['impact', database, '--at', 'main'],
    {
      cwd: dir,
    },
  );
}

console.log(`changeops bench — node ${process.version}, ${runs} runs each, medians\n`);
console.log('what  |  floor  |  changeops  |  ratio  |  floor peak  |  changeops peak');
// Cold: a folder that is not a git repository, so no snapshot is read or written.
if (!only || only === '10k') {
  const dir = estate('estate-10k', 10_000, 5_000);
  compare('validate 10,000 CIs + 5,000 changes, cold', dir, ['validate']);
  compare('check 10,000 CIs + 5,000 changes (all pending), cold', dir, [
    'check',
    '--now',
    '2029-01-01T00:00:00Z',
  ]);
}
if (!only || only === '100k') {
  const dir = estate('estate-100k', 100_000, 5_000);
  compare('validate 100,000 CIs + 5,000 changes, cold', dir, ['validate']);
  compare('check 100,000 CIs + 5,000 changes (all pending), cold', dir, [
    'check',
    '--now',
    '2029-01-01T00:00:00Z',
  ]);
}
if (!only || only === 'snapshot-10k') snapshotRows('10k', 10_000);
if (!only || only === 'snapshot-100k') snapshotRows('100k', 100_000);

const impactRows: string[] = [];
if (!only || only === 'impact') {
  const result = benchImpact({ cis: 100_000, queries: 1_000 });
  impactRows.push(
    `Impact graph: ${result.cis.toLocaleString('en')} CIs, ${result.edges.toLocaleString('en')} edges; build median ${result.buildMs.median.toFixed(0)} ms`,
    '',
    '| impact query (1,000 each) | median | p95 | max | CIs reached (median) |',
    '|---|---|---|---|---|',
    ...Object.entries(result.queryMs).map(
      ([name, q]) =>
        `| ${name} | ${q.median.toFixed(3)} ms | ${q.p95.toFixed(3)} ms | ${q.max.toFixed(1)} ms | ${q.reached} |`,
    ),
  );
}

const table = [
  '| what | floor | changeops | ratio | floor peak RSS | changeops peak RSS |',
  '|---|---|---|---|---|---|',
  ...rows.map((row) => `| ${row.join(' | ')} |`),
].join('\n');
console.log(`\n${table}`);
if (impactRows.length) console.log(`\n${impactRows.join('\n')}`);

// A full run regenerates the figures of docs/benchmarks.md (between its bench markers).
if (!only) {
  const doc = join(root, 'docs', 'benchmarks.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    const when = new Date().toISOString().slice(0, 10);
    const generated = [
      start,
      `Generated by \`npm run bench\` on ${when}: node ${process.version}, ${runs} rounds each, medians.`,
      '',
      table,
      '',
      ...impactRows,
      end,
    ].join('\n');
    writeFileSync(doc, text.slice(0, from) + generated + text.slice(to + end.length));
    console.log(`\nwrote the figures into ${doc}`);
  }
}
