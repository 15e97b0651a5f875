import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  // The version the bundles carry (scripts/build.mjs), for the sources the tests import.
  define: { CHANGEOPS_VERSION: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ is what the end-to-end tests run: build it from src/ first. Temporary folders go
    // under one folder of the run, removed after it (test/scratch-root.ts).
    globalSetup: ['test/build-dist.ts', 'test/scratch-root.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
