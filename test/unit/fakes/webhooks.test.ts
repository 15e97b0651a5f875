import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeSha } from '../../fakes/github-model.js';
import {
  actionsEnvironment,
  mergeGroupEvent,
  pullRequestEvent,
  pullRequestReviewSubmittedEvent,
  workflowDispatchEvent,
  writeEventFile,
  type PullRequestScenario,
} from '../../fakes/webhooks.js';

const scenario: PullRequestScenario = {
  owner: 'acme',
  repo: 'estate',
  number: 42,
  headSha: fakeSha('head'),
  baseSha: fakeSha('base'),
  headRef: 'chg-0042',
  baseRef: 'main',
  author: 'alice',
  title: 'CHG-0042',
};

describe('pull_request events', () => {
  it('describes the scenario’s pull request, repository and author', () => {
    const event = pullRequestEvent('opened', scenario);

    expect(event).toMatchObject({
      action: 'opened',
      number: 42,
      repository: { full_name: 'acme/estate', owner: { login: 'acme', type: 'Organization' } },
      organization: { login: 'acme' },
      sender: { login: 'alice' },
      pull_request: {
        number: 42,
        title: 'CHG-0042',
        user: { login: 'alice', type: 'User' },
        head: { sha: fakeSha('head'), ref: 'chg-0042', label: 'acme:chg-0042' },
        base: { sha: fakeSha('base'), ref: 'main', repo: { full_name: 'acme/estate' } },
        url: 'https://api.github.com/repos/acme/estate/pulls/42',
        statuses_url: `https://api.github.com/repos/acme/estate/statuses/${fakeSha('head')}`,
      },
    });
    expect(event).not.toHaveProperty('installation');
  });

  it('leaves nothing of the example repository or its people behind', () => {
    const text = JSON.stringify(pullRequestEvent('opened', scenario));

    expect(text).not.toContain('Hello-World');
    expect(text).not.toMatch(/"login":"Codertocat"/);
  });

  it('carries before and after on synchronize, and a fork as the head repository', () => {
    const event = pullRequestEvent(
      'synchronize',
      { ...scenario, headRepo: 'mallory/estate', installationId: 7 },
      { before: fakeSha('previous') },
    );

    expect(event.before).toBe(fakeSha('previous'));
    expect(event.after).toBe(fakeSha('head'));
    expect(event.installation).toMatchObject({ id: 7 });
    expect(event.pull_request.head.repo).toMatchObject({ full_name: 'mallory/estate', fork: true });
    expect(event.pull_request.head.label).toBe('mallory:chg-0042');
  });
});

describe('other events', () => {
  it('builds a submitted review from the reviewer, on the head commit by default', () => {
    const event = pullRequestReviewSubmittedEvent(scenario, { user: 'bob', state: 'approved' });

    expect(event).toMatchObject({
      action: 'submitted',
      sender: { login: 'bob' },
      review: { user: { login: 'bob' }, state: 'approved', commit_id: fakeSha('head') },
      pull_request: { number: 42, user: { login: 'alice' } },
    });
  });

  it('builds a merge group with a gh-readonly-queue ref and no pull request', () => {
    const event = mergeGroupEvent({
      owner: 'acme',
      repo: 'estate',
      headSha: fakeSha('queue'),
      baseSha: fakeSha('base'),
      prNumber: 42,
    });

    expect(event.merge_group).toMatchObject({
      head_sha: fakeSha('queue'),
      head_ref: `refs/heads/gh-readonly-queue/main/pr-42-${fakeSha('base')}`,
      base_ref: 'refs/heads/main',
    });
    expect(event).not.toHaveProperty('pull_request');
  });

  it('builds a workflow_dispatch with its inputs', () => {
    const event = workflowDispatchEvent({
      owner: 'acme',
      repo: 'estate',
      inputs: { change: 'CHG-0042' },
    });

    expect(event).toMatchObject({ ref: 'refs/heads/main', inputs: { change: 'CHG-0042' } });
  });
});

describe('the run environment', () => {
  it('points GITHUB_SHA of a pull_request run at the merge commit, not the head', () => {
    const payload = pullRequestEvent('opened', { ...scenario, mergeCommitSha: fakeSha('merge') });
    const path = writeEventFile(payload);

    const env = actionsEnvironment({
      eventName: 'pull_request',
      payload,
      eventPath: path,
      apiUrl: 'http://127.0.0.1:1',
    });

    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(payload);
    expect(env).toMatchObject({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: path,
      GITHUB_REPOSITORY: 'acme/estate',
      GITHUB_SHA: fakeSha('merge'),
      GITHUB_REF: 'refs/pull/42/merge',
      GITHUB_REF_NAME: '42/merge',
      GITHUB_HEAD_REF: 'chg-0042',
      GITHUB_BASE_REF: 'main',
      GITHUB_API_URL: 'http://127.0.0.1:1',
    });
  });

  it('points GITHUB_SHA of a pull_request_target run at the base', () => {
    const payload = pullRequestEvent('opened', scenario);

    const env = actionsEnvironment({
      eventName: 'pull_request_target',
      payload,
      eventPath: 'e.json',
      apiUrl: 'x',
    });

    expect(env).toMatchObject({ GITHUB_SHA: fakeSha('base'), GITHUB_REF: 'refs/heads/main' });
  });
});
