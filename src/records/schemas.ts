import type { ErrorObject, ValidateFunction } from 'ajv';
import * as validators from './validators.generated.js';
import type { RecordKind } from './kinds.js';

// The validators are compiled from schemas/ at build time (scripts/gen-validators.mjs, ajv
// standalone code): a run pays nothing to compile them, and the schemas stay the one source.
// Copied into a plain object once: the bundler makes a namespace's exports getters, and this is
// read once per record.
const byKind: Readonly<Record<RecordKind, ValidateFunction>> = { ...validators };

/** Validates one record against its kind's schema; an empty list means valid. */
export function schemaErrors(kind: RecordKind, data: unknown): ErrorObject[] {
  const validate = byKind[kind];
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
