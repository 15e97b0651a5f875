// Generates the references that must not drift from their sources: docs/records.md (Change,
// Release, ConfigurationItem) and docs/policy.md from schemas/, docs/json-output.md from
// schemas/output/, and the inputs and outputs tables of docs/action.md from action.yml (between
// its generated markers). `--check` fails when a committed file differs (CI).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as YAML from 'yaml';
import { writeGenerated } from './write-generated.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const command = 'node scripts/gen-reference.mjs';
const load = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));

/** The schemas by $id, so a $ref to another file resolves. */
function schemaStore(folder, prefix = '') {
  const store = new Map();
  for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith('.schema.json')))
    store.set(`${prefix}${file}`, load(join(folder, file)));
  return store;
}

/** Resolves a $ref against the schema it appears in: `#/definitions/x`, `file.json#/definitions/x`. */
function resolve(ref, here, store) {
  const [file, pointer = ''] = ref.split('#');
  const doc = file
    ? (store.get(file) ?? store.get(`${dirname(here.$id ?? '')}/${file}`.replace(/^\.\//, '')))
    : here.doc;
  if (!doc) return { schema: {}, doc: here.doc, external: file };
  let node = doc;
  for (const part of pointer.split('/').filter(Boolean)) node = node?.[part];
  return { schema: node ?? {}, doc, external: undefined };
}

const code = (value) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The schema behind any $ref chain, with the first description found on the way. */
function follow(schema, ctx) {
  let node = schema;
  let doc = ctx.doc;
  let description = schema.description;
  for (let i = 0; node && node.$ref && i < 10; i++) {
    const link = ctx.linkFor?.(node.$ref);
    if (link) return { node: { ...node, link }, doc, description };
    const next = resolve(node.$ref, { doc, $id: doc.$id }, ctx.store);
    if (next.external && !next.schema.type)
      return { node: { ...node, external: next.external }, doc, description };
    node = next.schema;
    doc = next.doc;
    description ??= node.description;
  }
  return { node, doc, description };
}

/** A schema's type in words: `text`, `one of: a, b`, `list of text`, `mapping (below)`. */
function typeOf(schema, ctx) {
  const { node, doc } = follow(schema, ctx);
  if (node.link) return node.link;
  if (node.external) return `see ${node.external}`;
  if (node.const !== undefined) return code(node.const);
  if (node.enum)
    return `one of: ${node.enum.map((v) => (v === null ? 'null' : code(v))).join(', ')}`;
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return alternatives.map((alt) => typeOf(alt, { ...ctx, doc })).join(', or ');
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  const words = types.map((type) => {
    if (type === 'string')
      return node.format === 'date-time' ? 'date and time (RFC 3339, with zone)' : 'text';
    if (type === 'integer') {
      const range =
        node.minimum !== undefined && node.maximum !== undefined
          ? ` ${node.minimum} to ${node.maximum}`
          : node.minimum !== undefined
            ? ` ≥ ${node.minimum}`
            : '';
      return `whole number${range}`;
    }
    if (type === 'number') return 'number';
    if (type === 'boolean') return 'true or false';
    if (type === 'null') return 'null';
    if (type === 'array')
      return `list of ${node.items ? typeOf(node.items, { ...ctx, doc }) : 'values'}`;
    if (type === 'object')
      return node.properties
        ? 'mapping (below)'
        : node.additionalProperties && typeof node.additionalProperties === 'object'
          ? `mapping of names to ${typeOf(node.additionalProperties, { ...ctx, doc })}`
          : node.patternProperties && Object.keys(node.patternProperties).length === 1
            ? // impactByCriticality: keys by pattern, so editors accept the integer keys YAML reads.
              `mapping of keys matching \`${Object.keys(node.patternProperties)[0]}\` to ${typeOf(
                Object.values(node.patternProperties)[0],
                { ...ctx, doc },
              )}`
            : 'mapping';
    return type;
  });
  return words.join(' or ') || 'any value';
}

/** The notes of a field: its pattern's meaning, its default, an example. */
function notesOf(schema, ctx) {
  const { node } = follow(schema, ctx);
  const notes = [];
  if (node.default !== undefined) notes.push(`default ${code(node.default)}`);
  const example = schema.examples?.[0] ?? node.examples?.[0];
  if (example !== undefined && typeof example !== 'object') notes.push(`e.g. ${code(example)}`);
  return notes.join('; ');
}

/** The forms of a value that have fields: itself, or the branches of its oneOf / anyOf. */
function formsOf(node, ctx) {
  if (node.link) return [];
  if (node.properties) return [['', node, ctx]];
  const branches = (node.oneOf ?? node.anyOf ?? [])
    .map((alt) => follow(alt, ctx))
    .filter((branch) => branch.node.properties && !branch.node.link);
  return branches.map((branch, i) => [
    branches.length > 1 ? ` (${branch.node.properties.kind?.const ?? `form ${i + 1}`})` : '',
    branch.node,
    { ...ctx, doc: branch.doc },
  ]);
}

/**
 * The sections of an object schema: its table of fields, then one section per field that is an
 * object (or a list or map of objects, or one of several forms), in order, titled by its path.
 */
function objectSections(path, schema, ctx, level = 3) {
  const { node, doc, description } = follow(schema, ctx);
  const here = { ...ctx, doc };
  const properties = node.properties ?? {};
  const required = new Set(node.required ?? []);
  const lines = [`${'#'.repeat(level)} ${path === '' ? 'fields' : code(path)}`, ''];
  if (description && path !== '') lines.push(description, '');
  lines.push('| field | type | required | what it is |', '|---|---|---|---|');
  const nested = [];
  const under = (name) => (path === '' ? name : `${path}.${name}`);
  for (const [name, property] of Object.entries(properties)) {
    const followed = follow(property, here);
    const about = [followed.description ?? '', notesOf(property, here)].filter(Boolean).join(' — ');
    lines.push(
      `| ${code(name)} | ${cell(typeOf(property, here))} | ${required.has(name) ? 'yes' : ''} | ${cell(about)} |`,
    );
    const inner = followed.node;
    const innerCtx = { ...here, doc: followed.doc };
    for (const [suffix, form, formCtx] of formsOf(inner, innerCtx))
      nested.push([`${under(name)}${suffix}`, form, formCtx]);
    const items = inner.items && follow(inner.items, innerCtx);
    if (items)
      for (const [suffix, form, formCtx] of formsOf(items.node, { ...innerCtx, doc: items.doc }))
        nested.push([`${under(name)}[]${suffix}`, form, formCtx]);
    const values =
      typeof inner.additionalProperties === 'object' &&
      follow(inner.additionalProperties, innerCtx);
    if (values)
      for (const [suffix, form, formCtx] of formsOf(values.node, { ...innerCtx, doc: values.doc }))
        nested.push([`${under(name)}.<name>${suffix}`, form, formCtx]);
  }
  lines.push('');
  const out = [lines.join('\n')];
  for (const [child, inner, innerCtx] of nested)
    out.push(objectSections(child, inner, innerCtx, Math.min(level + 1, 4)));
  return out.join('\n');
}

/** The rules part of the policy is documented rule by rule in docs/rules.md, generated too. */
const rulesLink = (ref) =>
  ref.startsWith('policy-rules.schema.json')
    ? "a mapping of rule ids to a severity (error, warning, notice, off) or the rule's settings: see [rules.md](rules.md)"
    : undefined;

const header = (title, source) =>
  `<!-- Generated by ${command} from ${source}: do not edit, run \`${command}\`. -->\n\n# ${title}\n`;

function recordsReference() {
  const store = schemaStore('schemas');
  const ctxOf = (file) => ({ store, doc: store.get(file), linkFor: rulesLink });
  const parts = [
    header('Record reference', 'schemas/*.schema.json'),
    'Every record is a YAML mapping with `apiVersion: changeops/v1`, a `kind` and an `id`; a file may hold several, separated by `---`. The tables below are the JSON Schemas in [`schemas/`](../schemas/), the single source of truth, in words. A field marked *required* must be there; every other may be left out. The policy (`changeops.yaml`) is in [policy.md](policy.md); what `check` makes of the records is in [evaluation.md](evaluation.md) and [rules.md](rules.md).',
    '',
  ];
  for (const [file, kind] of [
    ['change.schema.json', 'Change'],
    ['release.schema.json', 'Release'],
    ['configuration-item.schema.json', 'ConfigurationItem'],
  ]) {
    const schema = store.get(file);
    parts.push(
      `## ${kind}`,
      '',
      schema.description ?? '',
      '',
      `Schema: [\`schemas/${file}\`](../schemas/${file}).`,
      '',
    );
    parts.push(objectSections('', schema, ctxOf(file)));
  }
  return parts.join('\n').replace(/\n{3,}/g, '\n\n');
}

function policyReference() {
  const store = schemaStore('schemas');
  const schema = store.get('policy.schema.json');
  const parts = [
    header('Policy reference: changeops.yaml', 'schemas/policy.schema.json'),
    schema.description ?? '',
    '',
    "The policy lives in `changeops.yaml` at the repository root (one `kind: Policy` record). Without one the defaults apply, and `validate` says so; a policy with any error cannot be used at all (exit 2). In a pull request the base branch's policy is in force ([security.md](security.md)). The evaluation rules and their parameters (`rules:`) are in [rules.md](rules.md). Schema: [`schemas/policy.schema.json`](../schemas/policy.schema.json).",
    '',
    objectSections('', schema, { store, doc: schema, linkFor: rulesLink }),
  ];
  return parts.join('\n').replace(/\n{3,}/g, '\n\n');
}

function outputReference() {
  const store = schemaStore('schemas/output', 'output/');
  const parts = [
    header('Machine output: `--json`', 'schemas/output/*.schema.json'),
    "Every command takes `--json` and prints one JSON document on stdout. Its shape is a JSON Schema in [`schemas/output/`](../schemas/output/), one per command, which the tests check every command's output against (on the example estate and on failure cases). Three rules hold for every command:",
    '',
    "- **`ok`** is the verdict: `true` exactly when the command exits 0. Older fields stay for compatibility (`validate`'s `valid`, `release`'s `ready`).",
    '- **Every key is always there.** A value that does not apply is `null` (a change without an assessed risk has `"riskLevel": null`), never a missing key; a list with nothing in it is `[]`. The one exception is the evidence pack, a sealed format (below).',
    '- **A command that cannot answer** (exit 2: a wrong option, an unknown id, a ref git cannot find) prints `{"ok": false, "error": {"code", "message"}}` on stdout, and the same sentence on stderr.',
    '',
    'Notes (records with errors, a shallow clone) go to stderr, so stdout stays one document. Dates in options are read one way everywhere: a day (`2026-12-01`, UTC; its start for `--from`, `--since` and `--now`, its end for `--to` and `--until`) or a date and time with its zone (`2026-12-01T09:00:00Z`); one without a zone is refused, since it would depend on the machine. Files named in options (`--ics`, `--out`, `--reviews`, `--members`) are relative to the current directory, not to `--dir`.',
    '',
    '```sh',
    'changeops check --json > check.json          # ok, changes, releases, repository, counts',
    'changeops impact pg-payments --json > impact.json',
    'changeops frobnicate --json                  # exit 2: {"ok": false, "error": {"code": "usage", ...}}',
    '```',
    '',
  ];
  const common = store.get('output/common.schema.json');
  // The shared definitions are described once, and linked from every field that uses them.
  const shared = { finding: '[a finding](#a-finding)', findings: 'list of [findings](#a-finding)' };
  const linkFor = (ref) => {
    const name = /common\.schema\.json#\/definitions\/(\w+)$/.exec(ref)?.[1];
    return name && shared[name];
  };
  const ctx = (doc) => ({ store, doc, linkFor });
  parts.push('## The error document', '', common.definitions.error.description, '');
  parts.push(objectSections('', common.definitions.error, ctx(common)));
  parts.push('## A finding', '', common.definitions.finding.description, '');
  parts.push(objectSections('', common.definitions.finding, { store, doc: common }));
  for (const name of [
    'validate',
    'check',
    'impact',
    'schedule',
    'release',
    'report',
    'evidence',
    'verify',
    'gate',
  ]) {
    const schema = store.get(`output/${name}.schema.json`);
    if (!schema) continue;
    parts.push(
      `## \`changeops ${name} --json\``,
      '',
      schema.description ?? '',
      '',
      `Schema: [\`schemas/output/${name}.schema.json\`](../schemas/output/${name}.schema.json).`,
      '',
    );
    const results = (schema.oneOf ?? [])
      .map((alt) => follow(alt, ctx(schema)))
      .filter((branch) => branch.node.properties && !branch.node.properties.error);
    for (const branch of results) {
      if (results.length > 1 && branch.node.description) parts.push(branch.node.description, '');
      parts.push(objectSections('', branch.node, ctx(branch.doc)));
    }
  }
  return parts.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The inputs and outputs tables of docs/action.md, from action.yml. */
function actionTables() {
  const action = YAML.parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  const lines = ['| input | default | meaning |', '|---|---|---|'];
  for (const [name, input] of Object.entries(action.inputs ?? {}))
    lines.push(
      `| \`${name}\` | ${input.default === undefined || input.default === '' ? '' : code(String(input.default))} | ${cell(input.description ?? '')} |`,
    );
  lines.push('', '| output | meaning |', '|---|---|');
  for (const [name, output] of Object.entries(action.outputs ?? {}))
    lines.push(`| \`${name}\` | ${cell(output.description ?? '')} |`);
  return lines.join('\n');
}

const begin = `<!-- generated from action.yml by ${command}: do not edit between these lines -->`;
const end = '<!-- end of the generated tables -->';

function actionDoc() {
  const path = join(root, 'docs', 'action.md');
  const text = readFileSync(path, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    console.error(`docs/action.md has no generated section (${begin} ... ${end})`);
    process.exit(1);
  }
  return `${text.slice(0, from + begin.length)}\n\n${actionTables()}\n\n${text.slice(to)}`;
}

writeGenerated(join(root, 'docs', 'records.md'), recordsReference(), command);
writeGenerated(join(root, 'docs', 'policy.md'), policyReference(), command);
writeGenerated(join(root, 'docs', 'json-output.md'), outputReference(), command);
writeGenerated(join(root, 'docs', 'action.md'), actionDoc(), command);
