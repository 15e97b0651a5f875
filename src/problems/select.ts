import { closest } from '../records/wording.js';
import { canonicalJson } from '../report/canonical-json.js';

/**
 * Which changes a verify run is about: the ones the workflow names (input `changes`), or on a
 * push the ones whose records the pushed commits add or edit. Plain data in, ids out.
 */

const changeIdPattern = /^CHG-[0-9]{1,8}$/;

/** How many ids one `changes` input may name: a verify run is about a deploy, not the estate. */
export const maxNamedChanges = 50;

/** The `changes` input split into ids, and the words that are not change ids. */
export interface ParsedChangeIds {
  ids: string[];
  /** Words that are not of the form CHG-0042, as given. */
  invalid: string[];
}

/** Splits the `changes` input: ids separated by commas and/or whitespace, repeats dropped. */
export function parseChangeIds(text: string): ParsedChangeIds {
  const ids = new Set<string>();
  const invalid: string[] = [];
  for (const word of text.split(/[\s,]+/)) {
    if (word === '') continue;
    if (!changeIdPattern.test(word)) invalid.push(word);
    else ids.add(word);
  }
  return { ids: [...ids], invalid };
}

/** A named change that is not in the records, and the known id it is closest to. */
export interface UnknownChange {
  id: string;
  suggestion?: string;
}

/** The named ids the records hold, and those they do not (with a did-you-mean). */
export function knownChanges(
  ids: readonly string[],
  known: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): { ids: string[]; unknown: UnknownChange[] } {
  const found: string[] = [];
  const unknown: UnknownChange[] = [];
  let candidates: string[] | undefined;
  for (const id of ids) {
    if (known.has(id)) {
      found.push(id);
      continue;
    }
    candidates ??= [...known.keys()].filter((key) => changeIdPattern.test(key));
    const suggestion = closest(id, candidates);
    unknown.push({ id, ...(suggestion !== undefined ? { suggestion } : {}) });
  }
  return { ids: found, unknown };
}

/** A change in a record file the push touched, as it is at the pushed commit. */
export interface PushedChange {
  id: string;
  /** The record's data (parsed YAML), to tell an edit from a change of comments or layout. */
  data: unknown;
}

/** A change the push touched that is not verified, and why. */
export interface SkippedChange {
  id: string;
  reason: string;
}

/** The changes a push asks to verify, and the ones it touched but that are not verified. */
export interface PushSelection {
  ids: string[];
  skipped: SkippedChange[];
}

/**
 * The changes a push adds or edits that are to be verified: those whose data differs from the
 * `before` commit's (new ones included), and whose status says they were deployed by it:
 * `approved` (ready to implement), or `implemented` with no review recorded yet (moved by hand).
 * A change that is failed, backed out, closed, or implemented with its review (verify's own
 * record update merged) is skipped with a sentence, so a merged record update never makes verify
 * run its checks again; so is a draft or proposed change, which nothing deployed.
 */
export function selectPushedChanges(
  after: readonly PushedChange[],
  before: ReadonlyMap<string, unknown>,
): PushSelection {
  const ids: string[] = [];
  const skipped: SkippedChange[] = [];
  // A push may touch thousands of records: each id is judged once, looked up in a set.
  const seen = new Set<string>();
  for (const change of after) {
    if (seen.has(change.id)) continue;
    seen.add(change.id);
    if (!changeIdPattern.test(change.id)) {
      skipped.push({
        id: change.id,
        reason: `${change.id} is not a change id of the form CHG-0042 (run changeops validate)`,
      });
      continue;
    }
    const data = change.data as { status?: unknown; review?: unknown } | null;
    const previous = before.get(change.id);
    if (previous !== undefined && canonicalJson(previous) === canonicalJson(change.data)) {
      skipped.push({
        id: change.id,
        reason: `${change.id}: only comments or layout of its record changed`,
      });
      continue;
    }
    const status = typeof data?.status === 'string' ? data.status : undefined;
    const reviewed = data?.review !== undefined && data.review !== null;
    if (status === 'approved' || (status === 'implemented' && !reviewed)) {
      ids.push(change.id);
      continue;
    }
    skipped.push({ id: change.id, reason: skipReason(change.id, status, reviewed) });
  }
  return { ids, skipped };
}

function skipReason(id: string, status: string | undefined, reviewed: boolean): string {
  if (status === undefined) return `${id} has no status, so nothing says it was deployed`;
  if (status === 'implemented' && reviewed)
    return `${id} is implemented and its review is recorded: it was verified already`;
  if (status === 'draft' || status === 'proposed')
    return `${id} is ${status}, not approved: the push did not deploy it`;
  return `${id} is ${status}: there is nothing to verify`;
}
