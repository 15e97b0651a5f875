declare const __CHANGEOPS_BUILD__: string | undefined;

/**
 * The build of changeops a snapshot was made by: a hash of the sources, schemas and locked
 * dependencies, generated into the bundle by scripts/build.mjs. Run from source, `source`.
 */
export const buildId: string =
  typeof __CHANGEOPS_BUILD__ === 'string' ? __CHANGEOPS_BUILD__ : 'source';
