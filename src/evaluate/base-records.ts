import type { Estate } from '../records/estate.js';
import { parseYamlFile } from '../records/parse-yaml.js';
import type { Change, Release } from '../records/types.generated.js';
import type { RuleContext } from '../rules/rule.js';
import type { BaseFiles } from './facts.js';

/**
 * The changes and releases as they were at the base. Records of files changed since the base
 * are parsed from the base's text with the loader's parser; every other record is the same at
 * the base as now, so it is taken from the current estate instead of being read twice. A record
 * whose base file could not be read or parsed is taken as unchanged: a transition that cannot
 * be known is not reported.
 */
export function baseRecords(estate: Estate, base: BaseFiles): NonNullable<RuleContext['base']> {
  const changes = new Map<string, Change>();
  const releases = new Map<string, Release>();
  // The base was checked when it was the head: its findings are not this run's business, only
  // its records are. So the base text is parsed, and neither validated nor indexed for positions.
  const unknownAtBase = new Set(base.unreadable ?? []);
  for (const file of base.files) {
    const parsed = parseYamlFile(file, estate.policy.limits);
    if (parsed.findings.length > 0) unknownAtBase.add(file.path);
    for (const doc of parsed.documents) {
      const data = doc.data as { kind?: unknown; id?: unknown } | null;
      if (!data || typeof data !== 'object' || typeof data.id !== 'string') continue;
      if (data.kind === 'Change' && !changes.has(data.id)) changes.set(data.id, data as Change);
      if (data.kind === 'Release' && !releases.has(data.id)) releases.set(data.id, data as Release);
    }
  }
  const changedNow = new Set<string>();
  const unknownNow = new Set<string>();
  for (const file of base.changedFiles) {
    if (file.status === 'deleted') continue;
    changedNow.add(file.path);
    if (unknownAtBase.has(file.previousPath ?? file.path)) unknownNow.add(file.path);
  }
  const same = (file: string) => !changedNow.has(file) || unknownNow.has(file);
  for (const record of estate.changes.values())
    if (same(record.source.file) && !changes.has(record.id)) changes.set(record.id, record.data);
  for (const record of estate.releases.values())
    if (same(record.source.file) && !releases.has(record.id)) releases.set(record.id, record.data);
  return { changes, releases };
}
