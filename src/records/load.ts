import type { Finding, SourcePosition } from './finding.js';
import { isRecordKind, recordFileKinds, recordKinds, type RecordKind } from './kinds.js';
import { effectiveLimits, type Limits } from './limits.js';
import { SourceIndex, type RecordSource } from './locate.js';
import { explainSomeSchemaErrors } from './schema-messages.js';
import { findingCaps, omittedFinding } from './finding-cap.js';
import { withSourceHint } from './source-hints.js';
import { closest, show } from './wording.js';
import { keptCopy, parseYamlFile, type SourceText } from './parse-yaml.js';
import { effectivePolicy, type EffectivePolicy } from './policy.js';
import { schemaErrors } from './schemas.js';
import type { Estate, LoadedRecord } from './estate.js';
import type { Change, ConfigurationItem, Policy, Release } from './types.generated.js';
import type { StoredCis } from './stored-cis.js';
import { checkIntegrity, type IntegrityReach } from './integrity.js';
import { checkPolicy } from './policy-checks.js';
import { at } from './finding-at.js';

/** The outcome of loading: the estate, every finding, and the index that finds positions. */
export interface LoadResult {
  estate: Estate;
  findings: Finding[];
  sources: SourceIndex;
  files: number;
  records: number;
  /** False when changeops.yaml exists but cannot be used: a configuration error, no rule runs. */
  policyUsable: boolean;
  /** The policy file's text, when there is one and it could be read. */
  policyFile?: SourceText;
  /** The records whose id breaks its schema: never offered as a "did you mean". */
  badIds: ReadonlySet<LoadedRecord<unknown>>;
}

/** The policy file as parsed on its own, first, because its limits govern every other file. */
export interface PolicyResult {
  policy: EffectivePolicy;
  source?: RecordSource;
  findings: Finding[];
  /** False when a policy file exists but cannot be used: the gate must fail closed on it. */
  usable: boolean;
  /** The policy file's text, so any index can find positions in it. */
  file?: SourceText;
}

/** Parses and validates the policy file; no file means the safe defaults. */
export function loadPolicy(
  file: SourceText | undefined,
  sources = new SourceIndex(),
): PolicyResult {
  if (!file) return { policy: effectivePolicy(undefined), findings: [], usable: true };
  sources.add(file.path, file.text);
  const result = loadPolicyText(file, sources);
  return { ...result, file };
}

function loadPolicyText(file: SourceText, sources: SourceIndex): PolicyResult {
  const parsed = parseYamlFile(file, effectiveLimits(undefined));
  const findings = [...parsed.findings];
  const docs = parsed.documents.filter((doc) => doc.data !== null && doc.data !== undefined);
  if (findings.length > 0) return { policy: effectivePolicy(undefined), findings, usable: false };
  if (docs.length !== 1) {
    findings.push({
      file: file.path,
      line: 1,
      column: 1,
      severity: 'error',
      rule: 'policy',
      message: `${file.path} must hold exactly one Policy record, not ${docs.length}`,
    });
    return { policy: effectivePolicy(undefined), findings, usable: false };
  }
  const doc = docs[0]!;
  const source = { file: file.path, doc: doc.index };
  const errors = [...recordErrors(doc.data, 'Policy', source, sources).findings];
  // Only a schema-valid policy has the shape the checks beyond the schema read.
  if (errors.length === 0)
    for (const finding of checkPolicy(doc.data as Policy, source, sources)) errors.push(finding);
  // One bad entry makes the whole policy unusable: running the rules under the defaults instead
  // would report changes against rules the repository does not have (and miss its own).
  if (errors.length > 0)
    return { policy: effectivePolicy(undefined), source, findings: errors, usable: false };
  return { policy: effectivePolicy(doc.data as Policy), source, findings: [], usable: true };
}

/** One record file after parsing and schema validation, before the estate is put together. */
export interface ParsedRecordFile {
  path: string;
  /**
   * The records of the file with a kind other than Policy, in document order; `badId` when the
   * id breaks its schema (such an id is never offered as a "did you mean"), with its corrected
   * form when a plain rewrite gives one.
   */
  records: Array<{
    kind: Exclude<RecordKind, 'Policy'>;
    id?: string;
    data: unknown;
    doc: number;
    badId?: { corrected?: string };
  }>;
  /** Parse and schema findings, positioned. */
  findings: Finding[];
}

/**
 * Parses and validates record files one by one: the part of loading that needs nothing but the
 * file itself, so it can run on several threads. Registers each text with `sources`. `judged`:
 * the records are only judged (validate: their schemas, then integrity), so each keeps, once its
 * schema is checked, only what integrity reads (referencedData); the rest of its data dies
 * young rather than being kept, and copied, to the end of the run.
 */
export function parseRecordFiles(
  files: readonly SourceText[],
  limits: Limits,
  sources: SourceIndex,
  judged = false,
): ParsedRecordFile[] {
  return files.map((file) => {
    const parsed = parseYamlFile(file, limits, judged ? { copy: false } : {});
    // A file on disk that parsed cleanly is read again if a position in it is ever asked for,
    // rather than kept: most files never are.
    if (!(
      file.onDisk &&
      sources.reloads &&
      parsed.text === undefined &&
      !parsed.syntax &&
      parsed.findings.length === 0
    ))
      sources.add(file.path, parsed.text ?? file.text, parsed.syntax);
    // The parser's findings list is the file's own: more are added to it, not to a copy.
    const result: ParsedRecordFile = { path: file.path, records: [], findings: parsed.findings };
    // Schema problems past the file's cap are counted, not worded or positioned.
    let unlisted = 0;
    let firstUnlisted: SourcePosition | undefined;
    for (const doc of parsed.documents) {
      // An empty document (a trailing `---`) holds nothing and is not an error.
      if (doc.data === null || doc.data === undefined) continue;
      const source = { file: file.path, doc: doc.index };
      const kind = kindOf(doc.data, source, sources, result.findings);
      if (!kind) continue;
      if (kind === 'Policy') {
        result.findings.push(
          at(
            sources,
            source,
            ['kind'],
            'policy',
            'a Policy belongs in changeops.yaml at the repository root, not among the records',
          ),
        );
        continue;
      }
      const room = Math.max(0, findingCaps.perFile - result.findings.length);
      const errors = recordErrors(doc.data, kind, source, sources, room);
      for (const finding of errors.findings) result.findings.push(finding);
      unlisted += errors.unlisted;
      firstUnlisted ??= errors.firstUnlisted;
      const data = judged ? referencedData(kind, doc.data) : doc.data;
      const id = (data as { id?: unknown }).id;
      const record: ParsedRecordFile['records'][number] = { kind, data, doc: doc.index };
      if (typeof id === 'string' && id !== '') record.id = id;
      if (errors.badId) record.badId = errors.badId;
      result.records.push(record);
    }
    if (unlisted > 0 && firstUnlisted) {
      const counts = { errors: unlisted, warnings: 0, notices: 0 };
      result.findings.push(omittedFinding(firstUnlisted, counts, 'file'));
    }
    return result;
  });
}

/**
 * Loads every record file: parses, validates against the schemas, indexes by kind and id, and
 * checks integrity. Never throws on bad input: every problem becomes a finding and the rest of
 * the files are still read. `files` are the record files (not the policy), already read.
 */
export function loadRecords(
  policyResult: PolicyResult,
  files: readonly SourceText[],
  options: { sources?: SourceIndex; limits?: Limits; judged?: boolean } = {},
): LoadResult {
  const sources = options.sources ?? new SourceIndex();
  const parsed = parseRecordFiles(
    files,
    options.limits ?? policyResult.policy.limits,
    sources,
    options.judged,
  );
  return assembleRecords(policyResult, parsed, sources);
}

/**
 * The estate put together file by file, in file order, from parsed files or a snapshot's
 * columns alike: records indexed by kind and id (the first of a duplicate id wins), then (done)
 * uniqueness and integrity checked across files. One way to assemble, whatever the records
 * were read from, so a run through a snapshot gives what a full run gives.
 */
export class EstateAssembly {
  readonly #findings: Finding[];
  readonly #estate: Estate;
  /** The maps records are indexed in (the estate's, but for stored CIs, see StoredCis). */
  readonly #maps: Record<RecordKind, Map<string, LoadedRecord<unknown>> | undefined>;
  readonly #stored: StoredCis | undefined;
  readonly #duplicates: Array<{ record: LoadedRecord<unknown>; first: LoadedRecord<unknown> }> = [];
  readonly #badIds = new Map<LoadedRecord<unknown>, { corrected?: string }>();
  #files = 0;
  #records = 0;
  /** The stored file the file last added comes before (with stored CIs). */
  #before = 0;

  /** `stored`: the CIs of a snapshot's unchanged files, indexed already (a run through one). */
  constructor(
    readonly policy: PolicyResult,
    readonly sources: SourceIndex,
    stored?: StoredCis,
  ) {
    if (policy.file && !sources.has(policy.file.path))
      sources.add(policy.file.path, policy.file.text);
    this.#findings = [...policy.findings];
    const cis = stored ? undefined : new Map<string, LoadedRecord<ConfigurationItem>>();
    const changes = new Map<string, LoadedRecord<Change>>();
    const releases = new Map<string, LoadedRecord<Release>>();
    this.#stored = stored;
    this.#maps = {
      ConfigurationItem: cis as Map<string, LoadedRecord<unknown>> | undefined,
      Change: changes as Map<string, LoadedRecord<unknown>>,
      Release: releases as Map<string, LoadedRecord<unknown>>,
      Policy: undefined,
    };
    this.#estate = { policy: policy.policy, cis: stored ?? cis!, changes, releases };
    if (policy.source) this.#estate.policySource = policy.source;
  }

  /**
   * The next file (one that was parsed): its parse and schema findings; with stored CIs,
   * `before` is the stored file it comes before in file order.
   */
  file(findings: readonly Finding[], before = 0): void {
    this.#files++;
    this.#before = before;
    // Most of 100,000 files have none: no iterator made for them.
    for (let n = 0; n < findings.length; n++) this.#findings.push(findings[n]!);
  }

  /**
   * The next record with an id, of the file last added. A record that fails its schema is
   * still indexed by id, so references to it resolve and one typo does not cascade into a
   * dozen "unknown id" findings elsewhere.
   */
  record(record: LoadedRecord<unknown>, badId: { corrected?: string } | undefined): void {
    this.#records++;
    if (badId) this.#badIds.set(record, badId);
    const map = this.#maps[record.kind];
    if (map === undefined) {
      const met = this.#stored!.add(record as LoadedRecord<ConfigurationItem>, this.#before);
      if ('duplicateOf' in met) this.#duplicates.push({ record, first: met.duplicateOf });
      return;
    }
    const first = map.get(record.id);
    if (first) this.#duplicates.push({ record, first });
    else map.set(record.id, record);
  }

  /**
   * A stored CI the stored CIs index (or, `shadowed`, one a changed file's CI of its id comes
   * before), in file order: counted, and its bad id or its duplicate noted as a full load does.
   */
  storedCi(place: number, badId: { corrected?: string } | undefined): void {
    this.#records++;
    const stored = this.#stored!;
    const shadowed = stored.shadowed(place);
    if (!badId && !shadowed) return;
    const record = stored.at(place);
    if (badId) this.#badIds.set(record, badId);
    if (shadowed) this.#duplicates.push({ record, first: stored.get(record.id)! });
  }
  /** The estate as assembled so far (done adds no record to it). */
  get estate(): Estate {
    return this.#estate;
  }

  /**
   * The estate with every finding: the files', the duplicate ids', integrity's; `reached`, on a
   * run through a snapshot, the records integrity can have something to say about (the others
   * are known to have nothing).
   */
  done(reached?: IntegrityReach): LoadResult {
    const { sources, policy } = this;
    const findings = this.#findings;
    for (const { record, first } of this.#duplicates) {
      const where = sources.position(first.source, ['id']);
      findings.push(
        at(
          sources,
          record.source,
          ['id'],
          'unique-id',
          `the ${record.kind} id ${show(record.id)} is already used at ${where.file}:${where.line}; ids must be unique`,
          record,
        ),
      );
    }
    for (const finding of checkIntegrity(this.#estate, sources, {
      badIds: this.#badIds,
      policyUsable: policy.usable,
      ...(reached ? { reached } : {}),
    }))
      findings.push(finding);
    return {
      estate: this.#estate,
      findings,
      sources,
      files: this.#files,
      records: this.#records,
      policyUsable: policy.usable,
      ...(policy.file ? { policyFile: policy.file } : {}),
      badIds: new Set(this.#badIds.keys()),
    };
  }
}

/**
 * Puts parsed files together into the estate, in file order: indexes records by kind and id
 * (the first of a duplicate id wins), then checks uniqueness and integrity across files.
 */
export function assembleRecords(
  policyResult: PolicyResult,
  parsed: readonly ParsedRecordFile[],
  sources: SourceIndex,
): LoadResult {
  const assembly = new EstateAssembly(policyResult, sources);
  for (const file of parsed) {
    assembly.file(file.findings);
    for (const { kind, id, data, doc, badId } of file.records)
      if (id !== undefined)
        assembly.record({ kind, id, data, source: { file: file.path, doc } }, badId);
  }
  return assembly.done();
}

/**
 * A judged record's data: its kind (the kind's own string), its id and the fields integrity
 * reads (checkIntegrity: a CI's dependsOn and partOf, a change's cis, release and template, a
 * release's changes), each copied off the file's text (keptCopy); nothing else.
 */
function referencedData(kind: Exclude<RecordKind, 'Policy'>, data: unknown): unknown {
  const full = data as Record<string, unknown>;
  const kept: Record<string, unknown> = { kind };
  if (full.id !== undefined) kept.id = keptCopy(full.id);
  // Each kind's fields by name, not through a loop of keyed reads.
  const keep = (field: string, value: unknown) => {
    if (value !== undefined) kept[field] = keptCopy(value);
  };
  if (kind === 'ConfigurationItem') {
    keep('dependsOn', full.dependsOn);
    keep('partOf', full.partOf);
  } else if (kind === 'Change') {
    keep('cis', full.cis);
    keep('release', full.release);
    keep('template', full.template);
  } else keep('changes', full.changes);
  return kept;
}

function kindOf(
  data: unknown,
  source: RecordSource,
  sources: SourceIndex,
  findings: Finding[],
): Exclude<RecordKind, never> | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    findings.push(
      at(
        sources,
        source,
        [],
        'record',
        `expected a record (a mapping with apiVersion, kind and id), found ${show(data)}`,
      ),
    );
    return undefined;
  }
  const kind = (data as { kind?: unknown }).kind;
  // The kind's own string, not the record's (which may be a slice of the file's text, kept alive
  // by every record that holds it).
  if (isRecordKind(kind)) return recordKinds[recordKinds.indexOf(kind)]!;
  const guess = typeof kind === 'string' ? closest(kind, recordFileKinds) : undefined;
  findings.push(
    at(
      sources,
      source,
      kind === undefined ? [] : ['kind'],
      'kind',
      kind === undefined
        ? `the record has no "kind"; write kind: ${recordFileKinds.slice(0, -1).join(', ')} or ${recordFileKinds.at(-1)}`
        : `"kind" is ${show(kind)}, which is not one of: ${recordFileKinds.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`,
    ),
  );
  return undefined;
}

/**
 * A record's schema findings, at most `room` of them worded and positioned; the rest are
 * counted, with the position of the first of them for the finding that says so. `badId` is set
 * when the id itself breaks the schema, listed or not.
 */
interface RecordErrors {
  findings: Finding[];
  unlisted: number;
  firstUnlisted?: SourcePosition;
  /** Set when the id itself is invalid: with its corrected form, when one is plain. */
  badId?: { corrected?: string };
}

/** What a valid record's schema check gives: shared, since nothing adds to it. */
const valid: RecordErrors = Object.freeze({
  findings: Object.freeze([]) as unknown as Finding[],
  unlisted: 0,
});

function recordErrors(
  data: unknown,
  kind: RecordKind,
  source: RecordSource,
  sources: SourceIndex,
  room = Infinity,
): RecordErrors {
  const errors = schemaErrors(kind, data);
  if (errors.length === 0) return valid;
  const id =
    typeof (data as { id?: unknown }).id === 'string' ? (data as { id: string }).id : undefined;
  const { explained, total } = explainSomeSchemaErrors(errors, kind, room + 1);
  const findings = explained.slice(0, room).map((problem) => ({
    ...sources.position(source, problem.path, problem.atKey),
    severity: 'error' as const,
    rule: 'schema',
    message: withSourceHint(problem, sources, source),
    ...(problem.field ? { field: problem.field } : {}),
    kind,
    ...(id ? { id } : {}),
  }));
  const result: RecordErrors = { findings, unlisted: total - findings.length };
  const next = explained[room];
  if (result.unlisted > 0)
    result.firstUnlisted = next
      ? sources.position(source, next.path, next.atKey)
      : sources.position(source);
  // An invalid id is never offered as a "did you mean", even when its finding is not listed.
  let idProblem = explained.find((problem) => problem.field === 'id');
  if (!idProblem && explained.length < total) {
    const idErrors = errors.filter((error) => error.instancePath === '/id');
    if (idErrors.length > 0) idProblem = explainSomeSchemaErrors(idErrors, kind, 1).explained[0];
  }
  if (idProblem) result.badId = idProblem.corrected ? { corrected: idProblem.corrected } : {};
  return result;
}
