import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The smoke test of docs/action.md's "Running it locally": the command and the dotenv file the
// page shows, run with @github/local-action on this repository's sources. local-action is not a
// dependency (hundreds of MB): the test runs when it is installed (LOCAL_ACTION_BIN names the
// folder of its binary, or `npm install --no-save @github/local-action`, or on PATH) and is
// skipped otherwise.

const repoRoot = join(import.meta.dirname, '..', '..');
const page = readFileSync(join(repoRoot, 'docs', 'action.md'), 'utf8');

function localAction(): string | undefined {
  const candidates = [
    process.env.LOCAL_ACTION_BIN && join(process.env.LOCAL_ACTION_BIN, 'local-action'),
    join(repoRoot, 'node_modules', '.bin', 'local-action'),
  ];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  try {
    return (
      execFileSync('sh', ['-c', 'command -v local-action'], { encoding: 'utf8' }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}
const binary = localAction();

const scratch = mkdtempSync(join(tmpdir(), 'changeops-local-action-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docs/action.md: running the action locally', () => {
  const section = page.slice(page.indexOf('## Running it locally'));
  const dotenv = /```text\n(# \.env\.local-action[\s\S]*?)\n```/.exec(section)?.[1];
  const command = /```sh\n(npx @github\/local-action [^\n]*)\n```/.exec(section)?.[1];

  it('shows a dotenv file and the command that uses it', () => {
    expect(dotenv).toContain('INPUT_COMMAND=check');
    expect(command).toBe('npx @github/local-action run . src/main.ts .env.local-action');
  });

  it.skipIf(!binary)('runs the documented command on the sources and writes the report', () => {
    const summary = join(scratch, 'summary.md');
    writeFileSync(summary, '');
    // The page's file, with the summary written here rather than into the working tree.
    const envFile = join(scratch, '.env.local-action');
    writeFileSync(
      envFile,
      dotenv!.replace(/^GITHUB_STEP_SUMMARY=.*$/m, `GITHUB_STEP_SUMMARY=${summary}`),
    );
    const args = command!.replace(/^npx @github\/local-action /, '').split(' ');
    args[args.length - 1] = envFile;
    const run = spawnSync(binary!, args, {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
      // local-action starts its bundled tsx from the folder of its own binary.
      env: { ...process.env, PATH: `${dirname(binary!)}${delimiter}${process.env.PATH ?? ''}` },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::set-output name=valid::true');
    expect(run.stdout).not.toContain('::error::');
    expect(readFileSync(summary, 'utf8')).toContain('## Change report');
  });
});
