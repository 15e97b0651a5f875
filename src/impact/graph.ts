import type { ConfigurationItem } from '../records/types.generated.js';

/**
 * What an impact edge stands for, stored per edge in `CmdbGraph.kinds` so an impact can be
 * explained. `dependsOn`: the target depends on the source ("is depended on by"); `partOf`: the
 * source is part of the target ("is part of").
 */
export const EdgeKind = { dependsOn: 1, partOf: 2 } as const;
/** The numeric edge kinds of `EdgeKind`. */
export type EdgeKindCode = (typeof EdgeKind)[keyof typeof EdgeKind];

/** What building the graph saw but left out: integrity checks report these with positions. */
export interface GraphStats {
  /** CIs in the graph (first record of each id). */
  nodes: number;
  /** Impact edges after dropping self-references and repeats. */
  edges: number;
  /** `dependsOn` / `partOf` entries naming an id that is not in the CMDB (ignored). */
  unknownReferences: number;
  /** `dependsOn` / `partOf` entries naming the CI itself (ignored: a CI always impacts itself). */
  selfReferences: number;
  /** Records whose id was already taken by an earlier record (ignored, the first one wins). */
  duplicateIds: number;
  /** The same edge given twice (say `dependsOn: [a]` here and `partOf: [me]` in a). */
  duplicateEdges: number;
  /** CIs whose criticality is not an integer 1 to 4; they count as 1 (fail closed). */
  invalidCriticality: number;
}

/**
 * The CMDB as an integer-indexed impact graph, built once and then only read. Ids are interned
 * to 0..size-1 in code-unit order of the id, so every answer derived from indices (the order of
 * neighbours, which of two equal paths explains an impact) is the same whatever order the
 * records were loaded in. Edges point in the direction impact travels: from the CI that changes
 * to the CI that feels it, in CSR form (`targets[offsets[i] .. offsets[i+1])` are the CIs a
 * change to i impacts directly, ascending).
 */
export interface CmdbGraph {
  readonly size: number;
  /** Index -> id, ascending. */
  readonly ids: readonly string[];
  /** Id -> index. */
  readonly index: ReadonlyMap<string, number>;
  /** Index -> the CI's human name. */
  readonly names: readonly string[];
  /** Index -> the CI's class. */
  readonly classes: readonly string[];
  /** Index -> criticality 1 (business critical) to 4 (low). */
  readonly criticality: Uint8Array;
  /** Index -> position in `environments`, or -1 when the CI names none. */
  readonly environment: Int32Array;
  /** The distinct environments, ascending. */
  readonly environments: readonly string[];
  /** size + 1 offsets into `targets` and `kinds`. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** Per edge, an `EdgeKindCode`. */
  readonly kinds: Uint8Array;
  readonly stats: GraphStats;
}

const none: readonly unknown[] = [];

/** Records come from untrusted YAML: a reference list that is not an array yields nothing. */
function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : none;
}

/** Builds the impact graph of a CMDB; unknown references are counted and left out. */
export function buildGraph(cis: readonly ConfigurationItem[]): CmdbGraph {
  const index = new Map<string, number>();
  let duplicateIds = 0;
  let ids: string[];
  let records: readonly ConfigurationItem[];
  // A CMDB read in path order (a CI a file, named by its id) comes with its ids ascending: then
  // the records are the nodes as they are, one map operation each, no sort and no second pass.
  let ascending = 0;
  let previous = '';
  for (; ascending < cis.length; ascending++) {
    const id: unknown = cis[ascending]?.id;
    if (typeof id !== 'string' || (ascending > 0 && !(previous < id))) break;
    index.set(id, ascending);
    previous = id;
  }
  if (ascending === cis.length) {
    records = cis;
    ids = new Array<string>(cis.length);
    for (let k = 0; k < cis.length; k++) ids[k] = cis[k]!.id;
  } else {
    // Any other order: id -> position in cis of its first record (later duplicates are an
    // integrity error reported elsewhere); once the ids are sorted the same map is rewritten to
    // id -> node index. Backwards, so that the first record of an id is the one whose position
    // stays: one map operation per record.
    index.clear();
    for (let k = cis.length - 1; k >= 0; k--) {
      const id: unknown = cis[k]?.id;
      if (typeof id !== 'string') continue;
      const before = index.size;
      index.set(id, k);
      if (index.size === before) duplicateIds++;
    }
    // The default sort compares UTF-16 code units natively (as `<` does): many times faster
    // than a comparator.
    ids = [...index.keys()].sort();
    const sorted = new Array<ConfigurationItem>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      sorted[i] = cis[index.get(id)!]!;
      index.set(id, i);
    }
    records = sorted;
  }
  const size = ids.length;

  const names = new Array<string>(size);
  const classes = new Array<string>(size);
  const criticality = new Uint8Array(size);
  const environment = new Int32Array(size);
  const envIndex = new Map<string, number>();
  let invalidCriticality = 0;
  // Pass 1, in the same walk over the records as their fields: the edges as (source, target * 4
  // + kind), so that one numeric sort per source orders its neighbours by target, then kind, and
  // brings repeats together. The arrays grow as needed (most CMDBs need no growing at all).
  let sources = new Int32Array(Math.max(16, size * 3));
  let keys = new Int32Array(sources.length);
  let count = 0;
  let unknownReferences = 0;
  let selfReferences = 0;
  for (let i = 0; i < size; i++) {
    const ci = records[i]!;
    names[i] = typeof ci.name === 'string' ? ci.name : ci.id;
    classes[i] = typeof ci.class === 'string' ? ci.class : '';
    const c = ci.criticality;
    if (Number.isInteger(c) && c >= 1 && c <= 4) criticality[i] = c;
    else {
      criticality[i] = 1;
      invalidCriticality++;
    }
    const env = ci.environment;
    if (typeof env === 'string') {
      let e = envIndex.get(env);
      if (e === undefined) envIndex.set(env, (e = envIndex.size));
      environment[i] = e;
    } else environment[i] = -1;
    const dependsOn = listOf(ci.dependsOn);
    const partOf = listOf(ci.partOf);
    const needed = count + dependsOn.length + partOf.length;
    if (needed > sources.length) {
      const capacity = Math.max(needed, sources.length * 2);
      const grownSources = new Int32Array(capacity);
      const grownKeys = new Int32Array(capacity);
      grownSources.set(sources.subarray(0, count));
      grownKeys.set(keys.subarray(0, count));
      sources = grownSources;
      keys = grownKeys;
    }
    // A.dependsOn B: a change to B impacts A. Indexed, not for-of: the graph is built once a
    // run, mostly before the optimising compiler steps in, where an iterator per list showed.
    for (let r = 0; r < dependsOn.length; r++) {
      const ref = dependsOn[r];
      const b = typeof ref === 'string' ? index.get(ref) : undefined;
      if (b === undefined) unknownReferences++;
      else if (b === i) selfReferences++;
      else {
        sources[count] = b;
        keys[count++] = i * 4 + EdgeKind.dependsOn;
      }
    }
    // A.partOf C: a change to A impacts C.
    for (let r = 0; r < partOf.length; r++) {
      const ref = partOf[r];
      const whole = typeof ref === 'string' ? index.get(ref) : undefined;
      if (whole === undefined) unknownReferences++;
      else if (whole === i) selfReferences++;
      else {
        sources[count] = i;
        keys[count++] = whole * 4 + EdgeKind.partOf;
      }
    }
  }
  // Renumber environments in ascending order so their indices sort like their names.
  const environments = [...envIndex.keys()].sort();
  const envRank = new Int32Array(envIndex.size);
  environments.forEach((env, rank) => (envRank[envIndex.get(env)!] = rank));
  for (let i = 0; i < size; i++)
    if (environment[i]! >= 0) environment[i] = envRank[environment[i]!]!;

  // Pass 2: counting sort by source into CSR rows, then sort and de-duplicate each row in place.
  const offsets = new Int32Array(size + 1);
  for (let e = 0; e < count; e++) offsets[sources[e]! + 1]!++;
  for (let i = 0; i < size; i++) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, size);
  const rowKeys = new Int32Array(count);
  for (let e = 0; e < count; e++) rowKeys[cursor[sources[e]!]!++] = keys[e]!;

  const targets = new Int32Array(count);
  const kinds = new Uint8Array(count);
  let edges = 0;
  let duplicateEdges = 0;
  let rowStart = 0;
  for (let i = 0; i < size; i++) {
    const rowEnd = offsets[i + 1]!;
    // Rows are mostly short and often already in order: only sort the ones that are not.
    for (let e = rowStart + 1; e < rowEnd; e++) {
      if (rowKeys[e - 1]! > rowKeys[e]!) {
        rowKeys.subarray(rowStart, rowEnd).sort();
        break;
      }
    }
    offsets[i] = edges;
    let previousTarget = -1;
    for (let e = rowStart; e < rowEnd; e++) {
      const key = rowKeys[e]!;
      const target = key >> 2;
      // Keys sort by target then kind, so of a repeated edge the dependsOn one stays.
      if (target === previousTarget) {
        duplicateEdges++;
        continue;
      }
      previousTarget = target;
      targets[edges] = target;
      kinds[edges] = key & 3;
      edges++;
    }
    rowStart = rowEnd;
  }
  offsets[size] = edges;

  return {
    size,
    ids,
    index,
    names,
    classes,
    criticality,
    environment,
    environments,
    offsets,
    targets: edges === count ? targets : targets.slice(0, edges),
    kinds: edges === count ? kinds : kinds.slice(0, edges),
    stats: {
      nodes: size,
      edges,
      unknownReferences,
      selfReferences,
      duplicateIds,
      duplicateEdges,
      invalidCriticality,
    },
  };
}
