import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestOf } from '../../../src/report/canonical-json.js';

describe('canonicalJson', () => {
  it('writes one text whatever order the keys were built in', () => {
    const a = { b: 1, a: { d: [1, 'x', null], c: true } };
    const b = { a: { c: true, d: [1, 'x', null] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":true,"d":[1,"x",null]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('sorts keys by UTF-16 code units and escapes strings as JSON does', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, '\u2028': '"\n' })).toBe(
      `{"A":3,"z":2,"é":1,"\u2028":${JSON.stringify('"\n')}}`,
    );
  });

  it('leaves out undefined members, writes undefined elements and non-finite numbers as null', () => {
    expect(
      canonicalJson({ a: undefined, b: [undefined, Number.NaN, Number.POSITIVE_INFINITY] }),
    ).toBe('{"b":[null,null,null]}');
  });

  it('writes a value nested 100,000 deep without overflowing the stack', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const text = canonicalJson(deep);
    expect(text.length).toBe(200_001);
  });

  it('agrees with JSON.stringify on plain data whose keys are already sorted', () => {
    const value = { a: [1, 2.5, -0.001, 1e21, 'ü'], b: { c: null, d: false } };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });
});

describe('digestOf', () => {
  it('is the SHA-256 of the canonical JSON, and changes with any value', () => {
    const value = { id: 'CHG-0001', approvers: ['alice'] };
    expect(digestOf(value)).toBe(
      `sha256:${createHash('sha256').update('{"approvers":["alice"],"id":"CHG-0001"}').digest('hex')}`,
    );
    expect(digestOf({ ...value, approvers: ['alice', 'bob'] })).not.toBe(digestOf(value));
  });
});
