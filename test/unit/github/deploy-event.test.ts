import { describe, expect, it } from 'vitest';
import { deployFacts, readDeployContext } from '../../../src/github/deploy-event.js';
import { fakeSha } from '../../fakes/github-server.js';
import { pushEvent, workflowDispatchEvent, writeEventFile } from '../../fakes/webhooks.js';

describe('the deploy context', () => {
  it('reads the push: the ref, the default branch, before and after', () => {
    const payload = pushEvent({
      owner: 'acme',
      repo: 'estate',
      before: fakeSha('before'),
      after: fakeSha('after'),
    });
    const context = readDeployContext({
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: writeEventFile(payload),
      GITHUB_REPOSITORY: 'acme/estate',
      GITHUB_SHA: fakeSha('after'),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: '42',
    });
    expect(context).toMatchObject({
      eventName: 'push',
      owner: 'acme',
      repo: 'estate',
      ref: 'refs/heads/main',
      defaultBranch: 'main',
      push: { before: fakeSha('before'), after: fakeSha('after') },
      runId: 42,
    });
  });

  it('has no push on workflow_dispatch, and takes the ref from the payload when the environment lacks it', () => {
    const payload = workflowDispatchEvent({ owner: 'acme', repo: 'estate', ref: 'release' });
    const facts = deployFacts(
      'workflow_dispatch',
      payload as unknown as Record<string, unknown>,
      '',
    );
    expect(facts).toEqual({ ref: 'refs/heads/release', defaultBranch: 'main' });
  });

  it('ignores a push whose shas are not shas', () => {
    expect(
      deployFacts(
        'push',
        { ref: 'refs/heads/main', before: 'HEAD~1', after: '--upload-pack=x' },
        '',
      ),
    ).toEqual({ ref: 'refs/heads/main' });
  });
});
