import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

describe('npm run demo: our own estate checked against main with the demo branch on top', () => {
  it('shows the kinds of findings a CAB would send back, and passes nothing', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'demo.mjs'), '--json'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const outcome = JSON.parse(result.stdout) as {
      findings?: Array<{ rule: string; id?: string }>;
      changes: Array<{ id: string; findings: Array<{ rule: string }> }>;
      repository: Array<{ rule: string }>;
    };
    const rules = new Set([
      ...outcome.changes.flatMap((change) => change.findings.map((f) => `${change.id} ${f.rule}`)),
      ...outcome.repository.map((f) => `repository ${f.rule}`),
    ]);
    expect([...rules].sort()).toEqual([
      'CHG-0008 status-transition',
      'CHG-0013 collision',
      'CHG-0013 impact-understated',
      'CHG-0013 required-content',
      'CHG-0014 freeze',
      'repository rogue-change',
    ]);
  });
});
