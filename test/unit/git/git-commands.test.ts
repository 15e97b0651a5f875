import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../../src/git/repository.js';
import {
  commit,
  initRepository,
  remove,
  scratch,
  write,
} from '../../integration/check/git-fixture.js';

describe("a repository's git commands", () => {
  let root: string;
  let repo: Repository;

  beforeAll(async () => {
    root = scratch();
    write(root, { 'changes/CHG-0001.yaml': 'one\n' });
    await commit(await initRepository(root), 'base');
    repo = await openRepository(root);
  });

  afterAll(() => remove(root));

  it('give what git printed', async () => {
    expect(await repo.git.raw(['ls-files', '-z'])).toBe('changes/CHG-0001.yaml\0');
  });

  it('resolve on an exit code that git explains with no word (rev-parse --quiet of no ref)', async () => {
    expect(await repo.git.raw(['rev-parse', '--verify', '--quiet', 'nope^{commit}'])).toBe('');
  });

  it('fail with what git said when it exits with an error', async () => {
    await expect(repo.git.raw(['rev-parse', '--verify', 'nope^{commit}'])).rejects.toThrow(
      /^fatal: Needed a single revision/,
    );
  });
});
