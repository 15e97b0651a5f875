import type { Finding } from './finding.js';
import type { RecordKind } from './kinds.js';
import { fieldName } from './wording.js';
import type { FieldPath, RecordSource, SourceIndex } from './locate.js';

/** A finding at a field of a record. */
export function at(
  sources: SourceIndex,
  source: RecordSource,
  path: FieldPath,
  rule: string,
  message: string,
  record?: { kind: RecordKind; id: string },
  severity: Finding['severity'] = 'error',
): Finding {
  const field = path.length ? fieldName(path) : undefined;
  return {
    ...sources.position(source, path),
    severity,
    rule,
    message,
    ...(field ? { field } : {}),
    ...(record ? { kind: record.kind, id: record.id } : {}),
  };
}
