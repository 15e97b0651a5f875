import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../src/evaluate/facts.js';
import { belowPrefix } from '../../../src/git/diff.js';

// A monorepo's records folder (--dir teams/payments) sees the files the branch changed below it,
// named from it; what is moved across its edge is added or deleted there.
const prefix = 'teams/payments/';

describe('the changed files below the records folder', () => {
  it.each<[string, ChangedFile, ChangedFile[]]>([
    [
      'a file inside, named from the folder',
      { status: 'modified', path: 'teams/payments/changes/CHG-0001.yaml' },
      [{ status: 'modified', path: 'changes/CHG-0001.yaml' }],
    ],
    ['a file outside: none', { status: 'added', path: 'services/payments/api.ts' }, []],
    [
      'a folder whose name only starts like it: none',
      { status: 'added', path: 'teams/payments-old/changes/CHG-0001.yaml' },
      [],
    ],
    [
      'a rename inside keeps both names, from the folder',
      {
        status: 'renamed',
        path: 'teams/payments/changes/b.yaml',
        previousPath: 'teams/payments/changes/a.yaml',
      },
      [{ status: 'renamed', path: 'changes/b.yaml', previousPath: 'changes/a.yaml' }],
    ],
    [
      'a rename into the folder is an added file',
      { status: 'renamed', path: 'teams/payments/changes/a.yaml', previousPath: 'drafts/a.yaml' },
      [{ status: 'added', path: 'changes/a.yaml' }],
    ],
    [
      'a rename out of the folder is a deleted file',
      { status: 'renamed', path: 'attic/a.yaml', previousPath: 'teams/payments/changes/a.yaml' },
      [{ status: 'deleted', path: 'changes/a.yaml' }],
    ],
    [
      'a copy out of the folder leaves it unchanged',
      { status: 'copied', path: 'attic/a.yaml', previousPath: 'teams/payments/changes/a.yaml' },
      [],
    ],
  ])('%s', (_, file, below) => expect(belowPrefix([file], prefix)).toEqual(below));

  it('gives every file as it is when the folder is the root', () => {
    const files: ChangedFile[] = [{ status: 'added', path: 'services/payments/api.ts' }];
    expect(belowPrefix(files, '')).toEqual(files);
  });
});
