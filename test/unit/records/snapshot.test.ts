import { types } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/impact/graph.js';
import { SourceIndex } from '../../../src/records/locate.js';
import { defaultLimits } from '../../../src/records/limits.js';
import { parseRecordFiles } from '../../../src/records/load.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  graphOrder,
  type SnapshotEntry,
  type SnapshotKey,
} from '../../../src/records/snapshot.js';
import type { ConfigurationItem } from '../../../src/records/types.generated.js';
import type { CmdbGraph } from '../../../src/impact/graph.js';

const ciColumns = ['name', 'class', 'criticality', 'environment', 'dependsOn', 'partOf'];
import { changeText, ciText } from '../../fixtures/estate.js';

const key: SnapshotKey = { build: 'b', policy: 'none', changes: 'c', cmdb: 'm' };
const commit = 'a'.repeat(40);

/** Record files parsed as a full load parses them, as a snapshot's entries. */
function entriesOf(files: Record<string, string>): SnapshotEntry[] {
  const texts = Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, text]) => ({ path, text }));
  return parseRecordFiles(texts, defaultLimits, new SourceIndex()).map((parsed) => ({
    path: parsed.path,
    readFindings: [],
    parsed,
  }));
}

/** The graph the estate of these entries builds: of the first CI of each id. */
function graphOf(entries: SnapshotEntry[]) {
  const cis = entries.flatMap((entry) =>
    (entry.parsed?.records ?? [])
      .filter((record) => record.kind === 'ConfigurationItem' && record.id !== undefined)
      .map((record) => record.data as ConfigurationItem),
  );
  return buildGraph(cis);
}

const estate = {
  'cmdb/a-web.yaml': ciText('web', 'dependsOn: [db, ghost]\npartOf: [shop]\nenvironment: prod\n'),
  'cmdb/b-db.yaml': ciText('db', 'criticality2: 1\n'),
  // No name and no class: the graph names it by its id, with an empty class.
  'cmdb/c-shop.yaml': 'apiVersion: changeops/v1\nkind: ConfigurationItem\nid: shop\nname: 7\n',
  // A second CI with the id web: the first one is the graph's.
  'cmdb/d-copy.yaml': ciText('web', 'dependsOn: [shop]\n').replace('The web', 'Another web'),
  'cmdb/e-many.yaml': `${ciText('alpha')}---\n${ciText('beta', 'dependsOn: [alpha]\n')}`,
  'changes/CHG-0001-x.yaml': changeText('CHG-0001', '[web]'),
};

/** The names of a snapshot file's sections, as its header line lists them. */
const sectionNames = (bytes: Uint8Array) => {
  const text = Buffer.from(bytes).toString('latin1');
  const line = text.slice(text.indexOf('\n') + 1, text.indexOf('\n', text.indexOf('\n') + 1));
  return Object.keys((JSON.parse(line) as { sections: object }).sections);
};

/** A graph as plain parts, its index as the pairs it holds (a snapshot's is no Map). */
const partsOf = (graph: CmdbGraph) => ({
  ...graph,
  index: [...graph.index].sort(([, a], [, b]) => a - b),
});

describe('the snapshot holds the impact graph without its ids, names and classes', () => {
  it('reads the graph back as built, naming its nodes from the CI columns', () => {
    const entries = entriesOf(estate);
    const graph = graphOf(entries);
    const order = graphOrder(entries, graph.ids)!;
    expect(order).toBeDefined();
    const bytes = encodeSnapshot({ key, commit, entries, graph: { graph, order } })!;
    expect(sectionNames(bytes)).toContain('g.order');
    const read = decodeSnapshot(bytes, key)!.graph()!;
    expect(partsOf(read)).toEqual(partsOf(graph));
    expect(read.names[read.index.get('shop')!]).toBe('shop');
    expect(read.names[read.index.get('web')!]).toBe('The web service');
    expect(read.index.get('ghost')).toBeUndefined();
    expect(graph.ids.map((id) => read.index.get(id))).toEqual(graph.ids.map((_, n) => n));
  });

  it.each([
    ['a place past the CIs', (order: Int32Array) => order.map((_, n) => (n === 0 ? 99 : _))],
    ['ids out of order', (order: Int32Array) => order.slice().reverse()],
    ['a place twice', (order: Int32Array) => order.map((_, n) => (n === 1 ? order[0]! : _))],
  ])('does not read a graph whose order names %s', (_what, change) => {
    const entries = entriesOf(estate);
    const graph = graphOf(entries);
    const order = change(graphOrder(entries, graph.ids)!);
    const bytes = encodeSnapshot({ key, commit, entries, graph: { graph, order } })!;
    const snapshot = decodeSnapshot(bytes, key)!;
    expect(snapshot.files.length).toBe(entries.length);
    expect(snapshot.graph()).toBeUndefined();
  });

  /** Every record's id made, as a run through the snapshot does before it reads the graph. */
  const madeIds = (snapshot: NonNullable<ReturnType<typeof decodeSnapshot>>) => {
    const { files } = snapshot;
    for (let at = 0; at < files.length; at++)
      for (let record = files.first(at); record < files.first(at) + files.count(at); record++)
        files.id(record);
    return snapshot;
  };

  it('gives the ids as a plain array, checked as strings, once every CI id is made', () => {
    const entries = entriesOf(estate);
    const graph = graphOf(entries);
    const order = graphOrder(entries, graph.ids)!;
    const bytes = encodeSnapshot({ key, commit, entries, graph: { graph, order } })!;
    // No id made: each made when first read (a list behind a proxy).
    const lazy = decodeSnapshot(bytes, key)!.graph()!;
    expect(types.isProxy(lazy.ids)).toBe(true);
    const read = madeIds(decodeSnapshot(bytes, key)!).graph()!;
    expect(types.isProxy(read.ids)).toBe(false);
    expect(Array.isArray(read.ids)).toBe(true);
    expect(partsOf(read)).toEqual(partsOf(graph));
    expect(partsOf(read)).toEqual(partsOf(lazy));
  });

  it.each([
    ['a place past the CIs', (order: Int32Array) => order.map((_, n) => (n === 0 ? 99 : _))],
    ['a place below 0', (order: Int32Array) => order.map((_, n) => (n === 0 ? -1 : _))],
    ['ids out of order', (order: Int32Array) => order.slice().reverse()],
    ['a place twice', (order: Int32Array) => order.map((_, n) => (n === 1 ? order[0]! : _))],
  ])('does not read a graph whose order names %s, every CI id made', (_what, change) => {
    const entries = entriesOf(estate);
    const graph = graphOf(entries);
    const order = change(graphOrder(entries, graph.ids)!);
    const bytes = encodeSnapshot({ key, commit, entries, graph: { graph, order } })!;
    expect(madeIds(decodeSnapshot(bytes, key)!).graph()).toBeUndefined();
  });

  it('does not read a graph naming a CI without an id, every CI id made', () => {
    const files = { ...estate, 'cmdb/f-none.yaml': ciText('zz').replace('id: zz\n', '') };
    const entries = entriesOf(files);
    const graph = graphOf(entriesOf(estate));
    const order = graphOrder(entriesOf(estate), graph.ids)!;
    // The CI without an id is the last CI place: named in place of the last node.
    const places = entries.flatMap((entry) =>
      (entry.parsed?.records ?? []).filter((record) => record.kind === 'ConfigurationItem'),
    );
    const none = places.findIndex((record) => record.id === undefined);
    expect(none).toBe(places.length - 1);
    const named = order.map((place, n) => (n === order.length - 1 ? none : place));
    const bytes = encodeSnapshot({ key, commit, entries, graph: { graph, order: named } })!;
    expect(madeIds(decodeSnapshot(bytes, key)!).graph()).toBeUndefined();
    expect(decodeSnapshot(bytes, key)!.graph()).toBeUndefined();
  });

  it('holds no graph when a file is parsed every run (its CIs have no place): it is built', () => {
    const entries = entriesOf(estate);
    entries[0] = { path: entries[0]!.path, readFindings: [], reparse: true };
    const graph = graphOf(entriesOf(estate));
    const order = graphOrder(entries, graph.ids);
    expect(order).toBeUndefined();
    const bytes = encodeSnapshot({ key, commit, entries, graph: order && { graph, order } })!;
    expect(sectionNames(bytes).filter((name) => name.startsWith('g.'))).toEqual([]);
    expect(decodeSnapshot(bytes, key)!.graph()).toBeUndefined();
  });
});

describe('the snapshot writes an id that starts its file name once', () => {
  it('reads each id back, whether its file name starts with it or not', () => {
    const entries = entriesOf({
      'cmdb/web-1.yaml': ciText('web-1'),
      'cmdb/x-db.yaml': ciText('db'),
      'cmdb/many.yaml': `${ciText('many')}---\n${ciText('manyfold')}---\n${ciText('other')}`,
      'changes/CHG-0001-x.yaml': changeText('CHG-0001', '[web-1]'),
    });
    const bytes = encodeSnapshot({ key, commit, entries })!;
    const files = decodeSnapshot(bytes, key)!.files;
    const ids: Array<string | undefined> = [];
    for (let file = 0; file < files.length; file++)
      for (let record = files.first(file); record < files.first(file) + files.count(file); record++)
        ids.push(files.id(record));
    expect(ids).toEqual(['CHG-0001', 'many', 'manyfold', 'other', 'web-1', 'db']);
    // Written whole: only the ids no file name starts with.
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('manyfoldotherdb');
    expect(text).not.toContain('web-1db');
  });
});

describe('the snapshot reads paths and ids beyond ASCII from their bytes', () => {
  // The engine orders '😀' (a surrogate pair, 0xd83d...) before '\ue000'; UTF-8 the other way.
  const files = {
    'cmdb/\ue000-x.yaml': ciText('pua'),
    'cmdb/😀-x.yaml': ciText('emoji'),
    'cmdb/é-1.yaml': ciText('é-1'),
    'cmdb/ü.yaml': ciText('ü-db', 'dependsOn: [é-1, pua]\n'),
    'changes/CHG-0001-ü.yaml': changeText('CHG-0001', '[é-1]'),
  };

  it('finds each path and reads each id as written, in the engine order of the listing', () => {
    const entries = entriesOf(files);
    expect(entries.map(({ path }) => path)).toEqual([
      'changes/CHG-0001-ü.yaml',
      'cmdb/é-1.yaml',
      'cmdb/ü.yaml',
      'cmdb/😀-x.yaml',
      'cmdb/\ue000-x.yaml',
    ]);
    const read = decodeSnapshot(encodeSnapshot({ key, commit, entries })!, key)!.files;
    expect(read.length).toBe(entries.length);
    entries.forEach(({ path }, at) => {
      expect(read.path(at)).toBe(path);
      expect(read.indexOf(path)).toBe(at);
    });
    const ids = entries.map((_, at) => read.id(read.first(at)));
    expect(ids).toEqual(['CHG-0001', 'é-1', 'ü-db', 'emoji', 'pua']);
    const ci = read.slot(read.first(2));
    const { offsets, targets } = read.cis.lists[ciColumns.indexOf('dependsOn')]!;
    const named = [...targets.subarray(offsets[ci], offsets[ci + 1])].map(read.cis.name);
    expect(named).toEqual(['é-1', 'pua']);
    expect(read.data(read.first(0))).toEqual(entries[0]!.parsed!.records[0]!.data);
  });

  it('reads no snapshot whose paths are in UTF-8 byte order but not in the engine order', () => {
    const entries = entriesOf(files);
    // The last two swapped: as bytes they rise (0xf0 after 0xee), as strings they fall.
    const swapped = [...entries.slice(0, 3), entries[4]!, entries[3]!];
    expect(decodeSnapshot(encodeSnapshot({ key, commit, entries: swapped })!, key)).toBeUndefined();
    expect(decodeSnapshot(encodeSnapshot({ key, commit, entries })!, key)).toBeDefined();
  });
});

describe("the snapshot reads the changes' data and the CIs' pooled values", () => {
  /** 200 changes and CIs (past the strings read one by one before a text is copied whole). */
  const many = (word: (n: number) => string) =>
    Object.fromEntries(
      Array.from({ length: 200 }, (_, n) => {
        const id = `CHG-${String(n + 1).padStart(4, '0')}`;
        return [
          [`changes/${id}-x.yaml`, changeText(id, '[web]', `reason: A ${word(n)}reason\n`)],
          [`cmdb/ci-${n}.yaml`, ciText(`ci-${n}`).replace('The ci', `The ${word(n)}ci`)],
        ];
      }).flat(),
    );
  it.each([
    ['every text ASCII', () => ''],
    ['one text beyond ASCII', (n: number) => (n === 150 ? 'café ' : '')],
  ])('reads each as written, however many are read (%s)', (_what, extra) => {
    const entries = entriesOf(many(extra));
    const files = decodeSnapshot(encodeSnapshot({ key, commit, entries })!, key)!.files;
    const records = entries.flatMap((entry) => entry.parsed!.records);
    expect(JSON.stringify(records.map((record) => record.data))).toContain(
      extra(150) ? 'café' : 'A reason',
    );
    const nameColumn = ciColumns.indexOf('name');
    records.forEach((record, at) => {
      if (record.kind !== 'ConfigurationItem') expect(files.data(at)).toEqual(record.data);
      else {
        const code = files.cis.columns[nameColumn]![files.slot(at)]!;
        expect(files.cis.value(nameColumn, code)).toBe((record.data as { name: string }).name);
      }
    });
  });
});
