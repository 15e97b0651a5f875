import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../../../src/records/schemas.js';
import {
  proposeRecordUpdate,
  type RecordUpdateFacts,
} from '../../../src/problems/record-update.js';

const root = join(import.meta.dirname, '../../..');
const path = 'changes/CHG-0007-pgbouncer-payments.yaml';
const chg7 = readFileSync(join(root, path), 'utf8');

const success: RecordUpdateFacts = {
  changeId: 'CHG-0007',
  outcome: 'success',
  date: '2027-02-09T23:41:00Z',
  runUrl: 'https://github.com/acme/shop/actions/runs/123',
};
const failure: RecordUpdateFacts = {
  changeId: 'CHG-0007',
  outcome: 'failure',
  date: '2027-02-09T23:41:00Z',
  problemIssue: 124,
  runUrl: 'https://github.com/acme/shop/actions/runs/123',
};

/** The lines that differ, as `-old` / `+new`, for texts that differ in one place. */
function diff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return [
    ...a.slice(head, a.length - tail).map((line) => `-${line}`),
    ...b.slice(head, b.length - tail).map((line) => `+${line}`),
  ];
}

const record = (status: string, extra = '') => `# the change record
apiVersion: changeops/v1
kind: Change
id: CHG-0042
title: Upgrade the payments database
type: normal
status: ${status}
requester: octocat
cis: [pg-payments]
${extra}`;

describe('proposeRecordUpdate', () => {
  it('moves an approved change to implemented and records the review, changing nothing else', () => {
    const update = proposeRecordUpdate({ path, text: chg7 }, success);
    expect(update.kind).toBe('updated');
    if (update.kind !== 'updated') return;
    expect(update).toMatchObject({ from: 'approved', to: 'implemented' });
    expect(diff(chg7, update.text)).toEqual([
      '-status: approved',
      '+status: implemented',
      '+review:',
      '+  outcome: success',
      '+  date: 2027-02-09T23:41:00Z',
      '+  run: "https://github.com/acme/shop/actions/runs/123"',
    ]);
    // The modeline comment, the folded reason, flow mappings and the checks are as they were.
    expect(
      update.text.startsWith('# yaml-language-server: $schema=../schemas/change.schema.json\n'),
    ).toBe(true);
    const data = YAML.parse(update.text) as unknown;
    expect(schemaErrors('Change', data)).toEqual([]);
  });

  it('moves an approved change to failed and records the problem issue', () => {
    const update = proposeRecordUpdate({ path, text: chg7 }, failure);
    expect(update.kind).toBe('updated');
    if (update.kind !== 'updated') return;
    expect(diff(chg7, update.text)).toEqual([
      '-status: approved',
      '+status: failed',
      '+review:',
      '+  outcome: failure',
      '+  date: 2027-02-09T23:41:00Z',
      '+  problemIssue: "#124"',
      '+  run: "https://github.com/acme/shop/actions/runs/123"',
    ]);
    expect(update.review).toEqual({
      outcome: 'failure',
      date: '2027-02-09T23:41:00Z',
      problemIssue: '#124',
      run: 'https://github.com/acme/shop/actions/runs/123',
    });
    expect(schemaErrors('Change', YAML.parse(update.text))).toEqual([]);
  });

  it('keeps the quotes and the comment of the status line', () => {
    const text = record('"approved"   # approved by the CAB on 2026-12-01');
    const update = proposeRecordUpdate(
      { path: 'changes/CHG-0042.yaml', text },
      { ...success, changeId: 'CHG-0042' },
    );
    if (update.kind !== 'updated') throw new Error(JSON.stringify(update));
    expect(diff(text, update.text)).toEqual([
      '-status: "approved"   # approved by the CAB on 2026-12-01',
      '+status: "implemented"   # approved by the CAB on 2026-12-01',
      '+review:',
      '+  outcome: success',
      '+  date: 2027-02-09T23:41:00Z',
      '+  run: "https://github.com/acme/shop/actions/runs/123"',
    ]);
  });

  it('keeps CRLF line endings', () => {
    const text = record('approved').replace(/\n/g, '\r\n');
    const update = proposeRecordUpdate(
      { path: 'changes/CHG-0042.yaml', text },
      { ...failure, changeId: 'CHG-0042' },
    );
    if (update.kind !== 'updated') throw new Error(JSON.stringify(update));
    expect(update.text).toContain('status: failed\r\nreview:\r\n  outcome: failure\r\n');
    expect(update.text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('indents the review as the record indents its other mappings', () => {
    const text = record('approved', 'plan:\n    backout: Revert.\n');
    const update = proposeRecordUpdate(
      { path: 'x.yaml', text },
      { ...success, changeId: 'CHG-0042', runUrl: undefined },
    );
    if (update.kind !== 'updated') throw new Error(JSON.stringify(update));
    expect(update.text).toContain(
      'review:\n    outcome: success\n    date: 2027-02-09T23:41:00Z\nrequester:',
    );
  });

  it('edits a status on the last line of a file without a final newline', () => {
    const text =
      'apiVersion: changeops/v1\nkind: Change\nid: CHG-0042\ntitle: x y z\ntype: normal\nrequester: octocat\ncis: [a]\nstatus: approved';
    const update = proposeRecordUpdate(
      { path: 'x.yaml', text },
      { ...success, changeId: 'CHG-0042', runUrl: undefined },
    );
    if (update.kind !== 'updated') throw new Error(JSON.stringify(update));
    expect(
      update.text.endsWith(
        'status: implemented\nreview:\n  outcome: success\n  date: 2027-02-09T23:41:00Z\n',
      ),
    ).toBe(true);
  });

  it('edits only its own record in a file that holds several', () => {
    const other =
      '---\napiVersion: changeops/v1\nkind: Change\nid: CHG-0043\nstatus: approved   # untouched\n';
    const text = record('approved') + other;
    const update = proposeRecordUpdate(
      { path: 'x.yaml', text },
      { ...success, changeId: 'CHG-0042' },
    );
    if (update.kind !== 'updated') throw new Error(JSON.stringify(update));
    expect(update.text.endsWith(other)).toBe(true);
    expect(update.text).toContain('status: implemented\n');
  });

  it('replaces an earlier review when an implemented change later fails', () => {
    const checks = 'checks:\n  - name: db-ping\n    run: ./ping\n';
    const text = record(
      'implemented',
      `review:\n  outcome: success   # first verify\n  date: 2027-02-01T00:00:00Z\n${checks}`,
    );
    const update = proposeRecordUpdate(
      { path: 'x.yaml', text },
      { ...failure, changeId: 'CHG-0042', runUrl: undefined },
    );
    if (update.kind !== 'updated') throw new Error(JSON.stringify(update));
    expect(update).toMatchObject({ from: 'implemented', to: 'failed' });
    expect(update.text).toBe(
      record(
        'failed',
        `review:\n  outcome: failure\n  date: 2027-02-09T23:41:00Z\n  problemIssue: "#124"\n${checks}`,
      ),
    );
  });

  it('leaves a record that already says so alone (a re-run after the update was merged)', () => {
    const first = proposeRecordUpdate({ path, text: chg7 }, failure);
    if (first.kind !== 'updated') throw new Error(JSON.stringify(first));
    const again = proposeRecordUpdate(
      { path, text: first.text },
      { ...failure, date: '2027-02-10T08:00:00Z' },
    );
    expect(again).toEqual({
      kind: 'unchanged',
      status: 'failed',
      reason: 'CHG-0007 is already failed with this review',
    });
  });

  it.each<[string, string, RecordUpdateFacts, string]>([
    [
      'a change that was never approved',
      record('proposed'),
      { ...success, changeId: 'CHG-0042' },
      'x.yaml:7: CHG-0042 is proposed, which cannot move to implemented (from proposed a change may move to approved, rejected, cancelled, draft)',
    ],
    [
      'a closed change',
      record('closed'),
      { ...failure, changeId: 'CHG-0042' },
      'x.yaml:7: CHG-0042 is closed, which cannot move to failed (from closed a change may move to none: it is final)',
    ],
    [
      'a failed change reported as a success',
      record('failed'),
      { ...success, changeId: 'CHG-0042' },
      'x.yaml:7: CHG-0042 is failed, which cannot move to implemented (from failed a change may move to backed-out, closed, proposed)',
    ],
    [
      'a cancelled deploy',
      record('approved'),
      { ...success, changeId: 'CHG-0042', outcome: 'cancelled' },
      'CHG-0042 is not verified (the deploy was cancelled): its record stays as it is',
    ],
    [
      'a file without the change',
      record('approved'),
      { ...success, changeId: 'CHG-0099' },
      'x.yaml holds no Change CHG-0099',
    ],
    [
      'a file that does not parse',
      'kind: Change\nid: CHG-0042\nstatus: [approved\n',
      { ...success, changeId: 'CHG-0042' },
      'x.yaml does not parse as YAML (line 4)',
    ],
    [
      'a record with a duplicate key',
      record('approved', 'status: proposed\n'),
      { ...success, changeId: 'CHG-0042' },
      'x.yaml does not parse as YAML (line 10): Map keys must be unique',
    ],
    [
      'a record written as one flow mapping',
      '{apiVersion: changeops/v1, kind: Change, id: CHG-0042, status: approved}\n',
      { ...success, changeId: 'CHG-0042' },
      'x.yaml:1: CHG-0042 is written as a flow mapping ({…}); update it by hand',
    ],
    [
      'a status given by an alias',
      'kind: Change\nid: CHG-0042\nx: &s approved\nstatus: *s\n',
      { ...success, changeId: 'CHG-0042' },
      'x.yaml: CHG-0042 has no status to move',
    ],
    [
      'a status changeops does not know',
      record('done'),
      { ...success, changeId: 'CHG-0042' },
      'x.yaml:7: CHG-0042 has the status "done", which changeops does not know',
    ],
  ])('refuses %s, saying why', (_name, text, facts, reason) => {
    const update = proposeRecordUpdate({ path: 'x.yaml', text }, facts);
    expect(update.kind).toBe('refused');
    if (update.kind === 'refused') expect(update.reason.startsWith(reason)).toBe(true);
  });

  it('never lets a hostile status that holds a record break out', () => {
    const text = record('"approved\\nstatus: implemented"');
    const update = proposeRecordUpdate(
      { path: 'x.yaml', text },
      { ...success, changeId: 'CHG-0042' },
    );
    expect(update.kind).toBe('refused');
  });
});
