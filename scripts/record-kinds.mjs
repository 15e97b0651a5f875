// The record kinds, listed once: each kind and the schema file that defines it, in the order the
// generated files declare them. gen-types.mjs and gen-validators.mjs read this list, and
// src/records/kinds.ts reads it back from the generated validators, so no other file lists them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each record kind and its schema's file name (without .schema.json). */
export const recordKinds = [
  { kind: 'ConfigurationItem', schema: 'configuration-item' },
  { kind: 'Change', schema: 'change' },
  { kind: 'Release', schema: 'release' },
  { kind: 'Policy', schema: 'policy' },
];

/**
 * Checks the list against schemas/: every kind's schema says `kind: {const: <kind>}`, and no
 * schema defines a kind the list leaves out. Exits 1 with a sentence otherwise.
 */
export function checkRecordKinds(root, files) {
  const listed = new Map(recordKinds.map(({ kind, schema }) => [schema, kind]));
  // Only the record schemas: schemas/output/ holds the shapes of the CLI's --json.
  for (const file of files.filter((name) => name.endsWith('.schema.json'))) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8'));
    const kind = schema.properties?.kind?.const;
    const name = file.replace(/\.schema\.json$/, '');
    if (kind === undefined) continue;
    if (listed.get(name) !== kind) {
      console.error(
        `schemas/${file} defines the kind ${kind}, which scripts/record-kinds.mjs does not list as ${name}`,
      );
      process.exit(1);
    }
    listed.delete(name);
  }
  for (const [schema, kind] of listed) {
    console.error(
      `scripts/record-kinds.mjs lists ${kind}, but schemas/${schema}.schema.json does not define it`,
    );
    process.exit(1);
  }
}
