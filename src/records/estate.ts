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
  cis: Map<string, LoadedRecord<ConfigurationItem>>;
  changes: Map<string, LoadedRecord<Change>>;
  releases: Map<string, LoadedRecord<Release>>;
}
