import { describe, expect, it } from 'vitest';
import {
  recordUpdateBranch,
  renderRecordUpdatePullRequest,
  renderRevertPullRequest,
  revertBranch,
} from '../../../src/problems/pull-requests.js';
import { ZERO_WIDTH_SPACE as z } from '../../../src/render/markdown.js';

const run = { id: 123, url: 'https://github.com/acme/shop/actions/runs/123' };
const hostileTitle = '# Take over @acme/admins [click](https://evil.example) <!-- x -->';

describe('the proposed pull requests', () => {
  it('name their branches after the change and the outcome, so a re-run finds them', () => {
    expect(recordUpdateBranch('CHG-0042', 'failed')).toBe('changeops/verify/CHG-0042-failed');
    expect(recordUpdateBranch('CHG-0042', 'implemented')).toBe(
      'changeops/verify/CHG-0042-implemented',
    );
    expect(revertBranch('CHG-0042')).toBe('changeops/revert/CHG-0042');
    expect(() => revertBranch('CHG-0042:refs/heads/main')).toThrow(RangeError);
  });

  it('describe the record update, with the title inert and the problem issue live', () => {
    const proposal = renderRecordUpdatePullRequest({
      changeId: 'CHG-0042',
      title: hostileTitle,
      file: 'changes/CHG-0042.yaml',
      from: 'approved',
      to: 'failed',
      review: { outcome: 'failure', date: '2027-02-09T23:41:00Z', problemIssue: '#124' },
      run,
    });
    expect(proposal.body.split('\n')[0]).toBe('<!-- changeops:record-update change=CHG-0042 -->');
    expect(proposal.body).toContain('from **approved** to **failed**');
    expect(proposal.body).toContain('- problem issue: #124');
    expect(proposal.body).toContain(`@${z}acme`);
    expect(proposal.body).not.toContain('](https://evil');
    expect(proposal.body.match(/<!--/g)).toHaveLength(1);
    expect(proposal.title).toBe('CHG-0042: record the post-implementation review (failed)');
    expect(proposal.commitMessage.split('\n')[0]).toBe(
      'CHG-0042: failed after implementation (problem #124)',
    );
  });

  it('describe the revert: which commit, which pull request, what failed, what is kept', () => {
    const proposal = renderRevertPullRequest({
      changeId: 'CHG-0042',
      title: hostileTitle,
      mergeCommit: 'f'.repeat(40),
      pullRequest: 7,
      run,
      reasons: ['payments-health exited with code 3'],
      kept: ['changes/CHG-0042.yaml'],
      problemIssue: 124,
    });
    expect(proposal.branch).toBe('changeops/revert/CHG-0042');
    expect(proposal.body).toContain(
      'Reverts `ffffffffffff` (merged in #7), which implemented `CHG-0042`',
    );
    expect(proposal.body).toContain('payments-health exited with code 3. Problem #124 tracks it.');
    expect(proposal.body).toContain('left as they are (`changes/CHG-0042.yaml`)');
    expect(proposal.body).not.toMatch(/^# Take over/m);
    expect(proposal.commitMessage).toContain(`This reverts commit ${'f'.repeat(40)} of #7`);
  });
});
