import fc from 'fast-check';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { isDateTime } from '../../../src/records/date-time-format.js';
import { schemaErrors } from '../../../src/records/schemas.js';

/**
 * The generated validators check `format: date-time` with isDateTime rather than ajv-formats'
 * full check (scripts/gen-validators.mjs): a schedule must be accepted or refused exactly as the
 * schema's format says, for every string.
 */
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
const ajvFormats = fullFormats['date-time'] as { validate: (value: string) => boolean };

describe('the date-time format', () => {
  it.each([
    ['a UTC time', '2030-01-01T02:00:00Z', true],
    ['a lowercase t and z', '2030-01-01t02:00:00z', true],
    ['a space for the T', '2030-01-01 02:00:00Z', true],
    ['a tab for the T', '2030-01-01\t02:00:00Z', true],
    ['an offset', '2030-06-30T23:15:00+02:00', true],
    ['an offset without its colon', '2030-06-30T23:15:00-0530', true],
    ['an offset of hours only', '2030-06-30T23:15:00+02', true],
    ['fractions of a second', '2030-01-01T02:00:00.123456Z', true],
    ['no offset', '2030-01-01T02:00:00', false],
    ['two separators', '2030-01-01TT02:00:00Z', false],
    ['a separator in the offset', '2030-01-01T02:00:00T', false],
    ['the 29th of February in a leap year', '2028-02-29T00:00:00Z', true],
    ['the 29th of February in 2100', '2100-02-29T00:00:00Z', false],
    ['the 29th of February in 2000', '2000-02-29T00:00:00Z', true],
    ['the 31st of April', '2030-04-31T00:00:00Z', false],
    ['month 13', '2030-13-01T00:00:00Z', false],
    ['day 0', '2030-01-00T00:00:00Z', false],
    ['hour 24', '2030-01-01T24:00:00Z', false],
    ['a leap second at 23:59:60 UTC', '2016-12-31T23:59:60Z', true],
    ['a leap second written in another offset', '2017-01-01T00:59:60+01:00', true],
    ['a leap second at another time', '2016-12-31T12:59:60Z', false],
    ['an offset of 24 hours', '2030-01-01T02:00:00+24:00', false],
    ['an offset of 60 minutes', '2030-01-01T02:00:00+01:60', false],
    ['a date only', '2030-01-01', false],
    ['a trailing newline', '2030-01-01T02:00:00Z\n', false],
    ['Arabic-Indic digits', '٢٠٣٠-01-01T02:00:00Z', false],
  ])('%s (%s): %s', (_, value, valid) => {
    expect(isDateTime(value)).toBe(valid);
    expect(ajvFormats.validate(value)).toBe(valid);
  });

  it('gives ajv-formats’ answer for every string', () => {
    const digit = fc.constantFrom(...'0123456789');
    const digits = (n: number) => fc.string({ unit: digit, minLength: n, maxLength: n });
    const near = fc
      .tuple(
        digits(4),
        fc.constantFrom('-', '/'),
        fc.constantFrom('01', '02', '04', '12', '13', '00', '1'),
        fc.constant('-'),
        fc.constantFrom('28', '29', '30', '31', '32', '00'),
        fc.constantFrom('T', 't', ' ', '\u00a0', 'TT', 'x', ''),
        fc.constantFrom('00', '23', '24', '12', '5'),
        fc.constant(':'),
        fc.constantFrom('00', '59', '60', '-1'),
        fc.constant(':'),
        fc.constantFrom('00', '59', '60', '61', '60.5', '1'),
        fc.constantFrom(
          'Z',
          'z',
          '',
          '+01:00',
          '-01:00',
          '+0100',
          '+01',
          '+24:00',
          '-23:59',
          '+01:60',
          'ZZ',
          '\n',
        ),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(near, fc.string()), (value) => {
        expect(isDateTime(value)).toBe(ajvFormats.validate(value));
      }),
      { numRuns: 5000, ...seed },
    );
  });

  it('refuses a schedule that is no date-time, through the schema', () => {
    const errors = schemaErrors('Change', { schedule: { start: '2030-02-30T02:00:00Z' } });
    expect(
      errors.filter((error) => error.instancePath === '/schedule/start').map((e) => e.keyword),
    ).toEqual(['format']);
  });
});
