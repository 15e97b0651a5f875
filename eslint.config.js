// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { changeopsLint } from './scripts/lint/no-import-cycle.mjs';

/** The core takes plain data and returns plain data: no IO, no platform SDKs, no upward imports. */
const coreDirs = [
  'evaluate',
  'records',
  'rules',
  'impact',
  'approvals',
  'problems',
  'render',
  'report',
  'errors',
];
/** The edges: they fetch and write, and never import a use case or a face. */
const edgeDirs = ['github', 'git', 'fs', 'exec'];
const throughEdges = 'A use case reads and writes through the edges (src/fs, src/git, src/github).';
const ioModules = [
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:child_process',
  'simple-git',
  '@actions/*',
  '@octokit/*',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'src/records/types.generated.ts',
      'src/records/validators.generated.js',
      'src/render/templates.generated.ts',
      '.bench/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // No circle in the import graph of src/, type-only imports included.
    files: ['src/**/*.ts'],
    plugins: { changeops: changeopsLint },
    rules: { 'changeops/no-import-cycle': 'error' },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', performance: 'readonly' },
    },
  },
  ...coreDirs.map((dir) => ({
    files: [`src/${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ioModules, message: `src/${dir} is core: take plain data, do no IO.` },
            {
              group: [
                '**/app/**',
                '**/cli/**',
                '**/action/**',
                ...edgeDirs.map((d) => `**/${d}/**`),
              ],
              message: 'Arrows point down: the core never imports a use case, an edge or a face.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: edgeDirs.map((dir) => `src/${dir}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**', '**/cli/**', '**/action/**'],
              message: 'Edges never import use cases or faces.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Exact names: a pattern `fs` would also match the edge ../fs/ itself.
          paths: ['node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'simple-git'].map((name) => ({
            name,
            message: throughEdges,
          })),
          patterns: [
            { group: ['**/cli/**', '**/action/**'], message: 'Use cases never import faces.' },
            { group: ['@octokit/*'], message: throughEdges },
          ],
        },
      ],
    },
  },
);
