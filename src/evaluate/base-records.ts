import { memberOf, type BaseCmdb } from '../impact/cmdb-union.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import type { Limits } from '../records/limits.js';
import { parseYamlFile } from '../records/parse-yaml.js';
import type { Change, ConfigurationItem, Release } from '../records/types.generated.js';
import type { RuleContext } from '../rules/rule.js';
import type { BaseFiles } from './facts.js';

/** The records as they were at the base: the changes and releases the rules compare with, and the CMDB's part. */
export interface BaseRecords {
  /** Every change and release at the base, and those the branch removed. */
  history: NonNullable<RuleContext['base']>;
  /** The base's versions of the CIs in the cmdb files the branch changed. */
  cmdb: BaseCmdb;
}

/**
 * The records as they were at the base. Records of files changed since the base are parsed from
 * the base's text with the loader's parser, under the limits in force; every other record is
 * the same at the base as now, so it is taken from the current estate instead of being read
 * twice. A changed file whose base text could not be read or parsed (a symbolic link, over the
 * cap, broken YAML) holds no record at the base: its records are judged as new, so a transition
 * that cannot be checked is never taken as allowed.
 */
export function baseRecords(estate: Estate, base: BaseFiles, limits: Limits): BaseRecords {
  const changes = new Map<string, Change>();
  const releases = new Map<string, Release>();
  const cis = new Map<string, LoadedRecord<ConfigurationItem>>();
  const parsedChanges: Array<LoadedRecord<Change | Release>> = [];
  // The base was checked when it was the head: its findings are not this run's business, only
  // its records are. So the base text is parsed, and neither validated nor indexed for positions.
  for (const file of base.files) {
    const parsed = parseYamlFile(file, limits);
    if (parsed.findings.length > 0) continue;
    for (const doc of parsed.documents) {
      const data = doc.data as { kind?: unknown; id?: unknown } | null;
      if (!data || typeof data !== 'object' || typeof data.id !== 'string') continue;
      const source = { file: file.path, doc: doc.index };
      const { id } = data;
      if (data.kind === 'Change' && !changes.has(id)) {
        changes.set(id, data as Change);
        parsedChanges.push({ kind: 'Change', id, data: data as Change, source });
      }
      if (data.kind === 'Release' && !releases.has(id)) {
        releases.set(id, data as Release);
        parsedChanges.push({ kind: 'Release', id, data: data as Release, source });
      }
      if (data.kind === 'ConfigurationItem' && !cis.has(id))
        cis.set(id, { kind: 'ConfigurationItem', id, data: data as ConfigurationItem, source });
    }
  }
  const changedNow = new Set<string>();
  for (const file of base.changedFiles) if (file.status !== 'deleted') changedNow.add(file.path);
  const changed = memberOf(changedNow);
  const removed = parsedChanges.filter((record) =>
    record.kind === 'Change' ? !estate.changes.has(record.id) : !estate.releases.has(record.id),
  );
  return {
    history: {
      changes: new BaseVersions(changes, estate.changes, changed),
      releases: new BaseVersions(releases, estate.releases, changed),
      removed,
    },
    cmdb: { cis, changedFiles: changedNow },
  };
}

/**
 * The base's records of a kind by id: those parsed from the base's text of the changed files,
 * then every current record of an unchanged file (the same at the base). A current record's
 * data is read only when asked for by id or when every record is walked (a rule that reads all
 * of them): a pull request's rules ask for a few, not for 5,000.
 */
class BaseVersions<T> implements ReadonlyMap<string, T> {
  readonly #parsed: ReadonlyMap<string, T>;
  readonly #current: ReadonlyMap<string, LoadedRecord<T>>;
  readonly #changed: (path: string) => boolean;

  constructor(
    parsed: ReadonlyMap<string, T>,
    current: ReadonlyMap<string, LoadedRecord<T>>,
    changed: (path: string) => boolean,
  ) {
    this.#parsed = parsed;
    this.#current = current;
    this.#changed = changed;
  }

  get(id: string): T | undefined {
    const parsed = this.#parsed.get(id);
    if (parsed !== undefined) return parsed;
    const record = this.#current.get(id);
    return record && !this.#changed(record.source.file) ? record.data : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get size(): number {
    let size = 0;
    for (const _ of this.#walk()) size++;
    return size;
  }

  /** The parsed records, then the unchanged current ones, as one Map filled in that order. */
  *#walk(): Generator<[string, T]> {
    yield* this.#parsed;
    for (const record of this.#current.values())
      if (!this.#changed(record.source.file) && !this.#parsed.has(record.id))
        yield [record.id, record.data];
  }

  entries(): MapIterator<[string, T]> {
    return this.#walk() as unknown as MapIterator<[string, T]>;
  }

  keys(): MapIterator<string> {
    return map(this.#walk(), ([id]) => id);
  }

  values(): MapIterator<T> {
    return map(this.#walk(), ([, value]) => value);
  }

  forEach(each: (value: T, key: string, map: ReadonlyMap<string, T>) => void): void {
    for (const [id, value] of this.#walk()) each(value, id, this);
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }
}

function map<T, U>(items: Iterable<T>, each: (item: T) => U): MapIterator<U> {
  return (function* () {
    for (const item of items) yield each(item);
  })() as unknown as MapIterator<U>;
}
