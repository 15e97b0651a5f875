import * as YAML from 'yaml';
import type { SourcePosition } from './finding.js';

/** A path to a value inside a record: mapping keys and sequence indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** Where in a source file a record lives: the file and the index of its YAML document. */
export interface RecordSource {
  file: string;
  doc: number;
}

/**
 * Finds the line and column of any field of any record, on demand. Records are parsed with a
 * fast parser that keeps no positions; only files that have something to report are parsed a
 * second time, with the `yaml` package, to find where a field stands. Most files never are.
 */
export class SourceIndex {
  private readonly texts = new Map<string, string>();
  private readonly parsed = new Map<
    string,
    { docs: YAML.Document.Parsed[]; lines: YAML.LineCounter } | null
  >();

  /** Registers a file's text so positions in it can be found later. */
  add(file: string, text: string): void {
    this.texts.set(file, text);
    this.parsed.delete(file);
  }

  /** Whether the index holds the file. */
  has(file: string): boolean {
    return this.texts.has(file);
  }

  /**
   * The position of the field at `path` in a record; `key` points at the key rather than the
   * value (for a field that should not be there). A path that goes further than the file does
   * stops at the deepest part that exists, which is where a missing field belongs.
   */
  position(source: RecordSource, path: FieldPath = [], key = false): SourcePosition {
    const fallback = { file: source.file, line: 1, column: 1 };
    const entry = this.parse(source.file);
    const doc = entry?.docs[source.doc];
    if (!entry || !doc) return fallback;
    let node: unknown = doc.contents;
    let keyNode: YAML.Node | undefined;
    for (const segment of path) {
      if (YAML.isMap(node)) {
        const pair = node.items.find(
          (item) => YAML.isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        keyNode = pair.key as YAML.Node;
        node = pair.value ?? pair.key;
      } else if (
        YAML.isSeq(node) &&
        typeof segment === 'number' &&
        node.items[segment] !== undefined
      ) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        break;
      }
    }
    const target = key && keyNode ? keyNode : YAML.isNode(node) ? node : undefined;
    const offset = target?.range?.[0] ?? firstContentOffset(doc);
    const { line, col } = entry.lines.linePos(offset);
    return { file: source.file, line, column: col };
  }

  private parse(file: string) {
    if (this.parsed.has(file)) return this.parsed.get(file);
    const text = this.texts.get(file);
    let entry: { docs: YAML.Document.Parsed[]; lines: YAML.LineCounter } | null = null;
    if (text !== undefined) {
      const lines = new YAML.LineCounter();
      try {
        // Positions only: values are never converted, so aliases are never expanded here.
        const docs = YAML.parseAllDocuments(text, { lineCounter: lines, schema: 'core' });
        entry = { docs: Array.isArray(docs) ? (docs as YAML.Document.Parsed[]) : [], lines };
      } catch {
        entry = null;
      }
    }
    this.parsed.set(file, entry);
    return entry;
  }
}

function firstContentOffset(doc: YAML.Document.Parsed): number {
  const contents = doc.contents;
  return YAML.isNode(contents) && contents.range ? contents.range[0] : (doc.range?.[0] ?? 0);
}
