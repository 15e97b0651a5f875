import { basename } from 'node:path';
import { planInit, upgradeSchemas, writeInit, type InitPlan } from '../app/init.js';
import { validate } from '../app/validate.js';
import { isCiId, principalPattern } from '../records/id-patterns.js';
import { show } from '../records/wording.js';
import { actionRepository } from '../render/starter-files.js';
import { oneLine } from '../render/terminal.js';
import { version } from '../version.js';
import type { Command } from './command.js';
import { countSummary, exitCodes, formatFinding, type Io } from './output.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops init`. */
export const initHelp = `Usage: changeops init [--cab-team @ORG/TEAM] [--ecab-team @ORG/TEAM] [--ci ID] [--ci-name NAME]
                      [--owner @ORG/TEAM] [--paths GLOB,...] [--action-ref REF] [--force]
                      [--yes] [--upgrade] [--dir DIR] [--json]

Sets up a repository for changeops: writes changeops.yaml (the policy, commented, with safe
defaults), changes/ (its README), cmdb/ with a first configuration item, the JSON Schemas of
this version under .changeops/schemas/ (the records' yaml-language-server modelines point
there, so an editor checks them offline), and at the top of the git repository the workflows
.github/workflows/changeops.yml (the CAB approval gate, command: gate) and
changeops-verify.yml (verify after a deploy), with pinned actions and least privilege. Then it
validates what it wrote and prints the GitHub settings to turn on next.

Nothing is overwritten: when any of the files exists, init lists them and writes nothing
(exit 2), unless --force, which replaces them. On a terminal it asks for what the options do
not give; anywhere else, or with --yes, it asks nothing. A board or owner left out is written
as a TODO that validate refuses, so nobody gates on a team that was never set.

Options:
  --cab-team P     the CAB's members: @org/team or @login, comma-separated
  --ecab-team P    the emergency CAB's (default: the CAB's)
  --ci ID          the first CI's id (default: the repository folder's name, as a slug)
  --ci-name NAME   its name (default: the id)
  --owner P        the team that owns it (@org/team or @login)
  --paths GLOBS    its code, comma-separated globs from the repository's top (services/a/**)
  --action-ref REF what the workflows' uses: ${actionRepository}@ names (default: v${version},
                   this version's release tag; give a commit sha to pin it)
  --force          replace files that exist
  --yes            ask nothing, even on a terminal
  --upgrade        only refresh .changeops/schemas/ (and its README) to this version's schemas
  --dir DIR        the changeops root (default: the current directory); in a monorepo a
                   sub-folder, and the workflows go to the repository's top with dir: set
  --json           print {"ok", "written", "refused", "validation"}

Exit codes: 0 written (validate may still report the TODOs left), 2 a file exists (nothing
written), or a bad option.`;

/** The options `init` adds to the common ones. */
export const initOptions = {
  'cab-team': { type: 'string' },
  'ecab-team': { type: 'string' },
  ci: { type: 'string' },
  'ci-name': { type: 'string' },
  owner: { type: 'string' },
  paths: { type: 'string' },
  'action-ref': { type: 'string' },
  force: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  upgrade: { type: 'boolean', default: false },
} as const;

/** The `init` entry of the CLI's command table. */
export const initCommand: Command = {
  help: initHelp,
  options: initOptions,
  run: async ({ values, positionals, dir }, io) => {
    if (positionals.length > 0)
      throw new UsageError(`init takes no arguments, not ${positionals.join(' ')}`);
    const json = values.json === true;
    if (values.upgrade === true) {
      const written = upgradeSchemas(dir, version);
      if (json) printJson(io, { ok: true, written: written.map((file) => file.path), refused: [] });
      else
        for (const file of written)
          io.out(`${file.outcome === 'created' ? 'wrote' : file.outcome} ${file.path}`);
      return exitCodes.ok;
    }
    const ask = values.yes === true ? undefined : io.ask;
    const text = (name: string) =>
      typeof values[name] === 'string' ? (values[name] as string).trim() : undefined;
    const question = async (name: string, prompt: string, fallback = '') => {
      const given = text(name);
      if (given !== undefined || !ask) return given ?? fallback;
      return (await ask(`${prompt}${fallback ? ` [${fallback}]` : ''}: `)) || fallback;
    };

    const cab = principals(
      '--cab-team',
      await question('cab-team', 'CAB members, @org/team (empty: a TODO)'),
    );
    const ecab = principals(
      '--ecab-team',
      await question('ecab-team', 'Emergency CAB members', cab.join(', ')),
    );
    const folder = basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    const id = await question('ci', 'The first configuration item: its id', folder || 'my-service');
    if (!isCiId(id))
      throw new UsageError(
        `--ci is ${show(id)}; a CI id is lowercase letters, digits and dashes (payments-api)`,
      );
    const name = (await question('ci-name', 'Its name', id)) || id;
    const owner = principals(
      '--owner',
      await question('owner', 'The team that owns it, @org/team (empty: a TODO)'),
    );
    if (owner.length > 1) throw new UsageError('--owner is one team or user');
    const paths = (await question('paths', 'Its code, globs separated by commas (empty: none)'))
      .split(',')
      .map((glob) => glob.trim())
      .filter(Boolean);
    const actionRef = text('action-ref');
    if (actionRef !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(actionRef))
      throw new UsageError(`--action-ref is ${show(actionRef)}; give a tag (v1) or a commit sha`);

    const plan = await planInit({
      root: dir,
      cab,
      ecab: ecab.length ? ecab : cab,
      ci: { id, name, ...(owner[0] ? { owner: owner[0] } : {}), paths },
      ...(actionRef ? { actionRef } : {}),
      version,
    });
    const result = writeInit(plan, { force: values.force === true });
    if ('refused' in result) {
      if (json)
        printJson(io, { ok: false, written: [], refused: result.refused, validation: null });
      else
        io.err(
          `changeops init: nothing written: ${result.refused.length === 1 ? 'this file exists' : 'these files exist'} already:\n${result.refused.map((path) => `  ${oneLine(path)}`).join('\n')}\n--force replaces them; --upgrade refreshes only the schemas in .changeops/schemas/.`,
        );
      return exitCodes.usage;
    }
    const validation = validate(dir);
    if (json) {
      printJson(io, {
        ok: true,
        written: result.written,
        refused: [],
        validation: { valid: validation.valid, ...validation.counts },
      });
      return exitCodes.ok;
    }
    io.out(
      `wrote ${result.written.length} files:\n${result.written.map((path) => `  ${path}`).join('\n')}`,
    );
    if (!plan.inGit)
      io.err(
        `note: ${dir} is in no git repository, so the workflows are under it; GitHub reads them from .github/workflows/ at the top of a repository`,
      );
    for (const finding of validation.findings) io.out(formatFinding(finding));
    io.out(
      validation.valid
        ? 'changeops validate: valid'
        : `changeops validate: ${countSummary(validation.counts)}: fill in the TODOs above`,
    );
    io.out(nextSteps(plan));
    return exitCodes.ok;
  },
};

function principals(option: string, raw: string): string[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items)
    if (!principalPattern.test(item))
      throw new UsageError(
        `${option} has ${show(item)}; write a team as @org/team-slug or a user as @login`,
      );
  return items;
}

/** What to turn on at GitHub, the ruleset first: without it the gate is advice. */
export function nextSteps(plan: Pick<InitPlan, 'branch'>): string {
  return `
Next, at GitHub (docs/getting-started.md of changeops has each step):
  1. Create a GitHub App for the gate with the permissions Pull requests: read, Commit
     statuses: write, Issues: write, Members: read (organisation), Contents: read, Metadata:
     read; install it on this repository; set the repository variable CHANGEOPS_APP_ID and the
     secret CHANGEOPS_APP_PRIVATE_KEY.
  2. Merge these files into ${plan.branch} (an admin merges the first changeops.yaml: the gate
     cannot approve a policy that is not there yet).
  3. Add a ruleset on ${plan.branch}: Require a pull request before merging; Require status
     checks to pass: changeops/cab, with the App as its source (else any workflow can post it);
     Block force pushes. With a merge queue, require changeops/cab there too.
  4. Ask for code owners' review of .github/ and changeops.yaml (CODEOWNERS), so the workflows
     and the policy change only with review.
Then write a change: npx changeops new`;
}

function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
