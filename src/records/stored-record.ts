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
  /** Per field, each CI's value; null for a field the CI lacks (unless `nulls` says it is null). */
  readonly columns: readonly (readonly unknown[])[];
  /** `ci * fields.length + column` for the fields whose value is null indeed. */
  readonly nulls: ReadonlySet<number>;
}

/** A CI of a snapshot: its columns and its position in them. */
export interface StoredCi {
  cis: CiColumns;
  at: number;
}

/**
 * A CI read back from a snapshot: its data is its file parsed again when first read, so a run
 * that reads a few records pays for those; integrity reads single fields of its columns
 * (fieldOf), the impact graph its view, made when first asked for.
 */
export class StoredRecord<T = unknown> implements LoadedRecord<T> {
  #data: T | undefined;
  #view: Readonly<Record<string, unknown>> | undefined;
  // One function for every record (no closure each: 100,000 of these are made on a warm run).
  #reload: ((source: RecordSource) => unknown) | undefined;
  readonly #stored: StoredCi;

  constructor(
    readonly kind: RecordKind,
    readonly id: string,
    readonly source: RecordSource,
    reload: (source: RecordSource) => unknown,
    stored: StoredCi,
  ) {
    this.#reload = reload;
    this.#stored = stored;
  }

  /** The fields of ciFields the CI has, `id` first. */
  get view(): Readonly<Record<string, unknown>> {
    if (this.#view === undefined) {
      const view: Record<string, unknown> = { id: this.id };
      const { fields, columns, nulls } = this.#stored.cis;
      const at = this.#stored.at;
      for (let column = 0; column < fields.length; column++) {
        const value = columns[column]![at];
        if (value !== null || nulls.has(at * fields.length + column)) view[fields[column]!] = value;
      }
      this.#view = view;
    }
    return this.#view;
  }

  /** One field of the view (undefined when the CI lacks it), without making the view. */
  field(name: string): unknown {
    if (this.#view !== undefined) return this.#view[name];
    const { fields, columns, nulls } = this.#stored.cis;
    const column = fields.indexOf(name);
    if (column < 0) return name === 'id' ? this.id : undefined;
    const value = columns[column]![this.#stored.at];
    return value !== null || nulls.has(this.#stored.at * fields.length + column)
      ? value
      : undefined;
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
