import { describe, expect, it } from 'vitest';
import { changeImpactOn, graphOf, impactResolver } from '../../../src/impact/change-impact.js';
import { buildGraph } from '../../../src/impact/graph.js';
import { viaOf } from '../../../src/impact/impact.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import type { Change } from '../../../src/records/types.generated.js';
import { ci, paymentsEstate } from '../../fixtures/estate.js';

const policy = loadPolicy(undefined).policy;

describe('the impact of a change', () => {
  it('lists every impacted CI once, ascending, with the named ones the CMDB lacks merged in', () => {
    const impact = changeImpactOn(
      buildGraph(paymentsEstate()),
      ['zz-ghost', 'pg-payments', 'aa-ghost'],
      policy,
    );
    expect(impact.ids).toEqual([
      'aa-ghost',
      'online-shop',
      'payments-api',
      'pg-payments',
      'reporting',
      'zz-ghost',
    ]);
    expect(impact.reached.unknown).toEqual(['zz-ghost', 'aa-ghost']);
  });

  it('keeps the parent links and builds no path up front; viaOf derives one', () => {
    const impact = changeImpactOn(buildGraph(paymentsEstate()), ['pg-payments'], policy);
    expect(impact.reached.impacted.every((entry) => entry.via === undefined)).toBe(true);
    const shop = impact.reached.impacted.findIndex((entry) => entry.id === 'online-shop');
    expect(viaOf(impact.reached, shop)).toEqual(['pg-payments', 'payments-api', 'online-shop']);
  });

  it('gives the level of the most critical CI reached, the nearest of equals, and its path', () => {
    const impact = changeImpactOn(buildGraph(paymentsEstate()), ['pg-payments'], policy);
    expect(impact.level).toBe('high');
    expect(impact.mostCritical).toEqual({
      id: 'payments-api',
      criticality: 1,
      via: ['pg-payments', 'payments-api'],
    });
  });

  it('is low, with nothing to explain it, for a change that names no CI of the CMDB', () => {
    const impact = changeImpactOn(buildGraph([ci('db')]), ['ghost'], policy);
    expect(impact).toMatchObject({ ids: ['ghost'], level: 'low' });
    expect(impact.mostCritical).toBeUndefined();
  });
});

describe('impactResolver', () => {
  const estate = loadRecords(
    loadPolicy(undefined),
    paymentsEstate().map((record) => ({
      path: `cmdb/${record.id}.yaml`,
      text: JSON.stringify(record),
    })),
  ).estate;

  const naming = (cis: unknown[]) => ({ cis }) as unknown as Change;

  it('works out each set of named CIs once, however many changes and rules ask', () => {
    const resolve = impactResolver(estate);
    const a = resolve(naming(['pg-payments']));
    const b = resolve(naming(['pg-payments']));
    expect(b).toBe(a);
    expect(resolve(naming(['payments-api']))).not.toBe(a);
  });

  it('builds the CMDB graph of an estate once', () => {
    expect(graphOf(estate)).toBe(graphOf(estate));
  });

  it('takes what is usable of the CIs of a record that failed its schema', () => {
    const impact = impactResolver(estate)(naming(['pg-payments', 7, null]));
    expect(impact.reached.start).toEqual(['pg-payments']);
  });
});
