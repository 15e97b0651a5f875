import jsyaml from 'js-yaml';
import * as YAML from 'yaml';
import type { Finding } from './finding.js';
import type { Limits } from './limits.js';
import type { SyntaxTree } from './locate.js';
import { quoteReservedStarts, reservedStartMessage } from './yaml-mistakes.js';

/** One YAML document of a file, as plain data, with its index in the file. */
export interface ParsedDocument {
  index: number;
  data: unknown;
}

/** What parsing one file gives: its documents, and the findings that stopped or marred it. */
export interface ParsedFile {
  documents: ParsedDocument[];
  findings: Finding[];
  /** The syntax tree, when the file took the guarded parser: positions are found on it. */
  syntax?: SyntaxTree;
  /**
   * The text the documents were read from when it is not the file's own (values starting with @
   * quoted): positions are found in it, so they agree with the syntax tree.
   */
  text?: string;
}

/** A file's text, as read by an edge, with its repository-relative path. */
export interface SourceText {
  path: string;
  text: string;
  /**
   * Set when the text is the file's on disk, read by the workspace reader: an index that can read
   * files again need not keep it (a position in it is found by reading the file again).
   */
  onDisk?: true;
}

// An anchor (`&name`) can only stand where a node starts. Without one there can be no alias,
// so no alias bomb, and the fast parser is safe. The test may match prose too ("a &b"):
// that only sends the file down the guarded path, it never lets a bomb through.
const anchorLike = /(?:^|[\s[{,:?-])&[^\s[\]{},]/m;

const coreTags = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);

const tooDeep = (limits: Limits) => `the data nests more than ${limits.maxDepth} levels deep`;
const badTag = (tag: string) =>
  `the YAML tag ${shortTag(tag)} is not allowed; records hold plain text, numbers, lists and mappings`;

/**
 * Parses a record file into plain documents without ever throwing: YAML 1.2 core schema (no
 * dates, no binary, no custom tags), duplicate keys rejected, nesting and aliases capped. Depth
 * counts collections, the document's own mapping being level 1. Parse problems come back as
 * findings at the line and column where YAML stopped; documents before a broken one are kept.
 * A file YAML refuses because a value starts with @ (`owner: @acme/payments`, which everyone
 * writes) gets one finding per such value, with the line to write instead, and is read as if
 * they were quoted: its records load, so nothing else fails for want of them.
 */
export function parseYamlFile(
  source: SourceText,
  limits: Limits,
  options: ParseOptions = {},
): ParsedFile {
  const copy = options.copy !== false;
  const parsed = parseOnce(source, limits, copy);
  if (parsed.findings[0]?.rule !== 'yaml') return parsed;
  const quoted = quoteReservedStarts(source.text);
  if (quoted.found.length === 0) return parsed;
  const again = parseOnce({ path: source.path, text: quoted.text }, limits, copy);
  const findings: Finding[] = quoted.found.map((found) => ({
    file: source.path,
    line: found.line,
    column: found.column,
    severity: 'error',
    rule: 'yaml',
    message: reservedStartMessage(found),
  }));
  for (const finding of again.findings) findings.push(finding);
  return { ...again, findings, text: quoted.text };
}

/** How a file is parsed beyond the limits. */
export interface ParseOptions {
  /**
   * False: the documents' strings are left as js-yaml cut them from the text (slices of it), for
   * a caller that keeps only a few values of each record and copies those itself (keptCopy).
   * The depth is measured either way.
   */
  copy?: boolean;
}

function parseOnce(source: SourceText, limits: Limits, copy: boolean): ParsedFile {
  const { path, text } = source;
  if (text.includes('\u0000')) {
    return fail(path, 1, 1, 'binary', 'the file holds binary data (a NUL byte), not YAML text');
  }
  // Most files hold no `&` at all: one plain scan rules the pattern out.
  if (text.includes('&') && anchorLike.test(text)) return parseGuarded(source, limits);
  const documents: ParsedDocument[] = [];
  try {
    // js-yaml hands out its documents only once it has read them all: its list is taken as it
    // is, without a callback made per file.
    const loaded = jsyaml.loadAll(text, undefined, loadOptionsFor(limits)) as unknown[];
    for (let index = 0; index < loaded.length; index++)
      documents.push({ index, data: loaded[index] });
  } catch (error) {
    if (error instanceof jsyaml.YAMLException) {
      if (ruleFor(error.reason) === 'yaml-depth') {
        // js-yaml stopped at its looser guard: find where the nesting really passed the cap.
        const deep = deepCollection(text, limits.maxDepth);
        if (deep !== undefined)
          return fail(path, ...positionOf(text, deep), 'yaml-depth', tooDeep(limits), documents);
      }
      if (/^---/m.test(text)) {
        // js-yaml reads every document before handing out the first: let the parser that goes
        // document by document keep the ones before the broken one.
        const guarded = parseGuarded(source, limits);
        if (guarded.findings.length > 0 && guarded.documents.length > 0) return guarded;
      }
      const line = (error.mark?.line ?? 0) + 1;
      const column = (error.mark?.column ?? 0) + 1;
      return fail(
        path,
        line,
        column,
        ruleFor(error.reason),
        explainJsYaml(error.reason, limits),
        documents,
      );
    }
    if (error instanceof RangeError)
      return fail(path, 1, 1, 'yaml-depth', tooDeep(limits), documents);
    throw error;
  }
  for (const doc of documents) {
    if (settle(doc, copy) > limits.maxDepth) {
      // Rare: find where, on the syntax tree, which keeps positions.
      const where = positionOf(text, deepCollection(text, limits.maxDepth) ?? 0);
      return fail(path, ...where, 'yaml-depth', tooDeep(limits), documents.slice(0, doc.index));
    }
  }
  return { documents, findings: [] };
}

/**
 * js-yaml's options under some limits, made once rather than once per file. Its own depth cap
 * counts nodes (leaf values too, differently per syntax), so it is only a guard for its
 * recursion; the real depth is measured on the data (settle). No file name: js-yaml puts it only
 * in the text of its errors, and a finding is worded from the reason and the position.
 */
function loadOptionsFor(limits: Limits): jsyaml.LoadOptions {
  if (lastOptions?.limits !== limits) {
    lastOptions = {
      limits,
      options: {
        schema: jsyaml.CORE_SCHEMA,
        json: false,
        maxDepth: limits.maxDepth * 2 + 2,
      } as jsyaml.LoadOptions,
    };
  }
  return lastOptions.options;
}
let lastOptions: { limits: Limits; options: jsyaml.LoadOptions } | undefined;

/**
 * The deepest collection nesting of a document's data (1 for a flat mapping), without recursion;
 * in the same walk, every string long enough to be a slice of the file's text (js-yaml cuts
 * values out of it) is replaced by a copy of its own, so the records keep no file's text alive
 * and the text is garbage once parsed (100k CIs: about 7% less time, most of it collecting).
 * Every record is kept to the end of a run, so what it holds is copied by each scavenge until it
 * is promoted: a list is copied to its own length (js-yaml grows lists by `push`, which reserves
 * 17 slots for the first item), and the values that repeat across records are shared.
 */
function settle(doc: ParsedDocument, copy: boolean): number {
  if (!copy) return depthOf(doc.data);
  if (typeof doc.data === 'string') doc.data = unsliced(doc.data);
  if (typeof doc.data !== 'object' || doc.data === null) return 0;
  let deepest = 0;
  // Two stacks rather than one of pairs: no array per collection.
  const nodes: object[] = [doc.data];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as Record<string, unknown> | unknown[];
    const depth = depths.pop()!;
    if (depth > deepest) deepest = depth;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const value: unknown = node[i];
        if (typeof value === 'string') {
          if (value.length >= slicedFrom) node[i] = unsliced(value);
        } else if (typeof value === 'object' && value !== null) {
          nodes.push(Array.isArray(value) ? (node[i] = value.slice()) : value);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    // js-yaml's mappings are plain objects whose keys are all their own (an own `__proto__` is a
    // data property, which assigning sets, never the prototype).
    for (const key in node) {
      const value = node[key];
      if (typeof value === 'string') {
        const field = repeating.get(key);
        if (field !== undefined)
          // Most records name what the record before them named (files go folder by folder).
          node[key] = value === field.last ? field.last : shared(value, field);
        else if (value.length >= slicedFrom) node[key] = unsliced(value);
      } else if (typeof value === 'object' && value !== null) {
        nodes.push(Array.isArray(value) ? (node[key] = value.slice()) : value);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}

/**
 * The deepest collection nesting of a value, as settle measures it, copying nothing: for a
 * document whose values are not kept (ParseOptions.copy).
 */
function depthOf(data: unknown): number {
  if (typeof data !== 'object' || data === null) return 0;
  let deepest = 0;
  const nodes: object[] = [data];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as Record<string, unknown> | unknown[];
    const depth = depths.pop()!;
    if (depth > deepest) deepest = depth;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const value: unknown = node[i];
        if (typeof value === 'object' && value !== null) {
          nodes.push(value);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in node) {
      const value = node[key];
      if (typeof value === 'object' && value !== null) {
        nodes.push(value);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}

/**
 * A value of a document parsed without copies (ParseOptions.copy false), copied as a parse with
 * them would have left it: strings of their own (no slice of the file's text kept alive), lists
 * to their own length, the repeating fields' values shared. The value itself is copied when it
 * is a list or a string; a mapping is copied into, in place.
 */
export function keptCopy(value: unknown): unknown {
  // Most kept values are an id or a list of ids: copied here, with no walk.
  if (typeof value === 'string') return unsliced(value);
  if (Array.isArray(value)) {
    const list: unknown[] = value.slice();
    let plain = true;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (typeof item === 'string') list[i] = unsliced(item);
      else if (typeof item === 'object' && item !== null) plain = false;
    }
    if (plain) return list;
  }
  const doc: ParsedDocument = {
    index: 0,
    data: Array.isArray(value) ? value.slice() : value,
  };
  settle(doc, true);
  return doc.data;
}

/**
 * The fields whose values repeat across records (100,000 CIs name a few kinds, classes,
 * environments and owners): one string per value rather than one per record. Each keeps the
 * value it last handed out, which is compared before the table of them is looked up.
 */
const repeating: ReadonlyMap<string, { last: string }> = new Map(
  [
    'apiVersion',
    'kind',
    'class',
    'environment',
    'owner',
    'type',
    'status',
    'requester',
    'likelihood',
    'impact',
  ].map((field) => [field, { last: '' }]),
);

/**
 * The strings `shared` hands out. Bounded, so that values that do not repeat (or a hostile file
 * of them) cost a look-up each and never more memory than the records hold anyway.
 */
const sharedValues = new Map<string, string>();
const sharedCap = 4096;
const sharedLength = 64;

/** A value of a repeating field: the string already handed out for it, or its own copy. */
function shared(value: string, field: { last: string }): string {
  if (value.length > sharedLength) return unsliced(value);
  let known = sharedValues.get(value);
  if (known === undefined) {
    known = unsliced(value);
    if (sharedValues.size < sharedCap) sharedValues.set(known, known);
  }
  field.last = known;
  return known;
}

/** V8 makes a substring of this length or more a slice of the string it is cut from. */
const slicedFrom = 13;

/**
 * A string's characters in a string of their own. A short one (an id, a name) through JSON,
 * which round-trips every string exactly (a lone surrogate too) and gives one flat string; a
 * longer one as a slice of a flattened concatenation (`" " + value` sliced), two objects kept
 * rather than one but in a fraction of JSON's time, which grows with the text.
 */
function unsliced(value: string): string {
  if (value.length < slicedFrom) return value;
  return value.length <= jsonCopyUpTo
    ? (JSON.parse(JSON.stringify(value)) as string)
    : ` ${value}`.slice(1);
}

/** The longest string copied through JSON; see unsliced. */
const jsonCopyUpTo = 40;

/**
 * The path for files that may hold anchors: the `yaml` parser, with our own checks before any
 * value is built: flow-bracket depth first (the parser itself recurses on it), then per
 * document, in one pass in document order, the nesting, tags, keys, duplicate keys, anchors and
 * the aliases the file expands in all, building the plain values as it goes.
 */
function parseGuarded(source: SourceText, limits: Limits): ParsedFile {
  const { path, text } = source;
  const lineCounter = new YAML.LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return [line, col] as const;
  };
  // The concrete syntax tree is built once (it is most of the parsing time), checked for depth,
  // then composed into documents.
  const tokens = Array.from(new YAML.Parser(lineCounter.addNewLine).parse(text));
  const deep = deepCollection(tokens, limits.maxDepth);
  if (deep !== undefined)
    return fail(path, ...positionOf(text, deep), 'yaml-depth', tooDeep(limits));
  let docs: YAML.Document.Parsed[];
  try {
    const composer = new YAML.Composer({
      schema: 'core',
      // Checked in the walk with a set per mapping: the parser compares each key with every
      // key before it, which is quadratic in the keys of one mapping.
      uniqueKeys: false,
      merge: false,
      logLevel: 'error',
    } as YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions);
    docs = Array.from(composer.compose(tokens)) as YAML.Document.Parsed[];
  } catch (error) {
    if (error instanceof RangeError) return fail(path, 1, 1, 'yaml-depth', tooDeep(limits));
    throw error;
  }
  const documents: ParsedDocument[] = [];
  const budget: AliasBudget = { aliases: 0, values: 0 };
  for (const [index, doc] of docs.entries()) {
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) {
      return fail(
        path,
        ...at(problem.pos[0]),
        ruleForCode(problem.code),
        explainYamlPackage(problem.code, problem.message),
        documents,
      );
    }
    const walked = walk(doc, limits, budget);
    if ('problem' in walked) {
      return fail(
        path,
        ...at(walked.problem.offset),
        walked.problem.rule,
        walked.problem.message,
        documents,
      );
    }
    documents.push({ index, data: walked.data });
  }
  return { documents, findings: [], syntax: { tokens, lines: lineCounter } };
}

interface Problem {
  offset: number;
  rule: string;
  message: string;
}

/** What a file's aliases have expanded so far, across its documents. */
interface AliasBudget {
  /** Alias expansions: an alias counts one plus every alias inside what it names. */
  aliases: number;
  /** Values the aliases stand for: every scalar and collection inside what each one names. */
  values: number;
}

/**
 * How many values a file's aliases may stand for, per alias the limits allow: 100 aliases of a
 * 150,000-item list are within the alias cap but would have every later step walk 15 million
 * values. Records never need that many.
 */
const aliasedValuesPerAlias = 100;

/** What the walk knows of a node once it is closed: its value, its size, the aliases in it. */
interface Built {
  value: unknown;
  /** Values in it, aliases expanded, itself included. */
  values: number;
  /** Alias expansions inside it. */
  aliases: number;
}

/** A collection the walk has entered and not yet left. */
interface Frame {
  node: YAML.YAMLMap | YAML.YAMLSeq;
  value: Record<string, unknown> | unknown[];
  depth: number;
  next: number;
  values: number;
  aliases: number;
  /** The keys of a mapping so far, to refuse a duplicate. */
  keys?: Set<string>;
  /** The key whose value is being built, for a mapping. */
  key?: string;
}

const duplicateKeyProblem = (offset: number): Problem => ({
  offset,
  rule: 'yaml-duplicate-key',
  message: duplicateKey,
});

/**
 * Checks one document's tree and turns it into plain values, in one iterative pass in document
 * order: nesting past the cap, tags other than the core ones, keys that are not plain scalars or
 * appear twice, and alias expansion. An anchor is known from where it stands to its next
 * redefinition, so an alias is resolved with a map lookup rather than a search of the document.
 * An alias counts as one plus every alias inside what it names, so a bomb of 9 aliases nesting
 * 9 deep counts in the billions and is refused at the alias where the file's total passes the
 * cap. An alias inside the node it names would make the data contain itself: refused there.
 */
function walk(
  doc: YAML.Document.Parsed,
  limits: Limits,
  budget: AliasBudget,
): { data: unknown } | { problem: Problem } {
  const anchors = new Map<string, YAML.Node>();
  const built = new Map<YAML.Node, Built>();
  const open = new Set<YAML.Node>();
  const maxValues = limits.maxAliases * aliasedValuesPerAlias;
  const stack: Frame[] = [];
  let result: unknown = null;

  // Hands a finished value to the collection it stands in (or to the document).
  const deliver = (value: unknown, values: number, aliases: number) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      result = value;
      return;
    }
    parent.values += values;
    parent.aliases += aliases;
    if (Array.isArray(parent.value)) parent.value.push(value);
    else defineKey(parent.value, parent.key!, value);
  };

  // Starts a node: a scalar or an alias is delivered at once, a collection becomes a frame.
  const enter = (node: unknown, depth: number): Problem | undefined => {
    if (node === null || node === undefined) {
      deliver(null, 1, 0);
      return undefined;
    }
    if (YAML.isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (!target) {
        return {
          offset,
          rule: 'yaml',
          message: `the alias *${node.source} names no anchor (&${node.source}) before it`,
        };
      }
      if (open.has(target)) {
        return {
          offset,
          rule: 'yaml-aliases',
          message: `the alias *${node.source} stands inside the value it names (&${node.source}), which would make the data contain itself; write the values out`,
        };
      }
      const named = built.get(target)!;
      const aliases = 1 + named.aliases;
      budget.aliases += aliases;
      budget.values += named.values;
      if (budget.aliases > limits.maxAliases) {
        return {
          offset,
          rule: 'yaml-aliases',
          message: `the file expands YAML aliases (*name) more than ${limits.maxAliases} times; records do not need aliases, write the values out`,
        };
      }
      if (budget.values > maxValues) {
        return {
          offset,
          rule: 'yaml-aliases',
          message: `the file's YAML aliases (*name) stand for more than ${maxValues} values; records do not need aliases, write the values out`,
        };
      }
      deliver(named.value, named.values, aliases);
      return undefined;
    }
    if (!YAML.isNode(node)) {
      deliver(null, 1, 0);
      return undefined;
    }
    const offset = node.range?.[0] ?? 0;
    if (node.tag && !coreTags.has(node.tag))
      return { offset, rule: 'yaml-tag', message: badTag(node.tag) };
    if (node.anchor) anchors.set(node.anchor, node);
    if (YAML.isScalar(node)) {
      const value = node.value === undefined ? null : node.value;
      if (node.anchor) built.set(node, { value, values: 1, aliases: 0 });
      deliver(value, 1, 0);
      return undefined;
    }
    if (YAML.isMap(node) || YAML.isSeq(node)) {
      if (depth > limits.maxDepth) return { offset, rule: 'yaml-depth', message: tooDeep(limits) };
      if (node.anchor) open.add(node);
      stack.push({
        node,
        value: YAML.isMap(node) ? {} : [],
        depth,
        next: 0,
        values: 1,
        aliases: 0,
        ...(YAML.isMap(node) ? { keys: new Set<string>() } : {}),
      });
      return undefined;
    }
    deliver(null, 1, 0);
    return undefined;
  };

  const first = enter(doc.contents, 1);
  if (first) return { problem: first };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { node } = frame;
    if (frame.next >= node.items.length) {
      stack.pop();
      open.delete(node);
      if (node.anchor && anchors.get(node.anchor) === node)
        built.set(node, { value: frame.value, values: frame.values, aliases: frame.aliases });
      deliver(frame.value, frame.values, frame.aliases);
      continue;
    }
    const item = node.items[frame.next++];
    let problem: Problem | undefined;
    if (YAML.isPair(item)) {
      const keyProblem = keyOf(item, node, frame, anchors, built);
      if (typeof keyProblem !== 'string') return { problem: keyProblem };
      if (YAML.isSeq(node)) {
        // `[a: 1]`: a one-pair mapping inside a list, as the parser reads it.
        const pair: Frame = {
          node: new YAML.YAMLMap(),
          value: {},
          depth: frame.depth + 1,
          next: 0,
          values: 1,
          aliases: 0,
          key: keyProblem,
        };
        if (pair.depth > limits.maxDepth) {
          const offset = YAML.isNode(item.key) ? (item.key.range?.[0] ?? 0) : 0;
          return { problem: { offset, rule: 'yaml-depth', message: tooDeep(limits) } };
        }
        stack.push(pair);
        problem = enter(item.value, frame.depth + 2);
      } else {
        frame.key = keyProblem;
        problem = enter(item.value, frame.depth + 1);
      }
    } else {
      problem = enter(item, frame.depth + 1);
    }
    if (problem) return { problem };
  }
  return { data: result };
}

/**
 * The key of a pair as the plain data will hold it (`1.10` becomes "1.1", an empty key ""), or
 * the problem with it: a key that is not plain text, or one the mapping already has.
 */
function keyOf(
  item: YAML.Pair,
  node: YAML.YAMLMap | YAML.YAMLSeq,
  frame: Frame,
  anchors: Map<string, YAML.Node>,
  built: Map<YAML.Node, Built>,
): string | Problem {
  const offset = node.range?.[0] ?? 0;
  const key = item.key;
  if (key !== null && key !== undefined && !YAML.isScalar(key)) {
    return {
      offset: YAML.isNode(key) ? (key.range?.[0] ?? offset) : offset,
      rule: 'yaml-key',
      message: 'a key must be plain text, not a list, a mapping or an alias',
    };
  }
  if (YAML.isScalar(key)) {
    if (key.tag && !coreTags.has(key.tag))
      return { offset: key.range?.[0] ?? offset, rule: 'yaml-tag', message: badTag(key.tag) };
    if (key.anchor) {
      anchors.set(key.anchor, key);
      built.set(key, { value: key.value ?? null, values: 1, aliases: 0 });
    }
  }
  const raw: unknown = YAML.isScalar(key) ? key.value : null;
  const name = raw === null || raw === undefined ? '' : String(raw);
  if (frame.keys) {
    if (frame.keys.has(name)) {
      const keyOffset = YAML.isNode(key) ? (key.range?.[0] ?? offset) : offset;
      return duplicateKeyProblem(keyOffset);
    }
    frame.keys.add(name);
  }
  return name;
}

/** Sets a key as an own property, so `__proto__` stays data and never reaches a prototype. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in target)
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  else target[key] = value;
}

/**
 * The offset of the first collection nested deeper than `max`, found on the concrete syntax tree
 * (the `yaml` package builds it without recursion; only turning it into nodes recurses), so a
 * file nested thousands deep is located exactly without overflowing the stack.
 */
function deepCollection(text: string | readonly YAML.CST.Token[], max: number): number | undefined {
  const stack: Array<[YAML.CST.Token | undefined, number]> = [];
  const tokens = typeof text === 'string' ? new YAML.Parser().parse(text) : text;
  for (const token of tokens) {
    if (token.type === 'document') stack.push([token.value, 1]);
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (!node) continue;
      if (node.type !== 'block-map' && node.type !== 'block-seq' && node.type !== 'flow-collection')
        continue;
      if (depth > max) return node.offset;
      for (const item of node.items) {
        stack.push([item.value, depth + 1]);
        if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      }
    }
  }
  return undefined;
}

function positionOf(text: string, offset: number): [number, number] {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return [line, offset - start + 1];
}

function fail(
  file: string,
  line: number,
  column: number,
  rule: string,
  message: string,
  documents: ParsedDocument[] = [],
): ParsedFile {
  return { documents, findings: [{ file, line, column, severity: 'error', rule, message }] };
}

/** `tag:yaml.org,2002:binary` as people write it: `!!binary`. */
function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

function ruleFor(reason: string | undefined): string {
  if (!reason) return 'yaml';
  if (reason.startsWith('duplicated mapping key')) return 'yaml-duplicate-key';
  if (reason.startsWith('nesting exceeded')) return 'yaml-depth';
  if (reason.startsWith('unknown tag')) return 'yaml-tag';
  return 'yaml';
}

function ruleForCode(code: string): string {
  if (code === 'DUPLICATE_KEY') return 'yaml-duplicate-key';
  if (code === 'TAG_RESOLVE_FAILED') return 'yaml-tag';
  return 'yaml';
}

const tabIndent =
  'the file is not valid YAML: a tab indents this line, and YAML indents with spaces only; replace the tab with spaces';

const duplicateKey =
  'a key appears twice in the same mapping; keep one (YAML would silently drop the other)';

function explainJsYaml(reason: string | undefined, limits: Limits): string {
  if (!reason) return 'the file is not valid YAML';
  if (reason.startsWith('duplicated mapping key')) return duplicateKey;
  if (reason.startsWith('tab characters must not be used in indentation')) return tabIndent;
  if (reason.startsWith('nesting exceeded')) return tooDeep(limits);
  if (reason.startsWith('unknown tag')) return badTag(/!<([^>]*)>/.exec(reason)?.[1] ?? reason);
  return `the file is not valid YAML: ${reason}`;
}

function explainYamlPackage(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return duplicateKey;
  if (code === 'TAB_AS_INDENT') return tabIndent;
  if (code === 'TAG_RESOLVE_FAILED') return badTag(first.replace(/^Unresolved tag:\s*/, ''));
  return `the file is not valid YAML: ${first}`;
}
