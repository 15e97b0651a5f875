import { describe, expect, it } from 'vitest';
import { approvalOf, standingOf } from '../../../src/report/standing.js';
import {
  buildTimelines,
  carriedBy,
  maxSkippedListed,
  pullRequestsOf,
  type ChangeTimeline,
} from '../../../src/report/timeline.js';
import { change, historyOf, release } from './history-builder.js';

const statusesOf = (timeline: ChangeTimeline | undefined) =>
  timeline?.statuses.map((s) => `${s.commit.date.slice(0, 10)} ${s.from ?? '-'} -> ${s.status}`);
const presenceOf = (timeline: ChangeTimeline | undefined) =>
  timeline?.presence.map((p) => `${p.commit.date.slice(0, 10)} ${p.present ? 'in' : 'out'}`);

describe('buildTimelines', () => {
  it('records each move to a status with the commit that made it, and a version per content change', () => {
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1') } },
        {
          date: '2026-01-02T00:00:00Z',
          files: { 'changes/CHG-1.yaml': change('CHG-1', { title: 'Reworded' }) },
        },
        {
          date: '2026-01-03T00:00:00Z',
          subject: 'Approve (#7)',
          files: {
            'changes/CHG-1.yaml': change('CHG-1', { title: 'Reworded', status: 'approved' }),
          },
        },
        // The same content written again is no new version.
        {
          date: '2026-01-04T00:00:00Z',
          files: {
            'changes/CHG-1.yaml': `# a comment\n${change('CHG-1', { title: 'Reworded', status: 'approved' })}`,
          },
        },
      ]),
    );
    const timeline = timelines.changes.get('CHG-1')!;
    expect(statusesOf(timeline)).toEqual([
      '2026-01-01 - -> proposed',
      '2026-01-03 proposed -> approved',
    ]);
    expect(timeline.versions.map((v) => v.commit.date.slice(0, 10))).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
    ]);
    expect(timeline.statuses[1]).toMatchObject({ version: 2, commit: { pullRequest: 7 } });
    expect(timeline.addedBeforeHistory).toBe(false);
    expect(timeline.statuses[0]!.knownSince).toBeUndefined();
  });

  it('follows a record by id through a rename and a move to another file', () => {
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1') } },
        {
          date: '2026-01-02T00:00:00Z',
          files: { 'changes/CHG-1-pg.yaml': change('CHG-1') },
          renames: { 'changes/CHG-1-pg.yaml': 'changes/CHG-1.yaml' },
        },
        // Moved into a bundle file in one commit: deleted here, written there.
        {
          date: '2026-01-03T00:00:00Z',
          files: {
            'changes/CHG-1-pg.yaml': null,
            'changes/bundle.yaml': `${change('CHG-1', { status: 'approved' })}---\n${change('CHG-2')}`,
          },
        },
      ]),
    );
    const timeline = timelines.changes.get('CHG-1')!;
    expect(presenceOf(timeline)).toEqual(['2026-01-01 in']);
    expect(timeline.versions.map((v) => v.path)).toEqual([
      'changes/CHG-1.yaml',
      'changes/CHG-1-pg.yaml',
      'changes/bundle.yaml',
    ]);
    expect(statusesOf(timeline)).toEqual([
      '2026-01-01 - -> proposed',
      '2026-01-03 proposed -> approved',
    ]);
    expect(timelines.changes.get('CHG-2')!.addedBeforeHistory).toBe(false);
  });

  it('gives only the record that changed a new version in a file of several', () => {
    const bundle = (second: string) =>
      `${change('CHG-1')}---\n${change('CHG-2', { status: second })}---\n${release('REL-1', { changes: ['CHG-1', 'CHG-2'] })}`;
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/bundle.yaml': bundle('proposed') } },
        { date: '2026-01-02T00:00:00Z', files: { 'changes/bundle.yaml': bundle('approved') } },
      ]),
    );
    expect(timelines.changes.get('CHG-1')!.versions).toHaveLength(1);
    expect(timelines.changes.get('CHG-2')!.versions).toHaveLength(2);
    expect(timelines.releases.get('REL-1')!.versions).toHaveLength(1);
    expect(timelines.releases.get('REL-1')!.versions[0]!.facts.changes).toEqual(['CHG-1', 'CHG-2']);
  });

  it('marks a record removed when no file holds it, and present again when one does', () => {
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1') } },
        { date: '2026-01-02T00:00:00Z', files: { 'changes/CHG-1.yaml': null } },
        { date: '2026-01-03T00:00:00Z', files: { 'changes/CHG-1-again.yaml': change('CHG-1') } },
        {
          date: '2026-01-04T00:00:00Z',
          files: { 'changes/CHG-1-again.yaml': `${change('CHG-2')}` },
        },
      ]),
    );
    const timeline = timelines.changes.get('CHG-1')!;
    expect(presenceOf(timeline)).toEqual([
      '2026-01-01 in',
      '2026-01-02 out',
      '2026-01-03 in',
      '2026-01-04 out',
    ]);
    // Back with the same content (and another path): a new version for the path only.
    expect(timeline.versions.map((v) => v.path)).toEqual([
      'changes/CHG-1.yaml',
      'changes/CHG-1-again.yaml',
    ]);
    expect(standingOf(timeline)).toMatchObject({
      outcome: 'removed',
      decidedBy: { date: '2026-01-04T00:00:00Z' },
    });
  });

  it('skips and counts a version that does not parse, and keeps the record as it was', () => {
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1') } },
        {
          date: '2026-01-02T00:00:00Z',
          files: { 'changes/CHG-1.yaml': 'id: CHG-1\nstatus: [approved\n' },
        },
        {
          date: '2026-01-03T00:00:00Z',
          files: { 'changes/CHG-1.yaml': change('CHG-1', { status: 'approved' }) },
        },
      ]),
    );
    const timeline = timelines.changes.get('CHG-1')!;
    expect(presenceOf(timeline)).toEqual(['2026-01-01 in']);
    expect(statusesOf(timeline)).toEqual([
      '2026-01-01 - -> proposed',
      '2026-01-03 proposed -> approved',
    ]);
    expect(timelines.skippedCount).toBe(1);
    expect(timelines.skipped[0]).toMatchObject({
      path: 'changes/CHG-1.yaml',
      date: '2026-01-02T00:00:00Z',
      line: expect.any(Number),
      reason: expect.stringMatching(/^the file is not valid YAML/),
    });
  });

  it.each([
    ['a status no lifecycle knows', { status: 'done' }, 'CHG-1 has no known status'],
    ['a type no policy knows', { type: 'urgent' }, 'CHG-1 has no known type'],
    ['a status that is not text', { status: ['approved'] }, 'CHG-1 has no known status'],
  ])('skips a version with %s, and the record stays on the branch', (_, fields, reason) => {
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1') } },
        { date: '2026-01-02T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1', fields) } },
      ]),
    );
    const timeline = timelines.changes.get('CHG-1')!;
    expect(timeline.versions).toHaveLength(1);
    expect(presenceOf(timeline)).toEqual(['2026-01-01 in']);
    expect(timelines.skipped).toEqual([
      {
        sha: expect.any(String),
        date: '2026-01-02T00:00:00Z',
        path: 'changes/CHG-1.yaml',
        id: 'CHG-1',
        reason,
      },
    ]);
  });

  it('skips a version the parser cannot take, such as a self-referencing alias', () => {
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1') } },
        {
          date: '2026-01-02T00:00:00Z',
          files: { 'changes/CHG-1.yaml': `${change('CHG-1', { status: 'approved' })}x: &a [*a]\n` },
        },
      ]),
    );
    expect(statusesOf(timelines.changes.get('CHG-1'))).toEqual(['2026-01-01 - -> proposed']);
    expect(timelines.skippedCount).toBe(1);
    // The parser reports the alias at its line (it used to overflow the stack).
    expect(timelines.skipped[0]).toMatchObject({
      line: expect.any(Number),
      reason:
        'the alias *a stands inside the value it names (&a), which would make the data contain itself; write the values out',
    });
  });

  it('keeps every record of a file when a document of it lost its id', () => {
    const timelines = buildTimelines(
      historyOf([
        {
          date: '2026-01-01T00:00:00Z',
          files: { 'changes/bundle.yaml': `${change('CHG-1')}---\n${change('CHG-2')}` },
        },
        {
          date: '2026-01-02T00:00:00Z',
          files: {
            'changes/bundle.yaml': `${change('CHG-1')}---\nkind: Change\nstatus: approved\n`,
          },
        },
      ]),
    );
    expect(presenceOf(timelines.changes.get('CHG-2'))).toEqual(['2026-01-01 in']);
    expect(timelines.skipped.map((s) => s.reason)).toEqual(['the change has no id']);
  });

  it('dates records first seen at a shallow boundary, or in a file never seen added, as known since', () => {
    const timelines = buildTimelines(
      historyOf([
        {
          date: '2026-01-01T00:00:00Z',
          boundary: true,
          files: { 'changes/CHG-1.yaml': change('CHG-1', { status: 'approved' }) },
        },
        {
          date: '2026-01-02T00:00:00Z',
          files: { 'changes/CHG-1.yaml': change('CHG-1', { status: 'implemented' }) },
        },
      ]),
    );
    const timeline = timelines.changes.get('CHG-1')!;
    expect(timeline.addedBeforeHistory).toBe(true);
    expect(timeline.statuses.map((s) => [s.status, s.knownSince ?? false])).toEqual([
      ['approved', true],
      ['implemented', false],
    ]);
    // A record first seen in a modified file, the history cut by since:
    const cut = historyOf([
      { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-2.yaml': change('CHG-2') } },
    ]);
    cut.commits[0]!.files[0]!.status = 'modified';
    expect(buildTimelines(cut).changes.get('CHG-2')!.addedBeforeHistory).toBe(true);
  });

  it('counts a broken first version of a file as seen, so the first good one is an addition', () => {
    const timelines = buildTimelines(
      historyOf([
        { date: '2026-01-01T00:00:00Z', files: { 'changes/CHG-1.yaml': 'id: [\n' } },
        { date: '2026-01-02T00:00:00Z', files: { 'changes/CHG-1.yaml': change('CHG-1') } },
      ]),
    );
    expect(timelines.changes.get('CHG-1')!.addedBeforeHistory).toBe(false);
  });

  it('keeps one version when two files hold the same id in one commit', () => {
    const timelines = buildTimelines(
      historyOf([
        {
          date: '2026-01-01T00:00:00Z',
          files: {
            'changes/a.yaml': change('CHG-1'),
            'changes/b.yaml': change('CHG-1', { status: 'approved' }),
          },
        },
        { date: '2026-01-02T00:00:00Z', files: { 'changes/b.yaml': null } },
      ]),
    );
    const timeline = timelines.changes.get('CHG-1')!;
    expect(timeline.versions).toHaveLength(1);
    expect(statusesOf(timeline)).toEqual(['2026-01-01 - -> approved']);
    // a.yaml still holds it.
    expect(presenceOf(timeline)).toEqual(['2026-01-01 in']);
  });

  it('keeps the versions of the policy apart, for evaluations at a past commit', () => {
    const timelines = buildTimelines(
      historyOf([
        {
          date: '2026-01-01T00:00:00Z',
          files: { 'changeops.yaml': 'kind: Policy\n', 'changes/CHG-1.yaml': change('CHG-1') },
        },
        { date: '2026-01-02T00:00:00Z', files: { 'changeops.yaml': null } },
      ]),
    );
    expect(timelines.policy.map((p) => [p.path, p.text ?? null, p.deleted ?? false])).toEqual([
      ['changeops.yaml', 'kind: Policy\n', false],
      ['changeops.yaml', null, true],
    ]);
    expect(timelines.changes.size).toBe(1);
  });

  it(`lists the first ${maxSkippedListed} skipped versions and counts them all`, () => {
    const specs = Array.from({ length: 250 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      files: { [`changes/CHG-${i}.yaml`]: 'status: [\n' },
    }));
    const timelines = buildTimelines(historyOf(specs));
    expect(timelines.skipped).toHaveLength(maxSkippedListed);
    expect(timelines.skippedCount).toBe(250);
  });

  it('names the pull request that carried a change: its approval, else its addition', () => {
    const timelines = buildTimelines(
      historyOf([
        {
          date: '2026-01-01T00:00:00Z',
          subject: 'Add (#3)',
          files: { 'changes/A.yaml': change('CHG-A') },
        },
        {
          date: '2026-01-02T00:00:00Z',
          subject: 'Merge pull request #9 from acme/approve',
          files: {
            'changes/A.yaml': change('CHG-A', { status: 'approved' }),
            'changes/B.yaml': change('CHG-B'),
          },
        },
        { date: '2026-01-03T00:00:00Z', files: { 'changes/C.yaml': change('CHG-C') } },
      ]),
    );
    expect(carriedBy(timelines.changes.get('CHG-A')!)).toBe(9);
    expect(carriedBy(timelines.changes.get('CHG-B')!)).toBe(9);
    expect(carriedBy(timelines.changes.get('CHG-C')!)).toBeUndefined();
    expect(pullRequestsOf(timelines.changes.get('CHG-A')!)).toEqual([3, 9]);
  });
});

describe('standingOf', () => {
  const run = (...statuses: string[]) =>
    buildTimelines(
      historyOf(
        statuses.map((status, day) => ({
          date: `2026-01-0${day + 1}T00:00:00Z`,
          files: { 'changes/CHG-1.yaml': change('CHG-1', { status }) },
        })),
      ),
    ).changes.get('CHG-1')!;

  it.each([
    [['proposed'], 'proposed', '2026-01-01'],
    [['proposed', 'approved', 'implemented'], 'implemented', '2026-01-03'],
    // A close keeps the outcome it closes, decided when that outcome was reached.
    [['proposed', 'approved', 'implemented', 'closed'], 'implemented', '2026-01-03'],
    [['proposed', 'approved', 'implemented', 'backed-out', 'closed'], 'backed-out', '2026-01-04'],
    // A failure planned again stays the outcome until a new one.
    [['proposed', 'approved', 'failed', 'proposed', 'approved'], 'failed', '2026-01-03'],
    [
      ['proposed', 'approved', 'failed', 'proposed', 'approved', 'implemented'],
      'implemented',
      '2026-01-06',
    ],
    [['proposed', 'rejected'], 'rejected', '2026-01-02'],
    // Added closed, with no outcome on the branch: closed, as it stands.
    [['closed'], 'closed', '2026-01-01'],
  ])('%j stands as %s, decided on %s', (statuses, outcome, date) => {
    const standing = standingOf(run(...statuses));
    expect(standing?.outcome).toBe(outcome);
    expect(standing?.decidedBy.date.slice(0, 10)).toBe(date);
  });

  it('stands as the branch said just before the instant asked', () => {
    const timeline = run('proposed', 'approved', 'implemented');
    expect(standingOf(timeline, Date.parse('2026-01-03T00:00:00Z'))?.outcome).toBe('approved');
    expect(standingOf(timeline, Date.parse('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it.each([
    [['proposed', 'approved', 'implemented'], '2026-01-02'],
    // Sent back and approved again: the approval it went ahead on is the second.
    [
      ['proposed', 'approved', 'proposed', 'approved', 'failed', 'proposed', 'approved'],
      '2026-01-04',
    ],
    [['proposed', 'approved', 'proposed', 'approved'], '2026-01-04'],
    [['proposed'], undefined],
  ])('%j went ahead on the approval of %s', (statuses, date) => {
    expect(approvalOf(run(...statuses))?.commit.date.slice(0, 10)).toBe(date);
  });
});
