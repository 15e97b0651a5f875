import type { Estate, LoadedRecord } from '../records/estate.js';
import { changedFields, sameData } from '../records/same-data.js';
import { StoredCis } from '../records/stored-cis.js';
import type { ConfigurationItem } from '../records/types.generated.js';
import { graphOf, viewsOf } from './change-impact.js';
import { buildGraph, type CmdbGraph } from './graph.js';

/** How a branch changes a CI's record: by its data, not its text (comments and layout are not data). */
export type CiChange = 'added' | 'edited' | 'removed';

/** One CI as the base and the branch together describe it. */
export interface UnionCi {
  id: string;
  /** The branch's record, when the branch has the CI: where findings point. */
  head?: LoadedRecord<ConfigurationItem>;
  /** The base's record, when the branch changes it (its source is its file at the base). */
  base?: LoadedRecord<ConfigurationItem>;
  /** How the branch changes the CI; absent when it does not. */
  change?: CiChange;
  /** For an edited CI: the top-level fields whose data differ. */
  fields?: readonly string[];
  /** The more critical of the two (1 is the most critical); anything but 1 to 4 counts as 1. */
  criticality: number;
  /** The environments either version names, ascending: a CI moved between two is in both. */
  environments: readonly string[];
  /** The classes either version names, ascending. */
  classes: readonly string[];
}

/** One record version of a CI, for rules that read each version on its own (rogue-change's paths). */
export interface CiVersion {
  ci: string;
  record: LoadedRecord<ConfigurationItem>;
  at: 'head' | 'base';
}

/**
 * The CMDB a branch is judged on: the union of the base's and the head's. An impact edge in
 * either counts, the higher criticality counts, an environment or class of either counts; so a
 * pull request cannot lower a change's impact, or move it out of a window, by editing the CIs
 * in the same pull request. Without a base it is the head's CMDB as it is.
 */
export interface CmdbUnion {
  /** The impact graph of the union, built once, when first asked for. */
  graph(): CmdbGraph;
  /** The CIs the branch adds, edits or removes, by id. */
  readonly edits: readonly UnionCi[];
  /** The CI by id, as both versions describe it; undefined when neither has it. */
  ci(id: string): UnionCi | undefined;
  /** Every record version: each head CI's, and the base's of each CI the branch changes. */
  versions(): Iterable<CiVersion>;
}

/** What the base adds to the head's CMDB: the CIs of the cmdb files the branch changed, as they were. */
export interface BaseCmdb {
  /** The CIs parsed from the base's text of the changed files, by id, with their base file. */
  cis: ReadonlyMap<string, LoadedRecord<ConfigurationItem>>;
  /** The head's files changed since the base: a CI in one that the base lacks is added. */
  changedFiles: ReadonlySet<string>;
}

/**
 * Whether a path is one of `paths`, asked of every record's file. Of a few paths, compared one
 * by one: a Set would hash each of 100,000 file names asked about (their first hashing, 10 ms),
 * where comparing to a name of another length costs nothing.
 */
export function memberOf(paths: ReadonlySet<string>): (path: string) => boolean {
  if (paths.size > 8) return (path) => paths.has(path);
  const few = [...paths];
  return (path) => few.includes(path);
}

const none: readonly unknown[] = [];
const listOf = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : none);
const criticalityOf = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 4 ? value : 1;
const strings = (...values: unknown[]): string[] =>
  [...new Set(values.filter((value): value is string => typeof value === 'string'))].sort();

/**
 * The union of the estate's CMDB (the head's) and the base's versions of the CIs the branch
 * changed. Unchanged files are the same at the base, so they are neither read again nor merged:
 * the work is one pass over the head's CIs plus the changed ones, and the graph is built once
 * (the estate's own graph when the branch changes no CI).
 */
export function cmdbUnion(estate: Estate, base?: BaseCmdb): CmdbUnion {
  const head = estate.cis;
  const edits = new Map<string, UnionCi>();
  if (base) {
    for (const [id, before] of base.cis) {
      const now = head.get(id);
      if (!now) {
        edits.set(id, { ...facts(id, [before.data]), base: before, change: 'removed' });
      } else if (!sameData(before.data, now.data)) {
        edits.set(id, {
          ...facts(id, [before.data, now.data]),
          head: now,
          base: before,
          change: 'edited',
          fields: changedFields(
            before.data as unknown as Record<string, unknown>,
            now.data as unknown as Record<string, unknown>,
          ),
        });
      }
    }
    for (const now of headCisIn(head, base.changedFiles))
      if (!base.cis.has(now.id))
        edits.set(now.id, { ...facts(now.id, [now.data]), head: now, change: 'added' });
  }

  const sorted = [...edits.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let graph: CmdbGraph | undefined;
  const unionGraph = (): CmdbGraph => {
    const records = viewsOf(head);
    // The few edited CIs compared by id (a hash of 100,000 ids would cost more than the edits).
    const edited = memberOf(new Set(sorted.filter((edit) => edit.change === 'edited').map(idOf)));
    for (let k = 0; k < records.length; k++)
      if (edited(records[k]!.id)) {
        const edit = edits.get(records[k]!.id)!;
        records[k] = merged(edit.base!.data, edit.head!.data);
      }
    for (const edit of sorted) if (edit.change === 'removed') records.push(edit.base!.data);
    return buildGraph(records);
  };

  return {
    graph: () => (graph ??= edits.size === 0 ? graphOf(estate) : unionGraph()),
    edits: sorted,
    ci(id) {
      const edit = edits.get(id);
      if (edit) return edit;
      const now = head.get(id);
      return now ? { ...facts(id, [now.data]), head: now } : undefined;
    },
    *versions() {
      for (const [id, record] of head) yield { ci: id, record, at: 'head' as const };
      for (const edit of sorted)
        if (edit.base) yield { ci: edit.id, record: edit.base, at: 'base' as const };
    },
  };
}

const idOf = (edit: UnionCi) => edit.id;

/**
 * The head's CIs (indexed by their id) whose file is one of `paths`: of stored CIs, those of
 * the few files (no pass over 100,000 CIs' sources); of a Map, a pass over it.
 */
function headCisIn(
  head: Estate['cis'],
  paths: ReadonlySet<string>,
): Iterable<LoadedRecord<ConfigurationItem>> {
  if (head instanceof StoredCis) return [...paths].flatMap((path) => head.inFile(path));
  const changed = memberOf(paths);
  return [...head.values()].filter((now) => changed(now.source.file));
}

function facts(
  id: string,
  versions: readonly ConfigurationItem[],
): Pick<UnionCi, 'id' | 'criticality' | 'environments' | 'classes'> {
  return {
    id,
    criticality: Math.min(...versions.map((ci) => criticalityOf(ci.criticality))),
    environments: strings(...versions.map((ci) => ci.environment)),
    classes: strings(...versions.map((ci) => ci.class)),
  };
}

/**
 * One record for the graph from both versions: the edges of either, the higher criticality; the
 * base's name, class and environment, which stay in force until the branch is merged.
 */
function merged(before: ConfigurationItem, now: ConfigurationItem): ConfigurationItem {
  const union = (a: unknown, b: unknown) => [...new Set([...listOf(a), ...listOf(b)])] as string[];
  return {
    ...now,
    name: typeof before.name === 'string' ? before.name : now.name,
    class: typeof before.class === 'string' ? before.class : now.class,
    ...(typeof before.environment === 'string' ? { environment: before.environment } : {}),
    criticality: Math.min(criticalityOf(before.criticality), criticalityOf(now.criticality)),
    dependsOn: union(before.dependsOn, now.dependsOn),
    partOf: union(before.partOf, now.partOf),
  };
}
