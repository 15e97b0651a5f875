// Bundles the action into one ESM file (dist/index.js), and the CLI into an entry (dist/cli.js)
// with chunks (dist/cli/) that each command imports when it runs. The output is committed, and CI rebuilds it and fails on any difference, so the build must be
// deterministic: no timestamps, no absolute paths, the same esbuild version (package-lock).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The build id snapshots are keyed by (src/records/build-id.ts): a hash of everything that
// decides what loading gives, so a snapshot of another build is never read.
function buildId() {
  const hash = createHash('sha256');
  const files = ['package-lock.json'];
  for (const folder of ['src', 'schemas'])
    for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' }))
      if (statSync(join(folder, name)).isFile())
        files.push(join(folder, name).split('\\').join('/'));
  for (const file of files.sort()) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 32);
}
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
// After the templates: they are sources too.
common.define = { ...common.define, __CHANGEOPS_BUILD__: JSON.stringify(buildId()) };

// The action in one file: the runner loads dist/index.js alone, and it must stay under 1 MB.
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
// The CLI as an entry and chunks: a command loads only the modules it uses (validate neither the
// GitHub client nor the templates). Chunk names are content hashes, so the old ones go first.
for (const old of ['dist/cli', 'dist/cli.js.LEGAL.txt'])
  rmSync(old, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'cli/[name]-[hash]',
});
const cliFiles = [
  'dist/cli.js',
  ...readdirSync('dist/cli')
    .filter((name) => name.endsWith('.js'))
    .map((name) => `dist/cli/${name}`),
];
const kib = (size) => `${(size / 1024).toFixed(0)} KiB`;
console.log(`dist/index.js ${kib(statSync('dist/index.js').size)}`);
console.log(
  `dist/cli.js and ${cliFiles.length - 1} chunks ${kib(cliFiles.reduce((sum, file) => sum + statSync(file).size, 0))}`,
);
