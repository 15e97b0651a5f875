// The schemas' `date-time` format, as ajv-formats' full mode checks it (RFC 3339 section 5.6:
// a calendar date, `T` or a space, a time with its offset; a leap second only at 23:59:60 UTC),
// in one regular expression and no split: the generated validators call it for every timestamp of
// every change (10,000 of them at 5,000 changes), where ajv-formats splits the text, runs two
// expressions and makes three arrays. test/unit/records/date-time-format.test.ts holds the two
// to the same answer.

// The date and time parts with nothing between them but one separator, which no other part can
// contain: what ajv-formats' split into exactly two parts and its two anchored expressions accept.
const dateTimePattern =
  /^(\d\d\d\d)-(\d\d)-(\d\d)[t\s](\d\d):(\d\d):(\d\d(?:\.\d+)?)(?:z|([+-])(\d\d)(?::?(\d\d))?)$/i;

const daysIn = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a string is an RFC 3339 date-time with its offset, as ajv-formats' full mode says. */
export function isDateTime(value: string): boolean {
  const match = dateTimePattern.exec(value);
  if (match === null) return false;
  const year = +match[1]!;
  const month = +match[2]!;
  const day = +match[3]!;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : daysIn[month]!))
    return false;
  const hour = +match[4]!;
  const minute = +match[5]!;
  const second = +match[6]!;
  const sign = match[7] === '-' ? -1 : 1;
  const offsetHours = +(match[8] ?? 0);
  const offsetMinutes = +(match[9] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  // A leap second: 23:59:60 in UTC, whatever the offset it is written in.
  const utcMinute = minute - offsetMinutes * sign;
  const utcHour = hour - offsetHours * sign - (utcMinute < 0 ? 1 : 0);
  return (
    (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61
  );
}
