import type { Estate, LoadedRecord } from '../records/estate.js';
import type { RecordKind } from '../records/kinds.js';
import { StoredData } from '../records/stored-record.js';
import type { Change, Release } from '../records/types.generated.js';
import { isPendingData } from '../rules/status.js';
import type { ChangedFile } from './facts.js';

/** The changes and releases a run evaluates. */
export interface UnderEvaluation {
  changes: Array<LoadedRecord<Change>>;
  releases: Array<LoadedRecord<Release>>;
}

// A closed release is history; every other one can still be wrong about its changes.
const settledRelease: ReadonlySet<Release['status']> = new Set(['closed']);

/**
 * Whether a run without a base evaluates a change or release of this data: a pending (proposed or
 * approved) change, a release not closed. The snapshot keeps the answer per record (its `u`
 * section), so that a warm check reads the data of only those it evaluates.
 */
export function evaluatedWithoutBase(kind: RecordKind, data: unknown): boolean {
  if (kind === 'Change') return isPendingData(data);
  if (kind !== 'Release' || typeof data !== 'object' || data === null) return false;
  return !settledRelease.has((data as Release).status);
}

/** Whether a run without a base evaluates the record: from the snapshot when it holds it. */
function evaluated(
  record: LoadedRecord<Change> | LoadedRecord<Release>,
  kind: RecordKind,
): boolean {
  const stored = record instanceof StoredData ? record.storedEvaluated() : undefined;
  return stored ?? evaluatedWithoutBase(kind, record.data);
}

/**
 * What a run evaluates. With the record files changed since the base: the changes and releases
 * in those files, whatever their status (each rule decides which statuses it judges). Without
 * a base: every pending (proposed or approved) change and every release not yet closed.
 */
export function selectUnderEvaluation(
  estate: Estate,
  changedRecordFiles?: ReadonlySet<string>,
): UnderEvaluation {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const changes = [...estate.changes.values()].filter((record) =>
    changedRecordFiles ? changedRecordFiles.has(record.source.file) : evaluated(record, 'Change'),
  );
  const releases = [...estate.releases.values()].filter((record) =>
    changedRecordFiles ? changedRecordFiles.has(record.source.file) : evaluated(record, 'Release'),
  );
  return { changes: changes.sort(byId), releases: releases.sort(byId) };
}

/** The paths of the files that exist now among those changed: where changed records live. */
export function presentPaths(changedFiles: readonly ChangedFile[]): Set<string> {
  return new Set(changedFiles.filter((file) => file.status !== 'deleted').map((file) => file.path));
}

/** Every path a change touched, at the base and now (a rename counts at both). */
export function touchedPaths(changedFiles: readonly ChangedFile[]): string[] {
  return [...new Set(changedFiles.flatMap((file) => [file.path, file.previousPath ?? file.path]))];
}
