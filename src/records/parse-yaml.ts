import jsyaml from 'js-yaml';
import * as YAML from 'yaml';
import type { Finding } from './finding.js';
import type { Limits } from './limits.js';

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

/**
 * Parses a record file into plain documents without ever throwing: YAML 1.2 core schema (no
 * dates, no binary, no custom tags), duplicate keys rejected, nesting and aliases capped.
 * Parse problems come back as findings at the line and column where YAML stopped.
 */
export function parseYamlFile(source: SourceText, limits: Limits): ParsedFile {
  const { path, text } = source;
  if (text.includes('\u0000')) {
    return fail(path, 1, 1, 'binary', 'the file holds binary data (a NUL byte), not YAML text');
  }
  if (anchorLike.test(text)) return parseGuarded(source, limits);
  const documents: ParsedDocument[] = [];
  try {
    // maxDepth counts every node including the leaf scalar: 64 nested collections need 65.
    jsyaml.loadAll(
      text,
      (data) => {
        documents.push({ index: documents.length, data });
      },
      // js-yaml 4.3 caps nesting natively; @types/js-yaml predates the option.
      {
        schema: jsyaml.CORE_SCHEMA,
        filename: path,
        json: false,
        maxDepth: limits.maxDepth + 1,
      } as jsyaml.LoadOptions,
    );
  } catch (error) {
    if (error instanceof jsyaml.YAMLException) {
      const line = (error.mark?.line ?? 0) + 1;
      const column = (error.mark?.column ?? 0) + 1;
      return fail(path, line, column, ruleFor(error.reason), explainJsYaml(error.reason, limits));
    }
    if (error instanceof RangeError) {
      return fail(
        path,
        1,
        1,
        'yaml-depth',
        `the file nests too deeply to read (at most ${limits.maxDepth} levels)`,
      );
    }
    throw error;
  }
  return { documents, findings: [] };
}

/** The path for files that may hold anchors: the `yaml` parser, which counts alias expansion. */
function parseGuarded(source: SourceText, limits: Limits): ParsedFile {
  const { path, text } = source;
  const lineCounter = new YAML.LineCounter();
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, {
      schema: 'core',
      uniqueKeys: true,
      lineCounter,
      prettyErrors: false,
      merge: false,
    } as YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions) as YAML.Document.Parsed[];
  } catch (error) {
    if (error instanceof RangeError) {
      return fail(
        path,
        1,
        1,
        'yaml-depth',
        `the file nests too deeply to read (at most ${limits.maxDepth} levels)`,
      );
    }
    throw error;
  }
  if (!Array.isArray(docs)) docs = [docs];
  const at = (offset: number) => lineCounter.linePos(offset);
  const documents: ParsedDocument[] = [];
  for (const [index, doc] of docs.entries()) {
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) {
      const { line, col } = at(problem.pos[0]);
      return fail(path, line, col, 'yaml', explainYamlPackage(problem.code, problem.message));
    }
    const deep = findTooDeepOrTagged(doc, limits.maxDepth);
    if (deep) {
      const { line, col } = at(deep.offset);
      return fail(path, line, col, deep.rule, deep.message);
    }
    try {
      documents.push({ index, data: doc.toJS({ maxAliasCount: limits.maxAliases }) });
    } catch (error) {
      if (error instanceof Error && /alias/i.test(error.message)) {
        return fail(
          path,
          1,
          1,
          'yaml-aliases',
          `the file expands YAML aliases (*name) more than ${limits.maxAliases} times; records do not need aliases, write the values out`,
        );
      }
      if (error instanceof RangeError) {
        return fail(
          path,
          1,
          1,
          'yaml-depth',
          `the file nests too deeply to read (at most ${limits.maxDepth} levels)`,
        );
      }
      throw error;
    }
  }
  return { documents, findings: [] };
}

/** Walks a parsed document without recursion: first node deeper than the cap, or with a non-core tag. */
function findTooDeepOrTagged(
  doc: YAML.Document.Parsed,
  maxDepth: number,
): { offset: number; rule: string; message: string } | undefined {
  const stack: Array<[unknown, number]> = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!YAML.isNode(node)) continue;
    const offset = node.range?.[0] ?? 0;
    if (node.tag && !coreTags.has(node.tag)) {
      return {
        offset,
        rule: 'yaml-tag',
        message: `the YAML tag ${node.tag} is not allowed; records hold plain text, numbers, lists and mappings`,
      };
    }
    if (YAML.isCollection(node)) {
      if (depth > maxDepth) {
        return {
          offset,
          rule: 'yaml-depth',
          message: `the data nests more than ${maxDepth} levels deep`,
        };
      }
      for (const item of node.items) {
        if (YAML.isPair(item)) {
          stack.push([item.key, depth + 1], [item.value, depth + 1]);
        } else {
          stack.push([item, depth + 1]);
        }
      }
    }
  }
  return undefined;
}

function fail(
  file: string,
  line: number,
  column: number,
  rule: string,
  message: string,
): ParsedFile {
  return { documents: [], findings: [{ file, line, column, severity: 'error', rule, message }] };
}

function ruleFor(reason: string | undefined): string {
  if (!reason) return 'yaml';
  if (reason.startsWith('duplicated mapping key')) return 'yaml-duplicate-key';
  if (reason.startsWith('nesting exceeded')) return 'yaml-depth';
  if (reason.startsWith('unknown tag')) return 'yaml-tag';
  return 'yaml';
}

function explainJsYaml(reason: string | undefined, limits: Limits): string {
  if (!reason) return 'the file is not valid YAML';
  if (reason.startsWith('duplicated mapping key')) {
    return 'a key appears twice in the same mapping; keep one (YAML would silently drop the other)';
  }
  if (reason.startsWith('nesting exceeded'))
    return `the data nests more than ${limits.maxDepth} levels deep`;
  if (reason.startsWith('unknown tag')) {
    const tag = /!<([^>]*)>/.exec(reason)?.[1] ?? reason;
    return `the YAML tag ${tag} is not allowed; records hold plain text, numbers, lists and mappings`;
  }
  return `the file is not valid YAML: ${reason}`;
}

function explainYamlPackage(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') {
    return 'a key appears twice in the same mapping; keep one (YAML would silently drop the other)';
  }
  if (code === 'TAG_RESOLVE_FAILED') {
    return `${first.replace(/^Unresolved tag:/, 'the YAML tag')} is not allowed; records hold plain text, numbers, lists and mappings`;
  }
  return `the file is not valid YAML: ${first}`;
}
