import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  // The version the bundles carry (scripts/build.mjs), for the sources the tests import.
  define: { CHANGEOPS_VERSION: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ is what the end-to-end tests run: build it from src/ first.
    globalSetup: ['test/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
