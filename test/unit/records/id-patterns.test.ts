import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ciIdPattern,
  isCiId,
  loginPattern,
  principalPattern,
} from '../../../src/records/id-patterns.js';

const common = JSON.parse(readFileSync('schemas/common.schema.json', 'utf8')) as {
  definitions: Record<string, { pattern: string }>;
};

describe('id patterns', () => {
  it.each([
    ['ciId', ciIdPattern],
    ['principal', principalPattern],
    ['login', loginPattern],
  ])('are the patterns common.schema.json gives %s', (name, pattern) => {
    expect(pattern.source.replace(/\\\//g, '/')).toBe(common.definitions[name]!.pattern);
  });

  it.each([
    ['payments-api', true],
    ['a', true],
    ['Payments-API', false],
    ['-payments', false],
    ['payments api', false],
    ['pay$(id)', false],
    ['a'.repeat(64), false],
    [42, false],
  ])('takes %s as a CI id that may reach a command line: %s', (value, expected) => {
    expect(isCiId(value)).toBe(expected);
  });
});
