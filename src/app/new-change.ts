import { join, posix } from 'node:path';
import {
  newChangeFindings,
  suggestSlot,
  type SlotRequest,
  type SlotSuggestion,
} from '../evaluate/new-change.js';
import { listRecordFiles } from '../fs/read-workspace.js';
import { writeFilesOnce } from '../fs/write-once.js';
import { isFile } from '../fs/write-file.js';
import { impactResolver } from '../impact/change-impact.js';
import { newChangePath, nextChangeId } from '../records/change-ids.js';
import type { Finding } from '../records/finding.js';
import { editorSchemaFolder, schemaFolder } from '../records/layout.js';
import type { Level } from '../records/level.js';
import type { LoadResult } from '../records/load.js';
import type { Change } from '../records/types.generated.js';
import { changeRecordYaml, type NewChangeRecord } from '../render/change-record.js';
import { loadWorkspace } from './load-workspace.js';

/** The repository a new change is written into, loaded once: what `changeops new` asks from. */
export interface NewChangeSession {
  root: string;
  workspace: LoadResult;
  /** The CMDB's ids, sorted: what a CI may be, and the completions offered. */
  ciIds: string[];
  /** The standard-change templates of the policy, by id. */
  templates: string[];
  /** The next free change id. */
  nextId: string;
}

/** Loads the repository for `changeops new`: its records, CMDB ids, templates and next id. */
export function openNewChange(root: string): NewChangeSession {
  const workspace = loadWorkspace(root);
  const { estate } = workspace;
  return {
    root,
    workspace,
    ciIds: [...estate.cis.keys()].sort(),
    templates: estate.policy.templates.map((template) => template.id),
    nextId: nextChangeId(
      estate.changes.keys(),
      listRecordFiles(root).map((entry) => entry.path),
    ),
  };
}

/** The impact level the CMDB gives a change on these CIs: the least its assessed impact may be. */
export function computedImpact(session: NewChangeSession, cis: readonly string[]): Level {
  return impactResolver(session.workspace.estate)({ cis: [...cis] } as Change).level;
}

/** The earliest slot `check` would accept for the change (see suggestSlot). */
export function suggestSchedule(session: NewChangeSession, request: SlotRequest): SlotSuggestion {
  return suggestSlot(session.workspace.estate, request);
}

/** A new change record, rendered and judged, not written yet. */
export interface PreparedChange {
  /** Relative to the root: changes/CHG-0042-upgrade-pg.yaml. */
  path: string;
  text: string;
  /** What `check` says about it in the repository it joins (its file's findings). */
  findings: Finding[];
}

/**
 * Renders the record (its modeline pointing at the repository's schemas: .changeops/schemas/
 * where init put them, else schemas/, else .changeops/schemas/ all the same, which
 * `changeops init --upgrade` fills) and judges it as `check` would, in the records on disk.
 */
export function prepareNewChange(
  session: NewChangeSession,
  record: NewChangeRecord,
  now: Date,
): PreparedChange {
  const path = newChangePath(record.id, record.title);
  const folder = [editorSchemaFolder, schemaFolder].find((candidate) =>
    isFile(join(session.root, candidate, 'change.schema.json')),
  );
  const schema = posix.relative(
    posix.dirname(path),
    `${folder ?? editorSchemaFolder}/change.schema.json`,
  );
  const text = changeRecordYaml(record, { schema });
  const workspace = loadWorkspace(session.root, { extra: [{ path, text }] });
  return { path, text, findings: newChangeFindings(workspace, path, now) };
}

/** What became of writing a new change: written, or refused with the file that holds its id. */
export type NewChangeWrite = { written: string } | { refused: string };

/**
 * Writes the record, never over anything: refused when a record file of the same id appeared
 * since the session looked (another `changeops new`, a pull from main) or the file exists; the
 * file itself is created exclusively.
 */
export function writeNewChange(
  session: NewChangeSession,
  prepared: PreparedChange,
  id: string,
): NewChangeWrite {
  const taken = listRecordFiles(session.root).find((entry) =>
    new RegExp(`(?:^|/)${id}(?:[-.]|$)`).test(entry.path),
  );
  if (taken) return { refused: taken.path };
  try {
    const result = writeFilesOnce([
      { path: join(session.root, prepared.path), text: prepared.text },
    ]);
    if ('refused' in result) return { refused: prepared.path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { refused: prepared.path };
    throw error;
  }
  return { written: prepared.path };
}
