import { newChangePath } from '../records/change-ids.js';
import { ciIdPattern, loginPattern } from '../records/id-patterns.js';
import { editorSchemaFolder } from '../records/layout.js';
import { changeRecordYaml } from './change-record.js';
import { encodePathSegment, repositoryPattern, safeUrl } from './links.js';

/**
 * How a report proposes the change record a branch lacks (the rogue-change findings): the
 * `changeops new` command to run, and a link that opens GitHub's editor on the branch with the
 * file pre-filled (as changesets' bot does for a missing changeset). Only trusted parts go in:
 * CI ids that passed the CI id pattern, the id we computed, a branch, repository and login that
 * pass strict patterns, and YAML we render ourselves; anything else gives no link.
 */

/** The change record a branch lacks, and where the pull request's head is. */
export interface MissingChangeView {
  /** The id a new change would get. */
  id: string;
  /** The CIs whose code changed with no change naming them, sorted. */
  cis: readonly string[];
  /** The pull request's head, when the report is about one: where the link adds the file. */
  head?: { repository?: string | undefined; branch: string; author: string };
  /** The repository root's folder, when it is not the workspace root (a monorepo's `dir`). */
  dir?: string;
}

/** What the report shows for a missing change record. */
export interface MissingChangeModel {
  /** The CIs named (at most `maxCis`), and how many more there are. */
  cis: string[];
  moreCis: number;
  /** `changeops new --cis a,b` (with `--dir` in a monorepo). */
  command: string;
  /** The file the command and the link write, relative to the git repository's root. */
  file: string;
  /** GitHub's editor on the head branch, pre-filled; absent when a part does not check out. */
  link?: string;
}

/** A command line and a link stay short: the first CIs only, the rest said as a number. */
export const maxCis = 10;

// A folder is written as is on a command line when it is made of these; else it is quoted.
const plainArgument = /^[A-Za-z0-9._/-]+$/;

/**
 * The model of a missing change record: the command, the file and, on a pull request whose
 * branch and repository check out, the link to GitHub's editor on that branch.
 */
export function missingChangeModel(
  view: MissingChangeView,
  serverUrl = 'https://github.com',
): MissingChangeModel | undefined {
  const cis = view.cis.filter((id) => ciIdPattern.test(id));
  if (cis.length === 0 || !/^CHG-\d{1,8}$/.test(view.id)) return undefined;
  const shown = cis.slice(0, maxCis);
  const { dir } = view;
  const command = `changeops new --cis ${shown.join(',')}${dir ? ` --dir ${shellWord(dir)}` : ''}`;
  const path = newChangePath(view.id, shown.join(' '));
  const file = dir ? `${dir}/${path}` : path;
  const link =
    view.head && !hasDotSegment(file) ? editorLink(view, shown, file, serverUrl) : undefined;
  return {
    cis: shown,
    moreCis: cis.length - shown.length,
    command,
    file,
    ...(link ? { link } : {}),
  };
}

/** The draft the link pre-fills: what `changeops new --draft` writes, with what to do next. */
export function missingChangeDraft(id: string, cis: readonly string[], author: string): string {
  const text = changeRecordYaml(
    {
      id,
      title: 'TODO: what this pull request changes',
      type: 'normal',
      status: 'draft',
      requester: loginPattern.test(author) ? author : 'TODO-your-login',
      cis,
    },
    { schema: `../${editorSchemaFolder}/change.schema.json` },
  );
  const [modeline, ...rest] = text.split('\n');
  return [
    modeline,
    '# A draft covers no code: write the title, reason, risk, plan and schedule,',
    '# then set status: proposed (changeops check --base main says what is missing).',
    ...rest,
  ].join('\n');
}

function editorLink(
  view: MissingChangeView,
  cis: readonly string[],
  file: string,
  serverUrl: string,
): string | undefined {
  const head = view.head!;
  const server = serverUrl.replace(/\/+$/, '');
  const repository = head.repository ?? '';
  if (!repositoryPattern.test(repository) || !safeBranch(head.branch)) return undefined;
  if (repository.split('/').some((part) => part === '.' || part === '..')) return undefined;
  const branch = head.branch.split('/').map(encodePathSegment).join('/');
  const value = missingChangeDraft(view.id, cis, head.author);
  const url = `${server}/${repository}/new/${branch}?filename=${file
    .split('/')
    .map(encodePathSegment)
    .join('/')}&value=${encodePathSegment(value)}`;
  return safeUrl(url) ? url : undefined;
}

/**
 * A branch name we put in a link: the characters people use (letters, digits, `.`, `_`, `-`,
 * `/`), in segments that git's ref rules allow; anything else (a hostile ref) gives no link.
 */
function safeBranch(branch: string): boolean {
  if (branch.length === 0 || branch.length > 200 || !/^[A-Za-z0-9._/-]+$/.test(branch))
    return false;
  return (
    branch
      .split('/')
      .every(
        (part) =>
          part !== '' && !part.startsWith('.') && !part.startsWith('-') && !part.endsWith('.lock'),
      ) && !branch.includes('..')
  );
}

/** A word a POSIX shell reads back as itself. */
function shellWord(word: string): string {
  return plainArgument.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((part) => part === '' || part === '.' || part === '..');
}
