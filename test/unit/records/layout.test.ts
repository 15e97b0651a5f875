import { describe, expect, it } from 'vitest';
import {
  isCmdbPath,
  isGovernancePath,
  isPolicyPath,
  isRecordFilePath,
  isRecordPath,
  isSchemaPath,
  nearMissFolder,
  recordKindOf,
} from '../../../src/records/layout.js';

describe('isRecordPath', () => {
  it.each([
    ['changes/CHG-0001.yaml', true],
    ['cmdb/apps/api.yml', true],
    ['changeops.yaml', true],
    ['changes/notes.md', false],
    ['services/cmdb/x.yaml', false],
  ])('%s -> %s', (path, expected) => {
    expect(isRecordPath(path)).toBe(expected);
  });
});

describe('the record layout', () => {
  // One row per path: what each predicate says about it.
  it.each([
    // path                        policy record-file cmdb   schema governance
    ['changeops.yaml', true, false, false, false, true],
    ['changeops.yml', true, false, false, false, true],
    ['sub/changeops.yaml', false, false, false, false, false],
    ['changes/CHG-0001-x.yaml', false, true, false, false, false],
    ['changes/deep/REL-1.YML', false, true, false, false, false],
    ['cmdb/apps/api.yaml', false, true, true, false, true],
    ['cmdb/README.md', false, false, false, false, true],
    ['schemas/change.schema.json', false, false, false, true, true],
    ['services/cmdb/x.yaml', false, false, false, false, false],
    ['src/index.ts', false, false, false, false, false],
  ])('%s', (path, policy, recordFile, cmdb, schema, governance) => {
    expect([
      isPolicyPath(path),
      isRecordFilePath(path),
      isCmdbPath(path),
      isSchemaPath(path),
      isGovernancePath(path),
    ]).toEqual([policy, recordFile, cmdb, schema, governance]);
  });
});

describe('nearMissFolder', () => {
  it.each([
    ['Changes', 'changes'],
    ['CMDB', 'cmdb'],
    ['change', 'changes'],
    ['chnages', 'changes'],
    ['cmdbs', 'cmdb'],
    ['changes', undefined],
    ['cmdb', undefined],
    ['cmdb-old', undefined],
    ['changes.bak', undefined],
    ['cmd', undefined],
    ['charts', undefined],
    ['schemas', undefined],
  ])('%s is a near miss of %s', (name, folder) => {
    expect(nearMissFolder(name)).toBe(folder);
  });
});

describe('recordKindOf', () => {
  it.each([
    ['apiVersion: changeops/v1\nkind: Change\nid: CHG-0001\n', 'Change'],
    [
      '# a comment\napiVersion: "changeops/v1"\nkind: "ConfigurationItem" # the CMDB\n',
      'ConfigurationItem',
    ],
    ['apiVersion: changeops/v1\nkind: Policy\n', 'Policy'],
    ['apiVersion: apps/v1\nkind: Deployment\n', undefined],
    ['kind: Change\n', undefined],
    ['services: {}\n', undefined],
  ])('reads %j as %s', (head, kind) => {
    expect(recordKindOf(head)).toBe(kind);
  });
});
