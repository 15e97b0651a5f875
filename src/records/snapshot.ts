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
  /**
   * What the collision rule reads of every change (collisionSchedule): its schedule's start and
   * end texts when it is pending with both, else none; held per change and release (`w`), so
   * that a pull request's check parses no other change's data to place it in time.
   */
  schedule?:
    ((kind: RecordKind, data: unknown) => readonly [string, string] | undefined) | undefined;
  /**
   * Whether a run without a base evaluates the change or release (evaluatedWithoutBase): one
   * byte each (`u`), so that a warm check reads the data of only those it evaluates.
   */
  evaluated?: ((kind: RecordKind, data: unknown) => boolean) | undefined;
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
export const snapshotFormat = 'changeops-snapshot/6';

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
   * Strings as one UTF-8 text (`<name>.t`) and their ends in bytes (`<name>.o`, one more than
   * the strings): read back one at a time, each decoded from its own bytes when asked for. False
   * when a string holds a lone surrogate, which UTF-8 cannot carry.
   */
  strings(name: string, strings: readonly string[]): boolean {
    const text = strings.join('');
    if (/\p{Cs}/u.test(text)) return false;
    const bytes = Buffer.from(text, 'utf8');
    // As many bytes as UTF-16 units only when every character is ASCII.
    const ascii = bytes.length === text.length;
    const offsets = new Int32Array(strings.length + 1);
    let end = 0;
    strings.forEach(
      (value, n) => (offsets[n + 1] = end += ascii ? value.length : Buffer.byteLength(value)),
    );
    this.bytes(`${name}.t`, bytes);
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
 * positions); each change's and release's data as a JSON text of its own (`x`); the graph's
 * typed arrays. A CI's data is not held (100,000 of them are most of an estate), only its view:
 * a run that needs more of one reads its file again. Undefined when a string cannot be written (a lone surrogate).
 */
export function encodeSnapshot(snapshot: SnapshotContents): Uint8Array | undefined {
  const paths: string[] = [];
  const counts: number[] = [];
  const readFindings: Array<[number, Finding[]]> = [];
  const parseFindings: Array<[number, Finding[]]> = [];
  const recordKinds: number[] = [];
  const ids: string[] = [];
  // An id that starts its file's name (cmdb/app/web-1.yaml holds web-1, changes/CHG-0001-x.yaml
  // CHG-0001) is written as its length in bytes, not again: the ids are then nearly all their
  // paths'. Any other id is a string of `i`, its code -1 - its place; no id (or ''), 0.
  const idTexts: string[] = [];
  const idCodes: number[] = [];
  // Per file, where its name starts in its path (in bytes): what an id's length counts from.
  const nameStarts: number[] = [];
  const docs: number[] = [];
  const badIds: Array<[number, string | null]> = [];
  const codes: number[][] = ciColumns.map(() => []);
  const pools = ciColumns.map(() => new Map<string, number>());
  const others: unknown[][] = ciColumns.map(() => []);
  const primitives = ciColumns.map(() => new Map<unknown, number>());
  const data: string[] = [];
  // Per change and release, its schedule's two texts as collisionSchedule gives them ('' none).
  const schedules: string[] = [];
  // Per change and release, whether a run without a base evaluates it (1) or not (0).
  const evaluated: number[] = [];
  // The lists of ids, by list column, as they stand: interned once every id is known.
  const lists: string[][][] = listColumns.map(() => []);
  snapshot.entries.forEach((entry, index) => {
    paths.push(entry.path);
    const nameStart = entry.path.lastIndexOf('/') + 1;
    nameStarts.push(Buffer.byteLength(entry.path.slice(0, nameStart)));
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
    const name = entry.path.slice(nameStart);
    if (parsed.findings.length) parseFindings.push([index, parsed.findings]);
    for (const record of parsed.records) {
      const at = recordKinds.length;
      recordKinds.push(kinds.indexOf(record.kind as (typeof kinds)[number]));
      const id = record.id ?? '';
      ids.push(id);
      const length = Buffer.byteLength(id);
      if (id === '') idCodes.push(0);
      else if (length <= 127 && name.startsWith(id)) idCodes.push(length);
      else idCodes.push(-idTexts.push(id));
      docs.push(record.doc);
      if (record.badId) badIds.push([at, record.badId.corrected ?? null]);
      if (record.kind !== 'ConfigurationItem') {
        // Each text on its own, parsed when a run first reads the record's data.
        data.push(JSON.stringify(record.data));
        const times = snapshot.schedule?.(record.kind, record.data);
        schedules.push(times?.[0] ?? '', times?.[1] ?? '');
        if (snapshot.evaluated)
          evaluated.push(snapshot.evaluated(record.kind, record.data) ? 1 : 0);
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
  sections.narrow('ip', idCodes);
  sections.narrow('pn', nameStarts);
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
  written &&= sections.strings('x', data);
  if (!written) return undefined;
  // A text that cannot be written only means the section is missing: the rule reads the data.
  if (snapshot.schedule) sections.strings('w', schedules);
  if (snapshot.evaluated) sections.array('u', Uint8Array.from(evaluated));
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

/**
 * isPlainData for a value JSON.parse made, which can only be strings, numbers, booleans, null,
 * arrays without holes and objects of Object.prototype without symbols: so only its numbers
 * (an overflow is Infinity, `-0` is -0), its keys (`__proto__` is an own key there) and its depth
 * are looked at, with no array of keys or symbols made per object.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || value === null) return true;
  if (depth === 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth - 1)) return false;
    return true;
  }
  for (const key in value)
    if (key === '__proto__' || !isPlainJson((value as Record<string, unknown>)[key], depth - 1))
      return false;
  return true;
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
   * Strings written by SectionWriter.strings (`count` of them when given): their ends checked
   * to rise from 0 to the text's length and, when the text is not ASCII, the text to be UTF-8
   * with no end inside a character, so that each string decodes from its own bytes as the
   * writer wrote it. No string is made here. An ASCII text is copied whole once `wholeAfter`
   * strings were read from it (see Strings.slice).
   */
  strings(name: string, count?: number, wholeAfter = Infinity): Strings | undefined {
    const bytes = this.uint8(`${name}.t`);
    const ends = this.int32(`${name}.o`, count === undefined ? undefined : count + 1);
    if (!bytes || !ends || ends.length === 0 || ends[0] !== 0) return undefined;
    if (ends[ends.length - 1] !== bytes.length || !rising(ends)) return undefined;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const ascii = isAscii(buffer);
    if (!ascii && (!isUtf8(buffer) || !boundaries(bytes, ends))) return undefined;
    return new Strings(buffer, bytes, ends, ascii, wholeAfter);
  }
}

/**
 * Strings as SectionWriter.strings wrote them, checked (Sections.strings): each one decoded from
 * its bytes when asked for, so a run makes the few it reads, not a copy of the whole text.
 */
class Strings {
  /** How many strings. */
  readonly length: number;
  /** The whole text, once copied (see slice). */
  #text: string | undefined;
  /** How many more strings are decoded each from its bytes before the text is copied whole. */
  #before: number;

  constructor(
    readonly buffer: Buffer,
    /** The same bytes as a plain Uint8Array, for loops over them. */
    readonly bytes: Uint8Array,
    readonly ends: Int32Array,
    /** Whether every byte is ASCII: each string is then its bytes read as Latin-1. */
    readonly ascii: boolean,
    /** After how many strings read an ASCII text is copied whole (see slice). */
    wholeAfter: number,
  ) {
    this.length = ends.length - 1;
    this.#before = wholeAfter;
  }

  /** The string at `n`. */
  at(n: number): string {
    return this.slice(this.ends[n]!, this.ends[n + 1]!);
  }

  /**
   * The text from byte `from` to byte `to` (both on a character's boundary). An ASCII text is
   * copied whole once `wholeAfter` strings were read (one native copy, then slices in the engine:
   * for the paths and ids, of which a run may slice 100,000, and a warm check's 5,000 changes'
   * data, a native call per string costs more); until then, and for any other text, each string
   * is decoded from its bytes (a pull request reads a few changes: no copy of all 5,000 made).
   */
  slice(from: number, to: number): string {
    if (this.#text !== undefined) return this.#text.slice(from, to);
    if (!this.ascii || this.#before-- > 0)
      return this.buffer.toString(this.ascii ? 'latin1' : 'utf8', from, to);
    this.#text = this.buffer.toString('latin1');
    return this.#text.slice(from, to);
  }
}

// The loops over 100,000 items are small functions of their own: V8 optimizes a small function's
// loop while it runs, a large one's much later (a one-off run would spend most of it unoptimized).

/** Whether the numbers never fall. */
function rising(numbers: Int32Array): boolean {
  for (let n = 1; n < numbers.length; n++) if (numbers[n]! < numbers[n - 1]!) return false;
  return true;
}

/** Whether no end (but the text's own) falls inside a UTF-8 character (on a continuation byte). */
function boundaries(bytes: Uint8Array, ends: Int32Array): boolean {
  for (let n = 1; n < ends.length - 1; n++) if ((bytes[ends[n]!]! & 0xc0) === 0x80) return false;
  return true;
}

/** Whether every number lies from `lowest` to `highest`. */
function within(numbers: Narrow | Uint8Array, lowest: number, highest: number): boolean {
  for (let n = 0; n < numbers.length; n++)
    if (numbers[n]! < lowest || numbers[n]! > highest) return false;
  return true;
}

/**
 * Whether the paths are in listing order, each once (each before the next in the engine's string
 * order), compared as bytes where they are: UTF-8 orders as UTF-16 up to the first byte that
 * differs unless both are past ASCII, and only then are the two paths decoded and compared.
 */
function inListingOrder(paths: Strings): boolean {
  const { bytes, ends } = paths;
  for (let at = 1; at < paths.length; at++) {
    const a = ends[at - 1]!;
    const b = ends[at]!;
    const shorter = Math.min(b - a, ends[at + 1]! - b);
    let k = 0;
    while (k < shorter && bytes[a + k] === bytes[b + k]) k++;
    if (k === shorter) {
      // One starts the other: the shorter first, and never the same path twice.
      if (b - a >= ends[at + 1]! - b) return false;
    } else if (bytes[a + k]! >= 0x80 && bytes[b + k]! >= 0x80) {
      if (!(paths.at(at - 1) < paths.at(at))) return false;
    } else if (bytes[a + k]! > bytes[b + k]!) return false;
  }
  return true;
}

/**
 * Reads a snapshot file back; undefined when it is not one, is of another version or key, or is
 * damaged anywhere its shape or a section's CRC-32 can tell (a file a run must never trust: it
 * is read, checked, and otherwise ignored, never a reason to throw). Every section the estate is
 * assembled from is checked here, with no string made (see filesOf); the graph's only when it
 * is asked for (`graph`), and a damaged one reads as none (the graph is then built). A change's
 * or release's data is checked when first read (StoredFiles.data): one that does not check
 * reads as none, and its record is read from its file.
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
  idCodes: Narrow,
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
    if (!listsFit(offsets, codes[listColumns[list]!]!) || !targetsFit(targets, idCodes, strings))
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
  readonly size: number;
  /** The id of a node, made (once) when asked for. */
  readonly #idAt: (node: number) => string;

  constructor(size: number, idAt: (node: number) => string) {
    this.size = size;
    this.#idAt = idAt;
  }

  get(id: string): number | undefined {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#idAt(middle) < id) low = middle + 1;
      else high = middle;
    }
    return low < this.size && this.#idAt(low) === id ? low : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  forEach(each: (node: number, id: string, map: ReadonlyMap<string, number>) => void): void {
    for (let node = 0; node < this.size; node++) each(node, this.#idAt(node), this);
  }

  entries(): MapIterator<[string, number]> {
    return Array.from({ length: this.size }, (_, node): [string, number] => [
      this.#idAt(node),
      node,
    ]).values();
  }

  keys(): MapIterator<string> {
    return Array.from({ length: this.size }, (_, node) => this.#idAt(node)).values();
  }

  values(): MapIterator<number> {
    return Array.from({ length: this.size }, (_, node) => node).values();
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/**
 * A list of strings each made when first read (and kept), for the graph's ids, names and
 * classes: a run reads those of a few of 100,000 nodes. An array to every reader (indexes,
 * `length`, its methods, its keys).
 */
function lazyStrings(size: number, make: (n: number) => string): readonly string[] {
  const made = new Array<string>(size);
  const indexOf = (key: string | symbol): number => {
    if (typeof key !== 'string') return -1;
    const n = Number(key);
    return Number.isInteger(n) && n >= 0 && n < size && String(n) === key ? n : -1;
  };
  const at = (n: number) => (made[n] ??= make(n));
  return new Proxy(made, {
    get: (target, key, receiver) => {
      const n = indexOf(key);
      return n >= 0 ? at(n) : (Reflect.get(target, key, receiver) as unknown);
    },
    has: (target, key) => indexOf(key) >= 0 || Reflect.has(target, key),
    ownKeys: (target) => [
      ...Array.from({ length: size }, (_, n) => String(n)),
      ...Reflect.ownKeys(target).filter((key) => indexOf(key) < 0),
    ],
    getOwnPropertyDescriptor: (target, key) => {
      const n = indexOf(key);
      return n >= 0
        ? { value: at(n), writable: true, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/**
 * The graph of the `g.*` sections, undefined when a part is missing, damaged or does not fit
 * the others (or the CIs, for the ids its order names).
 */
function graphOf(sections: Sections, files: StoredFiles): CmdbGraph | undefined {
  const order = sections.int32('g.order');
  const named = order && files.graphNodes(order);
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
  const { ids, names, classes, idAt } = named;
  const size = order.length;
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
    index: new SortedIndex(size, idAt),
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
 * Each file's first record (its records follow on), and the files parsed every run (count -1);
 * undefined when a count is below -2 or the counts do not add up to the records.
 */
function firstsOf(counts: Narrow, records: number, reparsed: number[]): Int32Array | undefined {
  const first = new Int32Array(counts.length);
  let record = 0;
  for (let at = 0; at < counts.length; at++) {
    const count = counts[at]!;
    first[at] = record;
    if (count > 0) record += count;
    else if (count === -1) reparsed.push(at);
    else if (count < -2) return undefined;
  }
  return record === records ? first : undefined;
}

/**
 * Per record its place among the CIs (`ciRecord`, of as many CIs as the CI columns hold) or
 * among the others (`slot`); how many others, or -1 when a kind is none or the CIs do not fit.
 */
function slotsOf(k: Uint8Array, slot: Int32Array, ciRecord: Int32Array): number {
  let ci = 0;
  let other = 0;
  for (let record = 0; record < k.length; record++) {
    const kind = k[record]!;
    if (kind === 0) {
      if (ci === ciRecord.length) return -1;
      ciRecord[ci] = record;
      slot[record] = ci++;
    } else if (kind < kinds.length) slot[record] = other++;
    else return -1;
  }
  return ci === ciRecord.length ? other : -1;
}

/**
 * Per record whose id starts its file's name, where the id starts in the paths' bytes; undefined
 * when a file's name starts past its path, an id's code names no `i` string, or an id runs past
 * its file's name (or, in paths beyond ASCII, starts or ends inside a character).
 */
function idStartsOf(
  codes: Narrow,
  counts: Narrow,
  first: Int32Array,
  nameStarts: Narrow,
  paths: Strings,
  idStrings: number,
): Int32Array | undefined {
  const starts = new Int32Array(codes.length);
  const { ends, bytes, ascii } = paths;
  for (let at = 0; at < counts.length; at++) {
    const count = counts[at]!;
    if (count <= 0) continue;
    const name = ends[at]! + nameStarts[at]!;
    const end = ends[at + 1]!;
    if (nameStarts[at]! < 0 || name > end) return undefined;
    for (let record = first[at]!; record < first[at]! + count; record++) {
      const code = codes[record]!;
      if (code < -idStrings) return undefined;
      if (code <= 0) continue;
      if (name + code > end) return undefined;
      if (
        !ascii &&
        !(onBoundary(bytes, name) && (name + code === end || onBoundary(bytes, name + code)))
      )
        return undefined;
      starts[record] = name;
    }
  }
  return starts;
}

/** Whether a byte starts a UTF-8 character (is no continuation byte). */
const onBoundary = (bytes: Uint8Array, at: number) => (bytes[at]! & 0xc0) !== 0x80;

/** Whether the offsets rise, and only a CI whose code says so has a list. */
function listsFit(offsets: Int32Array, codes: Narrow): boolean {
  for (let ci = 0; ci < codes.length; ci++) {
    const from = offsets[ci]!;
    const to = offsets[ci + 1]!;
    if (to < from || (to !== from && codes[ci] !== listCode)) return false;
  }
  return true;
}

/** Whether every position names a string, and none a record without an id (its code 0). */
function targetsFit(targets: Int32Array, idCodes: Narrow, strings: number): boolean {
  const records = idCodes.length;
  for (let k = 0; k < targets.length; k++) {
    const target = targets[k]!;
    if (target < 0 || target >= strings || (target < records && idCodes[target] === 0))
      return false;
  }
  return true;
}

/**
 * Whether every place is a CI with an id and the ids ascend (as a graph's nodes do), compared as
 * bytes where they lie (a name's prefix in the paths, or an id written whole), as
 * inListingOrder compares paths: `idOf` is asked only where both bytes are past ASCII.
 */
function idsAscend(
  order: Int32Array,
  ciRecord: Int32Array,
  ip: Narrow,
  idStarts: Int32Array,
  p: Strings,
  i: Strings,
  idOf: (record: number) => string,
): boolean {
  let before: Uint8Array = p.bytes;
  let from = 0;
  let to = 0;
  let last = -1;
  for (let node = 0; node < order.length; node++) {
    const ci = order[node]!;
    if (ci < 0 || ci >= ciRecord.length) return false;
    const record = ciRecord[ci]!;
    const code = ip[record]!;
    if (code === 0) return false;
    const bytes = code > 0 ? p.bytes : i.bytes;
    const start = code > 0 ? idStarts[record]! : i.ends[-code - 1]!;
    const end = code > 0 ? start + code : i.ends[-code]!;
    if (last >= 0) {
      const shorter = Math.min(to - from, end - start);
      let k = 0;
      while (k < shorter && before[from + k] === bytes[start + k]) k++;
      if (k === shorter) {
        if (to - from >= end - start) return false;
      } else if (before[from + k]! >= 0x80 && bytes[start + k]! >= 0x80) {
        if (!(idOf(last) < idOf(record))) return false;
      } else if (before[from + k]! > bytes[start + k]!) return false;
    }
    before = bytes;
    from = start;
    to = end;
    last = record;
  }
  return true;
}

/** The findings of the files that have none: one array, frozen, shared by 100,000 entries. */
const noFindings: Finding[] = Object.freeze([]) as unknown as Finding[];

/** The checked parts of a snapshot's files (filesOf), as StoredFiles reads them. */
interface FileParts {
  p: Strings;
  e: Narrow;
  k: Uint8Array;
  d: Narrow;
  /** Per record its id's code (see encodeSnapshot), and where a name's prefix starts. */
  ip: Narrow;
  idStarts: Int32Array;
  i: Strings;
  rs: Strings;
  /** The changes' and releases' data texts: read (and checked) when first asked for. */
  x: () => Strings | undefined;
  /** Their schedules' texts, two each (see SnapshotContents.schedule): read when first asked for. */
  w: () => Strings | undefined;
  /** Whether a run without a base evaluates each (see SnapshotContents.evaluated): read when first asked for. */
  u: () => Uint8Array | undefined;
  first: Int32Array;
  slot: Int32Array;
  ciRecord: Int32Array;
  reparsed: number[];
  codes: Narrow[];
  pools: Array<Strings | undefined>;
  others: unknown[][];
  lists: CiColumns['lists'];
  readBy: Map<number, Finding[]>;
  parseBy: Map<number, Finding[]>;
  badBy: Map<number, string | null>;
}

/**
 * The record files of a snapshot as its columns, checked when decoded: a file or a record is
 * a position, and a run makes objects only for what it uses (a record for each indexed id, the
 * parsed form of a changed file's old version), never a file entry for each of 100,000 files.
 * No string is made when decoded: a path, an id or a pooled value is decoded from the file's
 * bytes when first asked for (ids and pooled values then kept), a change's data parsed and
 * checked when first read.
 */
export class StoredFiles implements RecordOrigin {
  /** How many files the commit listed. */
  readonly length: number;
  /** The files parsed on every run (their records are not plain data): by position. */
  readonly reparsed: readonly number[];
  /** The CIs' columns, shared by every stored CI. */
  readonly cis: CiColumns;
  readonly #parts: FileParts;
  /** Each record's id once made (null: it has none), and each string past the records. */
  readonly #ids: Array<string | null>;
  /** How many CIs' ids are made (see graphNodes). */
  #madeCiIds = 0;
  readonly #names: string[];
  /** Each change's and release's data once read (null: it did not check). */
  readonly #data: Array<unknown>;
  #x: Strings | null | undefined;
  #w: Strings | null | undefined;
  #u: Uint8Array | null | undefined;

  constructor(parts: FileParts) {
    this.#parts = parts;
    this.length = parts.e.length;
    this.reparsed = parts.reparsed;
    const records = parts.k.length;
    this.#ids = new Array<string | null>(records);
    this.#names = new Array<string>(parts.rs.length);
    this.#data = new Array<unknown>(records - parts.ciRecord.length);
    const { codes, pools, others, lists, ciRecord } = parts;
    // Each pooled string made once: 100,000 CIs of four classes make four strings, not 100,000.
    const made = pools.map((pool) => new Array<string>(pool?.length ?? 0));
    const strings = records + parts.rs.length;
    // Every stored CI is its position in these columns: no view object each.
    this.cis = {
      fields: ciColumns,
      columns: codes,
      /** A non-list column's value for a code from firstString on, or below 0. */
      value: (column: number, code: number): unknown => {
        if (code < 0) return others[column]![-code - 1];
        const at = code - firstString;
        return (made[column]![at] ??= pools[column]!.at(at));
      },
      lists,
      name: (position) =>
        position < records
          ? this.#idOf(position)!
          : (this.#names[position - records] ??= parts.rs.at(position - records)),
      strings,
      id: (at) => this.#idOf(ciRecord[at]!) ?? undefined,
    };
  }

  /** The record's id, made when first asked for; null when it has none. */
  #idOf(record: number): string | null {
    const known = this.#ids[record];
    if (known !== undefined) return known;
    const { ip, idStarts, p, i } = this.#parts;
    const code = ip[record]!;
    const start = idStarts[record]!;
    const id = code > 0 ? p.slice(start, start + code) : code < 0 ? i.at(-code - 1) : null;
    this.#ids[record] = id;
    if (this.#parts.k[record] === 0) this.#madeCiIds++;
    return id;
  }

  /** The path of the file at a position (positions follow the listing order). */
  path(file: number): string {
    return this.#parts.p.at(file);
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
    return this.#parts.e[file]!;
  }

  /** Why the file could not be read (size cap, encoding). */
  readFindings(file: number): readonly Finding[] {
    const by = this.#parts.readBy;
    return (by.size && by.get(file)) || noFindings;
  }

  /** The file's parse and schema findings. */
  findings(file: number): Finding[] {
    const by = this.#parts.parseBy;
    return (by.size && by.get(file)) || noFindings;
  }

  /** The file's first record (its records follow on). */
  first(file: number): number {
    return this.#parts.first[file]!;
  }

  kind(record: number): Exclude<RecordKind, 'Policy'> {
    return kinds[this.#parts.k[record]!]!;
  }

  /** The record's id, undefined when it has no usable one (it is then not indexed). */
  id(record: number): string | undefined {
    return this.#idOf(record) ?? undefined;
  }

  doc(record: number): number {
    return this.#parts.d[record]!;
  }

  /** Set when the record's id breaks its schema, with its corrected form when there is one. */
  badId(record: number): { corrected?: string } | undefined {
    const by = this.#parts.badBy;
    const bad = by.size === 0 ? undefined : by.get(record);
    return bad === undefined ? undefined : bad === null ? {} : { corrected: bad };
  }

  /** The record's place among the CIs' columns (for a CI) or its data (for any other kind). */
  slot(record: number): number {
    return this.#parts.slot[record]!;
  }

  /**
   * A change's or release's data, parsed when first read and checked then: plain data of its
   * kind and id. Undefined when it is not (a snapshot that was written otherwise, or its texts'
   * section damaged): the caller reads the record from its file instead, as a full load does,
   * so that a part found wrong this late changes nothing a run reports.
   */
  data(record: number): unknown {
    // A CI's data is not held (StoredRecord reads its file): its slot is a place among the CIs.
    if (this.#parts.k[record] === 0) return undefined;
    const slot = this.#parts.slot[record]!;
    let data = this.#data[slot];
    if (data === undefined) data = this.#data[slot] = this.#checkedData(record, slot) ?? null;
    return data ?? undefined;
  }

  /**
   * What the collision rule reads of a change (its schedule's start and end texts, '' when it is
   * not pending with both: see SnapshotContents.schedule), with no data parsed; undefined when the
   * snapshot holds none or its section is damaged (the caller reads the data, as a full load).
   */
  schedule(record: number): readonly [start: string, end: string] | undefined {
    if (this.#parts.k[record] === 0) return undefined;
    if (this.#w === undefined) {
      const w = this.#parts.w();
      this.#w = w?.length === 2 * this.#data.length ? w : null;
    }
    if (this.#w === null) return undefined;
    const slot = this.#parts.slot[record]!;
    return [this.#w.at(2 * slot), this.#w.at(2 * slot + 1)];
  }

  /**
   * Whether a run without a base evaluates the change or release (see SnapshotContents.evaluated),
   * with no data parsed; undefined when the snapshot holds no such section or it does not fit
   * (one byte, 0 or 1, per change and release): the caller reads the data, as a full load.
   */
  evaluated(record: number): boolean | undefined {
    if (this.#parts.k[record] === 0) return undefined;
    if (this.#u === undefined) {
      const u = this.#parts.u();
      this.#u = u?.length === this.#data.length && u.every((flag) => flag <= 1) ? u : null;
    }
    if (this.#u === null) return undefined;
    return this.#u[this.#parts.slot[record]!] === 1;
  }

  #checkedData(record: number, slot: number): unknown {
    if (this.#x === undefined) this.#x = this.#parts.x() ?? null;
    if (this.#x === null) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(this.#x.at(slot));
    } catch {
      return undefined;
    }
    const kind = this.kind(record);
    const id = this.#idOf(record);
    if (!isObject(data) || data.kind !== kind) return undefined;
    if (id !== null ? data.id !== id : typeof data.id === 'string' && data.id !== '')
      return undefined;
    return isPlainJson(data, 200) ? data : undefined;
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
    const ciRecord = this.#parts.ciRecord;
    for (let node = 0; node < size; node++) {
      const ci = order[node]!;
      if (ci < 0 || ci >= ciRecord.length) return undefined;
      const id = this.#idOf(ciRecord[ci]!);
      if (id === null || (node > 0 && !(ids[node - 1]! < id))) return undefined;
      ids[node] = id;
      // A column's code from firstString on is a string: any other value is none.
      const name = nameCodes[ci]!;
      const kind = classCodes[ci]!;
      names[node] = name >= firstString ? (this.cis.value(nameColumn, name) as string) : id;
      classes[node] = kind >= firstString ? (this.cis.value(classColumn, kind) as string) : '';
    }
    return { ids, names, classes };
  }

  /**
   * What graphNames gives, each name and class made when first read: a run reads those of a few
   * of 100,000 nodes. The ids are checked with no string made (compared as bytes where they lie),
   * each made when first read; but when the run has made every CI's id already (a run through
   * the snapshot indexes every CI by its id), they are a plain array of those strings,
   * checked as strings: a list that made each id on its first read is a proxy, and reading a
   * proxy costs a trap each time (a warm check's impact traces read 90,000 ids). `idAt` is a
   * node's id as `ids` gives it, without going through the list.
   */
  graphNodes(order: Int32Array):
    | {
        ids: readonly string[];
        names: readonly string[];
        classes: readonly string[];
        idAt: (node: number) => string;
      }
    | undefined {
    const { ciRecord, ip, idStarts, p, i } = this.#parts;
    const recordOf = (node: number) => ciRecord[order[node]!]!;
    const made = this.#madeCiIds === ciRecord.length ? this.#madeIdsOf(order) : undefined;
    if (made === null) return undefined;
    if (!made && !idsAscend(order, ciRecord, ip, idStarts, p, i, (record) => this.#idOf(record)!))
      return undefined;
    const [nameColumn, classColumn] = [ciColumns.indexOf('name'), ciColumns.indexOf('class')];
    const nameCodes = this.cis.columns[nameColumn]!;
    const classCodes = this.cis.columns[classColumn]!;
    const idAt = (node: number) => this.#idOf(recordOf(node))!;
    // A column's code from firstString on is a string: any other value is none.
    const named = (column: number, codes: ArrayLike<number>, none: (node: number) => string) =>
      lazyStrings(order.length, (node) => {
        const code = codes[order[node]!]!;
        return code >= firstString ? (this.cis.value(column, code) as string) : none(node);
      });
    return {
      ids: made ?? lazyStrings(order.length, idAt),
      names: named(nameColumn, nameCodes, idAt),
      classes: named(classColumn, classCodes, () => ''),
      idAt,
    };
  }

  /**
   * The made ids of the CIs at these places, as graphNames checks them (each place a CI with an
   * id, the ids ascending); null when they are not.
   */
  #madeIdsOf(order: Int32Array): string[] | null {
    const ciRecord = this.#parts.ciRecord;
    const ids = new Array<string>(order.length);
    let previous: string | null = null;
    for (let node = 0; node < order.length; node++) {
      const ci = order[node]!;
      if (ci < 0 || ci >= ciRecord.length) return null;
      const id = this.#idOf(ciRecord[ci]!);
      if (id === null || (previous !== null && !(previous < id))) return null;
      ids[node] = previous = id;
    }
    return ids;
  }

  /** Whether any record of the file is a CI. */
  holdsCi(file: number): boolean {
    const { e, k, first } = this.#parts;
    const count = e[file]!;
    for (let record = first[file]!; record < first[file]! + Math.max(count, 0); record++)
      if (k[record] === 0) return true;
    return false;
  }
}

/**
 * After how many strings read the texts of the changes' data, their schedules and the pooled CI values are
 * copied whole (Strings.slice): a pull request reads a few, a warm check all 5,000 changes'.
 */
const wholeAfter = 64;

/**
 * The files of the sections, or undefined when any part does not fit the others. Every check
 * is a loop over typed arrays or the bytes of a text: no string is made for a file or a record.
 */
function filesOf(sections: Sections): StoredFiles | undefined {
  const e = sections.narrow('e');
  if (!e) return undefined;
  const files = e.length;
  // Copied whole when first sliced: a run may ask for every id, each a slice of a path.
  const p = sections.strings('p', files, 0);
  const pn = sections.narrow('pn', files);
  const k = sections.uint8('k');
  if (!p || !pn || !k || !inListingOrder(p)) return undefined;
  const records = k.length;
  const reparsed: number[] = [];
  const first = firstsOf(e, records, reparsed);
  const d = sections.narrow('d', records);
  if (!first || !d || !within(d, 0, 0x7fffffff)) return undefined;
  // Findings only for a file that was read (count not -1), parse findings for one parsed.
  const rf = sections.json('rf');
  const pf = sections.json('pf');
  if (!pairsOf<Finding[]>(rf, files, isFindings) || !pairsOf<Finding[]>(pf, files, isFindings))
    return undefined;
  if (rf.some(([at]) => e[at] === -1) || pf.some(([at]) => e[at]! < 0)) return undefined;
  const b = sections.json('b');
  if (!pairsOf<string | null>(b, records, (v) => v === null || typeof v === 'string'))
    return undefined;
  const ip = sections.narrow('ip', records);
  const i = sections.strings('i');
  const rs = sections.strings('rs');
  if (!ip || !i || !rs) return undefined;
  const idStarts = idStartsOf(ip, e, first, pn, p, i.length);
  if (!idStarts) return undefined;
  // As many CIs as the first CI column has codes: the kinds say the same, or the file is not ours.
  const cis = sections.narrow('c0')?.length ?? 0;
  const slot = new Int32Array(records);
  const ciRecord = new Int32Array(cis);
  const others = slotsOf(k, slot, ciRecord);
  if (others < 0) return undefined;
  const strings = records + rs.length;
  // Per column its codes, its strings (not for a list column) and its other values.
  const codes: Narrow[] = [];
  const pools: Array<Strings | undefined> = [];
  const values: unknown[][] = [];
  for (let column = 0; column < ciColumns.length; column++) {
    const list = listColumns.includes(column);
    const code = sections.narrow(`c${column}`, cis);
    const pool = list ? undefined : sections.strings(`v${column}`, undefined, wholeAfter);
    const other = sections.json(`o${column}`);
    if (!code || (!list && !pool) || !Array.isArray(other)) return undefined;
    const highest = pool ? pool.length : listCode;
    if (!within(code, -other.length, highest)) return undefined;
    codes.push(code);
    pools.push(pool);
    values.push(other);
  }
  const lists = listsOf(sections, codes, ip, strings, cis);
  if (!lists) return undefined;
  return new StoredFiles({
    p,
    e,
    k,
    d,
    ip,
    idStarts,
    i,
    rs,
    x: () => sections.strings('x', others, wholeAfter),
    w: () => sections.strings('w', 2 * others, wholeAfter),
    u: () => sections.uint8('u'),
    first,
    slot,
    ciRecord,
    reparsed,
    codes,
    pools,
    others: values,
    lists,
    readBy: new Map(rf),
    parseBy: new Map(pf),
    badBy: new Map(b),
  });
}
