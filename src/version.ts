// Put in by the build (scripts/build.mjs) and by vitest's config from package.json's version.
declare const CHANGEOPS_VERSION: string | undefined;

/** The version of changeops, package.json's: what `changeops --version` and the action's log say. */
export const version: string =
  typeof CHANGEOPS_VERSION === 'string' ? CHANGEOPS_VERSION : '0.0.0-development';
