// Compiles the schemas to standalone validator code (ajv's standalone mode) at build time, so a
// run starts without compiling them: src/records/validators.generated.js, one export per record
// kind and the list of kinds, with its types in validators.generated.d.ts. `--check` fails when
// either committed file is stale. The same ajv options as a runtime compile: every error, verbose.
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRecordKinds, recordKinds } from './record-kinds.mjs';
import { writeGenerated } from './write-generated.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
checkRecordKinds(root, readdirSync(join(root, 'schemas')));
const load = (name) =>
  JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'));
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  verbose: true,
  // The patterns are ASCII: plain regular expressions are several times faster than /u ones.
  unicodeRegExp: false,
  // policy-rules is generated from the rule registry (scripts/gen-rules-schema.ts): run that first.
  schemas: [load('common'), load('policy-rules'), ...recordKinds.map(({ schema }) => load(schema))],
  code: { source: true, esm: true, lines: false, optimize: true },
});
addFormats(ajv, ['date-time']);
const code = standaloneCode(
  ajv,
  Object.fromEntries(recordKinds.map(({ kind, schema }) => [kind, `${schema}.schema.json`])),
);
// ajv counts a string's length in code points (ucs2length), which is a walk over every string of
// every record. A plain length in UTF-16 units is never less than the code points, nor more than
// twice them: above a maximum only if the plain length is, below a minimum only if the plain
// length is below twice it. The walk is left for the strings those bounds cannot settle.
const ucs2 = /const (func\d+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default/.exec(
  code,
)?.[1];
let bounded = code;
if (ucs2) {
  const comparison = new RegExp(`${ucs2}\\((\\w+)\\) ([<>]) (\\d+)`, 'g');
  // Every other use of the helper would be one these bounds were not worked out for.
  if (code.match(comparison).length !== code.split(`${ucs2}(`).length - 1)
    throw new Error(`ajv calls ${ucs2} in a way gen-validators does not know`);
  bounded = code.replace(comparison, (_, value, op, bound) =>
    op === '>'
      ? `(${value}.length > ${bound} && ${ucs2}(${value}) > ${bound})`
      : `(${value}.length < ${bound} || (${value}.length < ${2 * bound} && ${ucs2}(${value}) < ${bound}))`,
  );
}
// uniqueItems over strings: ajv indexes the items as the keys of a plain object, and every new
// key (every CI id in a dependsOn, across 100,000 CIs) is a new hidden class for V8: 100k CIs took
// 270 ms in that alone, a Map 30 ms. The same lookups on a Map, and nothing else is touched.
const uniqueIndex = [
  [/const (indices\d+) = \{\};/g, (_, map) => `const ${map} = new Map();`],
  [/typeof (indices\d+)\[(item\d+)\] == "number"/g, (_, map, item) => `${map}.has(${item})`],
  [/(j\d+) = (indices\d+)\[(item\d+)\];/g, (_, j, map, item) => `${j} = ${map}.get(${item});`],
  [/(indices\d+)\[(item\d+)\] = (i\d+);/g, (_, map, item, i) => `${map}.set(${item}, ${i});`],
];
const indexUses = code.split('indices').length - 1;
const rewritten = uniqueIndex.reduce(
  (sum, [pattern]) => sum + (bounded.match(pattern)?.length ?? 0),
  0,
);
// Each index appears in exactly these four statements; any other use would break on a Map.
if (rewritten !== indexUses)
  throw new Error(`ajv uses its uniqueItems index in a way gen-validators does not know`);
for (const [pattern, replace] of uniqueIndex) bounded = bounded.replace(pattern, replace);
// Most lists are short (a CI's dependsOn names two or three ids): one that holds no two equal
// strings, which comparing every pair settles without a Map, cannot fail uniqueItems, and the
// index loop is skipped. A list with a repeat, or longer than 8, takes the loop as it was, so
// every error and its params stay the loop's own. Its counter and its j are used nowhere else.
const uniqueLoop =
  /let (i\d+) = (data\d+)\.length;let (j\d+);if\(\1 > 1\)\{const (indices\d+) = new Map\(\);/g;
if (bounded.match(uniqueLoop)?.length !== indexUses / 4)
  throw new Error(`ajv's uniqueItems loop is not the one gen-validators knows`);
bounded = bounded.replace(
  uniqueLoop,
  (_, i, data, j, map) =>
    `let ${i} = ${data}.length;let ${j};if(${i} > 1 && (${i} > 8 || __repeats(${data}, ${i}))){const ${map} = new Map();`,
);
// The date-time format: ajv-formats' full check, one expression rather than a split and two
// (src/records/date-time-format.ts, held to ajv-formats' answers by its test).
const dateTimeFormat = /require\("ajv-formats\/dist\/formats"\)\.fullFormats\["date-time"\]/g;
if (bounded.match(dateTimeFormat)?.length !== 1 || bounded.split('ajv-formats').length !== 2)
  throw new Error('ajv uses ajv-formats in a way gen-validators does not know');
bounded = bounded.replace(dateTimeFormat, '{ validate: __dateTime }');
// Standalone code require()s ajv's small runtime helpers; make them ESM imports.
const modules = [];
const esm = bounded.replace(/require\("([^"]+)"\)/g, (_, name) => {
  if (!modules.includes(name)) modules.push(name);
  return `__m${modules.indexOf(name)}`;
});
// Node's ESM gives a CommonJS module's exports as `default`; esbuild and tsx copy them onto the
// namespace. Both carry __esModule, which tells them apart: take module.exports either way.
const imports = [
  ...modules.map((name, i) => `import * as __ns${i} from ${JSON.stringify(`${name}.js`)};`),
  "import { isDateTime as __dateTime } from './date-time-format.js';",
  '/** Whether two of the first n items are the same string, comparing every pair (n is small). */',
  'const __repeats = (list, n) => { for (let a = 0; a < n; a++) { const item = list[a]; if (typeof item !== "string") continue; for (let b = a + 1; b < n; b++) if (list[b] === item) return true; } return false; };',
  'const __cjs = (ns) => (ns.default && ns.default.__esModule ? ns.default : ns);',
  ...modules.map((_, i) => `const __m${i} = __cjs(__ns${i});`),
].join('\n');
const kinds = JSON.stringify(recordKinds.map(({ kind }) => kind));
const out = `/* Generated by scripts/gen-validators.mjs from schemas/*.schema.json. Do not edit. */\n// @ts-nocheck\n/* eslint-disable */\n${imports}\n${esm}\nexport const recordKinds = ${kinds};\n`;
writeGenerated(join(root, 'src/records/validators.generated.js'), out, 'npm run gen:types');
const types = [
  '/* Generated by scripts/gen-validators.mjs: the types of validators.generated.js. Do not edit. */',
  "import type { ValidateFunction } from 'ajv';",
  '',
  ...recordKinds.map(({ kind }) => `export declare const ${kind}: ValidateFunction;`),
  '/** The record kinds, in the order the schemas are compiled. */',
  `export declare const recordKinds: readonly [${recordKinds.map(({ kind }) => `'${kind}'`).join(', ')}];`,
  '',
].join('\n');
writeGenerated(join(root, 'src/records/validators.generated.d.ts'), types, 'npm run gen:types');
