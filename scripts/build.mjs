// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into single ESM files. The output
// is committed, and CI rebuilds it and fails on any difference, so the build must be
// deterministic: no timestamps, no absolute paths, the same esbuild version (package-lock).
import { build } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import { generateTemplates } from './gen-templates.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'linked',
  charset: 'utf8',
  logLevel: 'warning',
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  // `changeops --version` and the action's log: package.json's version, nothing read at run time.
  define: { CHANGEOPS_VERSION: JSON.stringify(version) },
  alias: { undici: './scripts/shims/undici.mjs', 'source-map': './scripts/shims/source-map.mjs' },
};

// The templates as a module of strings first (src/render/templates.generated.ts).
generateTemplates();

// Two self-contained bundles rather than shared chunks: the action's file alone must stay under 1 MB.
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
await build({ ...common, entryPoints: ['src/cli/index.ts'], outfile: 'dist/cli.js' });
for (const file of ['dist/index.js', 'dist/cli.js']) {
  const size = statSync(file).size;
  console.log(`${file} ${(size / 1024).toFixed(0)} KiB`);
}
