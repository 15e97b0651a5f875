import { describe, expect, it } from 'vitest';
import { releaseConsistencyRule } from '../../../src/rules/release-consistency.js';
import { changeYaml, files, releaseYaml, run, seen, type Seen } from '../../fixtures/estate.js';

const REL = 'REL-2027.03';
const error = (id: string, field: string, message: string): Seen => ({
  id,
  field,
  severity: 'error',
  message,
});
const outside = { schedule: { start: '2027-03-11T01:00:00Z', end: '2027-03-11T03:00:00Z' } };

describe('release-consistency', () => {
  const cases: Array<{
    name: string;
    records: string[];
    evaluate?: string[];
    expected: Seen[];
  }> = [
    {
      name: 'passes a release whose changes lie in its window and name it',
      records: [
        releaseYaml(REL, { changes: ['CHG-0001', 'CHG-0002'] }),
        changeYaml('CHG-0001', { release: REL }),
        changeYaml('CHG-0002'),
      ],
      expected: [],
    },
    {
      name: 'reports a change scheduled outside the release window, on the release',
      records: [releaseYaml(REL, { changes: ['CHG-0001'] }), changeYaml('CHG-0001', outside)],
      expected: [
        error(
          REL,
          'changes[0]',
          'CHG-0001 is scheduled from 2027-03-11T01:00:00Z to 2027-03-11T03:00:00Z, outside the window of REL-2027.03 (2027-03-10T20:00:00Z to 2027-03-11T02:00:00Z); move it into the window or take it out of the release',
        ),
      ],
    },
    {
      name: 'reports it on the change when only the change is under evaluation',
      records: [releaseYaml(REL, { changes: ['CHG-0001'] }), changeYaml('CHG-0001', outside)],
      evaluate: ['CHG-0001'],
      expected: [
        error(
          'CHG-0001',
          'schedule',
          'the schedule (2027-03-11T01:00:00Z to 2027-03-11T03:00:00Z) lies outside the window of REL-2027.03 (2027-03-10T20:00:00Z to 2027-03-11T02:00:00Z), which lists this change; move it into the window or take it out of the release',
        ),
      ],
    },
    {
      name: 'says nothing when neither is under evaluation',
      records: [releaseYaml(REL, { changes: ['CHG-0001'] }), changeYaml('CHG-0001', outside)],
      evaluate: [],
      expected: [],
    },
    {
      name: 'reports a change whose release field names another release',
      records: [
        releaseYaml(REL, { changes: ['CHG-0001'] }),
        releaseYaml('REL-2027.04', { changes: [] }),
        changeYaml('CHG-0001', { release: 'REL-2027.04' }),
      ],
      evaluate: [REL],
      expected: [
        error(
          REL,
          'changes[0]',
          'CHG-0001 names REL-2027.04 in its release field, not REL-2027.03; a change ships in one release, the one its release field names',
        ),
      ],
    },
    {
      name: 'reports, on the change, a release field naming a release that does not list it',
      records: [releaseYaml(REL, { changes: [] }), changeYaml('CHG-0001', { release: REL })],
      evaluate: ['CHG-0001'],
      expected: [
        error(
          'CHG-0001',
          'release',
          'REL-2027.03 does not list CHG-0001 in its changes; add it there, or remove the release field',
        ),
      ],
    },
    {
      name: 'reports it on the release when the release is under evaluation',
      records: [releaseYaml(REL, { changes: [] }), changeYaml('CHG-0001', { release: REL })],
      expected: [
        error(
          REL,
          'changes',
          'REL-2027.03 does not list CHG-0001, whose release field names it; add CHG-0001 to changes',
        ),
      ],
    },
    {
      name: 'reports a change listed by two releases',
      records: [
        releaseYaml(REL, { changes: ['CHG-0001'] }),
        releaseYaml('REL-2027.04', { changes: ['CHG-0001'] }),
        changeYaml('CHG-0001'),
      ],
      evaluate: ['REL-2027.04'],
      expected: [
        error(
          'REL-2027.04',
          'changes[0]',
          'CHG-0001 is also listed by REL-2027.03; a change ships in one release: keep it in one, and name that one in its release field',
        ),
      ],
    },
    {
      name: 'reports a change listed by two releases on the release that sorts first too',
      records: [
        releaseYaml(REL, { changes: ['CHG-0001'] }),
        releaseYaml('REL-2027.04', { changes: ['CHG-0001'] }),
        changeYaml('CHG-0001'),
      ],
      evaluate: [REL],
      expected: [
        error(
          REL,
          'changes[0]',
          'CHG-0001 is also listed by REL-2027.04; a change ships in one release: keep it in one, and name that one in its release field',
        ),
      ],
    },
    {
      name: 'reports a change listed by two releases on the change when neither is evaluated',
      records: [
        releaseYaml(REL, { changes: ['CHG-0001'] }),
        releaseYaml('REL-2027.04', { changes: ['CHG-0001'] }),
        changeYaml('CHG-0001'),
      ],
      evaluate: ['CHG-0001'],
      expected: [
        error(
          'CHG-0001',
          'id',
          'CHG-0001 is listed by REL-2027.03 and REL-2027.04; a change ships in one release: keep it in one, and name that one in its release field',
        ),
      ],
    },
    {
      name: 'reports an approved release that lists a proposed change',
      records: [
        releaseYaml(REL, { status: 'approved', changes: ['CHG-0001', 'CHG-0002', 'CHG-0003'] }),
        changeYaml('CHG-0001', { status: 'approved' }),
        changeYaml('CHG-0002', { status: 'proposed' }),
        changeYaml('CHG-0003', { status: 'implemented' }),
      ],
      evaluate: [REL],
      expected: [
        error(
          REL,
          'changes[1]',
          'REL-2027.03 is approved, but CHG-0002 is proposed: every change of an approved release must be approved, implemented or closed',
        ),
      ],
    },
    {
      name: 'reports a change sent back to draft while its release is deployed',
      records: [
        releaseYaml(REL, { status: 'deployed', changes: ['CHG-0001'] }),
        changeYaml('CHG-0001', { status: 'draft' }),
      ],
      evaluate: ['CHG-0001'],
      expected: [
        error(
          'CHG-0001',
          'status',
          'CHG-0001 is draft, but REL-2027.03, which lists it, is deployed: every change of a deployed release must be approved, implemented or closed',
        ),
      ],
    },
    {
      name: 'lets a planned release list proposed changes',
      records: [releaseYaml(REL, { changes: ['CHG-0001'] }), changeYaml('CHG-0001')],
      expected: [],
    },
    {
      name: 'leaves unknown change ids to the integrity check',
      records: [releaseYaml(REL, { status: 'approved', changes: ['CHG-0404'] })],
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ records, evaluate, expected }) => {
    expect(
      seen(releaseConsistencyRule, {
        files: files(...records),
        ...(evaluate ? { evaluate } : {}),
      }),
    ).toEqual(expected);
  });

  it('points at the entry of the release list', () => {
    const [finding] = run(releaseConsistencyRule, {
      files: files(
        releaseYaml(REL, { status: 'approved', changes: ['CHG-0001', 'CHG-0002'] }),
        changeYaml('CHG-0001', { status: 'approved' }),
        changeYaml('CHG-0002'),
      ),
      evaluate: [REL],
    });
    expect(finding).toMatchObject({ file: 'changes/REL-2027.03.yaml', line: 10, column: 5 });
  });
});
