// GitHub's OpenAPI description, loaded once per process, with a route matcher and lazily
// compiled ajv validators for request parameters, request bodies and response bodies.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type JsonObject = Record<string, unknown>;

interface RawParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

interface RawOperation {
  operationId?: string;
  externalDocs?: { url?: string };
  parameters?: (RawParameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonObject }> };
  responses?: Record<string, JsonObject>;
}

interface RawSpec {
  paths: Record<string, Record<string, RawOperation | unknown>>;
  components: {
    schemas: Record<string, JsonObject>;
    parameters: Record<string, RawParameter>;
    responses: Record<string, JsonObject>;
  };
}

type Segment = { literal: string } | { param: string; multi: boolean };

/** One operation of the description: what a request must look like and what it may get back. */
export interface Operation {
  /** `GET /repos/{owner}/{repo}/pulls/{pull_number}`, the key handlers and faults use. */
  readonly route: string;
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  readonly docsUrl: string;
  readonly parameters: readonly RawParameter[];
  readonly requestBody: RawOperation['requestBody'];
  readonly responses: Readonly<Record<string, JsonObject>>;
  readonly segments: readonly Segment[];
  readonly literalCount: number;
}

/** The operation a request path resolved to, with its decoded path parameters. */
export interface RouteMatch {
  readonly operation: Operation;
  readonly pathParams: Record<string, string>;
}

/** Why no operation answered: nothing at that path, or the path exists for other methods. */
export type RouteMiss =
  { readonly reason: 'no-path' } | { readonly reason: 'no-method'; readonly allowed: string[] };

const schemaBase = 'https://openapi.github.test/schemas/';
const httpMethods = ['get', 'post', 'put', 'patch', 'delete'];

// ajv-formats is CommonJS with a default export; under NodeNext it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let cachedSpec: RawSpec | undefined;
let cachedIndex: OperationIndex | undefined;
const convertedComponents = new Map<string, JsonObject>();

/** The api.github.com description from @octokit/openapi, parsed once per process. */
function spec(): RawSpec {
  if (!cachedSpec) {
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve('@octokit/openapi/package.json'));
    const text = readFileSync(join(pkgDir, 'generated', 'api.github.com.json'), 'utf8');
    cachedSpec = JSON.parse(text) as RawSpec;
  }
  return cachedSpec;
}

function resolveRef<T>(value: unknown): T {
  let current = value;
  // Parameters and responses are shared through components; follow the pointer by hand
  // because they are not JSON Schemas that ajv could resolve.
  while (current && typeof current === 'object' && '$ref' in current) {
    const pointer = String((current as { $ref: string }).$ref);
    current = pointer
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key], spec());
  }
  return current as T;
}

/**
 * Rewrites an OpenAPI 3.0 schema into JSON Schema that ajv understands: `nullable` becomes a
 * null type, refs point at separately registered component schemas, and annotations ajv
 * would complain about are dropped. `oneOf` becomes `anyOf` because GitHub's alternatives
 * overlap (a real response often matches two of them), which would fail "exactly one".
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const source = node as JsonObject;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-')) continue;
    switch (key) {
      case 'nullable':
      case 'example':
      case 'examples':
      case 'discriminator':
      case 'xml':
      case 'externalDocs':
      case 'deprecated':
      case 'readOnly':
      case 'writeOnly':
      case 'description':
      case 'title':
        break;
      case '$ref':
        out.$ref = String(value).replace('#/components/schemas/', schemaBase);
        break;
      case 'properties':
      case 'patternProperties': {
        const props: JsonObject = {};
        for (const [name, sub] of Object.entries(value as JsonObject))
          props[name] = toJsonSchema(sub);
        out[key] = props;
        break;
      }
      case 'oneOf':
        out.anyOf = toJsonSchema(value);
        break;
      case 'items':
      case 'additionalProperties':
      case 'not':
      case 'allOf':
      case 'anyOf':
        out[key] = toJsonSchema(value);
        break;
      default:
        out[key] = value;
    }
  }
  if (source.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function component(name: string): JsonObject {
  let converted = convertedComponents.get(name);
  if (!converted) {
    const raw = spec().components.schemas[name];
    if (!raw) throw new Error(`OpenAPI component schema "${name}" does not exist`);
    converted = { ...(toJsonSchema(raw) as JsonObject), $id: schemaBase + name };
    convertedComponents.set(name, converted);
  }
  return converted;
}

function collectRefs(node: unknown, into: Set<string>, inProperties = false): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (inProperties) {
        // Property names are data here, even one called "enum" or "default".
        collectRefs(value, into);
      } else if (key === '$ref' && typeof value === 'string' && value.startsWith(schemaBase)) {
        into.add(value.slice(schemaBase.length));
      } else if (key === 'properties' || key === 'patternProperties') {
        collectRefs(value, into, true);
      } else if (key !== 'enum' && key !== 'default' && key !== 'const') {
        collectRefs(value, into);
      }
    }
  }
}

/** An ajv instance that registers component schemas only when a compiled schema needs them. */
class LazyAjv {
  private readonly ajv: Ajv;
  private readonly registered = new Set<string>();
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(coerce: boolean) {
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      coerceTypes: coerce ? 'array' : false,
      logger: false,
      // Each component compiles once into its own function shared by every operation, which
      // keeps the first request to a new operation cheap (GitHub's schemas nest deeply).
      inlineRefs: false,
      // Compile speed matters more than validation speed here: each test process compiles
      // the operations it touches once and runs them a handful of times.
      code: { optimize: false },
      validateSchema: false,
    });
    addFormats(this.ajv);
    // GitHub's own format for "owner/name"; unknown formats would otherwise be ignored silently.
    this.ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  }

  compile(key: string, schema: JsonObject): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      this.register(schema);
      validate = this.ajv.compile(schema);
      this.cache.set(key, validate);
    }
    return validate;
  }

  private register(schema: unknown): void {
    const pending = new Set<string>();
    collectRefs(schema, pending);
    for (const name of pending) {
      if (this.registered.has(name)) continue;
      this.registered.add(name);
      const converted = component(name);
      this.ajv.addSchema(converted);
      this.register(converted);
    }
  }
}

class OperationIndex {
  readonly byRoute = new Map<string, Operation>();
  private readonly byFirstSegment = new Map<string, Operation[]>();
  private readonly paramless: Operation[] = [];

  constructor(raw: RawSpec) {
    for (const [template, item] of Object.entries(raw.paths)) {
      const shared = ((item as { parameters?: unknown[] }).parameters ?? []).map((p) =>
        resolveRef<RawParameter>(p),
      );
      for (const method of httpMethods) {
        const op = item[method] as RawOperation | undefined;
        if (!op) continue;
        const own = (op.parameters ?? []).map((p) => resolveRef<RawParameter>(p));
        const parameters = [
          ...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)),
          ...own,
        ];
        const multi = new Set(parameters.filter((p) => p['x-multi-segment']).map((p) => p.name));
        const segments: Segment[] = template
          .split('/')
          .slice(1)
          .map((part) => {
            const param = /^\{([^}]+)\}$/.exec(part)?.[1];
            return param ? { param, multi: multi.has(param) } : { literal: part };
          });
        const operation: Operation = {
          route: `${method.toUpperCase()} ${template}`,
          method: method.toUpperCase(),
          template,
          operationId: op.operationId ?? `${method} ${template}`,
          docsUrl: op.externalDocs?.url ?? 'https://docs.github.com/rest',
          parameters,
          requestBody: op.requestBody,
          responses: op.responses ?? {},
          segments,
          literalCount: segments.filter((s) => 'literal' in s).length,
        };
        this.byRoute.set(operation.route, operation);
        const first = segments[0];
        if (first && 'literal' in first) {
          const list = this.byFirstSegment.get(first.literal) ?? [];
          list.push(operation);
          this.byFirstSegment.set(first.literal, list);
        } else {
          this.paramless.push(operation);
        }
      }
    }
  }

  match(method: string, rawPath: string): RouteMatch | RouteMiss {
    const parts = rawPath.split('/').slice(1);
    const candidates = [...(this.byFirstSegment.get(parts[0] ?? '') ?? []), ...this.paramless];
    let best: { match: RouteMatch; score: number } | undefined;
    const allowed = new Set<string>();
    for (const operation of candidates) {
      const captured = matchSegments(operation.segments, parts);
      if (!captured) continue;
      if (operation.method !== method) {
        allowed.add(operation.method);
        continue;
      }
      // Prefer literal segments over parameters (pulls/comments over pulls/{pull_number}),
      // and single-segment parameters over multi-segment ones.
      const multiUsed = operation.segments.filter((s) => 'multi' in s && s.multi).length;
      const score = operation.literalCount * 10 - multiUsed;
      if (!best || score > best.score) best = { match: { operation, pathParams: captured }, score };
    }
    if (best) return best.match;
    return allowed.size > 0
      ? { reason: 'no-method', allowed: [...allowed] }
      : { reason: 'no-path' };
  }
}

function matchSegments(
  segments: readonly Segment[],
  parts: string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const walk = (si: number, pi: number): boolean => {
    if (si === segments.length) return pi === parts.length;
    const segment = segments[si]!;
    if ('literal' in segment) {
      return parts[pi] === segment.literal && walk(si + 1, pi + 1);
    }
    if (!segment.multi) {
      const part = parts[pi];
      if (part === undefined || part === '') return false;
      params[segment.param] = decodeSegment(part);
      return walk(si + 1, pi + 1);
    }
    // A multi-segment parameter (a file path, a ref with slashes) takes as many segments as
    // it can while the rest of the template still matches.
    for (let end = parts.length; end > pi; end -= 1) {
      const taken = parts.slice(pi, end);
      if (taken.some((p) => p === '')) continue;
      params[segment.param] = taken.map(decodeSegment).join('/');
      if (walk(si + 1, end)) return true;
    }
    return false;
  };
  return walk(0, 0) ? params : undefined;
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The index of every operation in the description, built on first use. */
export function operations(): OperationIndex {
  cachedIndex ??= new OperationIndex(spec());
  return cachedIndex;
}

/** Finds the operation GitHub would route a request to. */
export function matchRoute(method: string, rawPath: string): RouteMatch | RouteMiss {
  return operations().match(method.toUpperCase(), rawPath);
}

/** Whether a route key such as `GET /repos/{owner}/{repo}` names an operation of the description. */
export function findOperation(route: string): Operation | undefined {
  return operations().byRoute.get(route);
}

let paramValidators: LazyAjv | undefined;
let bodyValidators: LazyAjv | undefined;
// Parameters arrive as strings and must be coerced; bodies and responses must not be.
const paramAjv = (): LazyAjv => (paramValidators ??= new LazyAjv(true));
const bodyAjv = (): LazyAjv => (bodyValidators ??= new LazyAjv(false));

/** Validates and coerces path and query parameters in place; returns readable errors. */
export function validateParameters(
  operation: Operation,
  pathParams: Record<string, unknown>,
  query: Record<string, unknown>,
): string[] {
  const pathProps: JsonObject = {};
  const queryProps: JsonObject = {};
  const pathRequired: string[] = [];
  const queryRequired: string[] = [];
  for (const p of operation.parameters) {
    if (p.in === 'path') {
      pathProps[p.name] = toJsonSchema(p.schema ?? {});
      pathRequired.push(p.name);
    } else if (p.in === 'query') {
      queryProps[p.name] = toJsonSchema(p.schema ?? {});
      if (p.required) queryRequired.push(p.name);
    }
  }
  const schema = {
    type: 'object',
    properties: {
      path: { type: 'object', properties: pathProps, required: pathRequired },
      // GitHub ignores unknown query parameters, which hides typos: treat them as errors.
      query: {
        type: 'object',
        properties: queryProps,
        required: queryRequired,
        additionalProperties: false,
      },
    },
  };
  const validate = paramAjv().compile(`params ${operation.route}`, schema);
  const data = { path: pathParams, query };
  if (validate(data)) return [];
  return formatErrors(validate.errors);
}

/** Validates a JSON request body against the operation's requestBody schema. */
export function validateRequestBody(
  operation: Operation,
  body: unknown,
  present: boolean,
): string[] {
  const requestBody = operation.requestBody;
  if (!requestBody) {
    return present ? [`${operation.route} takes no request body`] : [];
  }
  if (!present) return requestBody.required ? ['a request body is required'] : [];
  const raw = requestBody.content?.['application/json']?.schema;
  if (!raw) return ['the operation does not accept a JSON body'];
  const schema = toJsonSchema(raw) as JsonObject;
  const validate = bodyAjv().compile(`body ${operation.route}`, schema);
  const errors = validate(body) ? [] : formatErrors(validate.errors);
  // GitHub silently ignores unknown fields, so a misspelt field would pass unnoticed.
  const props = raw.properties as JsonObject | undefined;
  if (props && body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of Object.keys(body)) {
      if (!(key in props)) errors.push(`/${key} is not a field this operation accepts`);
    }
  }
  return errors;
}

/** The JSON schema of a documented response, or undefined when the spec has none for it. */
export function responseSchema(operation: Operation, status: number): JsonObject | undefined {
  const response = resolveRef<JsonObject | undefined>(operation.responses[String(status)]);
  const content = response?.content as Record<string, { schema?: JsonObject }> | undefined;
  return content?.['application/json']?.schema;
}

/** Whether the description lists this status for the operation. */
export function documentsStatus(operation: Operation, status: number): boolean {
  return String(status) in operation.responses;
}

/** Validates a JSON response body against the documented schema for its status. */
export function validateResponseBody(
  operation: Operation,
  status: number,
  body: unknown,
): string[] {
  const raw = responseSchema(operation, status);
  if (!raw) return [];
  const validate = bodyAjv().compile(
    `response ${status} ${operation.route}`,
    toJsonSchema(raw) as JsonObject,
  );
  return validate(body) ? [] : formatErrors(validate.errors);
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  const lines = (errors ?? [])
    // anyOf produces one error per failed branch plus a summary; the branches say more.
    .filter((e) => e.keyword !== 'anyOf' || (errors ?? []).length === 1)
    .map((e) => {
      const where = e.instancePath || '(root)';
      const extra =
        e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
          : e.keyword === 'additionalProperties'
            ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")`
            : '';
      return `${where} ${e.message ?? e.keyword}${extra}`;
    });
  return [...new Set(lines)];
}
