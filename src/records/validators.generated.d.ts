/* Types of the generated standalone validators (scripts/gen-validators.mjs). */
import type { ValidateFunction } from 'ajv';

export declare const ConfigurationItem: ValidateFunction;
export declare const Change: ValidateFunction;
export declare const Release: ValidateFunction;
export declare const Policy: ValidateFunction;
