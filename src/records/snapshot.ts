import type { CmdbGraph, GraphStats } from '../impact/graph.js';
import type { Finding, Severity } from './finding.js';
import { isRecordKind, type RecordKind } from './kinds.js';
import type { ParsedRecordFile } from './load.js';
import { isAscii, isUtf8 } from 'node:buffer';
import type { CiColumns, RecordOrigin } from './stored-record.js';
import { recordsOf, type Estate } from './estate.js';

/** node:zlib's CRC-32, the module loaded on the first check: a run with no snapshot needs none. */
const crc32 = (data: Uint8Array, value?: number) =>
  process.getBuiltinModule('node:zlib').crc32(data, value);

/**
 * The estate snapshot: what loading a commit's record files gave, file by file (each file's
 * records and its parse and schema findings, or why it could not be read), so that a later run
 * parses only the files that changed since. Content-addressed: the key names the build, the
 * policy in force and the record trees, so a snapshot is never invalidated, only not found.
 */
export interface Snapshot {
  key: SnapshotKey;
  /** The commit whose record trees the snapshot holds. */
  commit: string;
  /** Every record file listed at the commit, in listing order, as read back. */
  files: StoredFiles;
  /**
   * The impact graph of the commit's CIs, its typed arrays viewed in the file: read (and its
   * sections checked) only when asked for; undefined when the snapshot holds none, or it is
   * damaged or does not fit the CIs.
   */
  graph: () => CmdbGraph | undefined;
  /**
   * What the commit's integrity pass found, under the key's policy: per file (listing order), 1
   * when every record of it with an id was the one its id indexed and integrity found nothing in
   * it (quietFiles), so that a record of it, unchanged, still has nothing to say unless an id it
   * names is gone (integrityReach). Its section is checked when asked for; undefined when the
   * snapshot holds none or it is damaged: integrity is then checked whole.
   */
  quiet: () => Uint8Array | undefined;
  /**
   * The graph's nodes' places in the CI columns (`g.order`: node by node, the ids ascending), its
   * CRC-32 checked but not its contents (the caller checks what it relies on); undefined when
   * the snapshot holds none or it is damaged.
   */
  ciOrder: () => Int32Array | undefined;
}

/** What a snapshot is written of: a full load's files, as entries. */
export interface SnapshotContents {
  key: SnapshotKey;
  commit: string;
  /** Every record file listed at the commit, in listing order. */
  entries: SnapshotEntry[];
  /**
   * The commit's impact graph, with each node's place among the CIs (graphOrder); none when a
   * node has no place (a file parsed every run holds a CI): the graph is then built each run.
   */
  graph?: { graph: CmdbGraph; order: Int32Array } | undefined;
  /** The quiet files of the full load's integrity pass (quietFiles), under the key's policy. */
  quiet?: Uint8Array | undefined;
}

/** What a snapshot is looked up by: nothing else decides what parsing a file gives. */
export interface SnapshotKey {
  /** The build of changeops (code, schemas, rule registry). */
  build: string;
  /** The git blob of the policy file in force (its limits govern parsing), or `none`. */
  policy: string;
  /** The git trees of changes/ and cmdb/ at the commit (`none` when missing). */
  changes: string;
  cmdb: string;
}

/** One record file of a snapshot. */
export interface SnapshotEntry {
  path: string;
  /** Why the file could not be read (size cap, encoding): its findings, and nothing parsed. */
  readFindings: Finding[];
  /** The file parsed; absent when it could not be read, or must be read again (`reparse`). */
  parsed?: ParsedRecordFile;
  /** Set when the file's records are not plain data a snapshot can hold: parsed every run. */
  reparse?: boolean;
}

/** The snapshot's version: a snapshot of another version is not read. */
export const snapshotFormat = 'changeops-snapshot/5';

/** The fields of a CI that integrity and the impact graph read (its view), `id` first. */
const ciFields = ['id', 'name', 'class', 'criticality', 'environment', 'dependsOn', 'partOf'];
/** The columns of a CI's view in the snapshot: its id is the record's own. */
const ciColumns = ciFields.slice(1);
/** The columns whose lists of ids are held as positions (interned), not as values. */
const listColumns = ['dependsOn', 'partOf'].map((field) => ciColumns.indexOf(field));

const kinds = ['ConfigurationItem', 'Change', 'Release'] as const;

/**
 * A CI column's code for a CI: 0 it lacks the field; from 1 on, in a list column its list of
 * ids is held as positions (1, the only one), in any other the column's string `code - 1`;
 * below 0 the column's other value (anything else, as JSON) `-code - 1`. Every code between the
 * lowest and the highest a column can have means something: checking a column is its range.
 */
const absentCode = 0;
const listCode = 1;
const firstString = 1;

/** A snapshot's first line: `crc32:` and eight hex digits, the CRC-32 of its header line. */
const digestLength = 'crc32:'.length + 8;
const digestOf = (bytes: Uint8Array) => `crc32:${crc32(bytes).toString(16).padStart(8, '0')}`;

/** Numbers as SectionWriter.narrow writes them. */
type Narrow = Int8Array | Int16Array | Int32Array;

/** Where a section lies in the body (8-byte aligned, so typed arrays view it), and its CRC-32. */
type SectionPlace = [offset: number, length: number, crc: number];

/** The sections of a snapshot file as they are written, in order. */
class SectionWriter {
  readonly #parts: Array<{ name: string; bytes: Uint8Array }> = [];
  /** The width in bytes of each narrowed section (narrow), when less than 4. */
  readonly #widths: Record<string, 1 | 2> = {};

  bytes(name: string, bytes: Uint8Array): void {
    this.#parts.push({ name, bytes });
  }

  /** A typed array's bytes, little-endian on every platform node runs on. */
  array(name: string, array: Int32Array | Int16Array | Int8Array | Uint8Array): void {
    this.bytes(name, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  json(name: string, value: unknown): void {
    this.bytes(name, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  /**
   * Numbers in the fewest bytes each that hold them all (1, 2 or 4): counts, documents and
   * codes are mostly small, and every byte not written is one a run does not read or check.
   */
  narrow(name: string, numbers: readonly number[] | Int32Array): void {
    let lowest = 0;
    let highest = 0;
    for (const n of numbers) {
      if (n < lowest) lowest = n;
      if (n > highest) highest = n;
    }
    if (lowest >= -128 && highest <= 127) {
      this.#widths[name] = 1;
      this.array(name, Int8Array.from(numbers));
    } else if (lowest >= -32768 && highest <= 32767) {
      this.#widths[name] = 2;
      this.array(name, Int16Array.from(numbers));
    } else this.array(name, Int32Array.from(numbers));
  }

  /**
   * Strings as one UTF-8 text (`<name>.t`) and their ends in UTF-16 units (`<name>.o`, one
   * more than the strings): read back as one string, each a slice of it. False when a string
   * holds a lone surrogate, which UTF-8 cannot carry.
   */
  strings(name: string, strings: readonly string[]): boolean {
    const text = strings.join('');
    if (/\p{Cs}/u.test(text)) return false;
    const offsets = new Int32Array(strings.length + 1);
    let end = 0;
    strings.forEach((value, n) => (offsets[n + 1] = end += value.length));
    this.bytes(`${name}.t`, Buffer.from(text, 'utf8'));
    this.array(`${name}.o`, offsets);
    return true;
  }

  /**
   * The file: the digest line, the header line (padded with spaces so the body starts 8-byte
   * aligned) naming each section's place and CRC-32, then the sections, each padded to 8 bytes.
   */
  seal(header: Record<string, unknown>): Uint8Array {
    const sections: Record<string, SectionPlace> = {};
    let offset = 0;
    for (const { name, bytes } of this.#parts) {
      sections[name] = [offset, bytes.length, crc32(bytes)];
      offset += Math.ceil(bytes.length / 8) * 8;
    }
    let line = JSON.stringify({ ...header, widths: this.#widths, sections });
    const start = digestLength + 1 + line.length + 1;
    line += ' '.repeat((8 - (start % 8)) % 8);
    const headerBytes = Buffer.from(line, 'utf8');
    const head = Buffer.from(`${digestOf(headerBytes)}\n${line}\n`, 'utf8');
    const file = Buffer.alloc(head.length + offset);
    head.copy(file, 0);
    for (const { name, bytes } of this.#parts) file.set(bytes, head.length + sections[name]![0]);
    return file;
  }
}

/** An array of strings, the shape every list of ids a schema-valid CI has takes. */
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * Writes a snapshot file: a digest line, a header line, then binary sections (typed arrays and
 * texts a run views in place, a few JSON texts): the paths, record kinds, ids and documents; a
 * CI's view as one column of codes per field (its strings pooled per column, its lists of ids as
 * positions); a change's and release's data whole (`x`); the graph's line. A CI's data is not
 * held (100,000 of them are most of an estate), only its view: a run that needs more of one
 * reads its file again. Undefined when a string cannot be written (a lone surrogate).
 */
export function encodeSnapshot(snapshot: SnapshotContents): Uint8Array | undefined {
  const paths: string[] = [];
  const counts: number[] = [];
  const readFindings: Array<[number, Finding[]]> = [];
  const parseFindings: Array<[number, Finding[]]> = [];
  const recordKinds: number[] = [];
  const ids: string[] = [];
  // An id that starts its file's name (cmdb/app/web-1.yaml holds web-1, changes/CHG-0001-x.yaml
  // CHG-0001) is written as its length, not again: the ids are then nearly all their paths'.
  const idTexts: string[] = [];
  const idPrefixes: number[] = [];
  const docs: number[] = [];
  const badIds: Array<[number, string | null]> = [];
  const codes: number[][] = ciColumns.map(() => []);
  const pools = ciColumns.map(() => new Map<string, number>());
  const others: unknown[][] = ciColumns.map(() => []);
  const primitives = ciColumns.map(() => new Map<unknown, number>());
  const data: unknown[] = [];
  // The lists of ids, by list column, as they stand: interned once every id is known.
  const lists: string[][][] = listColumns.map(() => []);
  snapshot.entries.forEach((entry, index) => {
    paths.push(entry.path);
    if (entry.reparse) {
      counts.push(-1);
      return;
    }
    if (entry.readFindings.length) readFindings.push([index, entry.readFindings]);
    const parsed = entry.parsed;
    if (!parsed) {
      counts.push(-2);
      return;
    }
    counts.push(parsed.records.length);
    const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
    if (parsed.findings.length) parseFindings.push([index, parsed.findings]);
    for (const record of parsed.records) {
      const at = recordKinds.length;
      recordKinds.push(kinds.indexOf(record.kind as (typeof kinds)[number]));
      ids.push(record.id ?? '');
      const prefix =
        record.id !== undefined && record.id.length <= 127 && name.startsWith(record.id);
      idTexts.push(prefix ? '' : (record.id ?? ''));
      idPrefixes.push(prefix ? record.id!.length : 0);
      docs.push(record.doc);
      if (record.badId) badIds.push([at, record.badId.corrected ?? null]);
      if (record.kind !== 'ConfigurationItem') {
        data.push(record.data);
        continue;
      }
      const fields = record.data as Record<string, unknown>;
      ciColumns.forEach((field, column) => {
        const has = Object.prototype.hasOwnProperty.call(fields, field);
        const value = has ? fields[field] : undefined;
        const list = listColumns.indexOf(column);
        if (list >= 0) lists[list]!.push(has && isStringList(value) ? value : []);
        let code: number;
        if (!has) code = absentCode;
        else if (list >= 0 && isStringList(value)) code = listCode;
        else if (list < 0 && typeof value === 'string') {
          const pool = pools[column]!;
          let place = pool.get(value);
          if (place === undefined) pool.set(value, (place = pool.size));
          code = firstString + place;
        } else if (typeof value === 'object' && value !== null) code = -others[column]!.push(value);
        else {
          // A number, true, false or null: one copy of each (100,000 criticalities are four).
          const known = primitives[column]!;
          let place = known.get(value);
          if (place === undefined) known.set(value, (place = others[column]!.push(value) - 1));
          code = -place - 1;
        }
        codes[column]!.push(code);
      });
    }
  });
  // A list names ids by their first record's position (or past the records, `rs`): 100,000
  // lists of strings are then typed arrays, read back without an object each.
  const position = new Map<string, number>();
  ids.forEach((id, at) => {
    if (id !== '' && !position.has(id)) position.set(id, at);
  });
  const names: string[] = [];
  const sections = new SectionWriter();
  lists.forEach((list, n) => {
    const offsets = new Int32Array(list.length + 1);
    let size = 0;
    list.forEach((values, ci) => (offsets[ci + 1] = size += values.length));
    const targets = new Int32Array(size);
    let k = 0;
    for (const values of list)
      for (const id of values) {
        let at = position.get(id);
        if (at === undefined) {
          position.set(id, (at = ids.length + names.length));
          names.push(id);
        }
        targets[k++] = at;
      }
    sections.array(`lo${n}`, offsets);
    sections.array(`lt${n}`, targets);
  });
  sections.narrow('e', counts);
  sections.array('k', Uint8Array.from(recordKinds));
  sections.narrow('d', docs);
  sections.narrow('ip', idPrefixes);
  let written = sections.strings('p', paths) && sections.strings('i', idTexts);
  written &&= sections.strings('rs', names);
  ciColumns.forEach((_, column) => {
    sections.narrow(`c${column}`, codes[column]!);
    if (!listColumns.includes(column))
      written &&= sections.strings(`v${column}`, [...pools[column]!.keys()]);
    sections.json(`o${column}`, others[column]);
  });
  if (!written) return undefined;
  sections.json('rf', readFindings);
  sections.json('pf', parseFindings);
  sections.json('b', badIds);
  sections.json('x', data);
  if (snapshot.graph) graphSections(sections, snapshot.graph);
  if (snapshot.quiet) sections.array('q', snapshot.quiet);
  return sections.seal({ format: snapshotFormat, key: snapshot.key, commit: snapshot.commit });
}

/**
 * The graph as sections (`g.*`): its typed arrays as they are, its ids, names and classes the
 * CI columns' (by each node's place among them, `order`), not written twice.
 */
function graphSections(
  sections: SectionWriter,
  { graph, order }: { graph: CmdbGraph; order: Int32Array },
): void {
  sections.array('g.order', order);
  sections.json('g.environments', graph.environments);
  sections.json('g.stats', graph.stats);
  sections.array('g.criticality', graph.criticality);
  sections.narrow('g.environment', graph.environment);
  sections.array('g.offsets', graph.offsets);
  sections.array('g.targets', graph.targets);
  sections.array('g.kinds', graph.kinds);
}

/**
 * Each graph node's place among the CIs a snapshot of these entries holds (in the order
 * encodeSnapshot writes them): the first CI of each id, as the estate indexes it. Undefined when
 * a file is parsed every run (its CIs have no place): the graph then names its nodes itself.
 */
export function graphOrder(
  entries: readonly SnapshotEntry[],
  ids: readonly string[],
): Int32Array | undefined {
  // A file parsed every run may hold the first CI of an id, and its CIs have no place.
  if (entries.some((entry) => entry.reparse)) return undefined;
  const placeOf = new Map<string, number>();
  let place = 0;
  for (const entry of entries)
    for (const record of entry.parsed?.records ?? []) {
      if (record.kind !== 'ConfigurationItem') continue;
      if (record.id !== undefined && !placeOf.has(record.id)) placeOf.set(record.id, place);
      place++;
    }
  const order = new Int32Array(ids.length);
  for (let node = 0; node < ids.length; node++) {
    const at = placeOf.get(ids[node]!);
    if (at === undefined) return undefined;
    order[node] = at;
  }
  return order;
}

/**
 * Whether a value survives JSON unchanged: strings, finite numbers (not -0), booleans, null,
 * arrays and plain objects of them, no `__proto__` key, not nested deeper than `depth`. Records
 * that are not are parsed again on every run rather than stored.
 */
export function isPlainData(value: unknown, depth = 200): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth === 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (!(i in value) || !isPlainData(value[i], depth - 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return false;
    if (!isPlainData((value as Record<string, unknown>)[key], depth - 1)) return false;
  }
  return Object.getOwnPropertySymbols(value).length === 0;
}

/** Whether every record of a parsed file is plain data a snapshot can hold. */
export function isStorable(parsed: ParsedRecordFile): boolean {
  return parsed.records.every((record) => isPlainData(record.data));
}

const severities = new Set<Severity>(['error', 'warning', 'notice']);

function isFinding(value: unknown): value is Finding {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.file === 'string' &&
    Number.isInteger(f.line) &&
    Number.isInteger(f.column) &&
    severities.has(f.severity as Severity) &&
    typeof f.rule === 'string' &&
    typeof f.message === 'string' &&
    (f.field === undefined || typeof f.field === 'string') &&
    (f.kind === undefined || isRecordKind(f.kind)) &&
    (f.id === undefined || typeof f.id === 'string')
  );
}

function isFindings(value: unknown): value is Finding[] {
  return Array.isArray(value) && value.every(isFinding);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isIndexIn = (length: number) => (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) < length;

/** Sparse pairs [index, value]: indexes rising, each below `length`. */
function pairsOf<T>(
  value: unknown,
  length: number,
  item: (v: unknown) => boolean,
): value is Array<[number, T]> {
  if (!Array.isArray(value)) return false;
  let previous = -1;
  for (const pair of value as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isIndexIn(length)(pair[0])) return false;
    if ((pair[0] as number) <= previous || !item(pair[1])) return false;
    previous = pair[0] as number;
  }
  return true;
}

/** Whether typed arrays are little-endian here, as a snapshot's are written. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A snapshot file's sections, each checked (its place in the body, its CRC-32) when it is first
 * read: a part a run never reads (the graph, when a CI changed) is never checked, and one that
 * is damaged reads as missing, so the run goes without it (see decodeSnapshot).
 */
class Sections {
  readonly #body: Uint8Array;
  readonly #places: Record<string, unknown>;
  readonly #widths: Record<string, unknown>;
  readonly #read = new Map<string, Uint8Array | undefined>();

  constructor(body: Uint8Array, places: Record<string, unknown>, widths: Record<string, unknown>) {
    this.#body = body;
    this.#places = places;
    this.#widths = widths;
  }

  /** A section's bytes, viewed in place; undefined when it is missing, out of place or damaged. */
  bytes(name: string): Uint8Array | undefined {
    if (this.#read.has(name)) return this.#read.get(name);
    const place = Object.prototype.hasOwnProperty.call(this.#places, name)
      ? this.#places[name]
      : undefined;
    let bytes: Uint8Array | undefined;
    if (Array.isArray(place) && place.length === 3 && place.every((n) => Number.isInteger(n))) {
      const [offset, length, crc] = place as SectionPlace;
      if (offset >= 0 && offset % 8 === 0 && length >= 0 && offset + length <= this.#body.length) {
        const view = this.#body.subarray(offset, offset + length);
        if (crc32(view) === crc) bytes = view;
      }
    }
    this.#read.set(name, bytes);
    return bytes;
  }

  int32(name: string, length?: number): Int32Array | undefined {
    const bytes = this.bytes(name);
    if (!bytes || bytes.length % 4 !== 0) return undefined;
    const array = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    return length === undefined || array.length === length ? array : undefined;
  }

  /** A section SectionWriter.narrow wrote, in its width: 1, 2 or 4 bytes a number. */
  narrow(name: string, length?: number): Narrow | undefined {
    const width = Object.prototype.hasOwnProperty.call(this.#widths, name) ? this.#widths[name] : 4;
    if (width === 4) return this.int32(name, length);
    const bytes = this.bytes(name);
    if (!bytes || (width !== 1 && width !== 2) || bytes.length % width !== 0) return undefined;
    const array =
      width === 1
        ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)
        : new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    return length === undefined || array.length === length ? array : undefined;
  }

  /** A section as a plain Uint8Array (a Buffer's view would compare and print as a Buffer). */
  uint8(name: string): Uint8Array | undefined {
    const bytes = this.bytes(name);
    return bytes && new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /**
   * A UTF-8 section as text: copied as Latin-1 when it is ASCII (the same text, several times
   * faster); undefined when it is no UTF-8 (decoded, each bad byte would be a character of its
   * own, and a text of the same length but another content would pass for the one written).
   */
  text(name: string): string | undefined {
    const bytes = this.bytes(name);
    if (!bytes) return undefined;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (isAscii(buffer)) return buffer.toString('latin1');
    return isUtf8(buffer) ? buffer.toString('utf8') : undefined;
  }

  /** A JSON section's value (undefined when missing; it throws when it is no JSON). */
  json(name: string): unknown {
    const text = this.text(name);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  /**
   * Strings written by SectionWriter.strings: one text and each string's end, checked to rise
   * from 0 to the text's length; `count` of them when given.
   */
  strings(name: string, count?: number): { text: string; ends: Int32Array } | undefined {
    const text = this.text(`${name}.t`);
    const ends = this.int32(`${name}.o`, count === undefined ? undefined : count + 1);
    if (text === undefined || !ends || ends.length === 0 || ends[0] !== 0) return undefined;
    return rising(ends) && ends[ends.length - 1] === text.length ? { text, ends } : undefined;
  }
}

// The loops over 100,000 items are small functions of their own: V8 optimizes a small function's
// loop while it runs, a large one's much later (a one-off run would spend most of it unoptimized).

/** Whether the numbers never fall. */
function rising(numbers: Int32Array): boolean {
  for (let n = 1; n < numbers.length; n++) if (numbers[n]! < numbers[n - 1]!) return false;
  return true;
}

/** Whether every number lies from `lowest` to `highest`. */
function within(numbers: Narrow | Uint8Array, lowest: number, highest: number): boolean {
  for (let n = 0; n < numbers.length; n++)
    if (numbers[n]! < lowest || numbers[n]! > highest) return false;
  return true;
}

/** Each of the strings, sliced out of their text; `empty` for an empty one. */
function sliced<T>(
  { text, ends }: { text: string; ends: Int32Array },
  empty: T,
): Array<string | T> {
  const strings = new Array<string | T>(ends.length - 1);
  for (let n = 0; n < strings.length; n++)
    strings[n] = ends[n] === ends[n + 1] ? empty : text.slice(ends[n], ends[n + 1]);
  return strings;
}

/**
 * Reads a snapshot file back; undefined when it is not one, is of another version or key, or is
 * damaged anywhere its shape or a section's CRC-32 can tell (a file a run must never trust: it
 * is read, checked, and otherwise ignored, never a reason to throw). Every section the estate is
 * assembled from is checked here; the graph's only when it is asked for (`graph`), and a damaged
 * one reads as none (the graph is then built). Every change's and release's data is checked
 * here, as plain data of its kind and id, so no record read later can fail.
 */
export function decodeSnapshot(file: Uint8Array, key: SnapshotKey): Snapshot | undefined {
  try {
    if (!littleEndian) return undefined;
    const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    const first = bytes.indexOf(0x0a);
    const second = first < 0 ? -1 : bytes.indexOf(0x0a, first + 1);
    if (first !== digestLength || second < 0) return undefined;
    const headerBytes = bytes.subarray(first + 1, second);
    if (bytes.toString('latin1', 0, first) !== digestOf(headerBytes)) return undefined;
    const header = JSON.parse(headerBytes.toString('utf8')) as unknown;
    if (!isObject(header) || header.format !== snapshotFormat) return undefined;
    const stored = header.key;
    if (
      !isObject(stored) ||
      stored.build !== key.build ||
      stored.policy !== key.policy ||
      stored.changes !== key.changes ||
      stored.cmdb !== key.cmdb ||
      typeof header.commit !== 'string' ||
      !/^[0-9a-f]{40,64}$/.test(header.commit) ||
      !isObject(header.sections) ||
      !isObject(header.widths)
    )
      return undefined;
    let body = bytes.subarray(second + 1);
    // Typed arrays view the body in place: one that does not start aligned is copied once.
    if (body.byteOffset % 8 !== 0) body = Buffer.from(new Uint8Array(body));
    const sections = new Sections(body, header.sections, header.widths);
    const files = filesOf(sections);
    if (!files) return undefined;
    let graph: CmdbGraph | undefined | null = null;
    const read = () => {
      try {
        return graphOf(sections, files);
      } catch {
        return undefined;
      }
    };
    return {
      key,
      commit: header.commit,
      files,
      graph: () => (graph === null ? (graph = read()) : graph),
      quiet: () => {
        const quiet = sections.uint8('q');
        return quiet?.length === files.length ? quiet : undefined;
      },
      ciOrder: () => sections.int32('g.order'),
    };
  } catch {
    return undefined;
  }
}

/**
 * Per entry, whether integrity had nothing to say about its file (see Snapshot.quiet), from a
 * full load: a file with any finding at all is not quiet (looking at it again costs nothing).
 */
export function quietFiles(
  entries: readonly SnapshotEntry[],
  { estate, findings }: { estate: Estate; findings: readonly Finding[] },
): Uint8Array {
  const named = new Set<string>();
  for (const finding of findings) named.add(finding.file);
  const quiet = new Uint8Array(entries.length);
  entries.forEach((entry, at) => {
    if (!entry.parsed || entry.reparse || named.has(entry.path)) return;
    for (const record of entry.parsed.records) {
      if (record.id === undefined) continue;
      // A record its id does not index (a later duplicate) was not checked: not quiet.
      const indexed = recordsOf(estate, record.kind).get(record.id)?.source;
      if (indexed?.file !== entry.path || indexed.doc !== record.doc) return;
    }
    quiet[at] = 1;
  });
  return quiet;
}

/**
 * The interned lists of the list columns, by column: each CI's positions from `offsets[ci]` to
 * `offsets[ci + 1]`, each naming a record's id or one of `rs`; undefined when any part does not
 * fit (a position past the strings or at a record without an id, a list where the column says
 * none, offsets that fall back).
 */
function listsOf(
  sections: Sections,
  codes: readonly Narrow[],
  i: ReadonlyArray<string | null>,
  strings: number,
  cis: number,
): CiColumns['lists'] | undefined {
  const lists: Array<{ offsets: Int32Array; targets: Int32Array } | undefined> = ciColumns.map(
    () => undefined,
  );
  for (let list = 0; list < listColumns.length; list++) {
    const offsets = sections.int32(`lo${list}`, cis + 1);
    const targets = sections.int32(`lt${list}`);
    if (!offsets || !targets) return undefined;
    if (offsets[0] !== 0 || offsets[cis] !== targets.length) return undefined;
    if (!listsFit(offsets, codes[listColumns[list]!]!) || !targetsFit(targets, i, strings))
      return undefined;
    lists[listColumns[list]!] = { offsets, targets };
  }
  return lists;
}

/**
 * The ids of a graph's nodes as its index: they ascend, so an id is found by a binary search,
 * with no map of 100,000 ids made for the few a run looks up.
 */
class SortedIndex implements ReadonlyMap<string, number> {
  readonly #ids: readonly string[];

  constructor(ids: readonly string[]) {
    this.#ids = ids;
  }

  get size(): number {
    return this.#ids.length;
  }

  get(id: string): number | undefined {
    let low = 0;
    let high = this.#ids.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#ids[middle]! < id) low = middle + 1;
      else high = middle;
    }
    return low < this.#ids.length && this.#ids[low] === id ? low : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  forEach(each: (node: number, id: string, map: ReadonlyMap<string, number>) => void): void {
    this.#ids.forEach((id, node) => each(node, id, this));
  }

  entries(): MapIterator<[string, number]> {
    return this.#ids.map((id, node): [string, number] => [id, node]).values();
  }

  keys(): MapIterator<string> {
    return this.#ids.values();
  }

  values(): MapIterator<number> {
    return this.#ids.keys();
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/**
 * The graph of the `g.*` sections, undefined when a part is missing, damaged or does not fit
 * the others (or the CIs, for the ids its order names).
 */
function graphOf(sections: Sections, files: StoredFiles): CmdbGraph | undefined {
  const order = sections.int32('g.order');
  const named = order && files.graphNames(order);
  const environments = sections.json('g.environments');
  const stats = sections.json('g.stats') as GraphStats | undefined;
  const criticality = sections.uint8('g.criticality');
  const narrowed = sections.narrow('g.environment');
  // The graph's own type (read for a few nodes a run): copied, 400 kB at 100,000 CIs.
  const environment = narrowed && Int32Array.from(narrowed);
  const offsets = sections.int32('g.offsets');
  const targets = sections.int32('g.targets');
  const kinds = sections.uint8('g.kinds');
  if (!named || !isObject(stats) || !isStringList(environments)) return undefined;
  if (!criticality || !environment || !offsets || !targets || !kinds) return undefined;
  const { ids, names, classes } = named;
  const size = ids.length;
  const edges = targets.length;
  if (
    names.length !== size ||
    classes.length !== size ||
    criticality.length !== size ||
    environment.length !== size ||
    offsets.length !== size + 1 ||
    kinds.length !== edges ||
    offsets[0] !== 0 ||
    offsets[size] !== edges ||
    stats.nodes !== size ||
    stats.edges !== edges ||
    !rising(offsets) ||
    !within(targets, 0, size - 1) ||
    !within(environment, -1, environments.length - 1)
  )
    return undefined;
  return {
    size,
    ids,
    index: new SortedIndex(ids),
    names,
    classes,
    criticality,
    environment,
    environments,
    offsets,
    targets,
    kinds,
    stats: { ...stats },
  };
}

/**
 * Each record's id: the first `prefixes[record]` characters of its file's name, else its own
 * text, where an empty one is no id (none a schema allows: the record is not indexed).
 * Undefined when the counts run past the records or a prefix past its file's name.
 */
function idsOf(
  ids: { text: string; ends: Int32Array },
  prefixes: Narrow,
  counts: Narrow,
  paths: { text: string; ends: Int32Array },
): Array<string | null> | undefined {
  const out = new Array<string | null>(prefixes.length);
  let record = 0;
  for (let at = 0; at < counts.length; at++) {
    const count = counts[at]!;
    if (count <= 0) continue;
    if (record + count > prefixes.length) return undefined;
    const end = paths.ends[at + 1]!;
    const name = Math.max(paths.text.lastIndexOf('/', end - 1) + 1, paths.ends[at]!);
    for (const last = record + count; record < last; record++) {
      const length = prefixes[record]!;
      if (length < 0 || name + length > end) return undefined;
      const from = ids.ends[record]!;
      const to = ids.ends[record + 1]!;
      out[record] =
        length > 0
          ? paths.text.slice(name, name + length)
          : from === to
            ? null
            : ids.text.slice(from, to);
    }
  }
  return record === prefixes.length ? out : undefined;
}

/** Whether the offsets rise, and only a CI whose code says so has a list. */
function listsFit(offsets: Int32Array, codes: Narrow): boolean {
  for (let ci = 0; ci < codes.length; ci++) {
    const from = offsets[ci]!;
    const to = offsets[ci + 1]!;
    if (to < from || (to !== from && codes[ci] !== listCode)) return false;
  }
  return true;
}

/** Whether every position names a string, and none a record without an id. */
function targetsFit(
  targets: Int32Array,
  i: ReadonlyArray<string | null>,
  strings: number,
): boolean {
  for (let k = 0; k < targets.length; k++) {
    const target = targets[k]!;
    if (target < 0 || target >= strings || (target < i.length && i[target] === null)) return false;
  }
  return true;
}

/** The findings of the files that have none: one array, frozen, shared by 100,000 entries. */
const noFindings: Finding[] = Object.freeze([]) as unknown as Finding[];

/**
 * The record files of a snapshot as its columns, checked when decoded: a file or a record is
 * a position, and a run makes objects only for what it uses (a record for each indexed id, the
 * parsed form of a changed file's old version), never a file entry for each of 100,000 files.
 */
export class StoredFiles implements RecordOrigin {
  /** How many files the commit listed. */
  readonly length: number;
  /** The files parsed on every run (their records are not plain data): by position. */
  readonly reparsed: readonly number[];
  /** The CIs' columns, shared by every stored CI. */
  readonly cis: CiColumns;
  /** The paths as one text and each one's end: sliced when asked for, not kept 100,000 times. */
  readonly #p: { text: string; ends: Int32Array };
  readonly #e: Narrow;
  readonly #k: Uint8Array;
  readonly #i: ReadonlyArray<string | null>;
  readonly #d: Narrow;
  readonly #x: readonly unknown[];
  /** Per file its first record; per record its place among the CIs or among the others. */
  readonly #first: Int32Array;
  readonly #slot: Int32Array;
  /** Per CI (its place in the CI columns), its record. */
  readonly #ciRecord: Int32Array;
  readonly #readBy: ReadonlyMap<number, Finding[]>;
  readonly #parseBy: ReadonlyMap<number, Finding[]>;
  readonly #badBy: ReadonlyMap<number, string | null>;

  constructor(parts: {
    p: { text: string; ends: Int32Array };
    e: Narrow;
    k: Uint8Array;
    i: Array<string | null>;
    d: Narrow;
    x: unknown[];
    first: Int32Array;
    slot: Int32Array;
    ciRecord: Int32Array;
    reparsed: number[];
    cis: CiColumns;
    readBy: Map<number, Finding[]>;
    parseBy: Map<number, Finding[]>;
    badBy: Map<number, string | null>;
  }) {
    this.length = parts.e.length;
    this.reparsed = parts.reparsed;
    this.cis = parts.cis;
    this.#p = parts.p;
    this.#e = parts.e;
    this.#k = parts.k;
    this.#i = parts.i;
    this.#d = parts.d;
    this.#x = parts.x;
    this.#first = parts.first;
    this.#slot = parts.slot;
    this.#ciRecord = parts.ciRecord;
    this.#readBy = parts.readBy;
    this.#parseBy = parts.parseBy;
    this.#badBy = parts.badBy;
  }

  /** The path of the file at a position (positions follow the listing order). */
  path(file: number): string {
    const { text, ends } = this.#p;
    return text.slice(ends[file], ends[file + 1]);
  }

  /** The position of a path, or -1: a binary search, the paths being in listing order. */
  indexOf(path: string): number {
    const low = this.lowerBound(path);
    return low < this.length && this.path(low) === path ? low : -1;
  }

  /** The first position whose path is not before `path` (the length when every one is). */
  lowerBound(path: string): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.path(middle) < path) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The file's records, -1 when it is parsed every run, -2 when it could not be read. */
  count(file: number): number {
    return this.#e[file]!;
  }

  /** Why the file could not be read (size cap, encoding). */
  readFindings(file: number): readonly Finding[] {
    return (this.#readBy.size && this.#readBy.get(file)) || noFindings;
  }

  /** The file's parse and schema findings. */
  findings(file: number): Finding[] {
    return (this.#parseBy.size && this.#parseBy.get(file)) || noFindings;
  }

  /** The file's first record (its records follow on). */
  first(file: number): number {
    return this.#first[file]!;
  }

  kind(record: number): Exclude<RecordKind, 'Policy'> {
    return kinds[this.#k[record]!]!;
  }

  /** The record's id, undefined when it has no usable one (it is then not indexed). */
  id(record: number): string | undefined {
    return this.#i[record] ?? undefined;
  }

  doc(record: number): number {
    return this.#d[record]!;
  }

  /** Set when the record's id breaks its schema, with its corrected form when there is one. */
  badId(record: number): { corrected?: string } | undefined {
    const bad = this.#badBy.size === 0 ? undefined : this.#badBy.get(record);
    return bad === undefined ? undefined : bad === null ? {} : { corrected: bad };
  }

  /** The record's place among the CIs' columns (for a CI) or its data (for any other kind). */
  slot(record: number): number {
    return this.#slot[record]!;
  }

  /** A change's or release's data, checked when decoded (plain data of its kind and id). */
  data(record: number): unknown {
    return this.#x[this.#slot[record]!];
  }

  /**
   * The ids, names and classes of the CIs at these places in the CI columns, as the impact graph
   * names its nodes (a name that is no text is the id; a class that is none, empty); undefined
   * unless every place is a CI with an id and the ids ascend, as a graph's nodes do.
   */
  graphNames(order: Int32Array): { ids: string[]; names: string[]; classes: string[] } | undefined {
    const size = order.length;
    const ids = new Array<string>(size);
    const names = new Array<string>(size);
    const classes = new Array<string>(size);
    const [nameColumn, classColumn] = [ciColumns.indexOf('name'), ciColumns.indexOf('class')];
    const nameCodes = this.cis.columns[nameColumn]!;
    const classCodes = this.cis.columns[classColumn]!;
    for (let node = 0; node < size; node++) {
      const ci = order[node]!;
      if (ci < 0 || ci >= this.#ciRecord.length) return undefined;
      const id = this.#i[this.#ciRecord[ci]!];
      if (id === null || id === undefined || (node > 0 && !(ids[node - 1]! < id))) return undefined;
      ids[node] = id;
      // A column's code from firstString on is a string: any other value is none.
      const name = nameCodes[ci]!;
      const kind = classCodes[ci]!;
      names[node] = name >= firstString ? (this.cis.value(nameColumn, name) as string) : id;
      classes[node] = kind >= firstString ? (this.cis.value(classColumn, kind) as string) : '';
    }
    return { ids, names, classes };
  }

  /** Whether any record of the file is a CI. */
  holdsCi(file: number): boolean {
    const count = this.#e[file]!;
    const first = this.#first[file]!;
    for (let record = first; record < first + Math.max(count, 0); record++)
      if (this.#k[record] === 0) return true;
    return false;
  }
}

/** The files of the sections, or undefined when any part does not fit the others. */
function filesOf(sections: Sections): StoredFiles | undefined {
  const e = sections.narrow('e');
  if (!e) return undefined;
  const files = e.length;
  const pathStrings = sections.strings('p', files);
  const rf = sections.json('rf');
  const pf = sections.json('pf');
  if (!pathStrings) return undefined;
  if (!pairsOf<Finding[]>(rf, files, isFindings) || !pairsOf<Finding[]>(pf, files, isFindings))
    return undefined;
  const k = sections.uint8('k');
  if (!k) return undefined;
  const records = k.length;
  // As many CIs as the first CI column has codes: the kinds say the same, or the file is not ours.
  const cis = sections.narrow('c0')?.length ?? 0;
  const idStrings = sections.strings('i', records);
  const d = sections.narrow('d', records);
  const b = sections.json('b');
  if (
    !idStrings ||
    !d ||
    !pairsOf<string | null>(b, records, (v) => v === null || typeof v === 'string')
  )
    return undefined;
  const prefixes = sections.narrow('ip', records);
  const i = prefixes && idsOf(idStrings, prefixes, e, pathStrings);
  if (!i) return undefined;
  const rsStrings = sections.strings('rs');
  if (!rsStrings) return undefined;
  const names = sliced(rsStrings, '');
  const strings = records + names.length;
  // Per column its codes, its strings (not for a list column) and its other values.
  const codes: Narrow[] = [];
  const pools: Array<{ text: string; ends: Int32Array } | undefined> = [];
  const others: unknown[][] = [];
  for (let column = 0; column < ciColumns.length; column++) {
    const list = listColumns.includes(column);
    const code = sections.narrow(`c${column}`, cis);
    const pool = list ? undefined : sections.strings(`v${column}`);
    const other = sections.json(`o${column}`);
    if (!code || (!list && !pool) || !Array.isArray(other)) return undefined;
    const highest = pool ? pool.ends.length - 1 : listCode;
    if (!within(code, -other.length, highest)) return undefined;
    codes.push(code);
    pools.push(pool);
    others.push(other);
  }
  const lists = listsOf(sections, codes, i, strings, cis);
  const x = sections.json('x');
  if (!lists || !Array.isArray(x) || x.length !== records - cis) return undefined;
  const readBy = new Map(rf);
  const parseBy = new Map(pf);
  const first = new Int32Array(files);
  const slot = new Int32Array(records);
  const ciRecord = new Int32Array(cis);
  const reparsed: number[] = [];
  let record = 0;
  let ci = 0;
  let other = 0;
  let previous = '';
  for (let at = 0; at < files; at++) {
    const path = pathStrings.text.slice(pathStrings.ends[at], pathStrings.ends[at + 1]);
    // Listing order, each path once: a snapshot that says otherwise is not ours.
    if (path <= previous) return undefined;
    previous = path;
    first[at] = record;
    const count = e[at]!;
    if (count < -2) return undefined;
    if (count === -1) {
      if (readBy.has(at) || parseBy.has(at)) return undefined;
      reparsed.push(at);
      continue;
    }
    if (count === -2) {
      if (parseBy.has(at)) return undefined;
      continue;
    }
    if (record + count > records) return undefined;
    for (const end = record + count; record < end; record++) {
      const kind = kinds[k[record]!];
      const id = i[record]!;
      if (kind === undefined || d[record]! < 0) return undefined;
      if (kind === 'ConfigurationItem') {
        if (ci === cis) return undefined;
        ciRecord[ci] = record;
        slot[record] = ci++;
        continue;
      }
      const data = x[other] as unknown;
      // The data of its kind and id, plain: one that is not means the file is not ours.
      if (!isObject(data) || data.kind !== kind) return undefined;
      if (id !== null ? data.id !== id : typeof data.id === 'string' && data.id !== '')
        return undefined;
      if (!isPlainData(data)) return undefined;
      slot[record] = other++;
    }
  }
  if (record !== records || ci !== cis) return undefined;
  // Each pooled string sliced once: 100,000 CIs of four classes make four strings, not 100,000.
  const made = pools.map((pool) => (pool ? new Array<string>(pool.ends.length - 1) : []));
  /** A non-list column's value for a code from firstString on, or below 0. */
  const value = (column: number, code: number): unknown => {
    if (code < 0) return others[column]![-code - 1];
    const { text, ends } = pools[column]!;
    const at = code - firstString;
    return (made[column]![at] ??= text.slice(ends[at], ends[at + 1]));
  };
  return new StoredFiles({
    p: pathStrings,
    e,
    k,
    i,
    d,
    x,
    first,
    slot,
    ciRecord,
    reparsed,
    readBy,
    parseBy,
    badBy: new Map(b),
    // Every stored CI is its position in these columns: no view object each.
    cis: {
      fields: ciColumns,
      columns: codes,
      value,
      lists,
      name: (position) => (position < records ? i[position]! : names[position - records]!),
      strings,
      id: (at) => i[ciRecord[at]!] ?? undefined,
    },
  });
}
