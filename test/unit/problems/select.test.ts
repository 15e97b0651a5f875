import { describe, expect, it } from 'vitest';
import {
  knownChanges,
  parseChangeIds,
  selectPushedChanges,
  type PushedChange,
} from '../../../src/problems/select.js';

describe('parseChangeIds', () => {
  it.each([
    ['CHG-0042', ['CHG-0042'], []],
    ['CHG-0042,CHG-0043', ['CHG-0042', 'CHG-0043'], []],
    [' CHG-0042 , CHG-0043\nCHG-0044 ', ['CHG-0042', 'CHG-0043', 'CHG-0044'], []],
    ['CHG-0042 CHG-0042', ['CHG-0042'], []],
    ['chg-0042, REL-2026.12, CHG-', [], ['chg-0042', 'REL-2026.12', 'CHG-']],
    ['', [], []],
  ])('splits %j into the ids and the words that are not ids', (text, ids, invalid) => {
    expect(parseChangeIds(text)).toEqual({ ids, invalid });
  });
});

describe('knownChanges', () => {
  const known = new Map([
    ['CHG-0042', {}],
    ['CHG-0100', {}],
  ]);

  it('names an unknown id with the known one it is closest to', () => {
    expect(knownChanges(['CHG-0042', 'CHG-0101'], known)).toEqual({
      ids: ['CHG-0042'],
      unknown: [{ id: 'CHG-0101', suggestion: 'CHG-0100' }],
    });
  });
});

describe('selectPushedChanges', () => {
  const change = (id: string, data: Record<string, unknown>): PushedChange => ({
    id,
    data: { id, title: 'A change', ...data },
  });

  it.each([
    ['an approved change the push added', { status: 'approved' }, undefined, true],
    [
      'a change moved to implemented by hand',
      { status: 'implemented' },
      { status: 'approved' },
      true,
    ],
    [
      'a change whose review the push recorded',
      { status: 'implemented', review: { outcome: 'success', date: '2027-01-01' } },
      { status: 'approved' },
      false,
    ],
    ['a change moved to failed', { status: 'failed' }, { status: 'approved' }, false],
    ['a proposed change', { status: 'proposed' }, undefined, false],
    ['a draft', { status: 'draft' }, undefined, false],
  ])('%s: verified %s', (_what, after, before, verified) => {
    const selection = selectPushedChanges(
      [change('CHG-0042', after)],
      new Map(before ? [['CHG-0042', { id: 'CHG-0042', title: 'A change', ...before }]] : []),
    );
    expect(selection.ids).toEqual(verified ? ['CHG-0042'] : []);
    expect(selection.skipped).toHaveLength(verified ? 0 : 1);
  });

  it('says why each skipped change is not verified', () => {
    const selection = selectPushedChanges(
      [
        change('CHG-0001', { status: 'proposed' }),
        change('CHG-0002', { status: 'implemented', review: { outcome: 'success' } }),
        change('CHG-0003', { status: 'closed' }),
        change('CHG-0004', { status: 'approved' }),
        change('chg-5', { status: 'approved' }),
      ],
      new Map([['CHG-0004', { id: 'CHG-0004', title: 'A change', status: 'approved' }]]),
    );
    expect(selection.ids).toEqual([]);
    expect(selection.skipped.map((s) => s.reason)).toEqual([
      'CHG-0001 is proposed, not approved: the push did not deploy it',
      'CHG-0002 is implemented and its review is recorded: it was verified already',
      'CHG-0003 is closed: there is nothing to verify',
      'CHG-0004: only comments or layout of its record changed',
      'chg-5 is not a change id of the form CHG-0042 (run changeops validate)',
    ]);
  });

  it('counts an edit whatever order the record lists its keys in', () => {
    const before = new Map([
      ['CHG-0042', { status: 'approved', id: 'CHG-0042', title: 'A change' }],
    ]);
    expect(selectPushedChanges([change('CHG-0042', { status: 'approved' })], before).ids).toEqual(
      [],
    );
  });
});
