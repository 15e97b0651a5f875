import type { ErrorObject } from 'ajv';
import type { FieldPath } from './locate.js';
import { closest, fieldName, show } from './wording.js';

/** A schema error turned into words: which field, where to point, what to say. */
export interface ExplainedError {
  path: FieldPath;
  /** Point at the key rather than the value (a field that should not be there). */
  atKey: boolean;
  field: string;
  message: string;
  /** The valid form of a value that breaks its pattern, when a plain rewrite gives one. */
  corrected?: string;
  /**
   * What the file's text can add (see withSourceHint): `quote`, a number or boolean where text
   * belongs, which quotes fix; `empty`, no value where one belongs (a `#` may have made it a
   * comment).
   */
  hint?: 'quote' | 'empty';
}

/** Turns ajv's errors for one record into sentences a change initiator understands, one per problem. */
export function explainSchemaErrors(
  errors: readonly ErrorObject[],
  kind: string,
): ExplainedError[] {
  return explainSomeSchemaErrors(errors, kind, Infinity).explained;
}

/**
 * As explainSchemaErrors, but words only the first `limit` problems (the findings a file lists)
 * and counts the rest: a record with 100,000 unknown fields is explained 100 times, not 100,000.
 */
export function explainSomeSchemaErrors(
  errors: readonly ErrorObject[],
  kind: string,
  limit: number,
): { explained: ExplainedError[]; total: number } {
  const unfitting = unfittingBranches(errors);
  // anyOf and $ref siblings produce several errors for one wrong value: keep the most telling.
  // Only the problems to be worded keep their errors; the others are only counted.
  const byPath = new Map<string, ErrorObject[]>();
  const others = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    if (unfitting.has(error)) continue;
    const where =
      error.instancePath +
      (error.keyword === 'required' || error.keyword === 'additionalProperties'
        ? `#${missingOrExtra(error)}`
        : '');
    const list = byPath.get(where);
    if (list) list.push(error);
    else if (byPath.size < limit) byPath.set(where, [error]);
    else others.add(where);
  }
  const explained: ExplainedError[] = [];
  for (const all of byPath.values()) {
    // Where a value may take one of several shapes (anyOf), the branch whose type matched
    // says what is wrong; the type errors of the other branches only add noise.
    const typed = all.filter((error) => error.keyword !== 'type');
    const list = typed.length > 0 ? typed : all;
    const error = pick(list);
    explained.push(explain(error, kind));
  }
  return { explained, total: byPath.size + others.size };
}

/**
 * The errors of anyOf branches that do not fit the value's type, when some branch does: a
 * mapping under `rules.collision` breaks the severity-word branch too, and saying that it is not
 * one of error, warning, notice, off only hides the real problem in the mapping. A branch fits
 * unless its own type check failed at the anyOf's value. Linear: each error looks for its
 * anyOf among the ancestors of its own instance path only.
 */
function unfittingBranches(errors: readonly ErrorObject[]): Set<ErrorObject> {
  interface AnyOf {
    /** How many branches the anyOf has (ajv's verbose errors carry the schema). */
    count: number;
    /** Each branch's errors that ajv reports under the anyOf's own schema path. */
    branches: Map<number, ErrorObject[]>;
  }
  const anyOfs = new Map<string, AnyOf>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf') continue;
    const count = Array.isArray(error.schema) ? error.schema.length : 0;
    anyOfs.set(`${error.schemaPath}\u0000${error.instancePath}`, { count, branches: new Map() });
  }
  const dropped = new Set<ErrorObject>();
  if (anyOfs.size === 0) return dropped;
  for (const error of errors) {
    const at = error.schemaPath.lastIndexOf('/anyOf/');
    if (at < 0) continue;
    const schemaPath = error.schemaPath.slice(0, at + '/anyOf'.length);
    const branch = Number(error.schemaPath.slice(at + '/anyOf/'.length).split('/', 1)[0]);
    // The anyOf's value is the error's own or one of its ancestors.
    for (let path = error.instancePath; ; path = path.slice(0, path.lastIndexOf('/'))) {
      const anyOf = anyOfs.get(`${schemaPath}\u0000${path}`);
      if (anyOf) {
        const list = anyOf.branches.get(branch) ?? [];
        list.push(error);
        anyOf.branches.set(branch, list);
        break;
      }
      if (path === '') break;
    }
  }
  for (const [key, anyOf] of anyOfs) {
    const value = key.slice(key.indexOf('\u0000') + 1);
    const misfits = [...anyOf.branches.values()].filter((list) =>
      list.some((error) => error.keyword === 'type' && error.instancePath === value),
    );
    // Without a fitting branch every error stays: the type errors say which shapes would do. A
    // branch may fit with no error of its own here, when its errors come from a $ref.
    if (misfits.length >= anyOf.count) continue;
    for (const list of misfits) for (const error of list) dropped.add(error);
  }
  return dropped;
}

function missingOrExtra(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  return params.missingProperty ?? params.additionalProperty ?? '';
}

// When a value breaks several keywords, the type is the root cause; then enum and const.
const preference = [
  'type',
  'const',
  'enum',
  'required',
  'additionalProperties',
  'format',
  'pattern',
];

function pick(list: ErrorObject[]): ErrorObject {
  for (const keyword of preference) {
    const found = list.find((error) => error.keyword === keyword);
    if (found) return found;
  }
  return list[0]!;
}

/** The instance path as keys and indexes: `/plan/backout` -> ['plan', 'backout']. */
export function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}

function explain(error: ErrorObject, kind: string): ExplainedError {
  if (error.propertyName !== undefined || error.keyword === 'propertyNames') {
    const name = String(
      error.propertyName ?? (error.params as { propertyName?: string }).propertyName,
    );
    const parent = pointerToPath(error.instancePath);
    const keyPath = [...parent, name];
    const schema = (error.parentSchema ?? {}) as { description?: string };
    const pattern = (error.params as { pattern?: unknown }).pattern;
    const corrected = typeof pattern === 'string' ? correctedForm(name, pattern) : undefined;
    return {
      path: keyPath,
      atKey: true,
      field: fieldName(keyPath),
      message: `the name ${show(name)} under "${fieldName(parent)}" is not allowed${schema.description ? `: use ${lowerFirst(schema.description)}` : ''}${corrected ? `; write it as ${show(corrected)}` : ''}`,
    };
  }
  const path = pointerToPath(error.instancePath);
  const field = fieldName(path);
  const subject = field === '' ? `the ${kind} record` : `"${field}"`;
  const schema = (error.parentSchema ?? {}) as { description?: string; examples?: unknown[] };
  const params = error.params as Record<string, unknown>;
  const shown = show(error.data);
  switch (error.keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      const childPath = [...path, name];
      const properties = (
        error.parentSchema as { properties?: Record<string, { description?: string }> }
      )?.properties;
      const about = properties?.[name]?.description;
      return {
        path,
        atKey: false,
        field: fieldName(childPath),
        message: `${subject} is missing the required field "${name}"${about ? `: ${lowerFirst(firstSentence(about))}` : ''}`,
      };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const parent = error.parentSchema as { properties?: object; patternProperties?: object };
      const allowed = [
        ...Object.keys(parent?.properties ?? {}),
        ...Object.keys(parent?.patternProperties ?? {}).flatMap(digitKeys),
      ];
      const guess = closest(name, allowed);
      // The key comes from the file: a 1 MB key must not become a 1 MB message.
      const shown = name.length > 60 ? `${name.slice(0, 57)}...` : name;
      // Under a policy's rules the keys are rule ids, and under a rule its parameters.
      const noun =
        kind === 'Policy' && path[0] === 'rules'
          ? path.length === 1
            ? 'rule'
            : 'parameter'
          : 'field';
      return {
        path: [...path, name],
        atKey: true,
        field: fieldName([...path, shown]),
        message:
          `${subject === `the ${kind} record` ? `a ${kind}` : subject} has no ${noun} "${shown}"` +
          (guess
            ? `; did you mean "${guess}"?`
            : allowed.length
              ? `; the ${noun}s are: ${allowed.join(', ')}`
              : ''),
      };
    }
    case 'type': {
      const expected = String(params.type);
      const quotable =
        expected === 'string' &&
        (typeof error.data === 'number' || typeof error.data === 'boolean');
      let hint = '';
      if (quotable) hint = '; put it in quotes so YAML keeps it as text';
      else if (expected === 'array') hint = `; write a list, such as [${shown}]`;
      return {
        path,
        atKey: false,
        field,
        message: `${subject} must be ${article(expected)}, not ${describe(error.data)}${hint}`,
        ...(quotable
          ? { hint: 'quote' as const }
          : error.data === null
            ? { hint: 'empty' as const }
            : {}),
      };
    }
    case 'const':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} must be ${show(params.allowedValue)}, not ${shown}`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess =
        typeof error.data === 'string' ? closestAllowed(error.data, allowed) : undefined;
      return {
        path,
        atKey: false,
        field,
        message: `${subject} is ${shown}, which is not one of: ${allowed.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`,
      };
    }
    case 'pattern': {
      const lookalike = typeof error.data === 'string' ? nonAscii(error.data) : undefined;
      const expected = schema.description ? `: ${lowerFirst(schema.description)}` : '';
      if (lookalike) {
        return {
          path,
          atKey: false,
          field,
          message: `${subject} is ${shown}, which contains ${lookalike}; ids must be plain ASCII${expected}`,
        };
      }
      const corrected =
        typeof error.data === 'string'
          ? correctedForm(error.data, String(params.pattern))
          : undefined;
      return {
        path,
        atKey: false,
        field,
        message: `${subject} is ${shown}, which is not the expected form${expected}${corrected ? `; write it as ${show(corrected)}` : ''}`,
        ...(corrected ? { corrected } : {}),
      };
    }
    case 'format':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} is ${shown}, which is not a date and time with a time zone; write it like 2026-12-02T22:00:00Z`,
      };
    case 'minItems':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
      };
    case 'maxItems':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} may list at most ${String(params.limit)} items`,
      };
    case 'uniqueItems': {
      // ajv names the two items i and j, in either order (its hashed check for text items finds
      // them from the end); people count items from 1.
      const later = Math.max(Number(params.i), Number(params.j));
      const earlier = Math.min(Number(params.i), Number(params.j));
      const value = Array.isArray(error.data) ? (error.data as unknown[])[later] : undefined;
      const itemPath = [...path, later];
      return {
        path: itemPath,
        atKey: false,
        field: fieldName(itemPath),
        message: `${subject} lists ${show(value)} twice (items ${earlier + 1} and ${later + 1}); list each once`,
      };
    }
    case 'minLength':
      return {
        path,
        atKey: false,
        field,
        message:
          params.limit === 1
            ? `${subject} is empty; write some text`
            : `${subject} is too short: at least ${String(params.limit)} characters`,
      };
    case 'maxLength':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} is too long: at most ${String(params.limit)} characters`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} is ${shown}, which must be ${comparison(String(params.comparison))} ${String(params.limit)}`,
      };
    case 'minProperties':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} is empty; it needs at least ${String(params.limit)} field`,
      };
    case 'maxProperties':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} has too many fields: at most ${String(params.limit)}`,
      };
    case 'propertyNames':
      return {
        path,
        atKey: false,
        field,
        message: `${subject} has a key that is not a lowercase name (letters, digits, dashes)`,
      };
    default:
      return {
        path,
        atKey: false,
        field,
        message: `${subject} ${error.message ?? 'is not valid'}`,
      };
  }
}

/**
 * The allowed word a wrong one most likely means: a near spelling (closest), else the one allowed
 * word of three letters or more that the value starts with, so "monday" and "Thursday" get "mon"
 * and "thu", and "emergency-change" gets "emergency".
 */
function closestAllowed(value: string, allowed: readonly string[]): string | undefined {
  const near = closest(value, allowed);
  if (near !== undefined) return near;
  const lower = value.toLowerCase();
  const starts = allowed.filter((word) => word.length >= 3 && lower.startsWith(word.toLowerCase()));
  return starts.length === 1 ? starts[0] : undefined;
}

const compiled = new Map<string, RegExp | null>();

/** The schema's pattern as a regular expression, compiled once; null if it cannot be. */
function patternOf(source: string): RegExp | null {
  let pattern = compiled.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source);
    } catch {
      pattern = null;
    }
    compiled.set(source, pattern);
  }
  return pattern;
}

/**
 * The valid form of a value that breaks a pattern, when a plain rewrite makes it valid: its case
 * (chg-0001 -> CHG-0001, Payments-API -> payments-api), a slug of it (Orders_API -> orders-api),
 * the dash after an id's prefix (CHG0001 -> CHG-0001), or the @ of a login or team. Only ASCII
 * values are rewritten: a look-alike letter is named instead, never silently replaced.
 */
export function correctedForm(value: string, source: string): string | undefined {
  const pattern = patternOf(source);
  if (!pattern || value.length > 200 || !/^[\x20-\x7e]*$/.test(value)) return undefined;
  const trimmed = value.trim();
  const upper = trimmed.toUpperCase();
  const lower = trimmed.toLowerCase();
  const candidates = [
    trimmed,
    upper,
    lower,
    upper.replace(/^([A-Z]+)(?=[0-9])/, '$1-'),
    trimmed.replace(/^[a-z]+(?=-)/, (prefix) => prefix.toUpperCase()),
    lower
      .replace(/[\s_.]+/g, '-')
      .replace(/[^a-z0-9-]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, ''),
    trimmed.replace(/^@/, ''),
    `@${trimmed}`,
  ];
  return candidates.find((candidate) => candidate !== value && pattern.test(candidate));
}

/** The first sentence of a schema description, without its full stop. */
function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end >= 0 ? text.slice(0, end) : text;
}

function comparison(operator: string): string {
  return (
    { '<=': 'at most', '>=': 'at least', '<': 'less than', '>': 'more than' }[operator] ?? operator
  );
}

function article(type: string): string {
  const words: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value lines)',
    null: 'empty',
  };
  return words[type] ?? type;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${show(value)}`;
  return `${typeof value === 'boolean' ? '' : 'the number '}${String(value)}`;
}

function lowerFirst(text: string): string {
  return (text.charAt(0).toLowerCase() + text.slice(1)).replace(/\.$/, '');
}

/** Names the first non-ASCII character of an id, which is usually a look-alike of a Latin letter. */
function nonAscii(value: string): string | undefined {
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code > 0x7e) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      return `the non-ASCII character "${char}" (U+${hex}), which may look like a Latin letter`;
    }
  }
  return undefined;
}

/**
 * The keys a pattern of digit keys allows, `^[1-4]$` -> 1, 2, 3, 4 (impactByCriticality: a
 * pattern, not named properties, so that editors accept the integer keys YAML reads); none for
 * any other pattern.
 */
function digitKeys(pattern: string): string[] {
  const range = /^\^\[(\d)-(\d)\]\$$/.exec(pattern);
  if (!range) return [];
  const keys: string[] = [];
  for (let digit = Number(range[1]); digit <= Number(range[2]); digit++) keys.push(String(digit));
  return keys;
}
