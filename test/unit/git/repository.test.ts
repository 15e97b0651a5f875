import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMergeBase, resolveBase } from '../../../src/git/base.js';
import {
  listRecordFilesAt,
  openBlobReader,
  readFileAt,
  readFilesAt,
} from '../../../src/git/blobs.js';
import { readBaseFacts } from '../../../src/git/facts.js';
import { changedFiles, parseNameStatus } from '../../../src/git/diff.js';
import { BaseRefError } from '../../../src/git/errors/base-ref-error.js';
import { openRepository, type Repository } from '../../../src/git/repository.js';
import {
  commit,
  initRepository,
  remove,
  scratch,
  write,
} from '../../integration/check/git-fixture.js';

describe('parseNameStatus', () => {
  it('reads statuses, renames and copies from -z output', () => {
    const output = [
      'M',
      'a.ts',
      'A',
      'new file.ts',
      'D',
      'gone.ts',
      'R087',
      'old.ts',
      'moved.ts',
      'C100',
      'src.ts',
      'copy.ts',
      'T',
      'link',
      '',
    ].join('\0');
    expect(parseNameStatus(output)).toEqual([
      { status: 'modified', path: 'a.ts' },
      { status: 'added', path: 'new file.ts' },
      { status: 'deleted', path: 'gone.ts' },
      { status: 'renamed', path: 'moved.ts', previousPath: 'old.ts' },
      { status: 'copied', path: 'copy.ts', previousPath: 'src.ts' },
      { status: 'type-changed', path: 'link' },
    ]);
  });

  it('reads nothing from no output', () => {
    expect(parseNameStatus('')).toEqual([]);
  });
});

describe('a repository', () => {
  let root: string;
  let git: SimpleGit;
  let repo: Repository;
  let base: string;

  beforeAll(async () => {
    root = scratch();
    write(root, {
      'changeops.yaml': 'policy\n',
      'changes/CHG-0001.yaml': 'one\n',
      'changes/CHG-0002.yaml': 'two\n',
      'changes/README.md': 'not a record\n',
      'cmdb/apps/api.yaml': 'api\n',
      'cmdb/big.yaml': 'x'.repeat(3000),
      'services/api.ts': 'code\n',
    });
    writeFileSync(join(root, 'cmdb/binary.yaml'), Buffer.from([0x61, 0x00, 0x62]));
    writeFileSync(join(root, 'cmdb/latin1.yaml'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    symlinkSync('/etc/passwd', join(root, 'cmdb/link.yaml'));
    git = await initRepository(root);
    await commit(git, 'base');
    base = (await git.raw(['rev-parse', 'HEAD'])).trim();
    await git.raw(['checkout', '--quiet', '-b', 'feature']);
    await git.raw(['mv', 'changes/CHG-0002.yaml', 'changes/CHG-0002-renamed.yaml']);
    write(root, { 'changes/CHG-0001.yaml': 'one, edited\n', 'services/new.ts': 'new\n' });
    await commit(git, 'feature');
    // Not committed: an edit, and an untracked file.
    write(root, { 'services/api.ts': 'edited\n', 'cmdb/draft.yaml': 'draft\n' });
    repo = await openRepository(root);
  });

  afterAll(() => remove(root));

  it('resolves a branch, a sha and HEAD~1', async () => {
    expect((await resolveBase(repo, 'main')).sha).toBe(base);
    expect((await resolveBase(repo, base)).sha).toBe(base);
    expect(await resolveBase(repo, 'HEAD~1')).toEqual({ ref: 'HEAD~1', sha: base, fetched: false });
  });

  it('finds a branch that is only there as a remote-tracking branch, without fetching', async () => {
    const clone = join(scratch(), 'clone');
    try {
      await git.raw(['clone', '--quiet', '--branch=feature', root, clone]);
      const cloned = await openRepository(clone);
      expect(await resolveBase(cloned, 'main')).toEqual({ ref: 'main', sha: base, fetched: false });
    } finally {
      remove(join(clone, '..'));
    }
  });

  it('refuses a ref without a remote to fetch it from', async () => {
    await expect(resolveBase(repo, 'nope')).rejects.toThrow(
      new BaseRefError(
        'the base ref "nope" is not a commit in this repository; fetch it first, or pass another --base',
      ),
    );
  });

  it('finds the merge base', async () => {
    expect(await findMergeBase(repo, base)).toBe(base);
  });

  it('lists changes up to the working tree: committed, uncommitted, untracked and renamed', async () => {
    const files = await changedFiles(repo, base);
    expect(files.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { status: 'modified', path: 'changes/CHG-0001.yaml' },
      {
        status: 'renamed',
        path: 'changes/CHG-0002-renamed.yaml',
        previousPath: 'changes/CHG-0002.yaml',
      },
      { status: 'added', path: 'cmdb/draft.yaml' },
      { status: 'modified', path: 'services/api.ts' },
      { status: 'added', path: 'services/new.ts' },
    ]);
  });

  it('lists only committed changes when asked to compare with HEAD', async () => {
    const files = await changedFiles(repo, base, { to: 'HEAD' });
    expect(files.map((file) => file.path).sort()).toEqual([
      'changes/CHG-0001.yaml',
      'changes/CHG-0002-renamed.yaml',
      'services/new.ts',
    ]);
  });

  /** Two files that read, and one of each kind that does not (see the findings below). */
  const unreadable = [
    'changes/CHG-0001.yaml',
    'changes/CHG-0002.yaml',
    'cmdb/big.yaml',
    'cmdb/binary.yaml',
    'cmdb/latin1.yaml',
    'cmdb/link.yaml',
    'cmdb/missing.yaml',
  ];

  it('reads files at a ref, and reports those it will not read', async () => {
    const read = await readFilesAt(repo, base, unreadable, 2048);
    expect(read.files).toEqual([
      { path: 'changes/CHG-0001.yaml', text: 'one\n' },
      { path: 'changes/CHG-0002.yaml', text: 'two\n' },
    ]);
    expect(read.missing).toEqual(['cmdb/missing.yaml']);
    expect(read.findings.map((f) => `${f.file}: ${f.message} [${f.rule}]`).sort()).toEqual([
      `cmdb/big.yaml: the file is 3000 bytes at ${base.slice(0, 12)}, over the limit of 2048 [file-size]`,
      'cmdb/binary.yaml: the file holds binary data (a NUL byte), not YAML text [binary]',
      'cmdb/latin1.yaml: the file is not UTF-8 text; save it as UTF-8 [encoding]',
      'cmdb/link.yaml: the file is a symbolic link at the base revision; changeops does not follow it [symlink]',
    ]);
  });

  it('reads a whole estate of paths (over 500: their folders listed once) with the same answers', async () => {
    const absent = Array.from({ length: 600 }, (_, i) => `cmdb/absent/ci-${i}.yaml`);
    const few = await readFilesAt(repo, base, unreadable, 2048);
    const many = await readFilesAt(repo, base, [...unreadable, ...absent, 'changeops.yaml'], 2048);
    expect(many.files).toEqual([...few.files, { path: 'changeops.yaml', text: 'policy\n' }]);
    expect(many.findings).toEqual(few.findings);
    expect(many.missing).toEqual([...few.missing, ...absent]);
  });

  it('reads in rounds from one cat-file process, at several refs, a large blob included', async () => {
    const reader = openBlobReader(repo);
    try {
      const first = await reader.readAt(base, ['changeops.yaml'], 1024);
      const second = await reader.readAt(
        'feature',
        ['changes/CHG-0001.yaml', 'cmdb/big.yaml', 'changes/CHG-0002-renamed.yaml'],
        4096,
      );
      const third = await reader.readAt(base, ['changes/CHG-0002.yaml'], 1024);
      expect(first.files).toEqual([{ path: 'changeops.yaml', text: 'policy\n' }]);
      expect(second.files.map((file) => [file.path, file.text.length])).toEqual([
        ['changes/CHG-0001.yaml', 12],
        ['cmdb/big.yaml', 3000],
        ['changes/CHG-0002-renamed.yaml', 4],
      ]);
      expect(third.files).toEqual([{ path: 'changes/CHG-0002.yaml', text: 'two\n' }]);
    } finally {
      await reader.close();
    }
  });

  it('answers reads asked at once, each with its own blobs (git answers one at a time)', async () => {
    const reader = openBlobReader(repo);
    try {
      const [first, second, third] = await Promise.all([
        reader.readAt(base, ['changeops.yaml'], 1024),
        reader.readAt('feature', ['cmdb/big.yaml', 'changes/CHG-0001.yaml'], 4096),
        reader.readAt(base, ['changes/CHG-0002.yaml'], 1024),
      ]);
      expect(first.files).toEqual([{ path: 'changeops.yaml', text: 'policy\n' }]);
      expect(second.files.map((file) => [file.path, file.text.length])).toEqual([
        ['cmdb/big.yaml', 3000],
        ['changes/CHG-0001.yaml', 12],
      ]);
      expect(third.files).toEqual([{ path: 'changes/CHG-0002.yaml', text: 'two\n' }]);
    } finally {
      await reader.close();
    }
  });

  it("reads the base commit's policy first and the record files under the cap it decides", async () => {
    const asked: unknown[] = [];
    const facts = await readBaseFacts(root, base, {
      workingTree: false,
      maxFileBytes(policy) {
        asked.push(policy);
        return 3;
      },
    });
    expect(asked).toEqual([{ policyFile: { path: 'changeops.yaml', text: 'policy\n' } }]);
    expect(facts.policyFile).toEqual({ path: 'changeops.yaml', text: 'policy\n' });
    // The changed record files at the merge base, read under the cap of 3 bytes: too big.
    expect(facts.files).toEqual([]);
    expect(facts.unreadable).toEqual(['changes/CHG-0001.yaml', 'changes/CHG-0002.yaml']);
  });

  it('says why the policy of the base cannot be read: a symbolic link is not followed', async () => {
    const linked = scratch();
    try {
      write(linked, { 'shared/policy.yaml': 'apiVersion: changeops/v1\n' });
      symlinkSync('shared/policy.yaml', join(linked, 'changeops.yaml'));
      const linkedGit = await initRepository(linked);
      await commit(linkedGit, 'linked policy');
      const facts = await readBaseFacts(linked, 'main', { maxFileBytes: () => 1024 });
      expect(facts.policyFile).toBeUndefined();
      expect(facts.policyProblem).toMatchObject({
        file: 'changeops.yaml',
        rule: 'symlink',
        message: 'the file is a symbolic link at the base revision; changeops does not follow it',
      });
    } finally {
      remove(linked);
    }
  });

  it('reads one file at a ref', async () => {
    expect(await readFileAt(repo, 'main', 'changes/CHG-0001.yaml', 1024)).toEqual({
      text: 'one\n',
      findings: [],
    });
    expect(await readFileAt(repo, 'main', 'nothing.yaml', 1024)).toEqual({ findings: [] });
  });

  it('lists the record files at a ref', async () => {
    expect(await listRecordFilesAt(repo, 'main')).toEqual([
      'changeops.yaml',
      'changes/CHG-0001.yaml',
      'changes/CHG-0002.yaml',
      'cmdb/apps/api.yaml',
      'cmdb/big.yaml',
      'cmdb/binary.yaml',
      'cmdb/latin1.yaml',
      'cmdb/link.yaml',
    ]);
  });

  it('works from a sub-folder of the work tree, with paths relative to it', async () => {
    const sub = await openRepository(join(root, 'cmdb'));
    expect(sub.prefix).toBe('cmdb/');
    expect((await changedFiles(sub, base)).map((file) => file.path)).toEqual(['draft.yaml']);
    expect((await readFileAt(sub, base, 'apps/api.yaml', 1024)).text).toBe('api\n');
  });

  it('says when a folder is not in a repository', async () => {
    const plain = scratch();
    try {
      await expect(openRepository(plain)).rejects.toThrow(/is not inside a git work tree/);
    } finally {
      remove(plain);
    }
  });
});
