import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parallelThreshold } from '../../../src/app/load-workspace.js';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'changeops.js');
const dir = mkdtempSync(join(tmpdir(), 'changeops-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An estate just over the threshold, with broken files in the first and the last share. */
function writeEstate(): number {
  const count = parallelThreshold + 500;
  mkdirSync(join(dir, 'cmdb'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const id = `ci-${String(i).padStart(5, '0')}`;
    const broken = i === 3 || i === count - 3;
    const duplicate = i === count - 1 ? 'ci-00001' : id;
    writeFileSync(
      join(dir, 'cmdb', `${id}.yaml`),
      `apiVersion: changeops/v1\nkind: ConfigurationItem\nid: ${duplicate}\nname: CI ${i}\nclass: application\nowner: "@acme/team"\ncriticality: ${broken ? 9 : 2}\n${i > 0 ? `dependsOn: [ci-${String(i - 1).padStart(5, '0')}]\n` : ''}`,
    );
  }
  return count;
}

function validate(workers: boolean) {
  const result = spawnSync(process.execPath, [bin, 'validate', '--json', '--dir', dir], {
    encoding: 'utf8',
    env: { ...process.env, CHANGEOPS_WORKERS: workers ? '' : '0' },
  });
  return {
    code: result.status,
    json: JSON.parse(result.stdout) as {
      errors: Array<{ file: string; message: string }>;
      records: number;
      files: number;
    },
  };
}

describe.skipIf(!existsSync(join(import.meta.dirname, '..', '..', '..', 'dist', 'load-worker.js')))(
  'loading a large estate on worker threads',
  () => {
    it('gives exactly the result of loading it on one thread, errors in every share included', () => {
      const count = writeEstate();
      const one = validate(false);
      const many = validate(true);
      expect(many).toEqual(one);
      expect(one.code).toBe(1);
      expect(one.json.records).toBe(count);
      expect(one.json.errors.map((e) => e.file)).toEqual([
        'cmdb/ci-00003.yaml',
        `cmdb/ci-${String(count - 3).padStart(5, '0')}.yaml`,
        `cmdb/ci-${String(count - 1).padStart(5, '0')}.yaml`,
      ]);
      expect(one.json.errors[2]!.message).toBe(
        'the ConfigurationItem id "ci-00001" is already used at cmdb/ci-00001.yaml:3; ids must be unique',
      );
    });
  },
);
