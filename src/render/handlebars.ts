import runtime from 'handlebars/runtime.js';
import type HandlebarsApi from 'handlebars';

/**
 * Handlebars without its compiler: the templates are precompiled at build time
 * (scripts/gen-templates.mjs), so the bundles carry only the runtime that runs them.
 */
export const Handlebars = runtime as typeof HandlebarsApi;
