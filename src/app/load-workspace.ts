import type { BaseFiles, ChangedFile } from '../evaluate/facts.js';
import {
  entriesAt,
  listRecordFiles,
  readListedFiles,
  readPolicyFile,
  rereadRecordFile,
  type RecordFileEntry,
  type WorkspaceFiles,
} from '../fs/read-workspace.js';
import { surveyWorkspace } from '../fs/survey-workspace.js';
import {
  blobId,
  commitDiff,
  commitOf,
  fileOf,
  listSnapshots,
  readSnapshotBytes,
  readSnapshotFile,
  recordFilesTracked,
  recordFoldersStatus,
  recordTreesAt,
  snapshotFolder,
  untrackedRecordFiles,
  workingTreeDiff,
  writeSnapshotFile,
} from '../git/snapshots.js';
import { graphOf, knownGraph } from '../impact/change-impact.js';
import { buildId } from '../records/build-id.js';
import type { Finding } from '../records/finding.js';
import {
  emptyWorkspaceProblem,
  isRecordFilePath,
  layoutFindings,
  recordFolders,
  type WorkspaceLayout,
} from '../records/layout.js';
import { defaultLimits, type Limits } from '../records/limits.js';
import {
  EstateAssembly,
  loadPolicy,
  parseRecordFiles,
  type LoadResult,
  type ParsedRecordFile,
  type PolicyResult,
} from '../records/load.js';
import { SourceIndex, type RecordSource } from '../records/locate.js';
import { StoredData, StoredRecord } from '../records/stored-record.js';
import { StoredCis } from '../records/stored-cis.js';
import type { LoadedRecord } from '../records/estate.js';
import { integrityReach } from '../records/integrity.js';
import { parseYamlFile, type SourceText } from '../records/parse-yaml.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  graphOrder,
  isStorable,
  quietFiles,
  type Snapshot,
  type SnapshotEntry,
  type SnapshotKey,
} from '../records/snapshot.js';
import type { WorkingTreeStatus } from '../git/status.js';
import { collisionSchedule } from '../rules/collision.js';
import { evaluatedWithoutBase } from '../evaluate/select.js';
import { NoRecordsError } from './errors/no-records-error.js';

/** The policy first: its limits govern every other file. */
function policyOf(root: string, sources: SourceIndex): PolicyResult {
  const policyFile = readPolicyFile(root, defaultLimits.maxFileBytes);
  const policy = loadPolicy(policyFile.files[0], sources);
  policy.findings = [...policyFile.findings, ...policy.findings];
  if (policyFile.findings.length > 0) policy.usable = false;
  return policy;
}

/**
 * Reads and loads a repository's records from disk: the policy first, then every record file
 * under changes/ and cmdb/ under the limits of the policy in force: `limits` when given (the
 * base's, in a pull request, so the branch cannot raise its own), else the policy's own; `extra`
 * files are read as if they were on disk. Throws a
 * NoRecordsError when the root holds none of them; YAML changeops would not read (Changes/, a
 * Change at the root) and running on the default policy are findings, so nothing is skipped
 * without a word. `judged`: only the findings and counts are read (parseRecordFiles).
 */
export function loadWorkspace(
  root: string,
  options: { limits?: Limits; extra?: readonly SourceText[]; judged?: boolean } = {},
): LoadResult {
  const start = startLoading(root, options.limits);
  return loadEverything(root, start, {
    extra: options.extra,
    keep: false,
    judged: options.judged === true,
  }).result;
}

/** What every load starts with: the survey, the policy, the limits in force. */
interface LoadStart {
  layout: WorkspaceLayout;
  sources: SourceIndex;
  policy: PolicyResult;
  limits: Limits;
}

function startLoading(
  root: string,
  limits: Limits | undefined,
  sources = new SourceIndex(),
): LoadStart {
  const layout = surveyWorkspace(root);
  if (layout.policyFile === undefined && layout.recordFolders.length === 0)
    throw new NoRecordsError(emptyWorkspaceProblem(root, layout));
  const policy = policyOf(root, sources);
  return { layout, sources, policy, limits: limits ?? policy.policy.limits };
}

/** Record files read before they are parsed: enough to batch the reads, few enough to die young. */
const readSlice = 256;

/**
 * Reads, parses and assembles every record file on disk. The parsed files are kept (`parsed`)
 * only when `keep` says a snapshot may be written of them; else each is assembled and dropped.
 */
function loadEverything(
  root: string,
  { layout, sources, policy, limits }: LoadStart,
  options: {
    // A record not on disk yet (`changeops new` judges its file before writing it) is read the same.
    extra?: readonly SourceText[] | undefined;
    keep: boolean;
    /** The estate is only judged (validate): records keep what integrity reads (parseRecordFiles). */
    judged?: boolean;
  },
): {
  result: LoadResult;
  listed: RecordFileEntry[];
  read: WorkspaceFiles;
  parsed: ParsedRecordFile[];
  count: number;
} {
  const listed = listRecordFiles(root);
  // Read, parsed and assembled a slice at a time: each text and parsed file is dropped while
  // young, rather than 100,000 of them kept alive (and copied by every scavenge) to the end.
  const read: WorkspaceFiles = { files: [], findings: [] };
  const parsed: ParsedRecordFile[] = [];
  const assembly = new EstateAssembly(policy, sources);
  let count = 0;
  const assemble = (files: readonly ParsedRecordFile[]) => {
    count += files.length;
    for (const file of files) {
      addParsed(assembly, file);
      if (options.keep) parsed.push(file);
    }
  };
  for (let from = 0; from < listed.length; from += readSlice) {
    const slice = readListedFiles(root, listed.slice(from, from + readSlice), limits.maxFileBytes);
    for (const finding of slice.findings) read.findings.push(finding);
    assemble(parseRecordFiles(slice.files, limits, sources, options.judged));
  }
  if (options.extra) assemble(parseRecordFiles(options.extra, limits, sources, options.judged));
  const result = assembly.done();
  finish(result, read.findings, layout, policy);
  return { result, listed, read, parsed, count };
}

/**
 * A parsed file into the assembly: its findings, then its records with an id (`before`: the
 * stored file it comes before, on a run through a snapshot).
 */
function addParsed(assembly: EstateAssembly, file: ParsedRecordFile, before?: number): void {
  assembly.file(file.findings, before);
  for (const { kind, id, data, doc, badId } of file.records)
    if (id !== undefined)
      assembly.record({ kind, id, data, source: { file: file.path, doc } }, badId);
}

function finish(
  result: LoadResult,
  readFindings: readonly Finding[],
  layout: WorkspaceLayout,
  policy: PolicyResult,
): void {
  for (const finding of readFindings) result.findings.push(finding);
  for (const finding of layoutFindings(layout)) result.findings.push(finding);
  // The policy file counts as a file read; unreadable record files count too.
  result.files += (policy.file ? 1 : 0) + readFindings.length;
}

/** What a load did with the estate snapshot (see loadWorkspaceCached). */
export interface SnapshotUse {
  /** `read`: the records came from a snapshot and the files changed since; `written`: a full load wrote one. */
  status: 'read' | 'written' | 'none';
  /** Record files parsed this run. */
  parsed: number;
  /** Why no snapshot was read, when none was. */
  reason?: string;
  /**
   * The load was made from the commits' diff while git's status walked the work tree, and kept
   * because the status added nothing to it (check's guess: loadWorkspaceGuessed).
   */
  guessed?: true;
}

/** The commit a load is compared with, and what differs from it in the working tree. */
export interface LoadOrigin {
  /** The commit (a full sha): the merge base in a pull request, else HEAD. */
  commit: string;
  /** Every file that differs between the commit and the working tree. */
  changed: readonly ChangedFile[];
  /** The commit's record trees (recordTreesAt), when asked already. */
  trees?: ReturnType<typeof recordTreesAt>;
}

/**
 * Loads the records as loadWorkspace does, through the estate snapshot of the repository when it
 * has one (.git/changeops/): the records of the files unchanged since the snapshot's commit come
 * from it, only the files that differ are read and parsed, and everything across files (ids,
 * references) is checked again over the whole estate, so the result is the full load's. A
 * snapshot is found by its key (the build, the policy in force, the record trees of `origin`,
 * else the newest of the same build and policy); one that is damaged, of another key, or any case
 * the diff cannot tell (a link or folder among the changed paths, a file git ignores) means a
 * full load (fail closed), and a full load of a working tree equal to its commit writes one.
 * `policyText` is the text of the policy in force (the base's, with a base): part of the key.
 */
export function loadWorkspaceCached(
  root: string,
  options: CachedLoadOptions = {},
): Promise<{ workspace: LoadResult; snapshot: SnapshotUse }> {
  return loadThrough(root, options, false) as Promise<{
    workspace: LoadResult;
    snapshot: SnapshotUse;
  }>;
}

/** How loadWorkspaceCached loads. */
export interface CachedLoadOptions {
  /** The reads started early (startSnapshotReads), while git answered about the base. */
  started?: StartedSnapshotReads;
  limits?: Limits;
  policyText?: string;
  origin?: LoadOrigin;
  cache?: boolean;
  /**
   * The record files on disk are the commit's (the action's checkout): the snapshot is diffed
   * commit to commit (`origin`, else HEAD as it is), never against the working tree, whose
   * diff stats every file and whose untracked listing walks every folder.
   */
  committed?: boolean;
  /**
   * The estate is only judged (validate reads its findings and counts): a full load that
   * writes no snapshot keeps of each record only what integrity reads (parseRecordFiles).
   */
  judged?: boolean;
}

/**
 * The load loadWorkspaceCached makes if the work tree is as git's commits say (`origin.changed`
 * the whole diff, else none), made before git's status of it answers: `holds` then says whether
 * it is the load's (no untracked or ignored record file, no dirty one; false when git cannot
 * tell). Undefined unless the records come from a snapshot: a full load is never guessed, and
 * nothing is written. The records are read as the load reads them.
 */
export async function loadWorkspaceGuessed(
  root: string,
  options: CachedLoadOptions & { started: StartedSnapshotReads },
): Promise<{ workspace: LoadResult; snapshot: SnapshotUse; holds: Promise<boolean> } | undefined> {
  return (await loadThrough(root, options, true)) as
    { workspace: LoadResult; snapshot: SnapshotUse; holds: Promise<boolean> } | undefined;
}

async function loadThrough(
  root: string,
  options: CachedLoadOptions,
  guess: boolean,
): Promise<{ workspace: LoadResult; snapshot: SnapshotUse; holds?: Promise<boolean> } | undefined> {
  let limitsMax = defaultLimits.maxFileBytes;
  const sources = new SourceIndex((file) => rereadRecordFile(root, file, limitsMax));
  // Git is asked where snapshots live (two processes) before the survey and the policy are read,
  // so that it answers while they are.
  const started =
    options.cache === false
      ? undefined
      : (options.started ?? startSnapshotReads(root, options.committed));
  const start = startLoading(root, options.limits, sources);
  limitsMax = start.limits.maxFileBytes;
  // The parsed files are kept only for a snapshot that may be written of them.
  const full = (reason: string, keep = false) => {
    const loaded = loadEverything(root, start, { keep, judged: options.judged === true && !keep });
    return { loaded, snapshot: { status: 'none' as const, parsed: loaded.count, reason } };
  };
  // A guess is made of a snapshot or not at all.
  const fullOnly = (reason: string) => {
    if (guess) return undefined;
    const { loaded, snapshot } = full(reason);
    return { workspace: loaded.result, snapshot };
  };
  if (!started) return fullOnly('the cache is off');
  const folder = await started.folder;
  const commit = options.origin?.commit ?? (folder ? await commitOf(root, 'HEAD') : undefined);
  if (!folder || !commit) return fullOnly('not in a git repository with a commit');
  const origin = options.origin;
  const assumed = options.committed || guess;
  // A guess holds when the status adds nothing to the commits' diff: no record file git does
  // not track (ignored ones included), and, without a diff to the working tree given, none dirty.
  const holds: Promise<boolean> | undefined = !guess
    ? undefined
    : options.committed
      ? Promise.resolve(true)
      : origin
        ? started.untracked.then((untracked) => untracked?.length === 0)
        : workingTreeDiff(commit, started.status, started.untracked).then(
            (diff) => diff !== undefined && recordPaths(diff.changed).length === 0,
          );
  holds?.catch(() => undefined);
  const reads = Promise.all([
    origin?.trees ?? recordTreesAt(root, commit),
    assumed
      ? { changed: origin ? [...origin.changed] : [] }
      : origin
        ? started.untracked.then(
            (untracked) =>
              untracked && {
                changed: [
                  ...origin.changed,
                  ...untracked.map((path) => ({ status: 'added' as const, path })),
                ],
              },
          )
        : workingTreeDiff(commit, started.status, started.untracked),
  ]);
  // While git diffs (and stats) the working tree, the newest snapshot is read.
  started.readAhead();
  const [trees, diff] = await reads;
  const policyText = options.policyText ?? start.policy.file?.text;
  // The policy in force is the key's (in a pull request the branch's may differ from the base's).
  const samePolicy = policyText === start.policy.file?.text;
  const key: SnapshotKey | undefined = trees && {
    build: buildId,
    policy: policyText === undefined ? 'none' : blobId(policyText),
    ...trees,
  };
  if (!key || !diff) return fullOnly('git cannot tell every changed record file');
  const changed = recordPaths(diff.changed);
  const found = await findSnapshot(root, folder, key, commit, await started.ahead);
  if (found) {
    const extra = found.changed ? recordPaths(found.changed) : [];
    const incremental = loadIncremental(
      root,
      start,
      found.snapshot,
      [...changed, ...extra],
      samePolicy,
    );
    if (incremental)
      return {
        workspace: incremental.result,
        snapshot: {
          status: 'read',
          parsed: incremental.parsed,
          ...(guess ? { guessed: true as const } : {}),
        },
        ...(holds ? { holds } : {}),
      };
  }
  if (guess) return undefined;
  const { loaded, snapshot } = full(
    found ? 'a changed path a diff cannot follow' : 'no snapshot',
    changed.length === 0,
  );
  if (changed.length === 0 && loaded.listed.every((entry) => !entry.link && !entry.problem)) {
    const paths = loaded.listed.map((entry) => entry.path);
    if (await recordFilesTracked(root, commit, paths, isRecordFilePath)) {
      const entries = snapshotEntries(loaded);
      const graph = graphOf(loaded.result.estate);
      const order = graphOrder(entries, graph.ids);
      // Integrity ran under the policy on disk: kept only when that is the key's.
      const quiet = samePolicy && quietFiles(entries, loaded.result);
      const bytes = encodeSnapshot({
        key,
        commit,
        entries,
        graph: order && { graph, order },
        ...(quiet ? { quiet } : {}),
        schedule: collisionSchedule,
        evaluated: evaluatedWithoutBase,
      });
      if (bytes && writeSnapshotFile(folder, key, bytes))
        return {
          workspace: loaded.result,
          snapshot: { status: 'written', parsed: snapshot.parsed },
        };
    }
  }
  return { workspace: loaded.result, snapshot };
}

/** Git reads a snapshot load needs that depend on nothing: started before the base is read. */
export interface StartedSnapshotReads {
  folder: Promise<string | undefined>;
  /** The work tree's status, one walk of it (none when the records are a commit's). */
  status: Promise<WorkingTreeStatus | undefined>;
  untracked: Promise<string[] | undefined>;
  /** The newest snapshot of the folder, read and decoded ahead (readAhead), under its own key. */
  ahead?: Promise<{ file: string; snapshot: Snapshot } | undefined>;
  /**
   * Reads the newest snapshot ahead, while git diffs the working tree on another core: the key
   * is not known yet, so it is checked when known (findSnapshot). Once; never throws.
   */
  readAhead(): void;
}

/**
 * The newest snapshot of this build in a folder, decoded under the key its header names, if it
 * reads. Another build's is never used (its key differs), so it is not read either: after an
 * upgrade, or with two builds run in one clone, the newest file may be another build's.
 */
export function readNewest(folder: string): { file: string; snapshot: Snapshot } | undefined {
  for (const newest of listSnapshots(folder)) {
    try {
      const key = (JSON.parse(newest.header) as { key?: { build?: unknown } }).key;
      if (key?.build !== buildId) continue;
      const bytes = readSnapshotFile(newest.file);
      const snapshot = bytes === undefined ? undefined : decodeSnapshot(bytes, key as SnapshotKey);
      return snapshot && { file: newest.file, snapshot };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * What a load through the snapshot works out of it whatever changed (the stored CIs' places,
 * their order checked: StoredCis.places), done ahead and kept. Never throws: a part that does
 * not check is found again, and refused, by the load.
 */
function prepare(snapshot: Snapshot): void {
  try {
    const order = snapshot.ciOrder();
    if (order) StoredCis.places(snapshot.files, order);
  } catch {
    // The load asks again.
  }
}

const sameKey = (a: SnapshotKey, b: SnapshotKey) =>
  a.build === b.build && a.policy === b.policy && a.changes === b.changes && a.cmdb === b.cmdb;

/**
 * Starts the git reads of a snapshot load that need no base (where snapshots live, the untracked
 * record files unless the records are a commit's), so that they run while the base is resolved.
 */
export function startSnapshotReads(
  root: string,
  committed = false,
  asked?: Promise<WorkingTreeStatus>,
): StartedSnapshotReads {
  const folder = snapshotFolder(root);
  // A commit's checkout has no untracked record file to list; and where no snapshot can be
  // (outside a repository, a folder it ignores) git would list every record file for nothing.
  // A status asked already (of the whole work tree, for a base's diff) is used as it is.
  const status: Promise<WorkingTreeStatus | undefined> = committed
    ? Promise.resolve(undefined)
    : asked
      ? asked.catch(() => undefined)
      : folder.then((at) => (at === undefined ? undefined : recordFoldersStatus(root)));
  const started: StartedSnapshotReads = {
    folder,
    status,
    untracked: committed
      ? Promise.resolve([])
      : status.then((tree) => tree && untrackedRecordFiles(root, tree)),
    readAhead() {
      // After the current turn: the git commands just started are spawned first.
      started.ahead ??= folder.then((at) =>
        at === undefined
          ? undefined
          : new Promise((done) =>
              setImmediate(() => {
                const newest = readNewest(at);
                done(newest);
                // Then, in a turn of its own (git's answer is not held up), what the load
                // works out of the snapshot whatever changed, while git still walks.
                if (newest) setImmediate(() => prepare(newest.snapshot));
              }),
            ),
      );
    },
  };
  return started;
}

/** The paths under the record folders a diff names, both sides of a rename. */
function recordPaths(changed: readonly ChangedFile[]): string[] {
  const paths: string[] = [];
  const under = (path: string) => recordFolders.some((folder) => path.startsWith(`${folder}/`));
  for (const file of changed) {
    if (under(file.path)) paths.push(file.path);
    if (file.previousPath !== undefined && under(file.previousPath)) paths.push(file.previousPath);
  }
  return paths;
}

/**
 * The snapshot of the key, else the newest of the same build and policy whose commit still has
 * the record trees it says: with the files changed between its commit and `commit`.
 */
async function findSnapshot(
  root: string,
  folder: string,
  key: SnapshotKey,
  commit: string,
  ahead?: { file: string; snapshot: Snapshot },
): Promise<{ snapshot: Snapshot; changed?: ChangedFile[] } | undefined> {
  // The one read ahead, when it is the key's (its name and the key it was read under).
  if (ahead && ahead.file === fileOf(folder, key) && sameKey(ahead.snapshot.key, key))
    return { snapshot: ahead.snapshot };
  const own = readSnapshotBytes(folder, key);
  const snapshot = own === undefined ? undefined : decodeSnapshot(own, key);
  if (snapshot) return { snapshot };
  for (const { file, header } of listSnapshots(folder).slice(0, 4)) {
    let parsed: { key?: Partial<SnapshotKey>; commit?: unknown };
    try {
      parsed = JSON.parse(header) as typeof parsed;
    } catch {
      continue;
    }
    if (parsed.key?.build !== key.build || parsed.key.policy !== key.policy) continue;
    if (typeof parsed.commit !== 'string' || parsed.commit === commit) continue;
    const trees = await recordTreesAt(root, parsed.commit);
    if (!trees) continue;
    const theirs: SnapshotKey = { build: key.build, policy: key.policy, ...trees };
    const bytes =
      ahead?.file === file && sameKey(ahead.snapshot.key, theirs)
        ? undefined
        : readSnapshotFile(file);
    const other =
      bytes === undefined
        ? ahead?.file === file && sameKey(ahead.snapshot.key, theirs)
          ? ahead.snapshot
          : undefined
        : decodeSnapshot(bytes, theirs);
    if (!other || other.commit !== parsed.commit) continue;
    const changed = await commitDiff(root, other.commit, commit);
    if (changed) return { snapshot: other, changed };
  }
  return undefined;
}

/**
 * The load from a snapshot: its records for the files that did not change, the changed files
 * read and parsed, in listing order, then assembled over the whole estate as a full load does.
 * Undefined when a changed path is one only a full listing can read (a folder, a link).
 */
function loadIncremental(
  root: string,
  { layout, sources, policy, limits }: LoadStart,
  snapshot: Snapshot,
  changedPaths: readonly string[],
  samePolicy: boolean,
): { result: LoadResult; parsed: number } | undefined {
  const files = snapshot.files;
  const changed = new Set(changedPaths);
  for (const at of files.reparsed) changed.add(files.path(at));
  const { entries, unsure } = entriesAt(root, [...changed]);
  if (unsure) return undefined;
  const read = readListedFiles(root, entries, limits.maxFileBytes);
  const parsedNew = parseRecordFiles(read.files, limits, sources);
  const fresh = new Map<string, { parsed?: ParsedRecordFile; readFindings: Finding[] }>();
  for (const entry of entries) fresh.set(entry.path, { readFindings: [] });
  for (const parsed of parsedNew) fresh.get(parsed.path)!.parsed = parsed;
  for (const finding of read.findings) fresh.get(finding.file)?.readFindings.push(finding);
  const added = [...fresh.entries()].map(([path, value]) => ({ path, ...value }));
  // A CI's data, when a rule reads more of it than integrity and the graph: its file again.
  let last: { file: string; documents: Array<{ index: number; data: unknown }> } | undefined;
  const reload = (source: RecordSource) => {
    if (last?.file !== source.file) {
      const text = rereadRecordFile(root, source.file, limits.maxFileBytes);
      const documents =
        text === undefined ? [] : parseYamlFile({ path: source.file, text }, limits).documents;
      last = { file: source.file, documents };
    }
    return last.documents.find((doc) => doc.index === source.doc)?.data;
  };
  // The changed paths by position (a binary search each): no hash of 100,000 paths.
  const skip = new Uint8Array(files.length);
  const positions: number[] = [];
  for (const path of changed) {
    const at = files.indexOf(path);
    if (at >= 0) {
      skip[at] = 1;
      positions.push(at);
    }
  }
  // The stored CIs by place, found by id through the graph's sorted nodes: no record or map entry
  // per unchanged CI. Without that order (a stored duplicate id, no graph), one record each.
  const stored = StoredCis.of(files, snapshot.ciOrder(), skip, reload);
  // The stored files that did not change and the changed ones merged in listing order: no entry
  // object for any of 100,000 unchanged files.
  const assembly = new EstateAssembly(policy, sources, stored);
  const readFindings: Finding[] = [];
  const addFresh = (at: number) => {
    const { parsed, readFindings: found } = added[at]!;
    if (parsed) addParsed(assembly, parsed, before[at]);
    for (const finding of found) readFindings.push(finding);
  };
  // Integrity looks only where the diff reaches when the snapshot says what its pass found under
  // the policy in force, and knows every file's old records (none is parsed every run).
  const quiet = samePolicy && files.reparsed.length === 0 ? snapshot.quiet() : undefined;
  const reachedCi = new Uint8Array(quiet ? files.cis.columns[0]!.length : 0);
  const quietOthers = new Set<LoadedRecord<unknown>>();
  // Where each changed file goes among the stored ones (a binary search each), so that the
  // merge compares positions, not 100,000 paths.
  const before = added.map(({ path }) => files.lowerBound(path));
  const next = mergeStored(files, skip, assembly, {
    before,
    addFresh,
    ...(stored ? { stored } : {}),
    reload,
    quiet,
    reachedCi,
    quietOthers,
    readFindings,
  });
  for (let at = next; at < added.length; at++) addFresh(at);
  const result = assembly.done(
    quiet && integrityReach(assembly.estate, files, positions, reachedCi, quietOthers),
  );
  finish(result, readFindings, layout, policy);
  // The CIs are the snapshot's when no file that held or holds one changed: so is their graph.
  const heldCis = (file: ParsedRecordFile | undefined) =>
    file?.records.some((record) => record.kind === 'ConfigurationItem') ?? false;
  // Only the changed paths' old files are looked at (no map of 100,000 files).
  const ciUnchanged =
    !parsedNew.some(heldCis) &&
    positions.every((at) => files.count(at) !== -1 && !files.holdsCi(at));
  if (ciUnchanged)
    knownGraph(result.estate.cis, () => {
      const known = snapshot.graph();
      // A graph of other CIs than these is not theirs: built after all.
      return known?.size === result.estate.cis.size ? known : undefined;
    });
  return { result, parsed: parsedNew.length };
}

/**
 * The snapshot's files that did not change (`skip` 0) into the assembly in listing order, each
 * after the changed files that come before it (`addFresh`, by their place in `before`: the
 * stored file each comes before); returns how many of those it added. A stored CI is its place when the
 * stored CIs index it (no object for it), else a StoredRecord; a change or release a record whose
 * data is read when asked for. Its own function: V8 optimizes a small function's loop early.
 */
function mergeStored(
  files: Snapshot['files'],
  skip: Uint8Array,
  assembly: EstateAssembly,
  into: {
    before: readonly number[];
    addFresh: (at: number) => void;
    stored?: StoredCis;
    reload: (source: RecordSource) => unknown;
    quiet: Uint8Array | undefined;
    reachedCi: Uint8Array;
    quietOthers: Set<LoadedRecord<unknown>>;
    readFindings: Finding[];
  },
): number {
  const { before, addFresh, stored, reload, quiet, reachedCi, quietOthers, readFindings } = into;
  // Stored data that does not check (StoredFiles.data) is read from its file, as a full load.
  const data = (record: number, source: RecordSource) => files.data(record) ?? reload(source);
  let next = 0;
  for (let at = 0; at < files.length; at++) {
    if (skip[at] === 1) continue;
    while (next < before.length && before[next]! <= at) addFresh(next++);
    const found = files.readFindings(at);
    for (let n = 0; n < found.length; n++) readFindings.push(found[n]!);
    const count = files.count(at);
    if (count < 0) continue;
    assembly.file(files.findings(at));
    const first = files.first(at);
    // Any byte but 1 means looked at: whatever a section holds, integrity looks no less.
    const looked = quiet !== undefined && quiet[at] !== 1;
    for (let record = first; record < first + count; record++) {
      const id = files.id(record);
      if (id === undefined) continue;
      const kind = files.kind(record);
      if (kind === 'ConfigurationItem') {
        if (looked) reachedCi[files.slot(record)] = 1;
        if (stored) assembly.storedCi(files.slot(record), files.badId(record));
        else
          assembly.record(
            new StoredRecord(kind, id, files, at, record, reload),
            files.badId(record),
          );
        continue;
      }
      const source = { file: files.path(at), doc: files.doc(record) };
      const other = new StoredData(kind, id, source, record, data, files);
      if (quiet?.[at] === 1) quietOthers.add(other);
      assembly.record(other, files.badId(record));
    }
  }
  return next;
}

/** A full load's files as snapshot entries, in listing order. */
function snapshotEntries(loaded: {
  listed: RecordFileEntry[];
  read: WorkspaceFiles;
  parsed: ParsedRecordFile[];
}): SnapshotEntry[] {
  const parsedBy = new Map(loaded.parsed.map((parsed) => [parsed.path, parsed]));
  const findingsBy = new Map<string, Finding[]>();
  for (const finding of loaded.read.findings) {
    const list = findingsBy.get(finding.file);
    if (list) list.push(finding);
    else findingsBy.set(finding.file, [finding]);
  }
  return loaded.listed.map(({ path }): SnapshotEntry => {
    const parsed = parsedBy.get(path);
    if (parsed && !isStorable(parsed)) return { path, readFindings: [], reparse: true };
    return { path, readFindings: findingsBy.get(path) ?? [], ...(parsed ? { parsed } : {}) };
  });
}

/**
 * Loads the base commit's policy file as git read it: the policy in force in a pull request.
 * No file means the defaults; a file that cannot be read or used is unusable (fail closed). Its
 * positions are those of the base's text, kept in an index of its own.
 */
export function loadBasePolicy(
  base: Pick<BaseFiles, 'policyFile' | 'policyProblem'>,
): PolicyResult {
  if (base.policyProblem) {
    const { policy } = loadPolicy(undefined);
    return { policy, findings: [base.policyProblem], usable: false };
  }
  return loadPolicy(base.policyFile, new SourceIndex());
}
