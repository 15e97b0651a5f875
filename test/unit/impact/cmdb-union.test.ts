import * as YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { changeImpactOn, graphOf } from '../../../src/impact/change-impact.js';
import { cmdbUnion, type BaseCmdb } from '../../../src/impact/cmdb-union.js';
import { buildGraph } from '../../../src/impact/graph.js';
import type { Estate, LoadedRecord } from '../../../src/records/estate.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import type { ConfigurationItem } from '../../../src/records/types.generated.js';
import { ci, paymentsEstate } from '../../fixtures/estate.js';
import { expectRatioBelow } from '../../fixtures/timing.js';

const policy = loadPolicy(undefined);

/** The head's estate of CIs, each in cmdb/<id>.yaml, loaded through the real loader. */
function estateOf(cis: readonly ConfigurationItem[]): Estate {
  return loadRecords(
    policy,
    cis.map((item) => ({ path: `cmdb/${item.id}.yaml`, text: YAML.stringify(item) })),
  ).estate;
}

/** The base's versions of the given CIs, as base-records hands them over; their files changed. */
function baseOf(cis: readonly ConfigurationItem[], alsoChanged: string[] = []): BaseCmdb {
  const records = new Map<string, LoadedRecord<ConfigurationItem>>();
  for (const item of cis)
    records.set(item.id, {
      kind: 'ConfigurationItem',
      id: item.id,
      data: item,
      source: { file: `cmdb/${item.id}.yaml`, doc: 0 },
    });
  return {
    cis: records,
    changedFiles: new Set([...cis.map((item) => `cmdb/${item.id}.yaml`), ...alsoChanged]),
  };
}

const base = paymentsEstate();
const lowered = base.map((item) =>
  item.id === 'payments-api' || item.id === 'online-shop'
    ? { ...item, criticality: 4, environment: 'staging' }
    : item,
);

describe('the union of the base and head CMDB', () => {
  it('keeps the higher criticality, so lowering a CI in the branch lowers no impact', () => {
    const union = cmdbUnion(
      estateOf(lowered),
      baseOf(base.filter((item) => item.id !== 'reporting')),
    );
    const head = changeImpactOn(graphOf(estateOf(lowered)), ['pg-payments'], policy.policy);
    const judged = changeImpactOn(union.graph(), ['pg-payments'], policy.policy);
    expect(head.level).toBe('high'); // pg-payments itself is criticality 2
    expect(head.mostCritical?.id).toBe('pg-payments');
    expect(judged.mostCritical).toMatchObject({ id: 'payments-api', criticality: 1 });
  });

  it('puts a CI whose environment the branch changes in both environments', () => {
    const union = cmdbUnion(estateOf(lowered), baseOf(base));
    expect(union.ci('payments-api')).toMatchObject({
      criticality: 1,
      environments: ['production', 'staging'],
      change: 'edited',
      fields: ['criticality', 'environment'],
    });
    expect(union.ci('pg-payments')).toMatchObject({ environments: ['production'] });
    expect(union.ci('pg-payments')?.change).toBeUndefined();
  });

  it('counts an impact edge of either version: removing a dependency in the branch hides nothing', () => {
    const cut = base.map((item) =>
      item.id === 'payments-api' ? { ...item, dependsOn: [], partOf: [] } : item,
    );
    const union = cmdbUnion(estateOf(cut), baseOf(base));
    expect(changeImpactOn(union.graph(), ['pg-payments'], policy.policy).ids).toEqual([
      'online-shop',
      'payments-api',
      'pg-payments',
      'reporting',
    ]);
    expect(changeImpactOn(graphOf(estateOf(cut)), ['pg-payments'], policy.policy).ids).toEqual([
      'pg-payments',
      'reporting',
    ]);
  });

  it('keeps a CI the branch removes, and knows the ones it adds', () => {
    const head = [...base.filter((item) => item.id !== 'reporting'), ci('new-cache')];
    const union = cmdbUnion(estateOf(head), baseOf(base, ['cmdb/new-cache.yaml']));
    expect(union.edits.map((edit) => [edit.id, edit.change])).toEqual([
      ['new-cache', 'added'],
      ['reporting', 'removed'],
    ]);
    expect(changeImpactOn(union.graph(), ['pg-payments'], policy.policy).ids).toContain(
      'reporting',
    );
  });

  it('takes a CI whose data the branch leaves as it was (a reformatted file) as unchanged', () => {
    const union = cmdbUnion(estateOf(base), baseOf(base));
    expect(union.edits).toEqual([]);
    expect([...union.versions()]).toHaveLength(base.length);
  });

  it('lists both versions of an edited CI, the base one with its file at the base', () => {
    const union = cmdbUnion(estateOf(lowered), baseOf(base));
    const versions = [...union.versions()].filter((version) => version.ci === 'payments-api');
    expect(versions.map((version) => [version.at, version.record.data.criticality])).toEqual([
      ['head', 4],
      ['base', 1],
    ]);
  });

  it('without a base, is the CMDB as it is, on the same graph', () => {
    const estate = estateOf(base);
    const union = cmdbUnion(estate);
    expect(union.graph()).toBe(graphOf(estate));
    expect(union.edits).toEqual([]);
    expect(union.ci('payments-api')).toMatchObject({
      criticality: 1,
      environments: ['production'],
      classes: ['application'],
    });
    expect(union.ci('nowhere')).toBeUndefined();
  });

  it('stays linear at 100,000 CIs: merging a few edited ones costs about what building the graph does', () => {
    const size = 100_000;
    const cis: ConfigurationItem[] = [];
    for (let i = 0; i < size; i++)
      cis.push(ci(`svc-${i}`, { dependsOn: i > 0 ? [`svc-${i - 1}`] : [], criticality: 3 }));
    const records = new Map<string, LoadedRecord<ConfigurationItem>>();
    cis.forEach((item, i) =>
      records.set(item.id, {
        kind: 'ConfigurationItem',
        id: item.id,
        data: item,
        source: { file: `cmdb/part-${i % 1000}.yaml`, doc: Math.floor(i / 1000) },
      }),
    );
    const estate: Estate = {
      policy: policy.policy,
      cis: records,
      changes: new Map(),
      releases: new Map(),
    };
    // 20 CIs edited, in 20 files of 100 CIs each: the base's versions of those 2,000 are merged.
    const edited = new Set(Array.from({ length: 20 }, (_, k) => cis[k * 5000]!.id));
    const changedFiles = new Set([...edited].map((id) => records.get(id)!.source.file));
    const baseCmdb: BaseCmdb = { cis: new Map(), changedFiles };
    for (const record of records.values())
      if (changedFiles.has(record.source.file))
        (baseCmdb.cis as Map<string, LoadedRecord<ConfigurationItem>>).set(record.id, {
          ...record,
          data: edited.has(record.id) ? { ...record.data, criticality: 1 } : record.data,
        });
    expect(cmdbUnion(estate, baseCmdb).edits).toHaveLength(20);
    expectRatioBelow(
      'union graph vs the head graph alone',
      () => cmdbUnion(estate, baseCmdb).graph(),
      () => buildGraph(cis),
      2,
    );
  });
});
