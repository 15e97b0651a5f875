import * as YAML from 'yaml';
import type { Level } from '../records/level.js';
import type { ChangeType } from '../records/policy.js';

/** What a new change record says: the fields `changeops new` asks for, each already checked. */
export interface NewChangeRecord {
  id: string;
  title: string;
  type: ChangeType;
  status: 'draft' | 'proposed';
  template?: string;
  requester: string;
  stakeholders?: readonly string[];
  cis: readonly string[];
  reason?: string;
  risk?: { likelihood: Level; impact: Level };
  plan?: { implementation?: string; test?: string; backout?: string };
  schedule?: { start: string; end: string };
  release?: string;
}

/** The modeline that tells yaml-language-server (VS Code's YAML extension) a file's schema. */
export function schemaModeline(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}`;
}

// Short lists and pairs read best on one line, as the example estate writes them.
const flowKeys = ['stakeholders', 'cis', 'risk', 'schedule'] as const;

/**
 * The YAML text of a new change record, its first line the `$schema` modeline (a path relative
 * to the file). Values are quoted by the YAML library wherever YAML needs it (`@team`, `#12`,
 * `yes`, a leading space), so the text reads back as exactly these values; multi-line plans
 * become block scalars. Keys come in the order of the example records.
 */
export function changeRecordYaml(record: NewChangeRecord, options: { schema: string }): string {
  const ordered: Record<string, unknown> = {
    apiVersion: 'changeops/v1',
    kind: 'Change',
    id: record.id,
    title: record.title,
    type: record.type,
  };
  if (record.template !== undefined) ordered.template = record.template;
  ordered.status = record.status;
  ordered.requester = record.requester;
  if (record.stakeholders?.length) ordered.stakeholders = [...record.stakeholders];
  ordered.cis = [...record.cis];
  if (record.reason !== undefined) ordered.reason = record.reason;
  if (record.risk)
    ordered.risk = { likelihood: record.risk.likelihood, impact: record.risk.impact };
  const plan = Object.fromEntries(
    (['implementation', 'test', 'backout'] as const)
      .filter((key) => record.plan?.[key] !== undefined)
      .map((key) => [key, record.plan![key]]),
  );
  if (Object.keys(plan).length > 0) ordered.plan = plan;
  if (record.schedule)
    ordered.schedule = { start: record.schedule.start, end: record.schedule.end };
  if (record.release !== undefined) ordered.release = record.release;

  const document = new YAML.Document(ordered, { version: '1.2' });
  for (const key of flowKeys) {
    const node = document.get(key, true);
    if (YAML.isCollection(node)) node.flow = true;
  }
  const body = document.toString({
    lineWidth: 0,
    blockQuote: 'literal',
    flowCollectionPadding: false,
  });
  return `${schemaModeline(options.schema)}\n${body}`;
}
