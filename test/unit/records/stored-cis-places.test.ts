import { describe, expect, it } from 'vitest';
import { StoredCis, type StoredCiFiles } from '../../../src/records/stored-cis.js';

/** Three files of one CI each, ids as given, in the shape StoredCis reads a snapshot's files. */
function filesOf(ids: string[]): StoredCiFiles {
  return {
    length: ids.length,
    indexOf: (path) => ids.indexOf(path),
    first: (file) => file,
    count: () => 1,
    kind: () => 'ConfigurationItem',
    id: (record) => ids[record],
    path: (file) => `cmdb/${ids[file]}.yaml`,
    doc: () => 0,
    slot: (record) => record,
    cis: {
      fields: [],
      columns: [new Int32Array(ids.length)],
      value: () => undefined,
      lists: [],
      name: (position) => ids[position]!,
      strings: ids.length,
      id: (at) => ids[at],
    },
  };
}

describe('StoredCis.places (worked out ahead, while git walks the work tree)', () => {
  it('is worked out once per snapshot and order bytes: a view of the same bytes finds it kept', () => {
    const files = filesOf(['a', 'b', 'c']);
    const bytes = new Int32Array([0, 1, 2]);
    const first = StoredCis.places(files, bytes);
    expect(first).toBeDefined();
    expect(StoredCis.places(files, new Int32Array(bytes.buffer, 0, 3))).toBe(first);
    // Other bytes of the same contents are checked again, not taken for the kept ones.
    expect(StoredCis.places(files, new Int32Array([0, 1, 2]))).not.toBe(first);
  });

  it('refuses an order whose ids do not ascend, kept or not, and the load then indexes every CI', () => {
    const files = filesOf(['a', 'b', 'c']);
    const order = new Int32Array([1, 0, 2]);
    expect(StoredCis.places(files, order)).toBeUndefined();
    expect(StoredCis.places(files, order)).toBeUndefined();
    expect(StoredCis.of(files, order, new Uint8Array(3), () => undefined)).toBeUndefined();
    const good = StoredCis.of(
      files,
      new Int32Array([0, 1, 2]),
      new Uint8Array([0, 1, 0]),
      () => undefined,
    );
    expect(good && [...good.keys()]).toEqual(['a', 'c']);
  });
});
