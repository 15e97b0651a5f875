import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFilesOnce } from '../../../src/fs/write-once.js';

describe('writing evidence files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'changeops-write-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates files and their folders', () => {
    const path = join(dir, 'a', 'b', 'x.md');
    expect(writeFilesOnce([{ path, text: 'one' }])).toEqual({
      written: [{ path, outcome: 'created' }],
    });
    expect(readFileSync(path, 'utf8')).toBe('one');
  });

  it('leaves a file that holds the same text alone', () => {
    const path = join(dir, 'x.md');
    writeFileSync(path, 'one');
    expect(writeFilesOnce([{ path, text: 'one' }])).toEqual({
      written: [{ path, outcome: 'unchanged' }],
    });
  });

  it('writes nothing at all when one file holds other text, and says which', () => {
    const kept = join(dir, 'x.md');
    const fresh = join(dir, 'x.json');
    writeFileSync(kept, 'old');
    expect(
      writeFilesOnce([
        { path: fresh, text: '{}' },
        { path: kept, text: 'new' },
      ]),
    ).toEqual({ refused: [kept] });
    expect(readFileSync(kept, 'utf8')).toBe('old');
    expect(() => readFileSync(fresh)).toThrow();
  });

  it('replaces other text when forced', () => {
    const path = join(dir, 'x.md');
    writeFileSync(path, 'old');
    expect(writeFilesOnce([{ path, text: 'new' }], { force: true })).toEqual({
      written: [{ path, outcome: 'replaced' }],
    });
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('throws the system’s error for a path it cannot read', () => {
    expect(() => writeFilesOnce([{ path: dir, text: 'x' }])).toThrow(/EISDIR/);
  });
});
