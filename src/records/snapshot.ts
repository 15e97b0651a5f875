import type { Finding, Severity } from './finding.js';
import { isRecordKind, type RecordKind } from './kinds.js';
import type { ParsedRecordFile } from './load.js';
import type { CiColumns } from './stored-record.js';

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
  /** The impact graph of the commit's CIs, as encodeGraph wrote it (read only when used). */
  graph?: string;
}

/** What a snapshot is written of: a full load's files, as entries. */
export interface SnapshotContents {
  key: SnapshotKey;
  commit: string;
  /** Every record file listed at the commit, in listing order. */
  entries: SnapshotEntry[];
  graph?: string;
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
export const snapshotFormat = 'changeops-snapshot/4';

/** The fields of a CI that integrity and the impact graph read (its view), `id` first. */
const ciFields = ['id', 'name', 'class', 'criticality', 'environment', 'dependsOn', 'partOf'];
/** The columns of a CI's view in the snapshot: its id is the record's own. */
const ciColumns = ciFields.slice(1);
/** The columns whose lists of ids are held as positions (interned), not as JSON strings. */
const listColumns = ['dependsOn', 'partOf'].map((field) => ciColumns.indexOf(field));

const kinds = ['ConfigurationItem', 'Change', 'Release'] as const;

/**
 * The entries as columns (one JSON line): arrays of strings and numbers parse several times
 * faster than 100,000 small objects and leave far less garbage. `e` says per entry how many
 * records it holds (-1: parsed every run, -2: not readable); then per record its kind, id and
 * document; a CI's view as one column per field (null for a field it lacks, `nl` naming the
 * fields that are null indeed); a change's and release's data whole (`x`), in record order.
 */
interface Columns {
  p: string[];
  e: number[];
  rf: Array<[number, Finding[]]>;
  pf: Array<[number, Finding[]]>;
  k: number[];
  i: Array<string | null>;
  d: number[];
  b: Array<[number, string | null]>;
  c: unknown[][];
  nl: Array<[number, number]>;
  vx: Array<[number, Record<string, unknown>]>;
  x: unknown[];
  /** Per list column, its lists' offsets (one per CI, and the end) and positions, in base64. */
  lo: string[];
  lt: string[];
  /** The strings lists name that are no record's id: positions from `i.length` on. */
  rs: string[];
}

/** Base64 of an Int32Array's bytes (little-endian on every platform node runs on here). */
const base64 = (array: Int32Array) =>
  Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

/** An array of strings, the shape every list of ids a schema-valid CI has takes. */
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * Writes a snapshot as text: a header line, the entries as columns, the graph's line. A CI's
 * data is not held (100,000 of them are most of an estate), only its view: a run that needs
 * more of one reads its file again.
 */
export function encodeSnapshot(snapshot: SnapshotContents): string {
  const columns: Columns = {
    p: [],
    e: [],
    rf: [],
    pf: [],
    k: [],
    i: [],
    d: [],
    b: [],
    c: ciColumns.map(() => []),
    nl: [],
    vx: [],
    x: [],
    lo: [],
    lt: [],
    rs: [],
  };
  // The lists of ids, by list column, as they stand: interned once every id is known.
  const lists: string[][][] = listColumns.map(() => []);
  snapshot.entries.forEach((entry, index) => {
    columns.p.push(entry.path);
    if (entry.reparse) {
      columns.e.push(-1);
      return;
    }
    if (entry.readFindings.length) columns.rf.push([index, entry.readFindings]);
    const parsed = entry.parsed;
    if (!parsed) {
      columns.e.push(-2);
      return;
    }
    columns.e.push(parsed.records.length);
    if (parsed.findings.length) columns.pf.push([index, parsed.findings]);
    for (const record of parsed.records) {
      const at = columns.k.length;
      columns.k.push(kinds.indexOf(record.kind as (typeof kinds)[number]));
      columns.i.push(record.id ?? null);
      columns.d.push(record.doc);
      if (record.badId) columns.b.push([at, record.badId.corrected ?? null]);
      if (record.kind !== 'ConfigurationItem') {
        columns.x.push(record.data);
        continue;
      }
      const ci = columns.c[0]!.length;
      const data = record.data as Record<string, unknown>;
      ciColumns.forEach((field, column) => {
        const has = Object.prototype.hasOwnProperty.call(data, field);
        const value = has ? data[field] : null;
        const list = listColumns.indexOf(column);
        if (list >= 0) {
          // 1: the list is held as positions; a value that is no list of strings, wrapped.
          lists[list]!.push(has && isStringList(value) ? value : []);
          columns.c[column]!.push(!has ? null : isStringList(value) ? 1 : [value]);
          return;
        }
        columns.c[column]!.push(value);
        if (has && value === null) columns.nl.push([ci, column]);
      });
      // A CI without a usable id is not indexed; its view is held whole, as it is.
      if (record.id === undefined) columns.vx.push([ci, viewOfCi(data)]);
    }
  });
  // A list names ids by their first record's position (or past the records, `rs`): 100,000
  // lists of strings are then four typed arrays, read back without an object each.
  const position = new Map<string, number>();
  columns.i.forEach((id, at) => {
    if (id !== null && !position.has(id)) position.set(id, at);
  });
  for (const list of lists) {
    const offsets = new Int32Array(list.length + 1);
    let size = 0;
    list.forEach((ids, ci) => (offsets[ci + 1] = size += ids.length));
    const targets = new Int32Array(size);
    let k = 0;
    for (const ids of list)
      for (const id of ids) {
        let at = position.get(id);
        if (at === undefined) {
          position.set(id, (at = columns.i.length + columns.rs.length));
          columns.rs.push(id);
        }
        targets[k++] = at;
      }
    columns.lo.push(base64(offsets));
    columns.lt.push(base64(targets));
  }
  const header = { format: snapshotFormat, key: snapshot.key, commit: snapshot.commit };
  const graph = snapshot.graph ?? '';
  return asciiOnly(`${JSON.stringify(header)}\n${JSON.stringify(columns)}\n${graph}\n`);
}

/**
 * The text with every character beyond ASCII written as a JSON escape (they stand only inside
 * JSON strings): a snapshot file is then ASCII, read back as Latin-1 (copied, not decoded as
 * UTF-8) without a scan of its 20 MB for whether it may be.
 */
function asciiOnly(text: string): string {
  return text.replace(
    /[\u0080-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
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

/** A CI's view: the fields of ciFields that its data has. */
function viewOfCi(data: Record<string, unknown>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of ciFields)
    if (Object.prototype.hasOwnProperty.call(data, field)) view[field] = data[field];
  return view;
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

/** An array of `length` items each passing `item` (no holes: JSON gives none). */
function arrayOf<T>(value: unknown, item: (v: unknown) => boolean, length?: number): value is T[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((v) => item(v))
  );
}

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

/**
 * Reads a snapshot back; undefined when the text is not one, is of another version or key, or
 * is damaged anywhere its shape can tell (a file a run must never trust: it is read, checked,
 * and otherwise ignored, never a reason to throw). Every change's and release's data is checked
 * here, as plain data of its kind and id, so no record read later can fail.
 */
export function decodeSnapshot(text: string, key: SnapshotKey): Snapshot | undefined {
  try {
    const first = text.indexOf('\n');
    const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
    if (second < 0 || text.indexOf('\n', second + 1) !== text.length - 1) return undefined;
    const header = JSON.parse(text.slice(0, first)) as unknown;
    if (!isObject(header) || header.format !== snapshotFormat) return undefined;
    const stored = header.key;
    if (
      !isObject(stored) ||
      stored.build !== key.build ||
      stored.policy !== key.policy ||
      stored.changes !== key.changes ||
      stored.cmdb !== key.cmdb ||
      typeof header.commit !== 'string' ||
      !/^[0-9a-f]{40,64}$/.test(header.commit)
    )
      return undefined;
    const raw = JSON.parse(text.slice(first + 1, second)) as unknown;
    const files = filesOf(raw);
    if (!files) return undefined;
    // A copy, not a slice: a slice would keep the whole text (tens of MB) alive for the run.
    const graph = Buffer.from(text.slice(second + 1, -1), 'utf8').toString('utf8');
    return { key, commit: header.commit, files, ...(graph ? { graph } : {}) };
  } catch {
    return undefined;
  }
}

/** An Int32Array of base64 bytes, copied so that it starts aligned; undefined when it cannot be one. */
function int32Of(value: unknown): Int32Array | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = new Uint8Array(Buffer.from(value, 'base64'));
  return bytes.length % 4 === 0 ? new Int32Array(bytes.buffer, 0, bytes.length / 4) : undefined;
}

/**
 * The interned lists of the list columns, by column: each CI's positions from `offsets[ci]` to
 * `offsets[ci + 1]`, each naming a record's id or one of `rs`; undefined when any part does not
 * fit (a position past the strings or at a record without an id, a list where the column says
 * none, offsets that fall back).
 */
function listsOf(
  lo: unknown,
  lt: unknown,
  rs: unknown,
  c: unknown[][],
  i: Array<string | null>,
  cis: number,
): CiColumns['lists'] | undefined {
  if (!arrayOf<string>(rs, (v) => typeof v === 'string')) return undefined;
  const strings = i.length + rs.length;
  const isText = (v: unknown) => typeof v === 'string';
  if (!arrayOf<string>(lo, isText, listColumns.length)) return undefined;
  if (!arrayOf<string>(lt, isText, listColumns.length)) return undefined;
  const lists: Array<{ offsets: Int32Array; targets: Int32Array } | undefined> = ciColumns.map(
    () => undefined,
  );
  for (let list = 0; list < listColumns.length; list++) {
    const offsets = int32Of(lo[list]);
    const targets = int32Of(lt[list]);
    if (!offsets || !targets || offsets.length !== cis + 1) return undefined;
    if (offsets[0] !== 0 || offsets[cis] !== targets.length) return undefined;
    const column = c[listColumns[list]!]!;
    for (let ci = 0; ci < cis; ci++) {
      const from = offsets[ci]!;
      const to = offsets[ci + 1]!;
      if (to < from) return undefined;
      const marker = column[ci];
      if (marker === 1) continue;
      if (to !== from) return undefined;
      if (marker !== null && !(Array.isArray(marker) && marker.length === 1)) return undefined;
    }
    for (const target of targets)
      if (target < 0 || target >= strings || (target < i.length && i[target] === null))
        return undefined;
    lists[listColumns[list]!] = { offsets, targets };
  }
  return lists;
}

/** The findings of the files that have none: one array, frozen, shared by 100,000 entries. */
const noFindings: Finding[] = Object.freeze([]) as unknown as Finding[];

/**
 * The record files of a snapshot as its columns, checked when decoded: a file or a record is
 * a position, and a run makes objects only for what it uses (a record for each indexed id, the
 * parsed form of a changed file's old version), never a file entry for each of 100,000 files.
 */
export class StoredFiles {
  /** How many files the commit listed. */
  readonly length: number;
  /** The files parsed on every run (their records are not plain data): by position. */
  readonly reparsed: readonly number[];
  /** The CIs' columns, shared by every stored CI. */
  readonly cis: CiColumns;
  readonly #p: readonly string[];
  readonly #e: readonly number[];
  readonly #k: readonly number[];
  readonly #i: ReadonlyArray<string | null>;
  readonly #d: readonly number[];
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
    p: string[];
    e: number[];
    k: number[];
    i: Array<string | null>;
    d: number[];
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
    this.length = parts.p.length;
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
    return this.#p[file]!;
  }

  /** The position of a path, or -1: a binary search, the paths being in listing order. */
  indexOf(path: string): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#p[middle]! < path) low = middle + 1;
      else high = middle;
    }
    return low < this.length && this.#p[low] === path ? low : -1;
  }

  /** The file's records, -1 when it is parsed every run, -2 when it could not be read. */
  count(file: number): number {
    return this.#e[file]!;
  }

  /** Why the file could not be read (size cap, encoding). */
  readFindings(file: number): readonly Finding[] {
    return this.#readBy.get(file) ?? noFindings;
  }

  /** The file's parse and schema findings. */
  findings(file: number): Finding[] {
    return this.#parseBy.get(file) ?? noFindings;
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
    const bad = this.#badBy.get(record);
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
    for (let node = 0; node < size; node++) {
      const ci = order[node]!;
      if (ci < 0 || ci >= this.#ciRecord.length) return undefined;
      const id = this.#i[this.#ciRecord[ci]!];
      if (id === null || id === undefined || (node > 0 && !(ids[node - 1]! < id))) return undefined;
      ids[node] = id;
      const name = this.cis.columns[nameColumn]![ci];
      const kind = this.cis.columns[classColumn]![ci];
      names[node] = typeof name === 'string' ? name : id;
      classes[node] = typeof kind === 'string' ? kind : '';
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

/** The files of the columns, or undefined when any part does not fit the others. */
function filesOf(raw: unknown): StoredFiles | undefined {
  if (!isObject(raw)) return undefined;
  const { p, e, rf, pf, k, i, d, b, c, nl, vx, x, lo, lt, rs } = raw as Partial<
    Record<keyof Columns, unknown>
  >;
  if (!arrayOf<string>(p, (v) => typeof v === 'string')) return undefined;
  const files = p.length;
  if (!arrayOf<number>(e, (v) => Number.isInteger(v) && (v as number) >= -2, files))
    return undefined;
  if (!pairsOf<Finding[]>(rf, files, isFindings) || !pairsOf<Finding[]>(pf, files, isFindings))
    return undefined;
  if (!arrayOf<number>(k, isIndexIn(kinds.length))) return undefined;
  const records = k.length;
  if (!arrayOf<string | null>(i, (v) => v === null || (typeof v === 'string' && v !== ''), records))
    return undefined;
  if (!arrayOf<number>(d, isIndexIn(2 ** 31), records)) return undefined;
  if (!pairsOf<string | null>(b, records, (v) => v === null || typeof v === 'string'))
    return undefined;
  let cis = 0;
  for (const kind of k) if (kind === 0) cis++;
  if (!arrayOf<unknown[]>(c, (v) => Array.isArray(v) && v.length === cis, ciColumns.length))
    return undefined;
  if (!pairsOf<Record<string, unknown>>(vx, cis, isObject)) return undefined;
  if (!Array.isArray(nl)) return undefined;
  const nulls = new Set<number>();
  for (const pair of nl as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    if (!isIndexIn(cis)(pair[0]) || !isIndexIn(ciColumns.length)(pair[1])) return undefined;
    // A list column's null is wrapped ([null]), never named here.
    if (listColumns.includes(pair[1] as number)) return undefined;
    nulls.add((pair[0] as number) * ciColumns.length + (pair[1] as number));
  }
  if (!Array.isArray(x) || x.length !== records - cis) return undefined;
  const lists = listsOf(lo, lt, rs, c, i, cis);
  if (!lists) return undefined;
  const names = rs as string[];
  const readBy = new Map(rf);
  const parseBy = new Map(pf);
  const withView = new Set(vx.map(([ci]) => ci));
  const first = new Int32Array(files);
  const slot = new Int32Array(records);
  const ciRecord = new Int32Array(cis);
  const reparsed: number[] = [];
  let record = 0;
  let ci = 0;
  let other = 0;
  let previous = '';
  for (let at = 0; at < files; at++) {
    const path = p[at]!;
    // Listing order, each path once: a snapshot that says otherwise is not ours.
    if (path <= previous) return undefined;
    previous = path;
    first[at] = record;
    const count = e[at]!;
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
      const kind = kinds[k[record]!]!;
      const id = i[record]!;
      if (kind === 'ConfigurationItem') {
        // A CI without a usable id is held whole (`vx`) and never indexed: nothing reads it back.
        if (withView.has(ci) !== (id === null)) return undefined;
        ciRecord[ci] = record;
        slot[record] = ci++;
        continue;
      }
      const data = x[other];
      // The data of its kind and id, plain: one that is not means the file is not ours.
      if (!isObject(data) || data.kind !== kind) return undefined;
      if (id !== null ? data.id !== id : typeof data.id === 'string' && data.id !== '')
        return undefined;
      if (!isPlainData(data)) return undefined;
      slot[record] = other++;
    }
  }
  if (record !== records) return undefined;
  return new StoredFiles({
    p,
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
      columns: c,
      nulls,
      lists,
      name: (position) => (position < records ? i[position]! : names[position - records]!),
      strings: records + names.length,
      id: (at) => i[ciRecord[at]!] ?? undefined,
    },
  });
}
