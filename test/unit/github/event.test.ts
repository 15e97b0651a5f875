import { describe, expect, it } from 'vitest';
import { EventError } from '../../../src/github/errors/event-error.js';
import {
  assertSupportedEvent,
  parseRunContext,
  readRunContext,
} from '../../../src/github/event.js';
import { fakeSha } from '../../fakes/github-server.js';
import {
  actionsEnvironment,
  mergeGroupEvent,
  pullRequestEvent,
  workflowDispatchEvent,
  writeEventFile,
  type PullRequestScenario,
} from '../../fakes/webhooks.js';

const run = {
  owner: 'acme',
  repo: 'estate',
  sha: fakeSha('merge'),
  runId: 42,
  serverUrl: 'https://github.com',
};

const scenario = (extra: Partial<PullRequestScenario> = {}): PullRequestScenario => ({
  owner: 'acme',
  repo: 'estate',
  number: 7,
  headSha: fakeSha('head'),
  baseSha: fakeSha('base'),
  headRef: 'chg-0042',
  baseRef: 'main',
  author: 'alice',
  ...extra,
});

const asPayload = (event: unknown) => event as Record<string, unknown>;

describe('parseRunContext', () => {
  it('reads the pull request of a pull_request event: numbers, shas, refs, author', () => {
    const context = parseRunContext(
      'pull_request',
      asPayload(pullRequestEvent('synchronize', scenario())),
      run,
    );
    expect(context).toEqual({
      eventName: 'pull_request',
      ...run,
      action: 'synchronize',
      pullRequest: {
        number: 7,
        headSha: fakeSha('head'),
        headRef: 'chg-0042',
        baseSha: fakeSha('base'),
        baseRef: 'main',
        author: 'alice',
        fromFork: false,
        headRepository: 'acme/estate',
      },
    });
  });

  it('knows a pull request from a fork, whose token is read-only', () => {
    const payload = pullRequestEvent('opened', scenario({ headRepo: 'mallory/estate' }));
    expect(parseRunContext('pull_request', asPayload(payload), run).pullRequest?.fromFork).toBe(
      true,
    );
  });

  it("reads a merge queue group's base and head", () => {
    const payload = mergeGroupEvent({
      owner: 'acme',
      repo: 'estate',
      baseSha: fakeSha('base'),
      headSha: fakeSha('group'),
      prNumber: 7,
    });
    const context = parseRunContext('merge_group', asPayload(payload), run);
    expect(context.pullRequest).toBeUndefined();
    expect(context.mergeGroup).toEqual({
      baseSha: fakeSha('base'),
      headSha: fakeSha('group'),
      headRef: `refs/heads/gh-readonly-queue/main/pr-7-${fakeSha('base')}`,
    });
  });

  it('finds neither a pull request nor a queue in a workflow_dispatch event', () => {
    const payload = workflowDispatchEvent({ owner: 'acme', repo: 'estate' });
    expect(parseRunContext('workflow_dispatch', asPayload(payload), run)).toEqual({
      eventName: 'workflow_dispatch',
      ...run,
    });
  });
});

describe('readRunContext', () => {
  it('reads the runner environment and the event file as GitHub writes them', () => {
    const payload = pullRequestEvent('opened', scenario());
    const env = actionsEnvironment({
      eventName: 'pull_request',
      payload,
      eventPath: writeEventFile(payload),
      apiUrl: 'http://127.0.0.1:1',
      sha: fakeSha('merge'),
    });
    const context = readRunContext(env);
    expect(context).toMatchObject({
      eventName: 'pull_request',
      owner: 'acme',
      repo: 'estate',
      sha: fakeSha('merge'),
      runId: 1234567890,
      pullRequest: { number: 7, baseSha: fakeSha('base') },
    });
  });

  it('says which file it could not read', () => {
    expect(() =>
      readRunContext({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: '/nonexistent/event.json',
      }),
    ).toThrow(/^cannot read the event payload at GITHUB_EVENT_PATH: ENOENT/);
  });
});

describe('assertSupportedEvent', () => {
  it('lets check run on a pull request', () => {
    expect(() =>
      assertSupportedEvent('check', { eventName: 'pull_request', ...run }),
    ).not.toThrow();
  });

  it('says which events check runs on, and what to add to the workflow', () => {
    const assert = () => assertSupportedEvent('check', { eventName: 'push', ...run });
    expect(assert).toThrow(EventError);
    expect(assert).toThrow(
      'changeops check runs on pull_request, pull_request_target, merge_group, workflow_dispatch; this run was triggered by "push". Add "on: [pull_request, pull_request_target]" to the workflow, or pick the command that fits this event.',
    );
  });
});
