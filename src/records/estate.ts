import type { RecordKind } from './kinds.js';
import type { RecordSource } from './locate.js';
import type { EffectivePolicy } from './policy.js';
import type { Change, ConfigurationItem, Release } from './types.generated.js';

/** A record as loaded: its kind, id, plain data and where it came from. */
export interface LoadedRecord<T> {
  kind: RecordKind;
  id: string;
  data: T;
  source: RecordSource;
}

/** Everything the records say: the policy in force, the CMDB, the changes and the releases. */
export interface Estate {
  policy: EffectivePolicy;
  policySource?: RecordSource;
  /** A Map, or on a run through a snapshot the stored CIs by place (StoredCis): read, never written. */
  cis: ReadonlyMap<string, LoadedRecord<ConfigurationItem>>;
  changes: Map<string, LoadedRecord<Change>>;
  releases: Map<string, LoadedRecord<Release>>;
}

/** The estate's records of a kind (other than Policy), by id. */
export function recordsOf(
  estate: Estate,
  kind: RecordKind,
): ReadonlyMap<string, LoadedRecord<unknown>> {
  return (
    kind === 'ConfigurationItem' ? estate.cis : kind === 'Change' ? estate.changes : estate.releases
  ) as ReadonlyMap<string, LoadedRecord<unknown>>;
}
