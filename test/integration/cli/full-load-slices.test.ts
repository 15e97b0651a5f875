import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../../src/app/load-workspace.js';
import { validate, validateRepository } from '../../../src/app/validate.js';
import { readRecordFiles } from '../../../src/fs/read-workspace.js';
import { defaultLimits } from '../../../src/records/limits.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { ciText, makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';

/**
 * The full load reads, parses and assembles 256 files at a time (src/app/load-workspace.ts):
 * findings on both sides of a slice's edge must come out as one pass over every file gives
 * them, file by file, then the ids met twice, then the references, then what could not be read.
 */
afterEach(removeWorkspaces);

describe('a full load of more files than one slice', () => {
  it('lists findings from every slice in file order, duplicates and references after', async () => {
    const files: Record<string, string> = {};
    const name = (n: number) => `cmdb/ci-${String(n).padStart(3, '0')}.yaml`;
    for (let n = 0; n < 600; n++) files[name(n)] = ciText(`ci-${n}`);
    // A schema error in the first slice and in the third.
    files[name(3)] = ciText('ci-3').replace('criticality: 3', 'criticality: 9');
    files[name(520)] = ciText('ci-520').replace('criticality: 3', 'criticality: 7');
    // An id met first in the first slice, again in the second.
    files[name(300)] = ciText('ci-10');
    // References across slices: one known (ci-1, first slice), one not.
    files[name(590)] = ciText('ci-590', 'dependsOn: [ci-1, ci-gone]\n');
    files[name(5)] = ciText('ci-5', 'partOf: [ci-599, nowhere]\n');
    const root = makeWorkspace(files, false);
    // A record file that is a link out of the root: refused when read, in the second slice.
    symlinkSync(join(root, '..'), join(root, 'cmdb', 'ci-270-link.yaml'));

    const outcome = validate(root);
    const seen = outcome.findings.map((finding) => `${finding.file} ${finding.rule}`);
    expect(seen).toEqual([
      'changeops.yaml policy',
      'cmdb/ci-003.yaml schema',
      'cmdb/ci-005.yaml reference',
      'cmdb/ci-270-link.yaml symlink',
      'cmdb/ci-300.yaml unique-id',
      'cmdb/ci-520.yaml schema',
      'cmdb/ci-590.yaml reference',
    ]);
    const duplicate = outcome.findings.find((finding) => finding.rule === 'unique-id')!;
    expect(duplicate.message).toContain('is already used at cmdb/ci-010.yaml:3');
    const references = outcome.findings.filter((finding) => finding.rule === 'reference');
    expect(references.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/^"nowhere" is not a known configuration item/),
      expect.stringMatching(/^"ci-gone" is not a known configuration item/),
    ]);
    // Before they are sorted: the records' findings as one pass over every file gives them,
    // then what could not be read and the layout's.
    const sliced = loadWorkspace(root).findings;
    const read = readRecordFiles(root, defaultLimits.maxFileBytes);
    const onePass = loadRecords(loadPolicy(undefined), read.files).findings;
    expect(onePass).toHaveLength(5);
    expect(sliced.slice(0, onePass.length)).toEqual(onePass);
    expect(sliced.slice(onePass.length, onePass.length + read.findings.length)).toEqual(
      read.findings,
    );
    // The CLI's load (no text kept, the cache off) gives the same, word for word.
    expect((await validateRepository(root, { cache: false })).findings).toEqual(outcome.findings);
  });
});
