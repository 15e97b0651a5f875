import type { LoadedRecord } from './estate.js';
import type { RecordKind } from './kinds.js';
import type { RecordSource } from './locate.js';

/**
 * A record read back from a snapshot: its data is parsed from the snapshot's text when first
 * read, so a run that reads a few records pays for those; integrity and the impact graph read
 * only `view`, the fields they need.
 */
export class StoredRecord<T = unknown> implements LoadedRecord<T> {
  #data: T | undefined;
  #load: (() => unknown) | undefined;

  constructor(
    readonly kind: RecordKind,
    readonly id: string,
    readonly source: RecordSource,
    load: () => unknown,
    readonly view: Readonly<Record<string, unknown>>,
  ) {
    this.#load = load;
  }

  get data(): T {
    if (this.#load !== undefined) {
      this.#data = this.#load() as T;
      this.#load = undefined;
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
