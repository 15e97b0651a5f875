import { describe, expect, it } from 'vitest';
import {
  changeLifecycle,
  releaseLifecycle,
  statusTransitionRule,
} from '../../../src/rules/status-transition.js';
import { changeYaml, files, releaseYaml, run, seen, type Seen } from '../../fixtures/estate.js';

const onStatus = (id: string, message: string): Seen => ({
  id,
  field: 'status',
  severity: 'error',
  message,
});

describe('status-transition', () => {
  const changeCases: Array<{ from: string; to: string; message?: string }> = [
    { from: 'draft', to: 'proposed' },
    { from: 'proposed', to: 'approved' },
    { from: 'proposed', to: 'draft' },
    { from: 'approved', to: 'implemented' },
    { from: 'approved', to: 'proposed' },
    { from: 'implemented', to: 'closed' },
    { from: 'implemented', to: 'backed-out' },
    { from: 'failed', to: 'proposed' },
    { from: 'backed-out', to: 'closed' },
    { from: 'approved', to: 'approved' },
    {
      from: 'proposed',
      to: 'closed',
      message:
        'the status cannot move from proposed to closed; from proposed a change may move to approved, rejected, cancelled or draft',
    },
    {
      from: 'draft',
      to: 'approved',
      message:
        'the status cannot move from draft to approved; from draft a change may move to proposed or cancelled',
    },
    {
      from: 'approved',
      to: 'backed-out',
      message:
        'the status cannot move from approved to backed-out; from approved a change may move to implemented, failed, cancelled or proposed',
    },
    {
      from: 'closed',
      to: 'proposed',
      message:
        'the change was closed at the base, which is final: it cannot move to proposed; raise a new change instead',
    },
    {
      from: 'rejected',
      to: 'approved',
      message:
        'the change was rejected at the base, which is final: it cannot move to approved; raise a new change instead',
    },
    {
      from: 'cancelled',
      to: 'draft',
      message:
        'the change was cancelled at the base, which is final: it cannot move to draft; raise a new change instead',
    },
  ];

  it.each(changeCases)('change $from -> $to', ({ from, to, message }) => {
    expect(
      seen(statusTransitionRule, {
        base: files(changeYaml('CHG-0001', { status: from })),
        files: files(changeYaml('CHG-0001', { status: to })),
      }),
    ).toEqual(message ? [onStatus('CHG-0001', message)] : []);
  });

  const newChangeCases: Array<{ type: string; status: string; message?: string }> = [
    { type: 'normal', status: 'draft' },
    { type: 'normal', status: 'proposed' },
    {
      type: 'normal',
      status: 'approved',
      message: 'a new normal change must start as draft or proposed, not approved',
    },
    { type: 'emergency', status: 'approved' },
    { type: 'standard', status: 'approved' },
    {
      type: 'emergency',
      status: 'implemented',
      message: 'a new emergency change must start as draft, proposed or approved, not implemented',
    },
    {
      type: 'normal',
      status: 'closed',
      message: 'a new normal change must start as draft or proposed, not closed',
    },
  ];

  it.each(newChangeCases)('new $type change as $status', ({ type, status, message }) => {
    expect(
      seen(statusTransitionRule, {
        base: {},
        files: files(changeYaml('CHG-0001', { type, status })),
      }),
    ).toEqual(message ? [onStatus('CHG-0001', message)] : []);
  });

  it('lets the policy choose the initial statuses of a type', () => {
    const policy =
      'apiVersion: changeops/v1\nkind: Policy\nid: t\nrules:\n  status-transition: {initial: {emergency: [proposed]}}\n';
    expect(
      seen(statusTransitionRule, {
        policy,
        base: {},
        files: files(changeYaml('CHG-0001', { type: 'emergency', status: 'approved' })),
      }),
    ).toEqual([
      onStatus('CHG-0001', 'a new emergency change must start as proposed, not approved'),
    ]);
  });

  const releaseCases: Array<{ from: string; to: string; message?: string }> = [
    { from: 'planned', to: 'testing' },
    { from: 'testing', to: 'approved' },
    { from: 'approved', to: 'deployed' },
    { from: 'deployed', to: 'rolled-back' },
    { from: 'rolled-back', to: 'planned' },
    {
      from: 'planned',
      to: 'deployed',
      message:
        'the status cannot move from planned to deployed; from planned a release may move to testing, approved or closed',
    },
    {
      from: 'closed',
      to: 'planned',
      message:
        'the release was closed at the base, which is final: it cannot move to planned; raise a new release instead',
    },
  ];

  it.each(releaseCases)('release $from -> $to', ({ from, to, message }) => {
    expect(
      seen(statusTransitionRule, {
        base: files(releaseYaml('REL-2027.03', { status: from })),
        files: files(releaseYaml('REL-2027.03', { status: to })),
      }),
    ).toEqual(message ? [onStatus('REL-2027.03', message)] : []);
  });

  it('lets a new release start as planned, not deployed', () => {
    expect(
      seen(statusTransitionRule, {
        base: {},
        files: files(
          releaseYaml('REL-2027.03'),
          releaseYaml('REL-2027.04', { status: 'deployed' }),
        ),
      }),
    ).toEqual([onStatus('REL-2027.04', 'a new minor release must start as planned, not deployed')]);
  });

  it('says nothing without a base', () => {
    expect(
      seen(statusTransitionRule, { files: files(changeYaml('CHG-0001', { status: 'closed' })) }),
    ).toEqual([]);
  });

  it('judges only the records under evaluation', () => {
    expect(
      seen(statusTransitionRule, {
        base: files(changeYaml('CHG-0001', { status: 'proposed' })),
        files: files(changeYaml('CHG-0001', { status: 'closed' })),
        evaluate: [],
      }),
    ).toEqual([]);
  });

  it('points at the status field', () => {
    const [finding] = run(statusTransitionRule, {
      base: files(changeYaml('CHG-0001', { status: 'proposed' })),
      files: files(changeYaml('CHG-0001', { status: 'closed' })),
    });
    expect(finding).toMatchObject({ file: 'changes/CHG-0001.yaml', line: 6, column: 9 });
  });

  it('has a lifecycle entry for every status, and only known statuses as targets', () => {
    for (const lifecycle of [changeLifecycle, releaseLifecycle] as Array<
      Record<string, readonly string[]>
    >)
      for (const targets of Object.values(lifecycle))
        for (const target of targets) expect(Object.keys(lifecycle)).toContain(target);
  });
});
