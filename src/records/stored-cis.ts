import type { LoadedRecord } from './estate.js';
import type { RecordSource } from './locate.js';
import type { RecordKind } from './kinds.js';
import { StoredRecord, viewAt, type CiColumns, type RecordOrigin } from './stored-record.js';
import type { ConfigurationItem } from './types.generated.js';

/** A snapshot's files as the stored CIs read them (StoredFiles, whose module imports the loader). */
export interface StoredCiFiles extends RecordOrigin {
  readonly length: number;
  indexOf(path: string): number;
  first(file: number): number;
  count(file: number): number;
  kind(record: number): RecordKind;
  id(record: number): string | undefined;
}

type Ci = LoadedRecord<ConfigurationItem>;

/** StoredCis.places by snapshot files, with the order it was worked out for. */
const placesMade = new WeakMap<
  StoredCiFiles,
  { order: Int32Array; places: { fileOf: Int32Array; recordOf: Int32Array } | undefined }
>();

/** How a changed file's CI meets the stored ones when it is indexed (StoredCis.add). */
export type FreshCi =
  | { duplicateOf: Ci }
  /** It is the first of its id: `shadows`, a stored CI later in file order, is then a duplicate. */
  | { shadows?: number };

/**
 * The CIs of a run through a snapshot, by id, as a full load indexes them (the first of an id in
 * file order), without a record or a map entry per unchanged CI: a stored CI is its place in the
 * snapshot's CI columns, found by a binary search over the graph's nodes (their ids ascend), and
 * a record is made (and kept) only when one is asked for. The changed files' CIs are an overlay;
 * the stored CIs of the changed files are gone. Iterating yields every CI in file order, as a
 * Map filled in file order would, making a record of each: the few callers that need every CI
 * (the graph built anew, `changeops new`'s id list) pay that, the others ask by id or by place.
 *
 * Only for a snapshot whose stored CIs have one record per id (`of` checks it): a stored
 * duplicate would need the stored CIs indexed one by one, as before.
 */
export class StoredCis implements ReadonlyMap<string, Ci> {
  readonly #files: StoredCiFiles;
  /** Node by node (ids ascending), its CI's place in the columns. */
  readonly #order: Int32Array;
  /** Per CI place, its file and its record. */
  readonly #fileOf: Int32Array;
  readonly #recordOf: Int32Array;
  /** Per CI place: 0 indexed, 1 its file changed, 2 a changed file's CI of its id comes first. */
  readonly #gone: Uint8Array;
  #goneCount = 0;
  /** The changed files' CIs that are the first of their id, in file order, with their place. */
  readonly #fresh = new Map<string, Ci>();
  readonly #freshOrder: Array<{ record: Ci; before: number }> = [];
  /** The changed files' CIs of #freshOrder by file, made when inFile is first asked. */
  #freshByFile: Map<string, Ci[]> | undefined;
  /** The records made for stored CIs, by place. */
  readonly #made = new Map<number, StoredRecord<ConfigurationItem>>();
  readonly #reload: (source: RecordSource) => unknown;

  private constructor(
    files: StoredCiFiles,
    order: Int32Array,
    fileOf: Int32Array,
    recordOf: Int32Array,
    reload: (source: RecordSource) => unknown,
  ) {
    this.#files = files;
    this.#order = order;
    this.#fileOf = fileOf;
    this.#recordOf = recordOf;
    this.#gone = new Uint8Array(fileOf.length);
    this.#reload = reload;
  }

  /**
   * The stored CIs of a snapshot's files, the files at `changed` (by position) gone; undefined
   * when the order does not name each stored CI with an id once, ids ascending (a stored
   * duplicate id, a damaged or missing order): the caller then indexes them one by one.
   */
  static of(
    files: StoredCiFiles,
    order: Int32Array | undefined,
    changed: Uint8Array,
    reload: (source: RecordSource) => unknown,
  ): StoredCis | undefined {
    const places = order && StoredCis.places(files, order);
    if (!order || !places) return undefined;
    const { fileOf, recordOf } = places;
    const cis = files.cis;
    const stored = new StoredCis(files, order, fileOf, recordOf, reload);
    for (let place = 0; place < fileOf.length; place++)
      if (changed[fileOf[place]!] === 1 && stored.#gone[place] === 0) {
        stored.#gone[place] = 1;
        if (cis.id(place) !== undefined) stored.#goneCount++;
      }
    return stored;
  }

  /**
   * Per stored CI place its file and its record, once the order is found to name each stored
   * CI with an id once, ids ascending; undefined when it does not. Nothing in it depends on what
   * changed: worked out once per snapshot and order (kept), so a run can have it done while git
   * walks the work tree (prepare), not after.
   */
  static places(
    files: StoredCiFiles,
    order: Int32Array,
  ): { fileOf: Int32Array; recordOf: Int32Array } | undefined {
    const known = placesMade.get(files);
    // The same bytes (each ask of a snapshot's order views them anew).
    if (
      known !== undefined &&
      known.order.buffer === order.buffer &&
      known.order.byteOffset === order.byteOffset &&
      known.order.length === order.length
    )
      return known.places;
    const cis = files.cis;
    const size = cis.columns[0]?.length ?? 0;
    const fileOf = new Int32Array(size);
    const recordOf = new Int32Array(size);
    let withId = 0;
    for (let at = 0; at < files.length; at++) {
      const first = files.first(at);
      const count = files.count(at);
      for (let record = first; record < first + count; record++) {
        if (files.kind(record) !== 'ConfigurationItem') continue;
        const place = files.slot(record);
        fileOf[place] = at;
        recordOf[place] = record;
        if (files.id(record) !== undefined) withId++;
      }
    }
    const places =
      order.length === withId && ascending(order, cis.id, size) ? { fileOf, recordOf } : undefined;
    placesMade.set(files, { order, places });
    return places;
  }

  /** The place of the stored CI that is indexed by this id, or -1. */
  #placeOf(id: string): number {
    const order = this.#order;
    const idOf = this.#files.cis.id;
    let low = 0;
    let high = order.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (idOf(order[middle]!)! < id) low = middle + 1;
      else high = middle;
    }
    if (low === order.length) return -1;
    const place = order[low]!;
    return idOf(place) === id && this.#gone[place] === 0 ? place : -1;
  }

  /** The record of the stored CI at a place in the columns, made once. */
  at(place: number): StoredRecord<ConfigurationItem> {
    let record = this.#made.get(place);
    if (record === undefined) {
      const at = this.#recordOf[place]!;
      record = new StoredRecord<ConfigurationItem>(
        'ConfigurationItem',
        this.#files.id(at)!,
        this.#files,
        this.#fileOf[place]!,
        at,
        this.#reload,
      );
      this.#made.set(place, record);
    }
    return record;
  }

  /**
   * A changed file's CI, in file order (`before`: the stored file it comes before): the first of
   * its id, or a duplicate of the one that is.
   */
  add(record: Ci, before: number): FreshCi {
    const place = this.#placeOf(record.id);
    if (place >= 0 && this.#fileOf[place]! < before) return { duplicateOf: this.at(place) };
    const first = this.#fresh.get(record.id);
    if (first) return { duplicateOf: first };
    this.#fresh.set(record.id, record);
    this.#freshOrder.push({ record, before });
    this.#freshByFile = undefined;
    if (place < 0) return {};
    this.#gone[place] = 2;
    this.#goneCount++;
    return { shadows: place };
  }

  /** Whether the stored CI at a place is a duplicate of a changed file's CI (add's `shadows`). */
  shadowed(place: number): boolean {
    return this.#gone[place] === 2;
  }

  /** The CIs of a file that are indexed by their id: the stored file's when it did not change. */
  inFile(path: string): Ci[] {
    // One pass over the changed files' CIs for all the files asked, not one per file: a pull
    // request that edits 20,000 CI files asks for each of them.
    if (this.#freshByFile === undefined) {
      const byFile = new Map<string, Ci[]>();
      for (const { record } of this.#freshOrder) {
        const list = byFile.get(record.source.file);
        if (list) list.push(record);
        else byFile.set(record.source.file, [record]);
      }
      this.#freshByFile = byFile;
    }
    const found = [...(this.#freshByFile.get(path) ?? [])];
    const files = this.#files;
    const at = files.indexOf(path);
    if (at < 0) return found;
    const first = files.first(at);
    for (let record = first; record < first + files.count(at); record++) {
      if (files.kind(record) !== 'ConfigurationItem' || files.id(record) === undefined) continue;
      const place = files.slot(record);
      if (this.#gone[place] === 0) found.push(this.at(place));
    }
    return found;
  }

  get size(): number {
    return this.#order.length - this.#goneCount + this.#fresh.size;
  }

  get(id: string): Ci | undefined {
    const fresh = this.#fresh.get(id);
    if (fresh) return fresh;
    const place = this.#placeOf(id);
    return place < 0 ? undefined : this.at(place);
  }

  has(id: string): boolean {
    return this.#fresh.has(id) || this.#placeOf(id) >= 0;
  }

  /** The snapshot's CI columns the stored CIs stand in. */
  get columns(): CiColumns {
    return this.#files.cis;
  }

  /**
   * Every indexed CI in file order: a stored one as its place (`skip` true: passed over), a
   * changed file's one as its record.
   */
  *#each(skip?: (place: number) => boolean): Generator<number | Ci> {
    const fresh = this.#freshOrder;
    const ids = this.#files.cis;
    let next = 0;
    for (let place = 0; place < this.#fileOf.length; place++) {
      const file = this.#fileOf[place]!;
      while (next < fresh.length && fresh[next]!.before <= file) yield fresh[next++]!.record;
      if (this.#gone[place] !== 0 || ids.id(place) === undefined) continue;
      if (skip?.(place)) continue;
      yield place;
    }
    while (next < fresh.length) yield fresh[next++]!.record;
  }

  /** Every indexed CI in file order, a record made for each stored one but those `skip` passes over. */
  *walk(skip?: (place: number) => boolean): Generator<Ci> {
    for (const item of this.#each(skip)) yield typeof item === 'number' ? this.at(item) : item;
  }

  /**
   * Every indexed CI's view (the fields the graph reads) in file order, a stored one's made from
   * its columns with no record.
   */
  views(): ConfigurationItem[] {
    const views: ConfigurationItem[] = [];
    const cis = this.#files.cis;
    for (const item of this.#each()) {
      if (typeof item !== 'number') views.push(item.data);
      else {
        const view = this.#made.get(item)?.view ?? viewAt(cis, cis.id(item)!, item);
        views.push(view as unknown as ConfigurationItem);
      }
    }
    return views;
  }

  values(): MapIterator<Ci> {
    return iterator(this.walk());
  }

  keys(): MapIterator<string> {
    const ids = this.#files.cis;
    return iterator(
      map(this.#each(), (item) => (typeof item === 'number' ? ids.id(item)! : item.id)),
    );
  }

  entries(): MapIterator<[string, Ci]> {
    return iterator(map(this.walk(), (record): [string, Ci] => [record.id, record]));
  }

  forEach(each: (value: Ci, key: string, map: ReadonlyMap<string, Ci>) => void): void {
    for (const record of this.walk()) each(record, record.id, this);
  }

  [Symbol.iterator](): MapIterator<[string, Ci]> {
    return this.entries();
  }
}

/** Whether the places are in range and name CIs whose ids strictly ascend. */
function ascending(
  order: Int32Array,
  idOf: (place: number) => string | undefined,
  size: number,
): boolean {
  let previous: string | undefined;
  for (let node = 0; node < order.length; node++) {
    const place = order[node]!;
    if (place < 0 || place >= size) return false;
    const id = idOf(place);
    if (id === undefined || (previous !== undefined && !(previous < id))) return false;
    previous = id;
  }
  return true;
}

function* map<T, U>(items: Iterable<T>, each: (item: T) => U): Generator<U> {
  for (const item of items) yield each(item);
}

/** A generator as the iterator a Map's methods return. */
function iterator<T>(items: Generator<T>): MapIterator<T> {
  return items as unknown as MapIterator<T>;
}
