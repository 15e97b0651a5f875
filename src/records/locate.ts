import * as YAML from 'yaml';
import type { SourcePosition } from './finding.js';

/** A path to a value inside a record: mapping keys and sequence indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** Where in a source file a record lives: the file and the index of its YAML document. */
export interface RecordSource {
  file: string;
  doc: number;
}

type Token = YAML.CST.Token;

interface ParsedSource {
  /** The root node of each document, by document index. */
  documents: Array<{ offset: number; value: Token | undefined }>;
  lines: YAML.LineCounter;
}

const scalarTypes = new Set([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar',
]);

/**
 * Finds the line and column of any field of any record, on demand. Records are parsed with a
 * fast parser that keeps no positions; only files that have something to report are read a
 * second time, into the `yaml` package's concrete syntax tree (built without composing values
 * or resolving aliases, and without recursion), to find where a field stands.
 */
export class SourceIndex {
  private readonly texts = new Map<string, string>();
  private readonly parsed = new Map<string, ParsedSource | null>();

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
    const entry = this.parse(source.file);
    const doc = entry?.documents[source.doc];
    if (!entry || !doc) return { file: source.file, line: 1, column: 1 };
    let node = doc.value;
    let keyToken: Token | undefined;
    // An empty value (`description:`) has no token: it stands just after its colon.
    let emptyAt: number | undefined;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) break;
      node = next.value ?? next.key;
      keyToken = next.key;
      emptyAt = next.value ? undefined : next.emptyAt;
    }
    const target = key && keyToken ? keyToken : node;
    let offset =
      !key && emptyAt !== undefined ? emptyAt : target ? contentOffset(target) : doc.offset;
    if (!key && emptyAt !== undefined) {
      const text = this.texts.get(source.file) ?? '';
      while (text[offset] === ' ' || text[offset] === '\t') offset++;
    }
    const { line, col } = entry.lines.linePos(offset);
    return { file: source.file, line, column: col };
  }

  /**
   * How the value at `path` is written, for messages that quote the file: the source of a plain
   * (unquoted) scalar, such as `1.10`; or, when the value is empty, the comment that follows its
   * colon, such as `#123`. Undefined for anything else, or a path the file does not have.
   */
  writtenAs(
    source: RecordSource,
    path: FieldPath,
  ): { plain: string } | { comment: string } | undefined {
    const doc = this.parse(source.file)?.documents[source.doc];
    if (!doc) return undefined;
    let node = doc.value;
    let emptyAt: number | undefined;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) return undefined;
      node = next.value;
      emptyAt = next.value ? undefined : next.emptyAt;
    }
    if (node?.type === 'scalar') return { plain: node.source };
    if (node || emptyAt === undefined) return undefined;
    const text = this.texts.get(source.file) ?? '';
    const end = text.indexOf('\n', emptyAt);
    const rest = text.slice(emptyAt, end < 0 ? undefined : end).trim();
    return rest.startsWith('#') ? { comment: rest } : undefined;
  }

  private parse(file: string): ParsedSource | null {
    const known = this.parsed.get(file);
    if (known !== undefined) return known;
    const text = this.texts.get(file);
    let entry: ParsedSource | null = null;
    if (text !== undefined) {
      const lines = new YAML.LineCounter();
      try {
        const documents: ParsedSource['documents'] = [];
        for (const token of new YAML.Parser(lines.addNewLine).parse(text)) {
          if (token.type === 'document')
            documents.push({ offset: token.offset, value: token.value });
        }
        entry = { documents, lines };
      } catch {
        entry = null;
      }
    }
    this.parsed.set(file, entry);
    return entry;
  }
}

/** The item of a collection token that a path segment names: a key of a mapping, an index of a list. */
function child(
  node: Token | undefined,
  segment: string | number,
): { key?: Token; value?: Token; emptyAt?: number } | undefined {
  if (!node) return undefined;
  if (node.type === 'block-map' || (node.type === 'flow-collection' && node.start.source === '{')) {
    for (const item of node.items) {
      if (item.key && scalarTypes.has(item.key.type) && keyText(item.key) === String(segment)) {
        const colon = item.sep?.find((t) => t.type === 'map-value-ind');
        return {
          key: item.key,
          ...(item.value ? { value: item.value } : {}),
          ...(colon ? { emptyAt: colon.offset + 1 } : {}),
        };
      }
    }
    return undefined;
  }
  if (
    (node.type === 'block-seq' || node.type === 'flow-collection') &&
    typeof segment === 'number'
  ) {
    const item = node.items[segment];
    return item?.value ? { value: item.value } : undefined;
  }
  return undefined;
}

function keyText(token: Token): string | undefined {
  const resolved = YAML.CST.resolveAsScalar(token as YAML.CST.FlowScalar | YAML.CST.BlockScalar);
  return resolved ? resolved.value : undefined;
}

/** Where a node's content starts: past its anchor, tag and spaces, at the value itself. */
function contentOffset(token: Token): number {
  if (token.type === 'block-map' || token.type === 'block-seq') {
    const first = token.items[0];
    const start = first?.start.find(
      (t) => t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment',
    );
    return first?.key ? contentOffset(first.key) : start ? start.offset : token.offset;
  }
  return token.offset;
}
