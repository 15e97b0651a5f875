// npm run bench: generated estates, each figure beside a floor measured in the same run (node
// start + reading + parsing the same files with the same parser), with the ratio and peak memory.
// Figures are reported, never asserted: wall-clock limits do not belong in tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

function measure(args: string[]): Sample {
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', join(root, 'scripts/bench/rss.mjs'), ...args],
    {
      cwd: root,
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

const rows: string[][] = [];
function compare(label: string, dir: string, command: string[]): void {
  const floor: Sample[] = [];
  const ours: Sample[] = [];
  measure(['scripts/bench/floor.mjs', dir]); // warm the file cache for both
  for (let i = 0; i < runs; i++) {
    floor.push(measure(['scripts/bench/floor.mjs', dir]));
    ours.push(measure(['bin/changeops.js', ...command, '--dir', dir]));
  }
  const f = median(floor.map((s) => s.ms));
  const o = median(ours.map((s) => s.ms));
  const row = [
    label,
    `${f.toFixed(0)} ms`,
    `${o.toFixed(0)} ms`,
    `${(o / f).toFixed(2)}x`,
    `${Math.max(...floor.map((s) => s.rssMb)).toFixed(0)} MB`,
    `${Math.max(...ours.map((s) => s.rssMb)).toFixed(0)} MB`,
  ];
  rows.push(row);
  console.log(row.join('  |  '));
}

console.log(`changeops bench — node ${process.version}, ${runs} runs each, medians\n`);
console.log('what  |  floor  |  changeops  |  ratio  |  floor peak  |  changeops peak');
if (!only || only === '10k') {
  const dir = estate('estate-10k', 10_000, 5_000);
  compare('validate 10,000 CIs + 5,000 changes', dir, ['validate']);
  compare('check 10,000 CIs + 5,000 changes (all pending)', dir, [
    'check',
    '--now',
    '2029-01-01T00:00:00Z',
  ]);
}
if (!only || only === '100k') {
  const dir = estate('estate-100k', 100_000, 5_000);
  compare('validate 100,000 CIs + 5,000 changes', dir, ['validate']);
  compare('check 100,000 CIs + 5,000 changes (all pending)', dir, [
    'check',
    '--now',
    '2029-01-01T00:00:00Z',
  ]);
}

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
