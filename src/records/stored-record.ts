import type { LoadedRecord } from './estate.js';
import type { RecordKind } from './kinds.js';
import type { RecordSource } from './locate.js';

/**
 * The CIs of an estate snapshot as columns, one per field of a CI's view beside its id: a CI
 * read back is its column position, not an object of its own (100,000 of them on a warm run).
 */
export interface CiColumns {
  /** The view's fields beside `id`, in column order. */
  readonly fields: readonly string[];
  /**
   * Per field, each CI's code: 0 it lacks the field, 1 its list of ids is held as positions
   * (`lists`), any other the value `value` gives for it.
   */
  readonly columns: ReadonlyArray<ArrayLike<number>>;
  /** A column's value for a CI's code (neither 0 nor 1): a string, or any other value. */
  readonly value: (column: number, code: number) => unknown;
  /**
   * By column, for the columns of lists of ids (dependsOn, partOf): each CI's list as positions
   * (`targets` from `offsets[ci]` to `offsets[ci + 1]`, each one string, see `name`) where the
   * column's code is 1.
   */
  readonly lists: ReadonlyArray<{ offsets: Int32Array; targets: Int32Array } | undefined>;
  /** The id (or other string) a list's position names: one copy of each, however often named. */
  readonly name: (position: number) => string;
  /** How many strings positions name. */
  readonly strings: number;
  /** The id of the CI at a place in the columns (undefined for one without a usable id). */
  readonly id: (at: number) => string | undefined;
}

/** A value of a column as the CI's data had it; `absent` when it lacks the field. */
function valueAt(cis: CiColumns, column: number, at: number, absent: unknown): unknown {
  const code = cis.columns[column]![at]!;
  if (code === 0) return absent;
  const list = cis.lists[column];
  if (code !== 1 || list === undefined) return cis.value(column, code);
  const ids: string[] = [];
  for (let k = list.offsets[at]!; k < list.offsets[at + 1]!; k++)
    ids.push(cis.name(list.targets[k]!));
  return ids;
}

/** The marker valueAt returns for a field a CI lacks. */
const absent = Symbol('absent');

/** The fields of ciFields a stored CI has, `id` first, from its place in the columns. */
export function viewAt(cis: CiColumns, id: string, at: number): Record<string, unknown> {
  const view: Record<string, unknown> = { id };
  for (let column = 0; column < cis.fields.length; column++) {
    const value = valueAt(cis, column, at, absent);
    if (value !== absent) view[cis.fields[column]!] = value;
  }
  return view;
}

/** Where a stored record lies: its file's path and its document, by position (StoredFiles). */
export interface RecordOrigin {
  path(file: number): string;
  doc(record: number): number;
  /** The record's place among the CI columns. */
  slot(record: number): number;
  readonly cis: CiColumns;
}

/**
 * A CI read back from a snapshot: its data is its file parsed again when first read, so a run
 * that reads a few records pays for those; integrity reads single fields of its columns
 * (fieldOf), the impact graph its view, made when first asked for. It is positions in the
 * snapshot (its file, its record), its `source` made when read: 100,000 of these are made on a
 * warm run, and each kept object is copied by every scavenge until it is promoted.
 */
export class StoredRecord<T = unknown> implements LoadedRecord<T> {
  #data: T | undefined;
  #view: Readonly<Record<string, unknown>> | undefined;
  // One function for every record (no closure each).
  #reload: ((source: RecordSource) => unknown) | undefined;
  // Private: a record copied or serialized must not carry the whole estate's columns along.
  readonly #origin: RecordOrigin;
  readonly #file: number;
  readonly #record: number;

  constructor(
    readonly kind: RecordKind,
    readonly id: string,
    origin: RecordOrigin,
    file: number,
    record: number,
    reload: (source: RecordSource) => unknown,
  ) {
    this.#reload = reload;
    this.#origin = origin;
    this.#file = file;
    this.#record = record;
  }

  /** Where the record is: made when read (most records' sources never are). */
  get source(): RecordSource {
    return { file: this.#origin.path(this.#file), doc: this.#origin.doc(this.#record) };
  }

  /** The snapshot's CI columns the record stands in (integrity reads its lists there). */
  get columns(): CiColumns {
    return this.#origin.cis;
  }

  /** The record's position in `columns`. */
  get position(): number {
    return this.#origin.slot(this.#record);
  }

  /** The fields of ciFields the CI has, `id` first. */
  get view(): Readonly<Record<string, unknown>> {
    return (this.#view ??= viewAt(this.#origin.cis, this.id, this.position));
  }

  /** One field of the view (undefined when the CI lacks it), without making the view. */
  field(name: string): unknown {
    if (this.#view !== undefined) return this.#view[name];
    const cis = this.#origin.cis;
    const column = cis.fields.indexOf(name);
    if (column < 0) return name === 'id' ? this.id : undefined;
    return valueAt(cis, column, this.position, undefined);
  }

  /** The record's data: its file parsed again when first read, else its view. */
  get data(): T {
    if (this.#reload !== undefined) {
      this.#data = (this.#reload(this.source) ?? this.view) as T;
      this.#reload = undefined;
    }
    return this.#data as T;
  }
}

/**
 * The fields of a record that integrity and the impact graph read: a stored record's view, else
 * its data (which has them all). Reading them through this never parses a stored record.
 */
export function viewOf<T>(record: LoadedRecord<T>): T {
  return (record instanceof StoredRecord ? record.view : record.data) as T;
}

/** One field of a record's view (see viewOf), without making a stored record's view. */
export function fieldOf(record: LoadedRecord<unknown>, field: string): unknown {
  if (record instanceof StoredRecord) return record.field(field);
  const data = record.data as Record<string, unknown> | null;
  return typeof data === 'object' && data !== null ? data[field] : undefined;
}

/**
 * What a snapshot holds of its changes and releases besides their data (StoredFiles gives both),
 * each read by the record's number there; undefined when the snapshot holds none.
 */
export interface StoredRecordFacts {
  /** Its schedule's start and end texts for the collision rule (SnapshotContents.schedule). */
  schedule(record: number): readonly [start: string, end: string] | undefined;
  /** Whether a run without a base evaluates it (SnapshotContents.evaluated). */
  evaluated(record: number): boolean | undefined;
}

/**
 * A change or release read back from a snapshot: its data read from the snapshot when first
 * asked for (a pull request's rules read a few of 5,000), its kind, id and source plain fields,
 * so a copy (`{ ...record, data }`) keeps them.
 */
export class StoredData<T = unknown> implements LoadedRecord<T> {
  readonly source: RecordSource;
  #data: T | undefined;
  #read: ((record: number, source: RecordSource) => unknown) | undefined;
  readonly #record: number;
  readonly #facts: StoredRecordFacts | undefined;

  constructor(
    readonly kind: RecordKind,
    readonly id: string,
    source: RecordSource,
    record: number,
    read: (record: number, source: RecordSource) => unknown,
    facts?: StoredRecordFacts,
  ) {
    this.source = source;
    this.#record = record;
    this.#read = read;
    this.#facts = facts;
  }

  /**
   * Whether a run without a base evaluates this change or release, as the snapshot holds it
   * (evaluatedWithoutBase of its data), with its data not read; undefined when the snapshot holds
   * none (the caller reads the data).
   */
  storedEvaluated(): boolean | undefined {
    return this.#facts?.evaluated(this.#record);
  }

  /**
   * What the snapshot holds of the change for the collision rule, with its data not read: its
   * schedule's start and end texts, '' when it is not pending with both (collisionSchedule);
   * undefined when the snapshot holds none (the rule reads the data).
   */
  storedSchedule(): readonly [start: string, end: string] | undefined {
    return this.#facts?.schedule(this.#record);
  }

  get data(): T {
    if (this.#read !== undefined) {
      this.#data = this.#read(this.#record, this.source) as T;
      this.#read = undefined;
    }
    return this.#data as T;
  }
}
