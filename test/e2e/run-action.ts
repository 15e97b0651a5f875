// Runs the bundled action the way the runner does: `node dist/index.js` with INPUT_*, the event
// file and the GITHUB_* variables, and reads back what it wrote (outputs, summary, annotations).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bundle = join(import.meta.dirname, '..', '..', 'dist', 'index.js');

/** What one run of the action left behind. */
export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow-command annotations printed on stdout: `::error file=...::message`. */
  annotations: Array<{ level: string; properties: Record<string, string>; message: string }>;
}

/** Runs dist/index.js in `cwd` with the runner's environment plus `inputs` as INPUT_* variables. */
export async function runAction(options: {
  cwd: string;
  env: Record<string, string>;
  inputs: Record<string, string>;
}): Promise<ActionRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'changeops-run-'));
  const outputFile = join(scratch, 'output');
  const summaryFile = join(scratch, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? scratch,
    RUNNER_TEMP: scratch,
    GITHUB_WORKSPACE: options.cwd,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const child = spawn(process.execPath, [bundle], { cwd: options.cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
  const summary = readFileSync(summaryFile, 'utf8');
  rmSync(scratch, { recursive: true, force: true });
  return {
    code,
    stdout,
    stderr,
    outputs,
    summary,
    annotations: [...stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)].map((m) => ({
      level: m[1]!,
      properties: Object.fromEntries(
        (m[2] ?? '')
          .trim()
          .split(',')
          .filter(Boolean)
          .map((pair) => pair.split('=', 2) as [string, string]),
      ),
      message: m[3]!,
    })),
  };
}

/** Parses the GITHUB_OUTPUT file's `name<<DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}
