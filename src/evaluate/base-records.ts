import { memberOf, type BaseCmdb } from '../impact/cmdb-union.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import type { Limits } from '../records/limits.js';
import { parseYamlFile } from '../records/parse-yaml.js';
import type { Change, ConfigurationItem, Release } from '../records/types.generated.js';
import type { RuleContext } from '../rules/rule.js';
import type { BaseFiles } from './facts.js';

/** The records as they were at the base: the changes and releases the rules compare with, and the CMDB's part. */
export interface BaseRecords {
  /** Every change and release at the base, and those the branch removed. */
  history: NonNullable<RuleContext['base']>;
  /** The base's versions of the CIs in the cmdb files the branch changed. */
  cmdb: BaseCmdb;
}

/**
 * The records as they were at the base. Records of files changed since the base are parsed from
 * the base's text with the loader's parser, under the limits in force; every other record is
 * the same at the base as now, so it is taken from the current estate instead of being read
 * twice. A changed file whose base text could not be read or parsed (a symbolic link, over the
 * cap, broken YAML) holds no record at the base: its records are judged as new, so a transition
 * that cannot be checked is never taken as allowed.
 */
export function baseRecords(estate: Estate, base: BaseFiles, limits: Limits): BaseRecords {
  const changes = new Map<string, Change>();
  const releases = new Map<string, Release>();
  const cis = new Map<string, LoadedRecord<ConfigurationItem>>();
  const parsedChanges: Array<LoadedRecord<Change | Release>> = [];
  // The base was checked when it was the head: its findings are not this run's business, only
  // its records are. So the base text is parsed, and neither validated nor indexed for positions.
  for (const file of base.files) {
    const parsed = parseYamlFile(file, limits);
    if (parsed.findings.length > 0) continue;
    for (const doc of parsed.documents) {
      const data = doc.data as { kind?: unknown; id?: unknown } | null;
      if (!data || typeof data !== 'object' || typeof data.id !== 'string') continue;
      const source = { file: file.path, doc: doc.index };
      const { id } = data;
      if (data.kind === 'Change' && !changes.has(id)) {
        changes.set(id, data as Change);
        parsedChanges.push({ kind: 'Change', id, data: data as Change, source });
      }
      if (data.kind === 'Release' && !releases.has(id)) {
        releases.set(id, data as Release);
        parsedChanges.push({ kind: 'Release', id, data: data as Release, source });
      }
      if (data.kind === 'ConfigurationItem' && !cis.has(id))
        cis.set(id, { kind: 'ConfigurationItem', id, data: data as ConfigurationItem, source });
    }
  }
  const changedNow = new Set<string>();
  for (const file of base.changedFiles) if (file.status !== 'deleted') changedNow.add(file.path);
  const changed = memberOf(changedNow);
  for (const record of estate.changes.values())
    if (!changed(record.source.file) && !changes.has(record.id))
      changes.set(record.id, record.data);
  for (const record of estate.releases.values())
    if (!changed(record.source.file) && !releases.has(record.id))
      releases.set(record.id, record.data);
  const removed = parsedChanges.filter((record) =>
    record.kind === 'Change' ? !estate.changes.has(record.id) : !estate.releases.has(record.id),
  );
  return {
    history: { changes, releases, removed },
    cmdb: { cis, changedFiles: changedNow },
  };
}
