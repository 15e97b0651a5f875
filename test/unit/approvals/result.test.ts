import { describe, expect, it } from 'vitest';
import { allOf, commitStateOf, outcomeOf, type NodeStatus } from '../../../src/approvals/result.js';

describe('combining requirements that must all hold', () => {
  it.each<[string, NodeStatus[], NodeStatus]>([
    ['nothing to approve is skipped', [], 'skipped'],
    ['skipped rules do not approve anything', ['skipped', 'skipped'], 'skipped'],
    ['one approval and skipped rules approve', ['skipped', 'approved'], 'approved'],
    ['one pending requirement keeps it pending', ['approved', 'pending', 'approved'], 'pending'],
    [
      'one disapproval blocks whatever else is approved',
      ['approved', 'disapproved', 'pending'],
      'disapproved',
    ],
    ['an error wins over a block', ['disapproved', 'error', 'approved'], 'error'],
    ['an error wins over approvals', ['approved', 'error'], 'error'],
  ])('%s', (_name, statuses, expected) => {
    expect(allOf(statuses)).toBe(expected);
  });
});

describe('the status GitHub shows and the action output', () => {
  it.each<[NodeStatus, string, string]>([
    ['skipped', 'success', 'approved'],
    ['approved', 'success', 'approved'],
    ['pending', 'pending', 'pending'],
    ['disapproved', 'failure', 'blocked'],
    ['error', 'error', 'error'],
  ])('a %s root is a %s status and %s', (status, state, outcome) => {
    expect(commitStateOf(status)).toBe(state);
    expect(outcomeOf(status)).toBe(outcome);
  });
});
