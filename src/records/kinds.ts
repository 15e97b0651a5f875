import { recordKinds as generated } from './validators.generated.js';

/**
 * The record kinds changeops knows, in schema order. Listed once, in scripts/record-kinds.mjs,
 * and read back from the validators generated from it, so a new kind needs no second list here.
 */
export const recordKinds = generated;

/** The record kinds changeops knows. */
export type RecordKind = (typeof recordKinds)[number];

/** The kinds that live among the records (changes/, cmdb/); the Policy is changeops.yaml alone. */
export const recordFileKinds = recordKinds.filter(
  (kind): kind is Exclude<RecordKind, 'Policy'> => kind !== 'Policy',
);

/** Whether a value names a record kind. */
export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && (recordKinds as readonly string[]).includes(value);
}
