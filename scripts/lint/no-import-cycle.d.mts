import type { ESLint, Rule } from 'eslint';

/** The rule: no import cycle in src/, type-only imports included. */
export declare const noImportCycle: Rule.RuleModule;
/** The plugin that carries the rule, for eslint.config.js. */
export declare const changeopsLint: ESLint.Plugin;
