import { describe, expect, it } from 'vitest';
import {
  escapeIcsText,
  foldLine,
  icsDateTime,
  renderScheduleIcs,
} from '../../../src/render/schedule-ics.js';
import type {
  Schedule,
  ScheduledChange,
  ScheduledFreeze,
} from '../../../src/render/schedule-model.js';

const at = (iso: string) => Date.parse(iso);
const now = at('2027-02-01T12:00:00Z');

/** Every physical line of an iCalendar text, each with the CRLF that must end it. */
function physicalLines(ics: string): string[] {
  return ics.match(/[^\n]*\n/g) ?? [];
}

/** Undoes folding (RFC 5545 3.1): a CRLF followed by one space joins two lines. */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n');
}

/** A pending change the calendar tests shape with a few fields. */
function change(overrides: Partial<ScheduledChange> = {}): ScheduledChange {
  return {
    kind: 'change',
    id: 'CHG-0042',
    title: 'Upgrade the payments database',
    type: 'normal',
    status: 'proposed',
    start: at('2027-02-15T22:00:00Z'),
    end: at('2027-02-15T23:30:00Z'),
    cis: ['pg-payments'],
    collisions: [],
    freezeConflicts: [],
    ...overrides,
  };
}

const schedule: Schedule = {
  from: at('2027-02-01T00:00:00Z'),
  to: null,
  entries: [
    {
      kind: 'release',
      id: 'REL-2027.01',
      title: 'Checkout resilience',
      type: 'minor',
      status: 'approved',
      version: '2027.01.0',
      start: at('2027-02-09T22:00:00Z'),
      end: at('2027-02-17T02:00:00Z'),
      changes: ['CHG-0042'],
    },
    {
      kind: 'freeze',
      name: 'Spring sale',
      start: at('2027-02-15T00:00:00Z'),
      end: at('2027-02-16T06:00:00Z'),
      allow: ['emergency'],
    },
    change({
      title: 'Upgrade; the DB, now',
      requester: 'octocat',
      reason: 'Needs C:\\temp\r\nand more — über-café ✓ 🚀',
      freezeConflicts: [
        {
          freeze: 'Spring sale',
          start: at('2027-02-15T00:00:00Z'),
          end: at('2027-02-16T06:00:00Z'),
          allow: ['emergency'],
          severity: 'error',
        },
      ],
    }),
  ],
  unscheduled: [],
  policyUsable: true,
};

describe('renderScheduleIcs', () => {
  it('writes one VEVENT per release, freeze and change, escaped, folded and CRLF-terminated', () => {
    expect(renderScheduleIcs(schedule, { now, repository: 'acme/shop' })).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//changeops//Forward schedule of change//EN',
        'CALSCALE:GREGORIAN',
        'X-WR-CALNAME:Forward schedule of change',
        'BEGIN:VEVENT',
        'UID:REL-2027.01@acme/shop.changeops',
        'DTSTAMP:20270201T120000Z',
        'DTSTART:20270209T220000Z',
        'DTEND:20270217T020000Z',
        'SUMMARY:REL-2027.01 Checkout resilience',
        'DESCRIPTION:minor release 2027.01.0\\, approved\\nChanges: CHG-0042',
        'CATEGORIES:release,minor',
        'STATUS:CONFIRMED',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:freeze-20270215T000000Z-spring-sale@acme/shop.changeops',
        'DTSTAMP:20270201T120000Z',
        'DTSTART:20270215T000000Z',
        'DTEND:20270216T060000Z',
        'SUMMARY:Change freeze: Spring sale',
        'DESCRIPTION:Allows only emergency changes.',
        'CATEGORIES:freeze',
        'STATUS:CONFIRMED',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:CHG-0042@acme/shop.changeops',
        'DTSTAMP:20270201T120000Z',
        'DTSTART:20270215T220000Z',
        'DTEND:20270215T233000Z',
        'SUMMARY:CHG-0042 Upgrade\\; the DB\\, now',
        // 74 octets: the escape \n that follows would pass 75, and is kept whole.
        'DESCRIPTION:normal change\\, proposed\\nCIs: pg-payments\\nRequester: octocat',
        ' \\n✗ in the freeze "Spring sale" (2027-02-15T00:00:00Z to 2027-02-16T06:0',
        // 73 octets: the em dash (3 octets) would pass 75 and is never split.
        ' 0:00Z)\\, which allows only emergency changes\\n\\nNeeds C:\\\\temp\\nand more ',
        ' — über-café ✓ 🚀',
        'CATEGORIES:change,normal',
        'STATUS:TENTATIVE',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('keeps every line within 75 octets, ends each with CRLF, and folds back to the same text', () => {
    const long = change({
      title: 'Ünïcödé ✓ '.repeat(20),
      reason: `${'€'.repeat(100)}\n${'🚀'.repeat(50)}\n${'a;b,c\\d'.repeat(30)}`,
    });
    const ics = renderScheduleIcs({ ...schedule, entries: [long] }, { now });
    const lines = physicalLines(ics);
    expect(lines.join('')).toBe(ics);
    for (const line of lines) {
      expect(line.endsWith('\r\n')).toBe(true);
      expect(line.slice(0, -2)).not.toMatch(/[\r\n]/);
      expect(Buffer.byteLength(line.slice(0, -2), 'utf8')).toBeLessThanOrEqual(75);
      // A split inside a character would leave a lone surrogate or invalid UTF-8 behind.
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
      expect(line).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
    }
    const description = unfold(ics).find((line) => line.startsWith('DESCRIPTION:'));
    expect(description).toBe(
      `DESCRIPTION:normal change\\, proposed\\nCIs: pg-payments\\n\\n${'€'.repeat(100)}\\n${'🚀'.repeat(50)}\\n${'a\\;b\\,c\\\\d'.repeat(30)}`,
    );
    expect(unfold(ics).find((line) => line.startsWith('SUMMARY:'))).toBe(
      `SUMMARY:CHG-0042 ${'Ünïcödé ✓ '.repeat(20)}`,
    );
  });

  it.each([
    ['draft', 'TENTATIVE'],
    ['proposed', 'TENTATIVE'],
    ['approved', 'CONFIRMED'],
    ['implemented', 'CONFIRMED'],
    ['closed', 'CONFIRMED'],
    ['failed', 'CONFIRMED'],
    ['backed-out', 'CONFIRMED'],
    ['cancelled', 'CANCELLED'],
    ['rejected', 'CANCELLED'],
  ])('maps a %s change to STATUS:%s', (status, expected) => {
    const ics = renderScheduleIcs({ ...schedule, entries: [change({ status })] }, { now });
    expect(ics).toContain(`\r\nSTATUS:${expected}\r\n`);
  });

  it('gives two freezes with the same start and name distinct UIDs', () => {
    const freeze: ScheduledFreeze = {
      kind: 'freeze',
      name: 'Sale',
      start: 0,
      end: 3_600_000,
      allow: [],
    };
    const ics = renderScheduleIcs({ ...schedule, entries: [freeze, freeze] }, { now });
    expect(ics.match(/^UID:.*$/gm)).toEqual([
      'UID:freeze-19700101T000000Z-sale@local.changeops',
      'UID:freeze-19700101T000000Z-sale-2@local.changeops',
    ]);
  });

  it('writes a valid calendar for an empty schedule: RFC 5545 wants one component', () => {
    const ics = renderScheduleIcs({ ...schedule, entries: [] }, { now });
    expect(ics).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//changeops//Forward schedule of change//EN',
        'CALSCALE:GREGORIAN',
        'X-WR-CALNAME:Forward schedule of change',
        'BEGIN:VTIMEZONE',
        'TZID:UTC',
        'BEGIN:STANDARD',
        'DTSTART:19700101T000000',
        'TZOFFSETFROM:+0000',
        'TZOFFSETTO:+0000',
        'TZNAME:UTC',
        'END:STANDARD',
        'END:VTIMEZONE',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });
});

describe('escapeIcsText', () => {
  it.each([
    ['a;b,c\\d', 'a\\;b\\,c\\\\d'],
    ['one\ntwo\r\nthree\rfour', 'one\\ntwo\\nthree\\nfour'],
    ['tab\tstays', 'tab\tstays'],
    ['bell\u0007 and escape\u001b', 'bell  and escape '],
    ['colon: and "quotes" stay', 'colon: and "quotes" stay'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeIcsText(text)).toBe(escaped);
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets alone and folds one of 76', () => {
    expect(foldLine(`X:${'a'.repeat(73)}`)).toBe(`X:${'a'.repeat(73)}`);
    expect(foldLine(`X:${'a'.repeat(74)}`)).toBe(`X:${'a'.repeat(73)}\r\n a`);
  });

  it('counts octets, not characters, and never splits a character', () => {
    // 12 + 31 × 2 = 74 octets; a 32nd é would make 76.
    expect(foldLine(`DESCRIPTION:${'é'.repeat(40)}`)).toBe(
      `DESCRIPTION:${'é'.repeat(31)}\r\n ${'é'.repeat(9)}`,
    );
    // 8 + 22 × 3 = 74; continuations hold 1 + 24 × 3 = 73.
    expect(foldLine(`SUMMARY:${'€'.repeat(50)}`)).toBe(
      `SUMMARY:${'€'.repeat(22)}\r\n ${'€'.repeat(24)}\r\n ${'€'.repeat(4)}`,
    );
    // 4-octet characters (two UTF-16 units each): 2 + 18 × 4 = 74.
    expect(foldLine(`X:${'🚀'.repeat(20)}`)).toBe(`X:${'🚀'.repeat(18)}\r\n ${'🚀'.repeat(2)}`);
  });

  it('keeps a backslash escape on one line', () => {
    expect(foldLine(`X:${'a'.repeat(72)}\\,b`)).toBe(`X:${'a'.repeat(72)}\r\n \\,b`);
  });
});

describe('icsDateTime', () => {
  it.each([
    ['2027-02-09T22:00:00Z', '20270209T220000Z'],
    ['2027-02-09T22:00:59.999Z', '20270209T220059Z'],
    ['2027-02-10T00:30:00+01:00', '20270209T233000Z'],
    ['0999-01-01T00:00:00Z', '09990101T000000Z'],
  ])('writes %s as %s', (iso, ics) => {
    expect(icsDateTime(at(iso))).toBe(ics);
  });
});
