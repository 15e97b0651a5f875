import { effectiveLimits, type Limits } from '../records/limits.js';
import { parseYamlFile, type ParsedFile } from '../records/parse-yaml.js';
import { canonicalJson } from './canonical-json.js';
import type { CommitAuthor, History, HistoryCommit } from './facts.js';
import {
  changeFacts,
  recordId,
  releaseFacts,
  type ChangeFacts,
  type ChangeStatus,
  type Checked,
  type ReleaseFacts,
  type ReleaseStatus,
} from './record-facts.js';

/** The commit a record event happened in: what an auditor cites. */
export interface CommitRef {
  sha: string;
  /** When the commit landed on the branch (committer date), UTC ISO 8601. */
  date: string;
  /** `date` in epoch milliseconds. */
  at: number;
  author: CommitAuthor;
  subject: string;
  pullRequest?: number;
}

/** One version of a record: the commit that wrote it, the file, the checked facts, the data. */
export interface RecordVersion<F> {
  commit: CommitRef;
  path: string;
  facts: F;
  /** The record as that version wrote it (plain data from YAML, unchecked beyond `facts`). */
  record: unknown;
}

/** A move to a status: the commit that first shows the record at it. */
export interface StatusEvent<S> {
  status: S;
  /** The status before; absent for the first one. */
  from?: S;
  commit: CommitRef;
  /** Index of the version in the timeline's `versions`. */
  version: number;
  /**
   * The history begins after the record already had this status (a shallow clone's boundary, a
   * history cut by `since`): the commit shows it, but it was set earlier.
   */
  knownSince?: true;
}

/** The record appeared on the branch, or left it (its file deleted, or its document removed). */
export interface PresenceEvent {
  present: boolean;
  commit: CommitRef;
}

/** Everything the history says about one record, oldest first. */
export interface RecordTimeline<F, S> {
  kind: 'Change' | 'Release';
  id: string;
  /** Every version whose content differs from the one before. */
  versions: Array<RecordVersion<F>>;
  statuses: Array<StatusEvent<S>>;
  /** Starts with the first appearance; a removal and a return each add one. */
  presence: PresenceEvent[];
  /**
   * The history begins after the record was added (shallow clone, `since`): its first
   * version is where the history starts knowing it, not its addition.
   */
  addedBeforeHistory: boolean;
}

/** A change's timeline. */
export type ChangeTimeline = RecordTimeline<ChangeFacts, ChangeStatus>;
/** A release's timeline. */
export type ReleaseTimeline = RecordTimeline<ReleaseFacts, ReleaseStatus>;

/** A file or record version the timelines left out, and why. */
export interface SkippedVersion {
  sha: string;
  date: string;
  path: string;
  /** The record, when the broken part could still be tied to one. */
  id?: string;
  /** The line the problem is on, when the parser says. */
  line?: number;
  reason: string;
}

/** A version of the policy file, for callers that evaluate at a past commit. */
export interface PolicyVersion {
  commit: CommitRef;
  path: string;
  /** Absent when the file was deleted, or could not be read (`unreadable` says why). */
  text?: string;
  unreadable?: string;
  deleted?: true;
}

/** The timelines of every change and release of a branch, and what had to be skipped. */
export interface Timelines {
  ref: string;
  changes: Map<string, ChangeTimeline>;
  releases: Map<string, ReleaseTimeline>;
  policy: PolicyVersion[];
  /** The first {@link maxSkippedListed} skipped versions; `skippedCount` counts them all. */
  skipped: SkippedVersion[];
  skippedCount: number;
  commits: number;
  shallow: boolean;
  notes: string[];
}

/** How many skipped versions are listed; the rest are counted. */
export const maxSkippedListed = 200;

/** Options of {@link buildTimelines}. */
export interface TimelineOptions {
  /** The parser's caps (nesting, aliases); the defaults when left out. */
  limits?: Limits;
}

const policyPaths: ReadonlySet<string> = new Set(['changeops.yaml', 'changeops.yml']);

type Kind = 'Change' | 'Release';
type Key = `${Kind} ${string}`;

interface Pending {
  kind: Kind;
  id: string;
  path: string;
  facts: ChangeFacts | ReleaseFacts;
  record: unknown;
  unknownOrigin: boolean;
}

/**
 * Builds each change's and release's timeline from the branch history in one pass: every file
 * version is parsed once with the loader's parser (never trusted: a version that does not parse,
 * or a record without a usable id, status or type, is skipped and counted, and the record keeps
 * its last good version). Records are followed by id, so a rename, a move between files or a
 * file holding several records needs no special case; a record is removed when no file holds
 * it any more, and present again when one does.
 */
export function buildTimelines(history: History, options: TimelineOptions = {}): Timelines {
  const limits = options.limits ?? effectiveLimits(undefined);
  const result: Timelines = {
    ref: history.ref,
    changes: new Map(),
    releases: new Map(),
    policy: [],
    skipped: [],
    skippedCount: 0,
    commits: history.commits.length,
    shallow: history.shallow,
    notes: [...history.notes],
  };
  // The keys each file held at its last version that parsed, and the files holding each key.
  const fileKeys = new Map<string, Set<Key>>();
  const holders = new Map<Key, Set<string>>();
  const seen = new Set<string>();
  const skip = (commit: HistoryCommit, entry: Omit<SkippedVersion, 'sha' | 'date'>) => {
    result.skippedCount++;
    if (result.skipped.length < maxSkippedListed)
      result.skipped.push({ sha: commit.sha, date: commit.date, ...entry });
  };
  const hold = (key: Key, path: string) => {
    let files = holders.get(key);
    if (!files) holders.set(key, (files = new Set()));
    files.add(path);
  };
  for (const commit of history.commits) {
    const ref = commitRef(commit);
    const written: Pending[] = [];
    const left = new Set<Key>();
    const release = (path: string) => {
      for (const key of fileKeys.get(path) ?? []) {
        holders.get(key)?.delete(path);
        left.add(key);
      }
      fileKeys.delete(path);
    };
    for (const file of commit.files) {
      if (file.previousPath && policyPaths.has(file.previousPath) && !policyPaths.has(file.path))
        result.policy.push({ commit: ref, path: file.previousPath, deleted: true });
      if (policyPaths.has(file.path)) {
        // A record file renamed to be the policy takes its records off the branch.
        if (file.previousPath && !policyPaths.has(file.previousPath)) release(file.previousPath);
        result.policy.push({
          commit: ref,
          path: file.path,
          ...(file.status === 'deleted'
            ? { deleted: true as const }
            : file.text !== undefined
              ? { text: file.text }
              : { unreadable: file.unreadable ?? 'the version was not read' }),
        });
        continue;
      }
      // Whether the history has seen this file before, in any version, broken ones included.
      const known = seen.has(file.previousPath ?? file.path);
      seen.add(file.path);
      if (file.status === 'deleted') {
        release(file.path);
        continue;
      }
      // Until a version of the file parses, it keeps the records of its last good version (a
      // renamed file takes them along).
      const carried = fileKeys.get(file.previousPath ?? file.path);
      if (file.previousPath) release(file.previousPath);
      const keep = () => {
        if (!carried) return;
        fileKeys.set(file.path, carried);
        for (const key of carried) {
          hold(key, file.path);
          left.delete(key);
        }
      };
      if (file.text === undefined) {
        skip(commit, { path: file.path, reason: file.unreadable ?? 'the version was not read' });
        keep();
        continue;
      }
      let parsed: ParsedFile;
      try {
        parsed = parseYamlFile({ path: file.path, text: file.text }, limits);
      } catch (error) {
        // The parser promises findings, not exceptions; should one escape anyway, this version
        // is skipped like any broken one.
        const reason = error instanceof Error ? error.message : String(error);
        skip(commit, { path: file.path, reason: `the version could not be parsed: ${reason}` });
        keep();
        continue;
      }
      const broken = parsed.findings[0];
      if (broken) {
        skip(commit, { path: file.path, line: broken.line, reason: broken.message });
        keep();
        continue;
      }
      // The history starts knowing this file here without having seen it added: a shallow
      // boundary, or a history cut by `since`.
      const unknownOrigin = commit.boundary || (!known && file.status !== 'added');
      const keys = new Set<Key>();
      let partial = false;
      for (const doc of parsed.documents) {
        const kind = kindOf(doc.data);
        if (!kind) continue;
        const checked: Checked<ChangeFacts | ReleaseFacts> =
          kind === 'Change' ? changeFacts(doc.data) : releaseFacts(doc.data);
        const id = recordId(doc.data);
        if ('problem' in checked) {
          skip(commit, { path: file.path, ...(id ? { id } : {}), reason: checked.problem });
          // A record whose version is broken is still in the file: it did not leave.
          if (id) keys.add(`${kind} ${id}`);
          else partial = true;
          continue;
        }
        const key: Key = `${kind} ${checked.facts.id}`;
        keys.add(key);
        written.push({
          kind,
          id: checked.facts.id,
          path: file.path,
          facts: checked.facts,
          record: doc.data,
          unknownOrigin,
        });
      }
      // A document that lost its id leaves it unknown which record it was: keep them all.
      if (partial && carried) for (const key of carried) keys.add(key);
      const before = fileKeys.get(file.path);
      if (before) for (const key of before) if (!keys.has(key)) left.add(key);
      release(file.path);
      fileKeys.set(file.path, keys);
      for (const key of keys) {
        hold(key, file.path);
        left.delete(key);
      }
    }
    for (const pending of written) record(result, pending, ref);
    for (const key of left) {
      if ((holders.get(key)?.size ?? 0) > 0) continue;
      const timeline = timelineOf(result, key);
      const last = timeline?.presence.at(-1);
      if (timeline && last?.present) timeline.presence.push({ present: false, commit: ref });
    }
  }
  return result;
}

function record(result: Timelines, pending: Pending, commit: CommitRef): void {
  const map = (pending.kind === 'Change' ? result.changes : result.releases) as Map<
    string,
    RecordTimeline<ChangeFacts | ReleaseFacts, string>
  >;
  let timeline = map.get(pending.id);
  const version = { commit, path: pending.path, facts: pending.facts, record: pending.record };
  if (!timeline) {
    timeline = {
      kind: pending.kind,
      id: pending.id,
      versions: [version],
      statuses: [
        {
          status: pending.facts.status,
          commit,
          version: 0,
          ...(pending.unknownOrigin ? { knownSince: true as const } : {}),
        },
      ],
      presence: [{ present: true, commit }],
      addedBeforeHistory: pending.unknownOrigin,
    };
    map.set(pending.id, timeline);
    return;
  }
  const last = timeline.versions.at(-1)!;
  if (!timeline.presence.at(-1)!.present) timeline.presence.push({ present: true, commit });
  // Two files holding one id in the same commit: the later one wins, once.
  if (last.commit === commit) {
    timeline.versions[timeline.versions.length - 1] = version;
  } else if (
    last.path !== version.path ||
    canonicalJson(last.record) !== canonicalJson(version.record)
  ) {
    timeline.versions.push(version);
  } else {
    return;
  }
  const index = timeline.versions.length - 1;
  const previous = timeline.statuses.at(-1)!;
  if (previous.commit === commit) {
    previous.status = pending.facts.status;
    if (previous.from === previous.status && timeline.statuses.length > 1) timeline.statuses.pop();
    return;
  }
  if (previous.status !== pending.facts.status)
    timeline.statuses.push({
      status: pending.facts.status,
      from: previous.status,
      commit,
      version: index,
    });
}

function timelineOf(
  result: Timelines,
  key: Key,
): RecordTimeline<ChangeFacts | ReleaseFacts, string> | undefined {
  const space = key.indexOf(' ');
  const id = key.slice(space + 1);
  return key.startsWith('Change ') ? result.changes.get(id) : result.releases.get(id);
}

function kindOf(data: unknown): Kind | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const kind = (data as { kind?: unknown }).kind;
  return kind === 'Change' || kind === 'Release' ? kind : undefined;
}

const refs = new WeakMap<HistoryCommit, CommitRef>();

function commitRef(commit: HistoryCommit): CommitRef {
  let ref = refs.get(commit);
  if (!ref) {
    ref = {
      sha: commit.sha,
      date: commit.date,
      at: commit.at,
      author: commit.author,
      subject: commit.subject,
      ...(commit.pullRequest ? { pullRequest: commit.pullRequest } : {}),
    };
    refs.set(commit, ref);
  }
  return ref;
}

// ---------------------------------------------------------------------------------------------
// The state of a record as of an instant: what the branch said just before it.

/** The record's last version that landed before `until` (epoch ms); undefined when none had. */
export function versionBefore<F, S>(
  timeline: RecordTimeline<F, S>,
  until: number,
): RecordVersion<F> | undefined {
  let found: RecordVersion<F> | undefined;
  for (const version of timeline.versions) if (version.commit.at < until) found = version;
  return found;
}

/** The status moves that landed before `until`, in order. */
export function statusesBefore<F, S>(
  timeline: RecordTimeline<F, S>,
  until: number,
): Array<StatusEvent<S>> {
  return timeline.statuses.filter((event) => event.commit.at < until);
}

/** The removal that holds at `until`, when the record had left the branch by then. */
export function removedBefore<F, S>(
  timeline: RecordTimeline<F, S>,
  until: number,
): PresenceEvent | undefined {
  let last: PresenceEvent | undefined;
  for (const event of timeline.presence) if (event.commit.at < until) last = event;
  return last && !last.present ? last : undefined;
}

/**
 * The pull request that carried a change or release onto the branch: the one that landed its
 * approval, else the one that added it, else the latest one that touched it. Undefined when no
 * commit of its history names a pull request (direct pushes, rebase merges).
 */
export function carriedBy<F, S>(timeline: RecordTimeline<F, S>): number | undefined {
  const approval = timeline.statuses.find((event) => event.status === 'approved');
  if (approval?.commit.pullRequest) return approval.commit.pullRequest;
  const first = timeline.versions[0]?.commit.pullRequest;
  if (first) return first;
  return timeline.versions.findLast((version) => version.commit.pullRequest)?.commit.pullRequest;
}

/** Every pull request that touched the record, in the order they landed, each once. */
export function pullRequestsOf<F, S>(timeline: RecordTimeline<F, S>): number[] {
  const seen = new Set<number>();
  for (const version of timeline.versions)
    if (version.commit.pullRequest) seen.add(version.commit.pullRequest);
  return [...seen];
}
