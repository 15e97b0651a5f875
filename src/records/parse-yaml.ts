import jsyaml from 'js-yaml';
import * as YAML from 'yaml';
import type { Finding } from './finding.js';
import type { Limits } from './limits.js';
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
}

/** A file's text, as read by an edge, with its repository-relative path. */
export interface SourceText {
  path: string;
  text: string;
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
export function parseYamlFile(source: SourceText, limits: Limits): ParsedFile {
  const parsed = parseOnce(source, limits);
  if (parsed.findings[0]?.rule !== 'yaml') return parsed;
  const quoted = quoteReservedStarts(source.text);
  if (quoted.found.length === 0) return parsed;
  const again = parseOnce({ path: source.path, text: quoted.text }, limits);
  const findings: Finding[] = quoted.found.map((found) => ({
    file: source.path,
    line: found.line,
    column: found.column,
    severity: 'error',
    rule: 'yaml',
    message: reservedStartMessage(found),
  }));
  for (const finding of again.findings) findings.push(finding);
  return { ...again, findings };
}

function parseOnce(source: SourceText, limits: Limits): ParsedFile {
  const { path, text } = source;
  if (text.includes('\u0000')) {
    return fail(path, 1, 1, 'binary', 'the file holds binary data (a NUL byte), not YAML text');
  }
  if (anchorLike.test(text)) return parseGuarded(source, limits);
  const documents: ParsedDocument[] = [];
  try {
    // js-yaml's own cap counts nodes (leaf values too, differently per syntax), so it is only a
    // guard for its recursion; the real depth is measured on the data below.
    jsyaml.loadAll(
      text,
      (data) => {
        documents.push({ index: documents.length, data });
      },
      {
        schema: jsyaml.CORE_SCHEMA,
        filename: path,
        json: false,
        maxDepth: limits.maxDepth * 2 + 2,
      } as jsyaml.LoadOptions,
    );
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
    if (depthOf(doc.data) > limits.maxDepth) {
      // Rare: find where, on the syntax tree, which keeps positions.
      const where = positionOf(text, deepCollection(text, limits.maxDepth) ?? 0);
      return fail(path, ...where, 'yaml-depth', tooDeep(limits), documents.slice(0, doc.index));
    }
  }
  return { documents, findings: [] };
}

/** The deepest collection nesting of plain data (1 for a flat mapping), without recursion. */
function depthOf(data: unknown): number {
  if (typeof data !== 'object' || data === null) return 0;
  let deepest = 0;
  const stack: Array<[object, number]> = [[data, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    const values = Array.isArray(node) ? node : Object.values(node);
    for (const value of values) {
      if (typeof value === 'object' && value !== null) stack.push([value, depth + 1]);
    }
  }
  return deepest;
}

/**
 * The path for files that may hold anchors: the `yaml` parser, with our own checks before any
 * value is built: flow-bracket depth first (the parser itself recurses on it), then per
 * document the nesting, tags, keys, and the number of aliases the file expands in all.
 */
function parseGuarded(source: SourceText, limits: Limits): ParsedFile {
  const { path, text } = source;
  const lineCounter = new YAML.LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return [line, col] as const;
  };
  const deep = deepCollection(text, limits.maxDepth);
  if (deep !== undefined)
    return fail(path, ...positionOf(text, deep), 'yaml-depth', tooDeep(limits));
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, {
      schema: 'core',
      uniqueKeys: true,
      lineCounter,
      prettyErrors: false,
      merge: false,
      logLevel: 'error',
    } as YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions) as YAML.Document.Parsed[];
  } catch (error) {
    if (error instanceof RangeError) return fail(path, 1, 1, 'yaml-depth', tooDeep(limits));
    throw error;
  }
  if (!Array.isArray(docs)) docs = [docs];
  const documents: ParsedDocument[] = [];
  let aliases = 0;
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
    const walked = walk(doc, limits, aliases);
    if (walked.problem) {
      return fail(
        path,
        ...at(walked.problem.offset),
        walked.problem.rule,
        walked.problem.message,
        documents,
      );
    }
    aliases = walked.aliases;
    try {
      // Expansion was counted above; the parser's own count is per anchor and off by one.
      documents.push({ index, data: doc.toJS({ maxAliasCount: -1 }) });
    } catch (error) {
      if (error instanceof RangeError) {
        return fail(path, 1, 1, 'yaml-depth', tooDeep(limits), documents);
      }
      // Anything else the parser objects to while building values is bad YAML, not a crash.
      const reason = error instanceof Error ? error.message : String(error);
      return fail(path, 1, 1, 'yaml', `the file is not valid YAML: ${reason}`, documents);
    }
  }
  return { documents, findings: [] };
}

interface Problem {
  offset: number;
  rule: string;
  message: string;
}

/**
 * Checks one document's tree before it is turned into values: nesting past the cap, tags other
 * than the core ones, keys that are not plain scalars, and alias expansion. An alias counts as
 * one plus every alias inside what it names, so a bomb of 9 aliases nesting 9 deep counts in
 * the billions and is refused at the alias where the file's total passes the cap.
 */
function walk(
  doc: YAML.Document.Parsed,
  limits: Limits,
  aliasesBefore: number,
): { aliases: number; problem?: Problem } {
  // Pass 1, iterative: depth, tags and keys; the depth bound makes pass 2's recursion safe.
  const stack: Array<[unknown, number]> = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!YAML.isNode(node)) continue;
    const offset = node.range?.[0] ?? 0;
    if (node.tag && !coreTags.has(node.tag))
      return {
        aliases: aliasesBefore,
        problem: { offset, rule: 'yaml-tag', message: badTag(node.tag) },
      };
    if (!YAML.isCollection(node)) continue;
    if (depth > limits.maxDepth)
      return {
        aliases: aliasesBefore,
        problem: { offset, rule: 'yaml-depth', message: tooDeep(limits) },
      };
    for (const item of node.items) {
      if (YAML.isPair(item)) {
        if (item.key !== null && !YAML.isScalar(item.key)) {
          const keyOffset = YAML.isNode(item.key) ? (item.key.range?.[0] ?? offset) : offset;
          return {
            aliases: aliasesBefore,
            problem: {
              offset: keyOffset,
              rule: 'yaml-key',
              message: 'a key must be plain text, not a list, a mapping or an alias',
            },
          };
        }
        stack.push([item.value, depth + 1]);
      } else {
        stack.push([item, depth + 1]);
      }
    }
  }
  // Pass 2: alias expansion, in document order, memoised per node.
  const expansion = new Map<YAML.Node, number>();
  let total = aliasesBefore;
  let problem: Problem | undefined;
  const aliasesIn = (node: unknown, counting: boolean): number => {
    if (problem || !YAML.isNode(node)) return 0;
    if (YAML.isAlias(node)) {
      const target = node.resolve(doc);
      if (!target && counting) {
        problem = {
          offset: node.range?.[0] ?? 0,
          rule: 'yaml',
          message: `the alias *${node.source} names no anchor (&${node.source}) before it`,
        };
        return 0;
      }
      const inner = target ? (expansion.get(target) ?? aliasesIn(target, false)) : 0;
      const count = 1 + inner;
      if (counting) {
        total += count;
        if (total > limits.maxAliases) {
          problem = {
            offset: node.range?.[0] ?? 0,
            rule: 'yaml-aliases',
            message: `the file expands YAML aliases (*name) more than ${limits.maxAliases} times; records do not need aliases, write the values out`,
          };
        }
      }
      return count;
    }
    const known = expansion.get(node);
    if (known !== undefined && !counting) return known;
    let sum = 0;
    if (YAML.isCollection(node)) {
      for (const item of node.items) {
        sum += YAML.isPair(item) ? aliasesIn(item.value, counting) : aliasesIn(item, counting);
        if (sum > limits.maxAliases * 2 + 2) break; // far past the cap already: stop counting
      }
    }
    expansion.set(node, sum);
    return sum;
  };
  aliasesIn(doc.contents, true);
  return problem ? { aliases: total, problem } : { aliases: total };
}

/**
 * The offset of the first collection nested deeper than `max`, found on the concrete syntax tree
 * (the `yaml` package builds it without recursion; only turning it into nodes recurses), so a
 * file nested thousands deep is located exactly without overflowing the stack.
 */
function deepCollection(text: string, max: number): number | undefined {
  const stack: Array<[YAML.CST.Token | undefined, number]> = [];
  for (const token of new YAML.Parser().parse(text)) {
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
