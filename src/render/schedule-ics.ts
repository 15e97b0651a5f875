import { listSome } from '../records/wording.js';
import {
  allowedChanges,
  type Schedule,
  type ScheduledChange,
  type ScheduledFreeze,
  type ScheduledRelease,
} from './schedule-model.js';
import { changeMarks } from './schedule-text.js';

/** What an iCalendar rendering needs besides the schedule. */
export interface IcsOptions {
  /** When the calendar is made (DTSTAMP of every event), epoch milliseconds. */
  now: number;
  /**
   * What tells this repository's events from another's in one calendar, after the `@` of every
   * UID: `acme/shop` (the GitHub repository), or a digest of the folder. Default `local`.
   */
  repository?: string;
}

/** The part of a UID after its `@`: the repository, then `.changeops`. */
export function uidDomain(repository: string | undefined): string {
  return `${repository || 'local'}.changeops`;
}

/** The product identifier of the calendars changeops writes (RFC 5545 PRODID). */
export const icsProductId = '-//changeops//Forward schedule of change//EN';

/** An instant as an RFC 5545 UTC date-time, `YYYYMMDDTHHMMSSZ` (milliseconds dropped). */
export function icsDateTime(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

// A high surrogate without its low half, or a low one without its high half: not a character,
// and not encodable as UTF-8.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// RFC 5545 TEXT allows no control character but HTAB (3.3.11, TSAFE-CHAR).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const control = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Escapes a value of type TEXT (RFC 5545 3.3.11): backslash, semicolon and comma get a
 * backslash, every line break becomes `\n`, and the control characters TEXT does not allow (and
 * lone surrogates, which UTF-8 cannot encode) become spaces and U+FFFD.
 */
export function escapeIcsText(text: string): string {
  return text
    .replace(loneSurrogate, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .replace(control, ' ')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** The UTF-8 length of one code point. */
function octetsOf(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Folds a content line (RFC 5545 3.1): no line longer than 75 octets of UTF-8 without its CRLF,
 * each continuation starting with one space (which counts). Splits only between code points,
 * never inside a multi-byte character, and keeps a backslash escape on one line so that a
 * reader that unescapes before unfolding still reads it right. Lines are joined with CRLF.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  // With the u flag each match is a whole code point, or a backslash with the one after it.
  for (const unit of line.match(/\\[\s\S]|[\s\S]/gu) ?? []) {
    let size = 0;
    for (const char of unit) size += octetsOf(char.codePointAt(0)!);
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += unit;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** A property line, `NAME:value`; the value must already be in its type's form. */
type Property = readonly [name: string, value: string];

/** A change's STATUS: proposed is tentative, approved confirmed; one that happened stays confirmed. */
function changeStatus(status: string): string {
  if (status === 'cancelled' || status === 'rejected') return 'CANCELLED';
  if (status === 'draft' || status === 'proposed') return 'TENTATIVE';
  return 'CONFIRMED';
}

/** A release's STATUS: tentative until approved. */
function releaseStatus(status: string): string {
  return status === 'planned' || status === 'testing' ? 'TENTATIVE' : 'CONFIRMED';
}

/** CATEGORIES is a list of TEXT: each value escaped on its own, joined by unescaped commas. */
function categories(...values: string[]): string {
  return values.map(escapeIcsText).join(',');
}

function changeEvent(change: ScheduledChange, domain: string): Property[] {
  const description = [
    `${change.type} change, ${change.status}`,
    `CIs: ${change.cis.join(', ')}`,
    ...(change.release ? [`Release: ${change.release}`] : []),
    ...(change.requester ? [`Requester: ${change.requester}`] : []),
    ...changeMarks(change),
    ...(change.reason ? ['', change.reason] : []),
  ].join('\n');
  return [
    ['UID', escapeIcsText(`${change.id}@${domain}`)],
    ['DTSTART', icsDateTime(change.start)],
    ['DTEND', icsDateTime(change.end)],
    ['SUMMARY', escapeIcsText(`${change.id} ${change.title}`)],
    ['DESCRIPTION', escapeIcsText(description)],
    ['CATEGORIES', categories('change', change.type)],
    ['STATUS', changeStatus(change.status)],
  ];
}

function releaseEvent(release: ScheduledRelease, domain: string): Property[] {
  const version = release.version ? ` ${release.version}` : '';
  const description = [
    `${release.type} release${version}, ${release.status}`,
    ...(release.changes.length ? [`Changes: ${listSome(release.changes, 50)}`] : []),
  ].join('\n');
  return [
    ['UID', escapeIcsText(`${release.id}@${domain}`)],
    ['DTSTART', icsDateTime(release.start)],
    ['DTEND', icsDateTime(release.end)],
    ['SUMMARY', escapeIcsText(`${release.id} ${release.title}`)],
    ['DESCRIPTION', escapeIcsText(description)],
    ['CATEGORIES', categories('release', release.type)],
    ['STATUS', releaseStatus(release.status)],
  ];
}

/** A freeze has no id: its start and a slug of its name make a UID that survives reordering. */
function freezeUid(freeze: ScheduledFreeze, domain: string): string {
  const slug = freeze.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `freeze-${icsDateTime(freeze.start)}${slug ? `-${slug}` : ''}@${domain}`;
}

function freezeEvent(freeze: ScheduledFreeze, domain: string): Property[] {
  return [
    ['UID', escapeIcsText(freezeUid(freeze, domain))],
    ['DTSTART', icsDateTime(freeze.start)],
    ['DTEND', icsDateTime(freeze.end)],
    ['SUMMARY', escapeIcsText(`Change freeze: ${freeze.name}`)],
    ['DESCRIPTION', escapeIcsText(`Allows ${allowedChanges(freeze.allow)}.`)],
    ['CATEGORIES', categories('freeze')],
    ['STATUS', 'CONFIRMED'],
    // A freeze forbids changes; it does not make anybody busy.
    ['TRANSP', 'TRANSPARENT'],
  ];
}

/**
 * RFC 5545 (3.6) requires at least one component in a calendar: an empty schedule gets the UTC
 * time zone, which every reader understands and none shows.
 */
const utcTimeZone: readonly string[] = [
  'BEGIN:VTIMEZONE',
  'TZID:UTC',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0000',
  'TZNAME:UTC',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/**
 * Renders the schedule as an iCalendar (RFC 5545) object: one VEVENT per change, release and
 * freeze, times in UTC, a stable UID per record and repository (`CHG-0042@acme/shop.changeops`)
 * so a calendar updates the event in place when the record changes and never mixes up two
 * repositories' CHG-0001, STATUS from the record's status, the collision and freeze marks in the
 * DESCRIPTION. Lines are folded at 75 octets and end with CRLF. No METHOD: the file is a
 * calendar to import or subscribe to, not an iTIP message (RFC 5546), whose PUBLISH would need
 * an ORGANIZER in every event.
 */
export function renderScheduleIcs(schedule: Schedule, options: IcsOptions): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${icsProductId}`,
    'CALSCALE:GREGORIAN',
    'X-WR-CALNAME:Forward schedule of change',
  ];
  const stamp = icsDateTime(options.now);
  const domain = uidDomain(options.repository);
  const uids = new Set<string>();
  for (const entry of schedule.entries) {
    const properties =
      entry.kind === 'change'
        ? changeEvent(entry, domain)
        : entry.kind === 'release'
          ? releaseEvent(entry, domain)
          : freezeEvent(entry, domain);
    // Two freezes may share a start and a name: a calendar keeps only one event per UID.
    const [, uid] = properties[0]!;
    let unique = uid;
    const at = uid.lastIndexOf('@');
    for (let n = 2; uids.has(unique); n++) unique = `${uid.slice(0, at)}-${n}${uid.slice(at)}`;
    uids.add(unique);
    lines.push('BEGIN:VEVENT', `UID:${unique}`, `DTSTAMP:${stamp}`);
    for (const [name, value] of properties.slice(1)) lines.push(`${name}:${value}`);
    lines.push('END:VEVENT');
  }
  if (schedule.entries.length === 0) lines.push(...utcTimeZone);
  lines.push('END:VCALENDAR');
  return lines.map((line) => `${foldLine(line)}\r\n`).join('');
}
