import type { Finding } from './finding.js';
import { recordsOf, type Estate, type LoadedRecord } from './estate.js';
import { at } from './finding-at.js';
import { FindingCollector } from './finding-cap.js';
import type { SourceIndex } from './locate.js';
import { fieldOf, StoredRecord, viewOf, type CiColumns } from './stored-record.js';
import { closest, show } from './wording.js';
import { StoredCis } from './stored-cis.js';
import type { RecordKind } from './kinds.js';

/** The most "did you mean" look-ups one run makes; each compares with up to 5,000 ids. */
const maxSuggestions = 200;

/** What integrity needs to know beyond the estate: which ids are invalid, whether the policy is. */
export interface IntegrityOptions {
  /**
   * Records whose id breaks its schema, with its corrected form when there is a plain one: never
   * offered as a "did you mean", nor held to a file name; a reference to the corrected form
   * names the record to fix instead.
   */
  badIds?: ReadonlyMap<LoadedRecord<unknown>, { corrected?: string }>;
  /**
   * False when changeops.yaml could not be used: the estate then holds the default policy, so
   * the checks that need the real one (templates, boards, template CIs) are skipped rather than
   * reported against the defaults. The policy's own findings already fail the run.
   */
  policyUsable?: boolean;
  /**
   * On a run through a snapshot, the records integrity can have something to say about (see
   * integrityReach): every other record is known to have nothing, so it is not looked at. The
   * policy's references are checked either way.
   */
  reached?: IntegrityReach;
}

/** The records integrity looks at on a run through a snapshot (integrityReach). */
export interface IntegrityReach {
  /** Whether to look at a record. */
  record(record: LoadedRecord<unknown>): boolean;
  /** Whether to look at the stored CI at a place in the CI columns (StoredCis). */
  place(place: number): boolean;
}

/**
 * Checks what no single record's schema can: file names match ids, and every reference (CI
 * dependencies, a change's CIs, release and template, a release's changes, the policy's boards
 * and template CIs) names a record that exists. A near miss gets a "did you mean", but only
 * ever a valid id: an invalid one is reported by the schema with its corrected form.
 */
export function checkIntegrity(
  estate: Estate,
  sources: SourceIndex,
  options: IntegrityOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const references = new FindingCollector();
  const ciIds = estate.cis;
  const badIds = options.badIds ?? new Map<LoadedRecord<unknown>, { corrected?: string }>();
  const policyUsable = options.policyUsable ?? true;
  const reached = options.reached;
  // The records whose invalid id, corrected, is this one: a reference to CHG-0001 while the
  // record says chg-0001 points at that record, not at a typo.
  const miswritten = new Map<string, LoadedRecord<unknown>>();
  for (const [record, { corrected }] of badIds)
    if (corrected !== undefined && !miswritten.has(`${record.kind}\u0000${corrected}`))
      miswritten.set(`${record.kind}\u0000${corrected}`, record);
  const kindOf = (target: ReadonlyMap<string, unknown>) =>
    target === estate.cis
      ? 'ConfigurationItem'
      : target === estate.changes
        ? 'Change'
        : target === estate.releases
          ? 'Release'
          : undefined;
  // "Did you mean" compares with up to 5,000 valid ids, gathered once per kind of target; a run
  // words at most `maxSuggestions` of them (more findings than that are not listed anyway), so
  // 10,000 dangling references against 100,000 CIs cost no more than a few hundred look-ups.
  const pools = new Map<
    ReadonlyMap<string, unknown>,
    { ids: string[]; guesses: Map<string, string | undefined> }
  >();
  let lookups = 0;
  const suggest = (value: string, target: ReadonlyMap<string, unknown>) => {
    const kind = kindOf(target);
    const record = kind === undefined ? undefined : miswritten.get(`${kind}\u0000${value}`);
    if (record) {
      const where = sources.position(record.source, ['id']);
      return `; ${where.file}:${where.line} has the id ${show(record.id)}, which is not valid: write it as ${show(value)} there`;
    }
    let pool = pools.get(target);
    if (!pool) {
      pool = { ids: [], guesses: new Map() };
      for (const [id, item] of target) {
        if (pool.ids.length === 5000) break;
        if (!badIds.has(item as LoadedRecord<unknown>)) pool.ids.push(id);
      }
      pools.set(target, pool);
    }
    if (!pool.guesses.has(value)) {
      if (lookups >= maxSuggestions) return '';
      lookups++;
      pool.guesses.set(value, closest(value, pool.ids));
    }
    const guess = pool.guesses.get(value);
    return guess ? `; did you mean "${guess}"?` : '';
  };
  const reference = (
    record: LoadedRecord<unknown>,
    field: string,
    values: unknown,
    target: ReadonlyMap<string, unknown>,
    what: string,
  ) => {
    const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
    list.forEach((value, index) => {
      if (typeof value !== 'string' || target.has(value)) return;
      missing(record, Array.isArray(values) ? [field, index] : [field], value, target, what);
    });
  };
  // A reference to an id that is not there: a list may name 100,000 missing ids, and past a
  // file's cap they are counted, not worded.
  const missing = (
    record: LoadedRecord<unknown>,
    path: Array<string | number>,
    value: string,
    target: ReadonlyMap<string, unknown>,
    what: string,
  ) =>
    references.add(
      record.source.file,
      'error',
      () =>
        at(
          sources,
          record.source,
          path,
          'reference',
          `${show(value)} is not a known ${what}${suggest(value, target)}`,
          record,
        ),
      () => sources.position(record.source, path),
    );
  // A stored CI's lists are positions in its snapshot's strings: whether each string is a CI is
  // asked once (0 not yet, 1 a CI, 2 not), however many lists name it.
  const known = new Map<CiColumns, Uint8Array>();
  const storedLists = (ci: StoredRecord<unknown>, field: 'dependsOn' | 'partOf'): boolean => {
    const cis = ci.columns;
    const at = ci.position;
    const column = cis.fields.indexOf(field);
    const list = cis.lists[column];
    if (list === undefined || cis.columns[column]![at] !== 1) return false;
    let seen = known.get(cis);
    if (!seen) known.set(cis, (seen = new Uint8Array(cis.strings)));
    const from = list.offsets[at]!;
    let self = -1;
    for (let k = from; k < list.offsets[at + 1]!; k++) {
      const position = list.targets[k]!;
      const id = cis.name(position);
      if (seen[position] === 0) seen[position] = ciIds.has(id) ? 1 : 2;
      if (seen[position] === 2)
        missing(ci, [field, k - from], id, ciIds, 'configuration item in the CMDB');
      if (self < 0 && id === ci.id) self = k - from;
    }
    if (self >= 0) selfReference(ci, field, self);
    return true;
  };
  const selfReference = (ci: LoadedRecord<unknown>, field: string, index: number) =>
    findings.push(
      at(
        sources,
        ci.source,
        [field, index],
        'reference',
        `${show(ci.id)} names itself in ${field}; a CI cannot depend on or be part of itself`,
        ci,
      ),
    );

  // Which stored CIs' lists are quiet (every id a CI, none the CI itself): one pass over each
  // snapshot's positions, so that 100,000 CIs with nothing to report cost a look-up each.
  const quietBy = new Map<CiColumns, Record<string, Uint8Array>>();
  const quietOf = (cis: CiColumns, field: 'dependsOn' | 'partOf'): Uint8Array => {
    let byField = quietBy.get(cis);
    if (!byField) quietBy.set(cis, (byField = {}));
    let quiet = byField[field];
    if (quiet) return quiet;
    const column = cis.fields.indexOf(field);
    const list = cis.lists[column];
    const markers = cis.columns[column]!;
    quiet = byField[field] = new Uint8Array(markers.length);
    if (!list) return quiet;
    let seen = known.get(cis);
    if (!seen) known.set(cis, (seen = new Uint8Array(cis.strings)));
    for (let at = 0; at < markers.length; at++) {
      if (markers[at] !== 1) continue;
      const own = cis.id(at);
      let clear = 1;
      for (let k = list.offsets[at]!; clear === 1 && k < list.offsets[at + 1]!; k++) {
        const position = list.targets[k]!;
        const id = cis.name(position);
        if (seen[position] === 0) seen[position] = ciIds.has(id) ? 1 : 2;
        if (seen[position] === 2 || id === own) clear = 0;
      }
      quiet[at] = clear;
    }
    return quiet;
  };

  // A parsed CI's list in one loop, each id asked once: a known one is replaced by the estate's
  // own string of it (equal, so nothing reads differently), so that every later look-up of it
  // (the impact graph's, 250,000 at 100k) finds the key itself, hashed already, rather than
  // hashing and comparing a string of its own.
  const canonicalList = (ci: LoadedRecord<unknown>, field: string, values: unknown[]) => {
    let self = -1;
    for (let index = 0; index < values.length; index++) {
      const value: unknown = values[index];
      if (typeof value !== 'string') continue;
      const target = ciIds.get(value);
      if (target === undefined)
        missing(ci, [field, index], value, ciIds, 'configuration item in the CMDB');
      else values[index] = target.id;
      if (self < 0 && value === ci.id) self = index;
    }
    if (self >= 0) selfReference(ci, field, self);
  };

  // Through fieldOf: a CI read back from a snapshot is not parsed, nor made a view, for these.
  const listFields = ['dependsOn', 'partOf'] as const;
  // The quiet flags of the last snapshot's columns met (a run has one): no look-up per CI.
  let lastColumns: CiColumns | undefined;
  let quiet: Uint8Array[] = [];
  // Stored CIs by place: one integrity has nothing to say about is passed over with no record made.
  const cis = estate.cis;
  let walk: Iterable<LoadedRecord<unknown>>;
  if (cis instanceof StoredCis) {
    if (reached) walk = cis.walk((place) => !reached.place(place));
    else {
      const [dependsOn, partOf] = listFields.map((field) => quietOf(cis.columns, field));
      walk = cis.walk((place) => dependsOn![place] === 1 && partOf![place] === 1);
    }
  } else walk = cis.values();
  for (const ci of walk) {
    if (reached && !reached.record(ci)) continue;
    const stored = ci instanceof StoredRecord;
    // The quiet flags are a pass over every stored CI: not made for the few a snapshot run reaches.
    if (stored && !reached && ci.columns !== lastColumns) {
      lastColumns = ci.columns;
      quiet = listFields.map((field) => quietOf(ci.columns, field));
    }
    for (let f = 0; f < listFields.length; f++) {
      const field = listFields[f]!;
      if (stored) {
        if (!reached && quiet[f]![ci.position] === 1) continue;
        if (storedLists(ci, field)) continue;
      }
      const values = stored ? fieldOf(ci, field) : parsedField(ci, field);
      if (!stored && Array.isArray(values)) {
        canonicalList(ci, field, values);
        continue;
      }
      reference(ci, field, values, ciIds, 'configuration item in the CMDB');
      // A list that is no list (`dependsOn: 5`) is the schema's finding, not a reason to throw;
      // one id on its own names the CI only when it is the id, not when it contains it.
      const index = Array.isArray(values)
        ? values.indexOf(ci.id)
        : typeof values === 'string' && values === ci.id
          ? 0
          : -1;
      if (index >= 0) selfReference(ci, field, index);
    }
  }
  const templates = new Map(estate.policy.templates.map((template) => [template.id, template]));
  for (const change of estate.changes.values()) {
    if (reached && !reached.record(change)) continue;
    if (!badIds.has(change)) fileNameMatches(change, sources, findings);
    const data = viewOf(change);
    reference(change, 'cis', data.cis, ciIds, 'configuration item in the CMDB');
    reference(change, 'release', data.release, estate.releases, 'release');
    if (policyUsable) {
      reference(
        change,
        'template',
        data.template,
        templates,
        'standard-change template of the policy',
      );
    }
  }
  for (const release of estate.releases.values()) {
    if (reached && !reached.record(release)) continue;
    if (!badIds.has(release)) fileNameMatches(release, sources, findings);
    reference(release, 'changes', viewOf(release).changes, estate.changes, 'change');
  }
  if (estate.policySource && policyUsable) {
    const policy = {
      kind: 'Policy' as const,
      id: estate.policy.id,
      data: estate.policy,
      source: estate.policySource,
    };
    const boards = new Map(Object.entries(estate.policy.boards));
    estate.policy.approvals.forEach((rule, index) => {
      const board = rule.from.board;
      if (board !== undefined && !boards.has(board)) {
        findings.push(
          at(
            sources,
            policy.source,
            ['approvals', index, 'from', 'board'],
            'reference',
            `the approval rule ${show(rule.name)} names the board ${show(board)}, which is not under boards${suggest(board, boards)}`,
            policy,
          ),
        );
      }
    });
    estate.policy.templates.forEach((template, index) => {
      (template.cis ?? []).forEach((id, i) => {
        if (!ciIds.has(id)) {
          findings.push(
            at(
              sources,
              policy.source,
              ['templates', index, 'cis', i],
              'reference',
              `the template ${show(template.id)} names ${show(id)}, which is not a known configuration item${suggest(id, ciIds)}`,
              policy,
            ),
          );
        }
      });
    });
  }
  for (const finding of references.done()) findings.push(finding);
  return findings;
}

/** A list field of a parsed record's data (a stored one reads its columns through fieldOf). */
function parsedField(record: LoadedRecord<unknown>, field: 'dependsOn' | 'partOf'): unknown {
  const data = record.data as { dependsOn?: unknown; partOf?: unknown } | null;
  if (typeof data !== 'object' || data === null) return undefined;
  return field === 'dependsOn' ? data.dependsOn : data.partOf;
}

/** A Change or Release file's name starts with its id, so the tree lists records by id. */
function fileNameMatches(
  record: LoadedRecord<unknown>,
  sources: SourceIndex,
  findings: Finding[],
): void {
  const base = record.source.file.slice(record.source.file.lastIndexOf('/') + 1);
  const rest = base.slice(record.id.length);
  if (
    base.startsWith(record.id) &&
    (rest.startsWith('-') || rest.startsWith('.') || rest.startsWith('_'))
  )
    return;
  findings.push(
    at(
      sources,
      record.source,
      ['id'],
      'file-name',
      `the file name ${show(base)} does not start with the ${record.kind} id ${show(record.id)}; name it like ${record.id}-short-title.yaml`,
      record,
    ),
  );
}

/**
 * On a run through a snapshot, the records integrity must look at again (a predicate for
 * checkIntegrity's `reached`): those the snapshot's integrity pass said something about
 * (`reachedCi` by CI place, filled as the estate was assembled; every record not stored, and
 * every stored change or release not among `quietOthers`), and those of the quiet files that
 * name an id gone since: one the changed files held at the snapshot's commit and the estate no
 * longer has. Nothing else can have changed for a record unchanged: its own fields, id and file
 * name are as they were, an id it names that exists still does, and an id that appeared fixes
 * nothing (a quiet record named none that was missing). Looking at more records than needed
 * gives the same findings, so an unsure case is looked at.
 */
export function integrityReach(
  estate: Estate,
  files: SnapshotRecords,
  changed: readonly number[],
  reachedCi: Uint8Array,
  quietOthers: Set<LoadedRecord<unknown>>,
): IntegrityReach {
  const gone = new Set<string>();
  let goneCi = false;
  for (const at of changed) {
    const first = files.first(at);
    for (let record = first; record < first + Math.max(files.count(at), 0); record++) {
      const id = files.id(record);
      if (id === undefined) continue;
      const kind = files.kind(record);
      if (recordsOf(estate, kind).has(id)) continue;
      gone.add(id);
      if (kind === 'ConfigurationItem') goneCi = true;
    }
  }
  if (goneCi) listsNaming(files.cis, gone, reachedCi);
  if (gone.size > 0)
    for (const record of quietOthers) {
      // A change's or release's references, a list or one id (any other value names none).
      const { cis, release, changes } = viewOf(record) as Record<string, unknown>;
      if ([cis, release, changes].flat().some((id) => gone.has(id as string)))
        quietOthers.delete(record);
    }
  return {
    record: (record) =>
      record instanceof StoredRecord ? reachedCi[record.position] === 1 : !quietOthers.has(record),
    place: (place) => reachedCi[place] === 1,
  };
}

/** A snapshot's files as integrityReach reads them (StoredFiles, which imports this module). */
interface SnapshotRecords {
  readonly cis: CiColumns;
  first(file: number): number;
  count(file: number): number;
  id(record: number): string | undefined;
  kind(record: number): RecordKind;
}

/**
 * Marks (by CI place) the stored CIs whose lists name one of `ids`, and every one whose list
 * field holds something else than a list of ids (read as a reference all the same).
 */
function listsNaming(cis: CiColumns, ids: ReadonlySet<string>, marks: Uint8Array): void {
  cis.lists.forEach((list, column) => {
    const codes = cis.columns[column]!;
    // Only a CI whose code is 1 has a list (its offsets rise only there).
    if (list)
      for (let at = 0; at < codes.length; at++) {
        if (codes[at] !== 0 && codes[at] !== 1) marks[at] = 1;
        for (let k = list.offsets[at]!; k < list.offsets[at + 1]!; k++)
          if (ids.has(cis.name(list.targets[k]!))) marks[at] = 1;
      }
  });
}
