import { Linter } from 'eslint';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tseslint from 'typescript-eslint';
import { afterEach, describe, expect, it } from 'vitest';
import { changeopsLint } from '../../../scripts/lint/no-import-cycle.mjs';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Writes the files into a fresh folder and lints the first, as `npm run lint` would. */
function lint(files: Record<string, string>): string[] {
  dir = mkdtempSync(join(tmpdir(), 'changeops-lint-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const [first, text] = Object.entries(files)[0]!;
  const linter = new Linter({ cwd: dir });
  const messages = linter.verify(
    text,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { changeops: changeopsLint },
        rules: { 'changeops/no-import-cycle': 'error' },
      },
    ],
    { filename: join(dir, first) },
  );
  return messages.map((m) => m.message);
}

describe('the no-import-cycle lint rule', () => {
  it.each([
    [
      'two modules that import each other',
      {
        'a.ts': "import { b } from './b.js';\nexport const a = b;\n",
        'b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
      'a.ts -> b.ts -> a.ts',
    ],
    [
      'a cycle of type-only imports (the kind import-x/no-cycle lets through)',
      {
        'records/load.ts':
          "import type { Estate } from './integrity.js';\nexport type Load = Estate;\n",
        'records/integrity.ts':
          "import type { Load } from './load.js';\nexport type Estate = Load[];\n",
      },
      'records/load.ts -> records/integrity.ts -> records/load.ts',
    ],
    [
      'a cycle through three modules and an export-from',
      {
        'a.ts': "export { c } from './c.js';\n",
        'b.ts': "import './a.js';\nexport const b = 1;\n",
        'c.ts': "import { b } from './b.js';\nexport const c = b;\n",
      },
      'a.ts -> c.ts -> b.ts -> a.ts',
    ],
  ])('fails on %s', (_name, files, chain) => {
    expect(lint(files)).toEqual([
      `This import closes a cycle: ${chain}. Move the shared part down a layer.`,
    ]);
  });

  it('passes imports that only point down', () => {
    expect(
      lint({
        'cli/main.ts':
          "import type { Command } from './command.js';\nimport { check } from './check.js';\nexport const all: Command[] = [check];\n",
        'cli/command.ts': 'export interface Command { name: string }\n',
        'cli/check.ts':
          "import type { Command } from './command.js';\nexport const check: Command = { name: 'check' };\n",
      }),
    ).toEqual([]);
  });
});
