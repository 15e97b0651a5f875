import { describe, expect, it } from 'vitest';
import { escapeIcsText, foldLine, icsDateTime } from '../../../src/render/schedule-ics.js';

describe('iCalendar text (RFC 5545)', () => {
  it('escapes backslashes, semicolons, commas and newlines in TEXT values', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('writes UTC times as YYYYMMDDTHHMMSSZ', () => {
    expect(icsDateTime(Date.UTC(2027, 1, 9, 22, 0, 5))).toBe('20270209T220005Z');
  });

  it('folds long lines at 75 octets without splitting a multi-byte character or an escape', () => {
    const value = `DESCRIPTION:${'Größenänderung der Datenbank 🚀; '.repeat(8)}`;
    const line = `DESCRIPTION:${escapeIcsText(value.slice('DESCRIPTION:'.length))}`;
    const folded = foldLine(line);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const [index, part] of lines.entries()) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      if (index > 0) expect(part.startsWith(' ')).toBe(true);
      // No escape cut in two: a line never ends in a lone backslash.
      expect(/(^|[^\\])(\\\\)*\\$/.test(part)).toBe(false);
      // No broken character: no lone surrogate at either end of a part.
      expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(part)).toBe(false);
    }
    expect(lines.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('leaves a line of 75 octets as it is', () => {
    const line = `SUMMARY:${'x'.repeat(67)}`;
    expect(foldLine(line)).toBe(line);
  });
});
