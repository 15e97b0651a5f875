// ESLint rule changeops/no-import-cycle: no file of src/ may import, directly or through others,
// a module that imports it back. Unlike import-x/no-cycle it follows `import type` too: a cycle
// of types still ties two modules into one (neither can move or be read without the other), and
// the cycles this repository had were of that kind. Imports are read with TypeScript's
// preProcessFile (every import, export-from, dynamic import and require), relative ones only.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const cache = new Map();

/** The local files a module imports, resolved as TypeScript would (`./x.js` is `./x.ts`). */
function importsOf(file) {
  const stamp = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp) return hit.imports;
  const imports = [];
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of importedFiles) {
    const target = resolveLocal(file, fileName);
    if (target && !imports.includes(target)) imports.push(target);
  }
  cache.set(file, { stamp, imports });
  return imports;
}

function resolveLocal(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(m?js)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.d.ts`, `${stem}.mts`, base]) {
    if (/\.(m?[jt]s)$/.test(candidate) && existsSync(candidate) && statSync(candidate).isFile())
      return candidate;
  }
  return undefined;
}

/** The shortest chain of imports from `start` back to `goal`, or undefined when there is none. */
function pathBack(start, goal) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i];
    for (const next of importsOf(file)) {
      if (next === goal) {
        const chain = [goal];
        for (let at = file; at !== undefined; at = previous.get(at)) chain.unshift(at);
        return chain;
      }
      if (previous.has(next)) continue;
      previous.set(next, file);
      queue.push(next);
    }
  }
  return undefined;
}

/** The rule. */
export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles, type-only imports included.' },
    messages: {
      cycle: 'This import closes a cycle: {{chain}}. Move the shared part down a layer.',
    },
    schema: [],
  },
  create(context) {
    const file = context.physicalFilename;
    const root = context.cwd;
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string') return;
      const target = resolveLocal(file, specifier);
      if (!target || target === file) return;
      const chain = pathBack(target, file);
      if (!chain) return;
      const shown = [file, ...chain].map((f) => relative(root, f)).join(' -> ');
      context.report({ node, messageId: 'cycle', data: { chain: shown } });
    };
    // The search stops on reaching this file, so its own imports are read from the AST alone.
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

/** The plugin that carries the rule, for eslint.config.js. */
export const changeopsLint = { rules: { 'no-import-cycle': noImportCycle } };
