import type { Level } from '../records/level.js';
import type { ChangeType } from '../records/policy.js';
import type { Change, Release } from '../records/types.generated.js';
import { changeLifecycle, releaseLifecycle } from '../rules/status-transition.js';
import { schedulePeriod, type Period } from '../rules/time.js';

/** A change's status, as the lifecycle lists them. */
export type ChangeStatus = Change['status'];
/** A release's status, as the lifecycle lists them. */
export type ReleaseStatus = Release['status'];

/** A schedule as the record writes it, and the period it names. */
export interface ScheduleFacts {
  start: string;
  end: string;
  period: Period;
}

/**
 * What the report reads from one version of a change, checked field by field: a version from
 * history was never validated (it may predate the schema, or have been merged broken), so every
 * field is typed only after it is checked. Status and type are required; anything else that
 * does not check out is left out.
 */
export interface ChangeFacts {
  id: string;
  status: ChangeStatus;
  type: ChangeType;
  title?: string;
  requester?: string;
  cis: string[];
  release?: string;
  /** The problem this change remediates, as the record writes it ("#123"). */
  problem?: string;
  schedule?: ScheduleFacts;
  risk?: { likelihood: Level; impact: Level };
  checks: Array<{ name: string; run: string }>;
  /** The post-implementation review verify recorded, when this version has a usable one. */
  review?: ReviewFacts;
}

/** A change's post-implementation review as a version records it, checked field by field. */
export interface ReviewFacts {
  outcome: 'success' | 'failure';
  /** When it was verified, as written (RFC 3339). */
  date?: string;
  /** The problem issue the failure opened ("#124"). */
  problemIssue?: string;
  /** The workflow run that verified it (an https URL). */
  run?: string;
}

/** What the report reads from one version of a release, checked like {@link ChangeFacts}. */
export interface ReleaseFacts {
  id: string;
  status: ReleaseStatus;
  type?: Release['type'];
  title?: string;
  version?: string;
  changes: string[];
  schedule?: ScheduleFacts;
}

/** A version the report could not use, and why, in a sentence. */
export type Checked<T> = { facts: T } | { problem: string };

const changeTypes: ReadonlySet<string> = new Set(['standard', 'normal', 'emergency']);
const levels: ReadonlySet<string> = new Set(['low', 'medium', 'high']);
const releaseTypes: ReadonlySet<string> = new Set(['major', 'minor', 'patch', 'emergency']);

/** The longest id the report keys a record by; anything longer is not an id. */
const maxIdLength = 200;

/** The record's id, when it has a usable one. */
export function recordId(data: unknown): string | undefined {
  const id = field(data, 'id');
  return typeof id === 'string' && id.trim() !== '' && id.length <= maxIdLength ? id : undefined;
}

/** Reads a change version's facts, or says why it cannot be used. */
export function changeFacts(data: unknown): Checked<ChangeFacts> {
  const id = recordId(data);
  if (!id) return { problem: 'the change has no id' };
  const status = field(data, 'status');
  if (typeof status !== 'string' || !Object.hasOwn(changeLifecycle, status))
    return { problem: `${id} has no known status` };
  const type = field(data, 'type');
  if (typeof type !== 'string' || !changeTypes.has(type))
    return { problem: `${id} has no known type` };
  const facts: ChangeFacts = {
    id,
    status: status as ChangeStatus,
    type: type as ChangeType,
    cis: strings(field(data, 'cis')),
    checks: checksOf(field(data, 'checks')),
  };
  copyString(data, 'title', facts);
  copyString(data, 'requester', facts);
  copyString(data, 'release', facts);
  copyString(data, 'problem', facts);
  const schedule = scheduleOf(field(data, 'schedule'));
  if (schedule) facts.schedule = schedule;
  const review = reviewOf(field(data, 'review'));
  if (review) facts.review = review;
  const risk = field(data, 'risk');
  const likelihood = field(risk, 'likelihood');
  const impact = field(risk, 'impact');
  if (typeof likelihood === 'string' && levels.has(likelihood))
    if (typeof impact === 'string' && levels.has(impact))
      facts.risk = { likelihood: likelihood as Level, impact: impact as Level };
  return { facts };
}

/** Reads a release version's facts, or says why it cannot be used. */
export function releaseFacts(data: unknown): Checked<ReleaseFacts> {
  const id = recordId(data);
  if (!id) return { problem: 'the release has no id' };
  const status = field(data, 'status');
  if (typeof status !== 'string' || !Object.hasOwn(releaseLifecycle, status))
    return { problem: `${id} has no known status` };
  const facts: ReleaseFacts = {
    id,
    status: status as ReleaseStatus,
    changes: strings(field(data, 'changes')),
  };
  const type = field(data, 'type');
  if (typeof type === 'string' && releaseTypes.has(type)) facts.type = type as Release['type'];
  copyString(data, 'title', facts);
  const version = field(data, 'version');
  // YAML reads an unquoted 1.10 as a number; the schema asks for a string, the notes show it.
  if (typeof version === 'string' || typeof version === 'number') facts.version = String(version);
  const schedule = scheduleOf(field(data, 'schedule'));
  if (schedule) facts.schedule = schedule;
  return { facts };
}

function field(data: unknown, name: string): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return Object.hasOwn(data, name) ? (data as Record<string, unknown>)[name] : undefined;
}

function copyString<K extends string>(
  data: unknown,
  name: K,
  into: Partial<Record<K, string>>,
): void {
  const value = field(data, name);
  if (typeof value === 'string' && value !== '') into[name] = value;
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string' && item !== '');
}

function checksOf(value: unknown): Array<{ name: string; run: string }> {
  if (!Array.isArray(value)) return [];
  const checks: Array<{ name: string; run: string }> = [];
  for (const item of value) {
    const name = field(item, 'name');
    const run = field(item, 'run');
    if (typeof name === 'string' && name !== '' && typeof run === 'string')
      checks.push({ name, run });
  }
  return checks;
}

// The schema's forms: an issue reference, and an https link without spaces.
const issueReference = /^#[0-9]{1,9}$/;
const runLink = /^https:\/\/[^\s]{1,500}$/;

function reviewOf(value: unknown): ReviewFacts | undefined {
  const outcome = field(value, 'outcome');
  if (outcome !== 'success' && outcome !== 'failure') return undefined;
  const review: ReviewFacts = { outcome };
  const date = field(value, 'date');
  if (typeof date === 'string' && Number.isFinite(Date.parse(date))) review.date = date;
  const issue = field(value, 'problemIssue');
  if (typeof issue === 'string' && issueReference.test(issue)) review.problemIssue = issue;
  const run = field(value, 'run');
  if (typeof run === 'string' && runLink.test(run)) review.run = run;
  return review;
}

function scheduleOf(value: unknown): ScheduleFacts | undefined {
  const period = schedulePeriod(value);
  const start = field(value, 'start');
  const end = field(value, 'end');
  if (!period || typeof start !== 'string' || typeof end !== 'string') return undefined;
  return { start, end, period };
}
