import type { Finding, Severity } from './finding.js';
import { isRecordKind, type RecordKind } from './kinds.js';
import type { ParsedRecordFile } from './load.js';

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
  /** Every record file listed at the commit, in listing order. */
  entries: SnapshotEntry[];
  /** The impact graph of the commit's CIs, as encodeGraph wrote it (read only when used). */
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
export const snapshotFormat = 'changeops-snapshot/2';

/** The fields of a record that integrity and the impact graph read, by kind. */
const viewFields: Record<Exclude<RecordKind, 'Policy'>, readonly string[]> = {
  ConfigurationItem: ['id', 'name', 'class', 'criticality', 'environment', 'dependsOn', 'partOf'],
  Change: ['cis', 'release', 'template'],
  Release: ['changes'],
};

/** The view of a record's data: the fields of viewFields that it has. */
function viewOfData(kind: Exclude<RecordKind, 'Policy'>, data: unknown): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  const object = data as Record<string, unknown>;
  for (const field of viewFields[kind])
    if (Object.prototype.hasOwnProperty.call(object, field)) view[field] = object[field];
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

/**
 * Writes a snapshot as text: a header line, one line of entries, one line per change's and
 * release's data. A CI's data is not held (100,000 of them are most of an estate): a run that
 * needs more of one than its view reads its file again.
 */
export function encodeSnapshot(snapshot: Snapshot): string {
  const lines: string[] = [];
  const entries = snapshot.entries.map((entry) => {
    if (entry.reparse) return [entry.path, -1];
    const parsed = entry.parsed;
    return [
      entry.path,
      entry.readFindings.length ? entry.readFindings : 0,
      parsed
        ? [
            parsed.findings,
            parsed.records.map((record) => {
              if (record.kind !== 'ConfigurationItem') lines.push(JSON.stringify(record.data));
              return [
                record.kind,
                record.id ?? null,
                record.doc,
                record.badId ?? null,
                viewOfData(record.kind, record.data),
              ];
            }),
          ]
        : 0,
    ];
  });
  const header = { format: snapshotFormat, key: snapshot.key, commit: snapshot.commit };
  const graph = snapshot.graph ?? '';
  return `${JSON.stringify(header)}\n${JSON.stringify(entries)}\n${graph}\n${lines.join('\n')}\n`;
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

/**
 * Reads a snapshot back; undefined when the text is not one, is of another version or key, or
 * is damaged anywhere its shape can tell (a file a run must never trust: it is read, checked,
 * and otherwise ignored). Records' data stay text until read (StoredRecord).
 */
export function decodeSnapshot(text: string, key: SnapshotKey): Snapshot | undefined {
  try {
    const first = text.indexOf('\n');
    const second = text.indexOf('\n', first + 1);
    const third = second < 0 ? -1 : text.indexOf('\n', second + 1);
    if (first < 0 || third < 0 || !text.endsWith('\n')) return undefined;
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
    if (!Array.isArray(raw)) return undefined;
    const graph = text.slice(second + 1, third);
    const lines = text.slice(third + 1, -1);
    let at = 0;
    const nextLine = (): string | undefined => {
      if (at > lines.length) return undefined;
      let end = lines.indexOf('\n', at);
      if (end < 0) end = lines.length;
      const line = lines.slice(at, end);
      at = end + 1;
      return line.startsWith('{') && line.endsWith('}') ? line : undefined;
    };
    const entries: SnapshotEntry[] = [];
    let previous = '';
    for (const item of raw as unknown[]) {
      if (!Array.isArray(item) || typeof item[0] !== 'string') return undefined;
      const path = item[0];
      // Listing order, each path once: a snapshot that says otherwise is not ours.
      if (path <= previous) return undefined;
      previous = path;
      if (item[1] === -1 && item.length === 2) {
        entries.push({ path, readFindings: [], reparse: true });
        continue;
      }
      if (item.length !== 3) return undefined;
      const readFindings = item[1] === 0 ? [] : item[1];
      if (!isFindings(readFindings)) return undefined;
      const entry: SnapshotEntry = { path, readFindings };
      if (item[2] !== 0) {
        const parsedRaw = item[2] as unknown;
        if (!Array.isArray(parsedRaw) || parsedRaw.length !== 2) return undefined;
        const [findings, records] = parsedRaw as [unknown, unknown];
        if (!isFindings(findings) || !Array.isArray(records)) return undefined;
        const parsed: ParsedRecordFile = { path, records: [], findings };
        for (const record of records as unknown[]) {
          if (!Array.isArray(record) || record.length !== 5) return undefined;
          const [kind, id, doc, badId, view] = record as unknown[];
          if (kind === 'Policy' || !isRecordKind(kind)) return undefined;
          if (id !== null && (typeof id !== 'string' || id === '')) return undefined;
          if (!Number.isInteger(doc) || (doc as number) < 0) return undefined;
          if (badId !== null && !(isObject(badId) && isOptionalString(badId.corrected)))
            return undefined;
          if (!isObject(view)) return undefined;
          const line = kind === 'ConfigurationItem' ? '' : nextLine();
          if (line === undefined) return undefined;
          // Built field by field: 100,000 of these are made on a warm run.
          const entryRecord: ParsedRecordFile['records'][number] = {
            kind: kind as Exclude<RecordKind, 'Policy'>,
            doc: doc as number,
            data: undefined,
            stored: line === '' ? { view } : { line, view },
          };
          if (typeof id === 'string') entryRecord.id = id;
          if (badId !== null) {
            const corrected = (badId as { corrected?: string }).corrected;
            entryRecord.badId = corrected !== undefined ? { corrected } : {};
          }
          parsed.records.push(entryRecord);
        }
        entry.parsed = parsed;
      }
      entries.push(entry);
    }
    if (at < lines.length) return undefined;
    return { key, commit: header.commit, entries, ...(graph ? { graph } : {}) };
  } catch {
    return undefined;
  }
}

const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';
