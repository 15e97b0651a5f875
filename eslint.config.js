// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The core takes plain data and returns plain data: no IO, no platform SDKs, no upward imports. */
const coreDirs = ['records', 'rules', 'impact', 'approvals', 'problems', 'render', 'report'];
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
              group: ['**/app/**', '**/cli/**', '**/action/**', '**/github/**', '**/git/**'],
              message: 'Arrows point down: the core never imports an edge or a face.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/github/**/*.ts', 'src/git/**/*.ts', 'src/fs/**/*.ts'],
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
          patterns: [
            { group: ['**/cli/**', '**/action/**'], message: 'Use cases never import faces.' },
          ],
        },
      ],
    },
  },
);
