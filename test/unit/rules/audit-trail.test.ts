import { describe, expect, it } from 'vitest';
import { auditTrailRule } from '../../../src/rules/audit-trail.js';
import { changeYaml, files, releaseYaml, seen, type Seen } from '../../fixtures/estate.js';

const refused = (id: string, field: string | undefined, message: string): Seen => ({
  id,
  ...(field === undefined ? {} : { field }),
  severity: 'error',
  message,
});
const closed = changeYaml('CHG-0001', { status: 'closed' });

describe('audit-trail: the history of a record is not rewritten', () => {
  it.each<{ name: string; head: string[]; base: string[]; expected: Seen[] }>([
    {
      name: 'refuses deleting a closed change',
      head: [],
      base: [closed],
      expected: [
        refused(
          'CHG-0001',
          undefined,
          'CHG-0001 was closed at the base, and this branch deletes it: a change record is the audit trail and is never deleted; restore changes/CHG-0001.yaml',
        ),
      ],
    },
    {
      name: 'refuses deleting a proposed change, which is cancelled instead',
      head: [],
      base: [changeYaml('CHG-0001')],
      expected: [
        refused(
          'CHG-0001',
          undefined,
          'CHG-0001 was proposed at the base, and this branch deletes it: a change record is the audit trail and is never deleted; restore changes/CHG-0001.yaml, and set its status to cancelled if it will not happen',
        ),
      ],
    },
    {
      name: 'lets a draft be deleted: it was never asked for',
      head: [],
      base: [changeYaml('CHG-0001', { status: 'draft' })],
      expected: [],
    },
    {
      name: 'refuses rewriting the cis and risk of a closed change',
      head: [
        changeYaml('CHG-0001', {
          status: 'closed',
          cis: ['payments-api'],
          risk: { likelihood: 'high', impact: 'low' },
        }),
      ],
      base: [closed],
      expected: [
        refused(
          'CHG-0001',
          'cis',
          'CHG-0001 was closed at the base, and the record of a finished change is history: its cis and risk cannot be rewritten; restore them, and raise a new change for new work',
        ),
      ],
    },
    {
      name: 'lets the title and the reason of a closed change be corrected',
      head: [changeYaml('CHG-0001', { status: 'closed', title: 'Better title', reason: 'Typo.' })],
      base: [closed],
      expected: [],
    },
    {
      name: 'lets a failed change be planned again, with a new schedule',
      head: [
        changeYaml('CHG-0001', {
          schedule: { start: '2027-04-10T22:00:00Z', end: '2027-04-10T23:00:00Z' },
        }),
      ],
      base: [changeYaml('CHG-0001', { status: 'failed' })],
      expected: [],
    },
    {
      name: 'refuses rewriting a failed change that stays failed, and says how to plan it again',
      head: [
        changeYaml('CHG-0001', {
          status: 'failed',
          schedule: { start: '2027-04-10T22:00:00Z', end: '2027-04-10T23:00:00Z' },
        }),
      ],
      base: [changeYaml('CHG-0001', { status: 'failed' })],
      expected: [
        refused(
          'CHG-0001',
          'schedule',
          'CHG-0001 was failed at the base, and the record of a finished change is history: its schedule cannot be rewritten; restore it, and raise a new change for new work (or set status: proposed to plan this one again)',
        ),
      ],
    },
    {
      name: 'refuses a closed change brought back under a new id, spaced differently',
      head: [changeYaml('CHG-0002', { title: '  change   chg-0001 ' })],
      base: [closed],
      expected: [
        refused(
          'CHG-0001',
          undefined,
          'CHG-0001 was closed at the base, and this branch deletes it: a change record is the audit trail and is never deleted; restore changes/CHG-0001.yaml',
        ),
        refused(
          'CHG-0002',
          'id',
          'CHG-0002 repeats CHG-0001, which was closed at the base (the same title, cis and plan): a finished change does not come back under a new id; plan the new change in its own words',
        ),
      ],
    },
    {
      name: 'lets a new change do again what a finished one did, in its own words',
      head: [closed, changeYaml('CHG-0002', { title: 'Change CHG-0001, second round' })],
      base: [closed],
      expected: [],
    },
    {
      name: 'lets a standard change repeat its template',
      head: [
        changeYaml('CHG-0001', { status: 'closed', type: 'standard' }),
        changeYaml('CHG-0002', { title: 'Change CHG-0001', type: 'standard' }),
      ],
      base: [changeYaml('CHG-0001', { status: 'closed', type: 'standard' })],
      expected: [],
    },
    {
      name: 'refuses a proposed normal change made an approved emergency',
      head: [changeYaml('CHG-0001', { type: 'emergency', status: 'approved' })],
      base: [changeYaml('CHG-0001')],
      expected: [
        refused(
          'CHG-0001',
          'type',
          'the type cannot move from normal to emergency: CHG-0001 was proposed at the base, and a change keeps its type once proposed (an emergency change is approved by the ECAB alone, so a normal change made emergency would skip the CAB); raise a new emergency change, or set status: draft to plan this one again',
        ),
      ],
    },
    {
      name: 'refuses an approved normal change made standard',
      head: [changeYaml('CHG-0001', { type: 'standard', status: 'approved' })],
      base: [changeYaml('CHG-0001', { status: 'approved' })],
      expected: [
        refused(
          'CHG-0001',
          'type',
          'the type cannot move from normal to standard: CHG-0001 was approved at the base, and a change keeps its type once proposed (a standard change is pre-approved, so a change made standard would skip its approvals); raise a new standard change, or set status: draft to plan this one again',
        ),
      ],
    },
    {
      name: 'lets a draft change its type, and a change sent back to draft too',
      head: [
        changeYaml('CHG-0001', { type: 'emergency' }),
        changeYaml('CHG-0002', { type: 'emergency', status: 'draft' }),
      ],
      base: [changeYaml('CHG-0001', { status: 'draft' }), changeYaml('CHG-0002')],
      expected: [],
    },
    {
      name: 'refuses deleting a deployed release, and rewriting a closed one',
      head: [releaseYaml('REL-2', { status: 'closed', changes: ['CHG-0009'] })],
      base: [
        releaseYaml('REL-1', { status: 'deployed' }),
        releaseYaml('REL-2', { status: 'closed' }),
      ],
      expected: [
        refused(
          'REL-1',
          undefined,
          'REL-1 was deployed at the base, and this branch deletes it: a release record is the audit trail and is never deleted; restore changes/REL-1.yaml',
        ),
        refused(
          'REL-2',
          'changes',
          'REL-2 was closed at the base, and a closed release is history: its changes cannot be rewritten; restore it, and plan a new release instead',
        ),
      ],
    },
    {
      name: 'lets a planned release be dropped',
      head: [],
      base: [releaseYaml('REL-1')],
      expected: [],
    },
  ])('$name', ({ head, base, expected }) => {
    expect(seen(auditTrailRule, { files: files(...head), base: files(...base) })).toEqual(expected);
  });

  it('says nothing without a base', () => {
    expect(seen(auditTrailRule, { files: files(closed) })).toEqual([]);
  });
});
