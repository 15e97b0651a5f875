import { basename, join, relative, sep } from 'node:path';
import { packagedSchemas } from '../fs/packaged-schemas.js';
import { isFile } from '../fs/write-file.js';
import { writeFilesOnce, type WriteOnceOutcome } from '../fs/write-once.js';
import { currentBranch } from '../git/current-branch.js';
import { defaultBranch, isSafeRef } from '../git/ref.js';
import { openRepository } from '../git/repository.js';
import { editorSchemaFolder } from '../records/layout.js';
import { starterFiles, type StarterOptions } from '../render/starter-files.js';

/** What `changeops init` is asked to write. */
export interface InitRequest {
  /** The changeops root (--dir). */
  root: string;
  cab: readonly string[];
  ecab: readonly string[];
  ci: StarterOptions['ci'];
  /** What the workflows' `uses:` names after the @; default the release tag of this version. */
  actionRef?: string;
  version: string;
}

/** One file `init` writes: its path as the user reads it (from the repository's top) and on disk. */
export interface InitFile {
  path: string;
  absolute: string;
  text: string;
}

/** Where `init` writes, and what. */
export interface InitPlan {
  /** The repository's top, where .github/workflows/ goes; the root itself outside git. */
  top: string;
  /** False when the root is in no git repository: the workflows then go under the root. */
  inGit: boolean;
  branch: string;
  files: InitFile[];
  /** The files of the plan that exist already. */
  existing: string[];
}

/** The repository's top and default branch, as git knows them (the root itself outside git). */
async function whereIs(root: string): Promise<{ top: string; inGit: boolean; branch: string }> {
  let repo;
  try {
    repo = await openRepository(root, 'init writes the workflows at its top');
  } catch {
    return { top: root, inGit: false, branch: 'main' };
  }
  const known = await defaultBranch(repo);
  const name = known.name !== 'HEAD' ? known.name : await currentBranch(repo);
  return { top: repo.top, inGit: true, branch: name && isSafeRef(name) ? name : 'main' };
}

/** The schemas for editors under .changeops/schemas/, and the note that says whose they are. */
function schemaFiles(version: string): Array<{ relative: string; text: string }> {
  const schemas = packagedSchemas().map(({ name, text }) => ({
    relative: `${editorSchemaFolder}/${name}`,
    text,
  }));
  schemas.push({
    relative: '.changeops/README.md',
    text: `# .changeops

\`schemas/\` holds the JSON Schemas of changeops ${version}, written by \`changeops init\`: the
\`# yaml-language-server: $schema=...\` line at the top of each record points here, so an
editor with the YAML extension completes and checks records offline, for the version in use.
After upgrading changeops, refresh them with \`npx changeops init --upgrade\`. changeops itself
validates with the schemas compiled into it, whatever these say; editing them is a governance
change that the gate asks approval for.
`,
  });
  return schemas;
}

/** Plans `init`: every file it would write, and which of them exist. */
export async function planInit(request: InitRequest): Promise<InitPlan> {
  const { root } = request;
  const { top, inGit, branch } = await whereIs(root);
  const dir = relative(top, root).split(sep).join('/');
  const starter = starterFiles({
    policyId: slugOf(basename(top)),
    cab: request.cab,
    ecab: request.ecab,
    ci: request.ci,
    dir,
    branch,
    actionRef: request.actionRef ?? `v${request.version}`,
    version: request.version,
  });
  const shown = (absolute: string) => relative(top, absolute).split(sep).join('/');
  const files: InitFile[] = [
    ...starter.map((file) => {
      const absolute = join(file.from === 'top' ? top : root, file.path);
      return { path: shown(absolute), absolute, text: file.text };
    }),
    ...schemaFiles(request.version).map((file) => {
      const absolute = join(root, file.relative);
      return { path: shown(absolute), absolute, text: file.text };
    }),
  ];
  const existing = files.filter((file) => isFile(file.absolute)).map((file) => file.path);
  return { top, inGit, branch, files, existing };
}

/**
 * Writes the plan's files: refused (nothing written) when any exists, unless `force`, which
 * replaces them. New files are created exclusively, so one that appears meanwhile is kept.
 */
export function writeInit(
  plan: InitPlan,
  options: { force: boolean },
): { written: string[] } | { refused: string[] } {
  if (plan.existing.length > 0 && !options.force) return { refused: plan.existing };
  const result = writeFilesOnce(
    plan.files.map((file) => ({ path: file.absolute, text: file.text })),
    { force: options.force },
  );
  if ('refused' in result) return { refused: plan.files.map((file) => file.path) };
  return { written: plan.files.map((file) => file.path) };
}

/** `init --upgrade`: the editor schemas of this version, and nothing else, replaced in place. */
export function upgradeSchemas(
  root: string,
  version: string,
): Array<{ path: string; outcome: WriteOnceOutcome }> {
  const files = schemaFiles(version);
  const result = writeFilesOnce(
    files.map((file) => ({ path: join(root, file.relative), text: file.text })),
    { force: true },
  );
  if ('refused' in result) return [];
  return result.written.map((file, index) => ({
    path: files[index]!.relative,
    outcome: file.outcome,
  }));
}

/** A slug of a folder's name, for the policy's id. */
function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug || 'changeops';
}
