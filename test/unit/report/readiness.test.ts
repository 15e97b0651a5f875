import { describe, expect, it } from 'vitest';
import { assessRelease, type ReadinessInput } from '../../../src/report/readiness.js';
import { releaseNotesOf } from '../../../src/report/release-notes.js';
import { buildTimelines } from '../../../src/report/timeline.js';
import { change, historyOf, type CommitSpec } from './history-builder.js';

const window = { start: '2026-12-03T20:00:00Z', end: '2026-12-03T22:00:00Z' };
const inside = { start: '2026-12-03T20:30:00Z', end: '2026-12-03T21:00:00Z' };
const checks = [{ name: 'payments-health', run: './check.sh' }];
const ready = { status: 'approved', schedule: inside, checks };

const releaseRecord = (fields: Record<string, unknown> = {}) => ({
  apiVersion: 'changeops/v1',
  kind: 'Release',
  id: 'REL-2026.12',
  title: 'December release',
  version: '2026.12.0',
  type: 'minor',
  status: 'planned',
  changes: ['CHG-0042', 'CHG-0043'],
  schedule: window,
  ...fields,
});

/** The branch where CHG-0042 is ready and CHG-0043 has the fields given (or is absent). */
function branch(fields43: Record<string, unknown> | null, extra: CommitSpec[] = []) {
  return buildTimelines(
    historyOf([
      {
        date: '2026-11-01T00:00:00Z',
        subject: 'Add CHG-0042 (#40)',
        files: {
          'changes/CHG-0042.yaml': change('CHG-0042', { ...ready, status: 'proposed' }),
          ...(fields43
            ? { 'changes/CHG-0043.yaml': change('CHG-0043', { ...ready, status: 'proposed' }) }
            : {}),
        },
      },
      {
        date: '2026-11-02T00:00:00Z',
        subject: 'Merge pull request #41 from acme/approve',
        files: {
          'changes/CHG-0042.yaml': change('CHG-0042', ready),
          ...(fields43
            ? { 'changes/CHG-0043.yaml': change('CHG-0043', { ...ready, ...fields43 }) }
            : {}),
        },
      },
      ...extra,
    ]),
  );
}

function assess(input: Partial<ReadinessInput> & Pick<ReadinessInput, 'timelines'>) {
  return assessRelease({ release: releaseRecord(), branch: 'main', ...input });
}

describe('assessRelease', () => {
  it('finds a release ready when its changes are approved on main, inside its window, with checks', () => {
    const readiness = assess({ timelines: branch({}) });
    expect(readiness.ready).toBe(true);
    expect(readiness.reasons).toEqual([]);
    expect(readiness.summary).toBe(
      'REL-2026.12 is ready: all 2 of its changes are approved on main, scheduled inside its window, clear of collisions and freezes, and list their checks',
    );
    expect(
      readiness.changes.map((c) => [c.id, c.status, c.pullRequest, c.decidedBy?.date]),
    ).toEqual([
      ['CHG-0042', 'approved', 41, '2026-11-02T00:00:00Z'],
      ['CHG-0043', 'approved', 41, '2026-11-02T00:00:00Z'],
    ]);
  });

  it.each([
    [
      { status: 'proposed' },
      'not-approved',
      'CHG-0043 is still proposed; it must be approved before REL-2026.12 is ready',
    ],
    [
      { status: 'draft' },
      'not-approved',
      'CHG-0043 is still a draft; it must be proposed and approved before REL-2026.12 is ready',
    ],
    [
      { status: 'failed' },
      'not-shippable',
      'CHG-0043 failed; REL-2026.12 cannot ship it: take it out of the release, or plan it again and have it approved',
    ],
    [
      { status: 'rejected' },
      'not-shippable',
      'CHG-0043 was rejected; REL-2026.12 cannot ship it: take it out of the release, or plan it again and have it approved',
    ],
    [
      { status: 'cancelled' },
      'not-shippable',
      'CHG-0043 was cancelled; REL-2026.12 cannot ship it: take it out of the release, or plan it again and have it approved',
    ],
    [
      { status: 'backed-out' },
      'not-shippable',
      'CHG-0043 was backed out; REL-2026.12 cannot ship it: take it out of the release, or plan it again and have it approved',
    ],
    [
      { schedule: undefined },
      'no-schedule',
      'CHG-0043 has no schedule; schedule it inside the window of REL-2026.12 (2026-12-03T20:00:00Z to 2026-12-03T22:00:00Z)',
    ],
    [
      { schedule: { start: '2026-12-03T21:30:00Z', end: '2026-12-03T22:30:00Z' } },
      'outside-window',
      'CHG-0043 is scheduled from 2026-12-03T21:30:00Z to 2026-12-03T22:30:00Z, outside the window of REL-2026.12 (2026-12-03T20:00:00Z to 2026-12-03T22:00:00Z); move it into the window or take it out of the release',
    ],
    [
      { checks: [] },
      'no-checks',
      'CHG-0043 lists no post-implementation checks; add checks so REL-2026.12 can be verified after it is deployed',
    ],
  ])('is not ready when CHG-0043 has %j, and says why', (fields, code, message) => {
    const readiness = assess({ timelines: branch(fields) });
    expect(readiness.ready).toBe(false);
    expect(readiness.summary).toBe('REL-2026.12 is not ready (1 reason)');
    expect(readiness.reasons).toEqual([{ code, change: 'CHG-0043', message }]);
    expect(readiness.changes.map((c) => [c.id, c.ready])).toEqual([
      ['CHG-0042', true],
      ['CHG-0043', false],
    ]);
  });

  it.each([['implemented'], ['closed']])('ships a change already %s', (status) => {
    const extra: CommitSpec[] = [
      {
        date: '2026-11-03T00:00:00Z',
        files: { 'changes/CHG-0043.yaml': change('CHG-0043', { ...ready, status: 'implemented' }) },
      },
      ...(status === 'closed'
        ? [
            {
              date: '2026-11-04T00:00:00Z',
              files: { 'changes/CHG-0043.yaml': change('CHG-0043', { ...ready, status }) },
            },
          ]
        : []),
    ];
    expect(assess({ timelines: branch({}, extra) }).ready).toBe(true);
  });

  it('refuses a change closed that the branch never had implemented', () => {
    const readiness = assess({ timelines: branch({ status: 'closed' }) });
    expect(readiness.reasons.map((r) => r.message)).toEqual([
      'CHG-0043 is closed, and the branch never had it implemented; REL-2026.12 cannot ship it: take it out of the release, or plan it again and have it approved',
    ]);
  });

  it('counts the status on main, not the one a pull request proposes', () => {
    const readiness = assess({
      timelines: branch({ status: 'proposed' }),
      workspace: new Map([['CHG-0043', { status: 'approved' }]]),
    });
    expect(readiness.reasons.map((r) => r.message)).toEqual([
      'CHG-0043 is approved in the working tree but still proposed on main; the change must be merged as approved before REL-2026.12 is ready',
    ]);
  });

  it('says when a change is not on main at all, or only in the working tree', () => {
    expect(assess({ timelines: branch(null) }).reasons).toEqual([
      {
        code: 'not-merged',
        change: 'CHG-0043',
        message:
          'CHG-0043 is not on main; it must be merged and approved before REL-2026.12 is ready',
      },
    ]);
    expect(
      assess({
        timelines: branch(null),
        workspace: new Map([['CHG-0043', { status: 'approved' }]]),
      }).reasons.map((r) => r.message),
    ).toEqual([
      'CHG-0043 is approved in the working tree but not on main; it must be merged and approved before REL-2026.12 is ready',
    ]);
  });

  it('says when a change was removed from main', () => {
    const timelines = branch({}, [
      { date: '2026-11-05T00:00:00Z', files: { 'changes/CHG-0043.yaml': null } },
    ]);
    const readiness = assess({ timelines });
    expect(readiness.reasons).toEqual([
      {
        code: 'removed',
        change: 'CHG-0043',
        message: `CHG-0043 was removed from main in 0003ffffffff (2026-11-05T00:00:00Z); put it back or take it out of REL-2026.12`,
      },
    ]);
  });

  it('passes on the collisions and freeze conflicts the evaluation found', () => {
    const readiness = assess({
      timelines: branch({}),
      conflicts: [
        {
          change: 'CHG-0042',
          rule: 'collision',
          message:
            'CHG-0042 and CHG-0050 (approved) are both scheduled from A to B and share 1 CI: pg',
        },
        {
          change: 'CHG-0043',
          rule: 'freeze',
          message: 'the schedule overlaps the freeze "year-end"',
        },
      ],
    });
    expect(readiness.reasons.map((r) => [r.code, r.message])).toEqual([
      [
        'conflict',
        'CHG-0042 and CHG-0050 (approved) are both scheduled from A to B and share 1 CI: pg',
      ],
      ['conflict', 'CHG-0043: the schedule overlaps the freeze "year-end"'],
    ]);
  });

  it.each([
    [
      { schedule: undefined },
      ['REL-2026.12 has no schedule; give it one so its changes can be checked against its window'],
    ],
    [{ changes: [] }, ['REL-2026.12 bundles no changes; list them under changes']],
    [{ status: 'shipped' }, ['REL-2026.12 cannot be assessed: REL-2026.12 has no known status']],
  ])('is not ready when the release has %j', (fields, messages) => {
    const readiness = assessRelease({
      release: releaseRecord(fields),
      timelines: branch({}),
      branch: 'main',
    });
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons.map((r) => r.message)).toEqual(messages);
  });

  it('assesses a change the release lists twice once', () => {
    const readiness = assessRelease({
      release: releaseRecord({ changes: ['CHG-0042', 'CHG-0042'] }),
      timelines: branch({}),
      branch: 'main',
    });
    expect(readiness.changes).toHaveLength(1);
    expect(readiness.summary).toBe(
      'REL-2026.12 is ready: its change is approved on main, scheduled inside its window, clear of collisions and freezes, and lists its checks',
    );
  });
});

describe('releaseNotesOf', () => {
  it('lists each change with its title, type, risk, CIs, requester and pull request', () => {
    const readiness = assess({
      timelines: branch({ title: 'Rotate the keys', cis: ['vault', 'payments-api'] }),
    });
    const notes = releaseNotesOf(readiness, {
      riskLevels: new Map([['CHG-0043', 'high' as const]]),
    });
    expect(notes.release).toEqual({
      id: 'REL-2026.12',
      title: 'December release',
      version: '2026.12.0',
      type: 'minor',
      status: 'planned',
      schedule: window,
    });
    expect(notes.ready).toBe(true);
    expect(notes.changes[1]).toEqual({
      id: 'CHG-0043',
      title: 'Rotate the keys',
      type: 'normal',
      status: 'approved',
      cis: ['vault', 'payments-api'],
      requester: 'octocat',
      pullRequest: 41,
      merged: true,
    });
    expect(notes.changes[0]!.risk).toBeUndefined();
  });

  it('marks a change that is not on main instead of inventing its facts', () => {
    const notes = releaseNotesOf(assess({ timelines: branch(null) }));
    expect(notes.ready).toBe(false);
    expect(notes.changes[1]).toEqual({ id: 'CHG-0043', cis: [], merged: false });
    expect(notes.reasons).toEqual([
      'CHG-0043 is not on main; it must be merged and approved before REL-2026.12 is ready',
    ]);
  });
});
