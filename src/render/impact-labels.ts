import type { Relation } from '../impact/impact.js';
import { printable } from './terminal.js';

/** How a hop reads after the CI before it: "pg-payments is depended on by payments-api". */
export const relationPhrase: Readonly<Record<Exclude<Relation, 'direct'>, string>> = {
  dependsOn: 'is depended on by',
  partOf: 'is part of',
};

/** The line that lists named ids the CMDB does not know, or nothing. */
export function unknownLine(unknown: readonly string[]): string[] {
  return unknown.length > 0 ? [`Not in the CMDB: ${unknown.map(printable).join(', ')}`] : [];
}
