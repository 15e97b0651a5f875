import { afterEach, describe, expect, it } from 'vitest';
import { validate, validateRepository } from '../../../src/app/validate.js';
import { ciText, makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';

/**
 * The CLI's load keeps no text of a file that parsed cleanly: a position in it is found by
 * reading the file again (src/records/load.ts, parseRecordFiles). The findings, positions and
 * all, must be those of a load that kept every text (loadWorkspace, which `validate` uses).
 */
afterEach(removeWorkspaces);

describe('findings in files that were not kept', () => {
  it('stand at the same lines and columns as when every text is kept', async () => {
    const root = makeWorkspace({
      // Clean YAML, with problems only the schema or integrity finds.
      'cmdb/dangling.yaml': ciText('dangling', 'dependsOn: [missing-one, dangling-two]\n'),
      'cmdb/schema.yaml': ciText('schema').replace('criticality: 3', 'criticality: 9'),
      'cmdb/empty-value.yaml': ciText('empty-value', 'description:   # to be written\n'),
      'cmdb/first.yaml': ciText('twice'),
      'cmdb/second.yaml': ciText('twice'),
      'cmdb/windows.yaml': ciText('windows', 'partOf: [nowhere]\n').replace(/\n/g, '\r\n'),
      'cmdb/bom.yaml': `\uFEFF${ciText('bom', 'dependsOn: [absent]\n')}`,
      // Files whose text is kept: a parse finding, a value quoted for YAML, anchors.
      'cmdb/broken.yaml': `${ciText('broken')}notes: [unclosed\n`,
      'cmdb/at-sign.yaml': ciText('at-sign').replace(/owner: .*/, 'owner: @acme/platform'),
      'cmdb/anchors.yaml': ciText('anchors', 'dependsOn: &deps [gone]\npartOf: *deps\n'),
    });
    const kept = validate(root).findings;
    const readAgain = (await validateRepository(root, { cache: false })).findings;
    expect(kept.length).toBeGreaterThan(8);
    expect(kept.some((finding) => finding.line > 1)).toBe(true);
    expect(readAgain).toEqual(kept);
  });
});
