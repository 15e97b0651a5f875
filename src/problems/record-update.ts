import * as YAML from 'yaml';
import type { Change } from '../records/types.generated.js';
import { changeLifecycle } from '../rules/status-transition.js';
import type { VerifyOutcome } from './outcome.js';

type ChangeStatus = Change['status'];

/** The review fields verify records in a change, as the schema's `review` holds them. */
export type ChangeReview = NonNullable<Change['review']>;

/** What the record update records. */
export interface RecordUpdateFacts {
  changeId: string;
  outcome: VerifyOutcome;
  /** When the change was verified, RFC 3339 (the caller's clock: the core reads none). */
  date: string;
  /** The problem issue the failure opened. */
  problemIssue?: number;
  /** The verifying workflow run's page. */
  runUrl?: string;
}

/** The record file to edit: its repository path (for messages) and text. */
export interface RecordSource {
  path: string;
  text: string;
}

/** The proposed new text of the record file, or why there is none. */
export type RecordUpdate =
  | { kind: 'updated'; text: string; from: ChangeStatus; to: ChangeStatus; review: ChangeReview }
  | { kind: 'unchanged'; status: ChangeStatus; reason: string }
  | { kind: 'refused'; reason: string };

/**
 * The change record's text with its status moved to `implemented` (success) or `failed`
 * (failure) and the post-implementation review recorded (`review: {outcome, date, problemIssue,
 * run}`), for a pull request: the GitOps way, never a push. Everything else in the file stays
 * byte for byte (comments, quoting, indentation, other documents): the yaml Document API finds
 * where the status and review are, and only those spans are rewritten. Refused, with a sentence
 * naming the file, when the record is not there or cannot be edited safely, when the deploy was
 * cancelled, or when the lifecycle (`changeLifecycle`) does not allow the move; unchanged when
 * the record already says so (a re-run after the update was merged).
 */
export function proposeRecordUpdate(source: RecordSource, facts: RecordUpdateFacts): RecordUpdate {
  const { path, text } = source;
  const { changeId } = facts;
  if (facts.outcome === 'cancelled')
    return refused(
      `${changeId} is not verified (the deploy was cancelled): its record stays as it is`,
    );
  const target: ChangeStatus = facts.outcome === 'success' ? 'implemented' : 'failed';
  const review = reviewOf(facts);

  const lineCounter = new YAML.LineCounter();
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: true,
      schema: 'core',
      prettyErrors: false,
    }) as YAML.Document.Parsed[];
  } catch {
    return refused(`${path} does not parse as YAML`);
  }
  if (!Array.isArray(docs)) return refused(`${path} does not parse as YAML`); // an EmptyStream
  const broken = docs.flatMap((doc) => doc.errors)[0];
  if (broken) {
    const { line } = lineCounter.linePos(broken.pos[0]);
    return refused(`${path} does not parse as YAML (line ${line}): ${firstLine(broken.message)}`);
  }
  const matches = docs.filter((doc) => {
    const contents = doc.contents;
    return (
      YAML.isMap(contents) &&
      scalarOf(contents, 'kind') === 'Change' &&
      scalarOf(contents, 'id') === changeId
    );
  });
  if (matches.length === 0) return refused(`${path} holds no Change ${changeId}`);
  if (matches.length > 1) return refused(`${path} holds Change ${changeId} more than once`);
  const map = matches[0]!.contents as YAML.YAMLMap;
  const where = (offset: number) => `${path}:${lineCounter.linePos(offset).line}`;
  if (map.flow)
    return refused(
      `${where(map.range![0])}: ${changeId} is written as a flow mapping ({…}); update it by hand`,
    );

  const statusPair = pairOf(map, 'status');
  const status = statusPair?.value;
  if (!statusPair || !YAML.isScalar(status) || typeof status.value !== 'string' || !status.range)
    return refused(`${path}: ${changeId} has no status to move`);
  const from = status.value as ChangeStatus;
  if (!Object.hasOwn(changeLifecycle, from))
    return refused(
      `${where(status.range[0])}: ${changeId} has the status ${JSON.stringify(from)}, which changeops does not know`,
    );

  const reviewPair = pairOf(map, 'review');
  if (from === target) {
    const current = reviewPair?.value;
    const recorded = YAML.isMap(current) ? (current.toJSON() as Partial<ChangeReview>) : undefined;
    if (recorded?.outcome === review.outcome && recorded.problemIssue === review.problemIssue)
      return {
        kind: 'unchanged',
        status: from,
        reason: `${changeId} is already ${from} with this review`,
      };
  } else if (!changeLifecycle[from].includes(target)) {
    const allowed = changeLifecycle[from];
    const next = allowed.length === 0 ? 'none: it is final' : allowed.join(', ');
    return refused(
      `${where(status.range[0])}: ${changeId} is ${from}, which cannot move to ${target} (from ${from} a change may move to ${next})`,
    );
  }

  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const keyIndent = columnOf(text, (statusPair.key as YAML.Scalar).range![0]);
  const childIndent = keyIndent + nestedIndent(text, map, keyIndent);
  const block = renderReview(review, keyIndent, childIndent, newline);

  // Edits from the end of the file backwards, so earlier offsets stay true.
  const edits: Array<{ start: number; end: number; text: string }> = [];
  edits.push({
    start: status.range[0],
    end: status.range[1],
    text: quotedLike(text.slice(status.range[0], status.range[1]), target),
  });
  if (reviewPair && YAML.isScalar(reviewPair.key) && reviewPair.key.range) {
    const value = reviewPair.value as YAML.Node | null;
    const end = lineEnd(text, value?.range ? value.range[2] : reviewPair.key.range[2]);
    edits.push({ start: reviewPair.key.range[0], end, text: block });
  } else {
    const at = lineEnd(text, status.range[2]);
    const before = at > 0 && text[at - 1] !== '\n' ? newline : '';
    edits.push({ start: at, end: at, text: before + block });
  }
  let updated = text;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    updated = updated.slice(0, edit.start) + edit.text + updated.slice(edit.end);

  // The edit is checked by reading it back: a layout this function misjudged is refused, not proposed.
  const check = YAML.parseAllDocuments(updated, { uniqueKeys: true, schema: 'core' });
  const again = Array.isArray(check)
    ? check.find((doc) => YAML.isMap(doc.contents) && scalarOf(doc.contents, 'id') === changeId)
    : undefined;
  const data = again?.errors.length === 0 ? (again.toJSON() as Partial<Change>) : undefined;
  if (
    !data ||
    data.status !== target ||
    JSON.stringify(data.review) !== JSON.stringify(review) ||
    check.length !== docs.length
  )
    return refused(
      `${path}: ${changeId} is laid out in a way this update cannot edit safely; update it by hand`,
    );
  return { kind: 'updated', text: updated, from, to: target, review };
}

function reviewOf(facts: RecordUpdateFacts): ChangeReview {
  const review: ChangeReview = {
    outcome: facts.outcome === 'success' ? 'success' : 'failure',
    date: facts.date,
  };
  if (facts.problemIssue !== undefined) review.problemIssue = `#${Math.trunc(facts.problemIssue)}`;
  if (facts.runUrl !== undefined && /^https:\/\/[^\s]{1,500}$/.test(facts.runUrl))
    review.run = facts.runUrl;
  return review;
}

function renderReview(
  review: ChangeReview,
  keyIndent: number,
  childIndent: number,
  newline: string,
): string {
  const pad = ' '.repeat(childIndent);
  const lines = [`${' '.repeat(keyIndent)}review:`, `${pad}outcome: ${review.outcome}`];
  // A timestamp reads as text in YAML's core schema: plain, like the schedule's dates.
  const date = /^[0-9][0-9T:.+Z-]*$/.test(review.date) ? review.date : JSON.stringify(review.date);
  lines.push(`${pad}date: ${date}`);
  if (review.problemIssue) lines.push(`${pad}problemIssue: ${JSON.stringify(review.problemIssue)}`);
  if (review.run) lines.push(`${pad}run: ${JSON.stringify(review.run)}`);
  return lines.join(newline) + newline;
}

function scalarOf(map: YAML.YAMLMap, key: string): unknown {
  const node: unknown = map.get(key, true);
  return YAML.isScalar(node) ? node.value : undefined;
}

function pairOf(map: YAML.YAMLMap, key: string): YAML.Pair | undefined {
  return map.items.find((pair) => YAML.isScalar(pair.key) && pair.key.value === key) as
    YAML.Pair | undefined;
}

/** The column of an offset: characters since the line started. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Past the newline that ends the line at `offset` (or the end of the text). */
function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** How far the record indents nested mappings (2 unless it shows otherwise). */
function nestedIndent(text: string, map: YAML.YAMLMap, keyIndent: number): number {
  for (const pair of map.items) {
    const value = pair.value;
    if (YAML.isMap(value) && !value.flow && value.range) {
      const indent = columnOf(text, value.range[0]) - keyIndent;
      if (indent > 0 && indent <= 8) return indent;
    }
  }
  return 2;
}

/** The new status written with the quotes the old one had. */
function quotedLike(old: string, value: string): string {
  if (old.startsWith('"')) return `"${value}"`;
  if (old.startsWith("'")) return `'${value}'`;
  return value;
}

function refused(reason: string): RecordUpdate {
  return { kind: 'refused', reason };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}
