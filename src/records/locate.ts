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

/** A file's concrete syntax tree as the `yaml` package builds it, with its line starts. */
export interface SyntaxTree {
  tokens: readonly Token[];
  lines: YAML.LineCounter;
}

interface ParsedSource {
  /** The root node of each document, by document index. */
  documents: Array<{ offset: number; value: Token | undefined }>;
  lines: YAML.LineCounter;
  /** Set when only the text before this offset was parsed. */
  cut?: number;
}

/** How much of a large file is parsed first to find positions in it. */
const headBytes = 64 * 1024;
/** How far before the cut a position must stand to be sure. */
const cutMargin = 1024;

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
  /** The syntax tree of each file's head (or of all of it, for a small file). */
  private readonly parsed = new Map<string, ParsedSource | null>();
  private readonly parsedWhole = new Map<string, ParsedSource | null>();

  /**
   * `load` reads a file's text when a position in a file not registered is asked for: a file
   * whose records came from a snapshot is read again only when something points into it.
   */
  constructor(private readonly load?: (file: string) => string | undefined) {}

  /** Whether a file's text can be read again when needed, so a file on disk need not be added. */
  get reloads(): boolean {
    return this.load !== undefined;
  }

  /**
   * Registers a file's text so positions in it can be found later; `syntax` is its syntax tree
   * when the parser already built one (a file with anchors), so it is not parsed again.
   */
  add(file: string, text: string, syntax?: SyntaxTree): void {
    const known = this.texts.size;
    this.texts.set(file, text);
    // Trees to forget only when some file has one (a position asked, a file with anchors) or this
    // file was registered before: otherwise one map operation per file, not three (105,000 files
    // at 100k CIs).
    if (this.texts.size === known || this.parsed.size > 0 || this.parsedWhole.size > 0) {
      this.parsedWhole.delete(file);
      this.parsed.delete(file);
    }
    if (!syntax) return;
    const documents: ParsedSource['documents'] = [];
    for (const token of syntax.tokens) {
      if (token.type === 'document') documents.push({ offset: token.offset, value: token.value });
    }
    this.parsed.set(file, { documents, lines: syntax.lines });
    this.parsedWhole.set(file, { documents, lines: syntax.lines });
  }

  /** Whether the index holds the file. */
  has(file: string): boolean {
    return this.texts.has(file);
  }

  /**
   * The position of the field at `path` in a record; `key` points at the key rather than the
   * value (for a field that should not be there). A path that goes further than the file does
   * stops at the deepest part that exists, which is where a missing field belongs.
   *
   * A large file is first read only as far as its first 64 KiB: the syntax tree of a whole 1 MiB
   * file costs the best part of a second, and the findings a file lists (the first hundred) are
   * usually near its start. A position found there well before the cut, through every part of
   * the path, is the position in the whole file; anything else is looked up in the whole file.
   */
  position(source: RecordSource, path: FieldPath = [], key = false): SourcePosition {
    const head = this.parse(source.file, false);
    const found = head ? this.locate(head, source, path, key) : undefined;
    if (found && (found.sure || head!.cut === undefined)) return found.position;
    const whole = head?.cut === undefined ? head : this.parse(source.file, true);
    return (
      (whole && this.locate(whole, source, path, key)?.position) ?? {
        file: source.file,
        line: 1,
        column: 1,
      }
    );
  }

  private locate(
    entry: ParsedSource,
    source: RecordSource,
    path: FieldPath,
    key: boolean,
  ): { position: SourcePosition; sure: boolean } | undefined {
    const doc = entry.documents[source.doc];
    if (!doc) return undefined;
    let node = doc.value;
    let keyToken: Token | undefined;
    // An empty value (`description:`) has no token: it stands just after its colon.
    let emptyAt: number | undefined;
    let consumed = 0;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) break;
      consumed++;
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
    // Near the cut a key may be cut short, or a value not reached yet.
    const sure =
      entry.cut === undefined ||
      (consumed === path.length && emptyAt === undefined && offset < entry.cut - cutMargin);
    return { position: { file: source.file, line, column: col }, sure };
  }

  /**
   * How the value at `path` is written, for messages that quote the file: the source of a plain
   * (unquoted) scalar, such as `1.10`; or, when the value is empty, the comment that follows its
   * colon, such as `#123`. Undefined for anything else, or a path the file does not have. Read
   * from a large file's head first, as positions are, and from the whole file when the value
   * stands near or past the cut.
   */
  writtenAs(
    source: RecordSource,
    path: FieldPath,
  ): { plain: string } | { comment: string } | undefined {
    const head = this.parse(source.file, false);
    const found = head ? this.written(head, source, path) : undefined;
    if (head?.cut === undefined || (found && found.offset < head.cut - cutMargin))
      return found?.written;
    const whole = this.parse(source.file, true);
    return whole ? this.written(whole, source, path)?.written : undefined;
  }

  private written(
    entry: ParsedSource,
    source: RecordSource,
    path: FieldPath,
  ): { written: { plain: string } | { comment: string } | undefined; offset: number } | undefined {
    const doc = entry.documents[source.doc];
    if (!doc) return undefined;
    let node = doc.value;
    let emptyAt: number | undefined;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) return undefined;
      node = next.value;
      emptyAt = next.value ? undefined : next.emptyAt;
    }
    if (node?.type === 'scalar')
      return { written: { plain: node.source }, offset: node.offset + node.source.length };
    if (node || emptyAt === undefined) return { written: undefined, offset: emptyAt ?? 0 };
    const text = this.texts.get(source.file) ?? '';
    const end = text.indexOf('\n', emptyAt);
    const stop = end < 0 ? text.length : end;
    const rest = text.slice(emptyAt, stop).trim();
    return { written: rest.startsWith('#') ? { comment: rest } : undefined, offset: stop };
  }

  private parse(file: string, whole: boolean): ParsedSource | null {
    const cache = whole ? this.parsedWhole : this.parsed;
    const known = cache.get(file);
    if (known !== undefined) return known;
    let text = this.texts.get(file);
    if (text === undefined && this.load) {
      text = this.load(file);
      if (text !== undefined) this.texts.set(file, text);
    }
    let entry: ParsedSource | null = null;
    if (text !== undefined) {
      const cut = !whole && text.length > 2 * headBytes ? headBytes : undefined;
      const lines = new YAML.LineCounter();
      try {
        const documents: ParsedSource['documents'] = [];
        const read = cut === undefined ? text : text.slice(0, cut);
        for (const token of new YAML.Parser(lines.addNewLine).parse(read)) {
          if (token.type === 'document')
            documents.push({ offset: token.offset, value: token.value });
        }
        entry = { documents, lines, ...(cut !== undefined ? { cut } : {}) };
      } catch {
        entry = null;
      }
    }
    cache.set(file, entry);
    if (entry && entry.cut === undefined) this.parsedWhole.set(file, entry);
    return entry;
  }
}

type MapItem = YAML.CST.CollectionItem;

// Each mapping's keys, indexed as far as paths have looked into it: a file with 100,000 keys and
// a finding on each must not scan the whole mapping per finding, and the first hundred findings
// of a file need only its first hundred keys.
interface KeyIndex {
  keys: Map<string, MapItem>;
  /** How many items of the mapping are indexed. */
  scanned: number;
}
const keyIndexes = new WeakMap<Token, KeyIndex>();

function findKey(
  node: YAML.CST.BlockMap | YAML.CST.FlowCollection,
  name: string,
): MapItem | undefined {
  let index = keyIndexes.get(node);
  if (!index) {
    index = { keys: new Map(), scanned: 0 };
    keyIndexes.set(node, index);
  }
  const known = index.keys.get(name);
  if (known) return known;
  const { items } = node;
  while (index.scanned < items.length) {
    const item = items[index.scanned++]!;
    if (!item.key || !scalarTypes.has(item.key.type)) continue;
    const text = keyText(item.key);
    if (text === undefined || index.keys.has(text)) continue;
    // The first of a duplicate key wins, as a scan from the start finds it first.
    index.keys.set(text, item);
    if (text === name) return item;
  }
  return undefined;
}

/** The item of a collection token that a path segment names: a key of a mapping, an index of a list. */
function child(
  node: Token | undefined,
  segment: string | number,
): { key?: Token; value?: Token; emptyAt?: number } | undefined {
  if (!node) return undefined;
  if (node.type === 'block-map' || (node.type === 'flow-collection' && node.start.source === '{')) {
    const item = findKey(node, String(segment));
    if (!item) return undefined;
    const colon = item.sep?.find((t) => t.type === 'map-value-ind');
    return {
      ...(item.key ? { key: item.key } : {}),
      ...(item.value ? { value: item.value } : {}),
      ...(colon ? { emptyAt: colon.offset + 1 } : {}),
    };
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
  // A plain key of letters, digits and -_./ is its own text: most keys, and far cheaper than
  // resolving it.
  if (token.type === 'scalar' && /^[A-Za-z0-9_][\w./-]*$/.test(token.source)) return token.source;
  try {
    const resolved = YAML.CST.resolveAsScalar(token as YAML.CST.FlowScalar | YAML.CST.BlockScalar);
    return resolved ? resolved.value : undefined;
  } catch {
    // A key the parser could not read as a scalar names no field.
    return undefined;
  }
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
