import { describe, expect, it } from 'vitest';
import { parseStatus } from '../../../src/git/status.js';

const sha = 'a'.repeat(40);
const hashes = `${'b'.repeat(40)} ${'c'.repeat(40)}`;

describe('parseStatus', () => {
  it('reads every kind of entry of `git status --porcelain=v2 -z`, names with spaces kept whole', () => {
    const output = [
      `# branch.oid ${sha}`,
      '# branch.head feature',
      `1 .M N... 100644 100644 100644 ${hashes} cmdb/a b.yaml`,
      `1 A. N... 000000 100644 100644 ${hashes} changes/new.yaml`,
      `1 .D N... 100644 100644 000000 ${hashes} changes/gone.yaml`,
      `1 .T N... 100644 100644 120000 ${hashes} cmdb/now-a-link.yaml`,
      `2 R. N... 100644 100644 100644 ${hashes} R100 cmdb/moved here.yaml`,
      'cmdb/was here.yaml',
      `2 C. N... 100644 100644 100644 ${hashes} C75 cmdb/copy.yaml`,
      'cmdb/original.yaml',
      `u UU N... 100644 100644 100644 100644 ${hashes} ${'d'.repeat(40)} changes/conflict.yaml`,
      '? changes/draft 1.yaml',
      '! node_modules/',
      '! cmdb/local.yaml',
      '',
    ].join('\0');
    expect(parseStatus(output)).toEqual({
      head: sha,
      dirty: [
        { status: 'modified', path: 'cmdb/a b.yaml' },
        { status: 'added', path: 'changes/new.yaml' },
        { status: 'deleted', path: 'changes/gone.yaml' },
        { status: 'type-changed', path: 'cmdb/now-a-link.yaml' },
        { status: 'renamed', path: 'cmdb/moved here.yaml', previousPath: 'cmdb/was here.yaml' },
        { status: 'copied', path: 'cmdb/copy.yaml', previousPath: 'cmdb/original.yaml' },
        { status: 'modified', path: 'changes/conflict.yaml' },
      ],
      untracked: ['changes/draft 1.yaml'],
      ignored: ['node_modules/', 'cmdb/local.yaml'],
    });
  });

  it('has no HEAD before the first commit, and nothing in an empty answer', () => {
    expect(parseStatus('# branch.oid (initial)\0# branch.head main\0')).toEqual({
      dirty: [],
      untracked: [],
      ignored: [],
    });
  });
});
