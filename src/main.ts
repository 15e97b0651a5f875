/**
 * The action's logic as a module that exports run(), and does nothing when imported: what
 * `npx @github/local-action run . src/main.ts .env` loads and calls (docs/action.md). The runner
 * runs src/index.ts, which calls it.
 */
export { run } from './action/run.js';
