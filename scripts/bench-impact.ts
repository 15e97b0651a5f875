/**
 * Impact query speed on a generated 100,000-CI estate (SPEC section 6: one impact query on
 * 100,000 CIs / 250,000 edges under 1 ms at the median). Run with
 * `npx tsx scripts/bench-impact.ts [--cis N] [--queries N] [--seed N] [--json]`, or import
 * benchImpact(). Prints the build time and the median / p95 / max of the queries, from random
 * start CIs and from databases (the typical change), with and without path reconstruction, and
 * of the id-set form used for collisions.
 */
import { pathToFileURL } from 'node:url';
import { buildGraph, type CmdbGraph } from '../src/impact/graph.js';
import { traceImpact, impactedIndices } from '../src/impact/impact.js';
import { generateCmdb, prng } from '../test/fixtures/generate-cmdb.js';

/** Milliseconds at the median, the 95th percentile and the worst. */
export interface Summary {
  median: number;
  p95: number;
  max: number;
}

/** What one run measured. */
export interface ImpactBenchResult {
  cis: number;
  edges: number;
  queries: number;
  /** Building the graph from parsed records, five times over fresh copies. */
  buildMs: Summary & { first: number };
  /** Per scenario: query times, and the median number of CIs a query reached. */
  queryMs: Record<string, Summary & { reached: number }>;
  /** SPEC section 6: one impact query on 100,000 CIs under 1 ms at the median. */
  withinTarget: boolean;
}

function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

/** Times `run` once per start id, after a warm-up round on other ids so the JIT has settled. */
function timeQueries(
  warmUp: readonly string[],
  starts: readonly string[],
  run: (id: string) => number,
): Summary & { reached: number } {
  for (const id of warmUp) run(id);
  const times: number[] = [];
  const sizes: number[] = [];
  for (const id of starts) {
    const t0 = performance.now();
    sizes.push(run(id));
    times.push(performance.now() - t0);
  }
  return { ...summarise(times), reached: summarise(sizes).median };
}

function pickStarts(graph: CmdbGraph, count: number, seed: number, cls?: string): string[] {
  const random = prng(seed);
  const pool = cls ? graph.ids.filter((_, i) => graph.classes[i] === cls) : graph.ids;
  return Array.from({ length: count }, () => pool[Math.floor(random() * pool.length)]!);
}

/** Builds the generated estate and times impact queries on it. */
export function benchImpact(
  options: { cis?: number; queries?: number; seed?: number } = {},
): ImpactBenchResult {
  const { cis = 100_000, queries = 1_000, seed = 42 } = options;
  const records = generateCmdb({ cis, seed });
  const builds: number[] = [];
  let graph: CmdbGraph | undefined;
  for (let round = 0; round < 5; round++) {
    // Fresh strings each round, as a new run would parse them: interning must hash them again.
    const copy = round === 0 ? records : structuredClone(records);
    const t0 = performance.now();
    graph = buildGraph(copy);
    builds.push(performance.now() - t0);
  }
  const g = graph!;

  const queryMs: ImpactBenchResult['queryMs'] = {};
  const scenarios = [
    ['random CI', undefined],
    ['database', 'database'],
  ] as const;
  for (const [n, [label, cls]] of scenarios.entries()) {
    const warmUp = pickStarts(g, 200, seed + 100 + n, cls);
    const starts = pickStarts(g, queries, seed + 1 + n, cls);
    queryMs[`${label}, with paths`] = timeQueries(
      warmUp,
      starts,
      (id) => traceImpact(g, [id]).impacted.length,
    );
    queryMs[`${label}, no paths`] = timeQueries(
      warmUp,
      starts,
      (id) => traceImpact(g, [id], { paths: false }).impacted.length,
    );
    queryMs[`${label}, id set`] = timeQueries(
      warmUp,
      starts,
      (id) => impactedIndices(g, [id]).length,
    );
  }
  return {
    cis: g.stats.nodes,
    edges: g.stats.edges,
    queries,
    buildMs: { first: builds[0]!, ...summarise(builds) },
    queryMs,
    withinTarget: queryMs['random CI, with paths']!.median < 1,
  };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} needs a positive whole number`);
    process.exit(2);
  }
  return value;
}

function main(): void {
  const result = benchImpact({
    cis: option('cis', 100_000),
    queries: option('queries', 1_000),
    seed: option('seed', 42),
  });
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const ms = (n: number): string => `${n.toFixed(3)} ms`;
  const { buildMs } = result;
  console.log(`impact graph: ${result.cis} CIs, ${result.edges} edges`);
  console.log(
    `build: first ${ms(buildMs.first)}, median of 5 ${ms(buildMs.median)}, max ${ms(buildMs.max)}`,
  );
  console.log(
    `${result.queries} queries each`.padEnd(27) +
      'median       p95          max          CIs reached (median)',
  );
  for (const [label, row] of Object.entries(result.queryMs)) {
    console.log(
      label.padEnd(27) +
        ms(row.median).padEnd(13) +
        ms(row.p95).padEnd(13) +
        ms(row.max).padEnd(13) +
        row.reached,
    );
  }
  console.log(`median query under 1 ms (SPEC 6): ${result.withinTarget ? 'yes' : 'NO'}`);
}

// Run when executed (npx tsx scripts/bench-impact.ts), not when imported by the bench suite.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
