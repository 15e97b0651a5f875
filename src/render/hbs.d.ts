/**
 * A handlebars template imported as its source text: esbuild's text loader bundles it into dist/
 * (scripts/build.mjs), and a small plugin does the same under vitest (vitest.config.ts).
 */
declare module '*.hbs' {
  const source: string;
  export default source;
}
