import type { LoadedRecord } from './estate.js';
import type { RecordKind } from './kinds.js';
import type { RecordSource } from './locate.js';

/**
 * A CI read back from a snapshot: its data is its file parsed again when first read, so a run
 * that reads a few records pays for those; integrity and the impact graph read only `view`, the
 * fields they need.
 */
export class StoredRecord<T = unknown> implements LoadedRecord<T> {
  #data: T | undefined;
  // One function for every record (no closure each: 100,000 of these are made on a warm run).
  #reload: ((source: RecordSource) => unknown) | undefined;

  constructor(
    readonly kind: RecordKind,
    readonly id: string,
    readonly source: RecordSource,
    reload: (source: RecordSource) => unknown,
    readonly view: Readonly<Record<string, unknown>>,
  ) {
    this.#reload = reload;
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
