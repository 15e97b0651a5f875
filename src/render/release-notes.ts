import type Handlebars from 'handlebars';
import { Handlebars as runtime } from './handlebars.js';
import type { ReleaseNotes } from '../report/release-notes.js';
import { escapeText, inlineCode, tableCell } from './markdown.js';
import { templateSpec, templateText } from './templates.generated.js';

/** Where pull request numbers link to; without it they are written `#12`, which GitHub links itself. */
export interface ReleaseNotesOptions {
  /** `owner/name` of the repository. */
  repository?: string;
  /** Default `https://github.com` (GitHub Enterprise Server differs). */
  serverUrl?: string;
}

/** How many CIs a row names before it says how many more. */
const maxCisShown = 10;

interface NotesModel {
  id: string;
  title?: string;
  about: string;
  ready: boolean;
  reasons: string[];
  changes: Array<{
    id: string;
    title?: string;
    type?: string;
    status: string;
    risk?: string;
    cis: string[];
    requester?: string;
    pullRequest?: number;
  }>;
  link?: (number: number) => string;
}

type HelperOptions = Handlebars.HelperOptions;
const maxOf = (options: HelperOptions): number | undefined =>
  typeof options.hash['max'] === 'number' ? (options.hash['max'] as number) : undefined;
const orDash = (text: string): string => (text === '' ? '—' : text);

/**
 * The helpers the release notes template may call: each one escapes what it prints (record text
 * is untrusted), so a test can check the template prints nothing else.
 */
export const releaseNotesHelpers = {
  /** Untrusted text in a paragraph, heading or list item. */
  text: (value: unknown, options: HelperOptions) =>
    escapeText(value, { maxLength: maxOf(options) }),
  /** Untrusted text as a code span. */
  code: (value: unknown, options: HelperOptions) =>
    inlineCode(value, { maxLength: maxOf(options) }),
  /** Untrusted text in a table cell; an em dash when empty. */
  cell: (value: unknown, options: HelperOptions) =>
    orDash(tableCell(value, { maxLength: maxOf(options) })),
  /** Untrusted text as a code span in a table cell. */
  cellcode: (value: unknown) => orDash(inlineCode(value, { maxLength: 100, inTable: true })),
  /** CI ids as code spans in a table cell, the first ten and how many more. */
  cis: (ids: unknown) => {
    if (!Array.isArray(ids) || ids.length === 0) return '—';
    const shown = ids
      .slice(0, maxCisShown)
      .map((id) => inlineCode(id, { maxLength: 80, inTable: true }));
    const more = ids.length - shown.length;
    return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  },
  /** A pull request number (ours, a checked integer): `#12`, or a link when the repository is known. */
  pr: (value: unknown, options: HelperOptions) => {
    if (!Number.isSafeInteger(value) || (value as number) < 1) return '—';
    const link = (options.data as { root: NotesModel }).root.link;
    return link ? `[#${value as number}](${link(value as number)})` : `#${value as number}`;
  },
};

let compiled: Handlebars.TemplateDelegate<NotesModel> | undefined;

function template(): Handlebars.TemplateDelegate<NotesModel> {
  if (compiled) return compiled;
  const hb = runtime.create();
  for (const [name, helper] of Object.entries(releaseNotesHelpers))
    hb.registerHelper(name, helper as Handlebars.HelperDelegate);
  compiled = hb.template<NotesModel>(templateSpec.releaseNotes);
  return compiled;
}

/** The template source, for the test that checks every value goes through a helper. */
export const releaseNotesTemplate: string = templateText.releaseNotes;

/**
 * Release notes in GitHub-flavoured markdown: the release, a warning with every reason when it
 * is not ready, and a row per change (title, type, status, risk, CIs, requester, the pull
 * request that carried it). Every record string is made inert (no markup, mention or link).
 */
export function renderReleaseNotes(notes: ReleaseNotes, options: ReleaseNotesOptions = {}): string {
  const { release } = notes;
  const about = [
    release.version !== undefined ? `Version ${release.version}` : undefined,
    release.type !== undefined
      ? `${/^[aeiou]/.test(release.type) ? 'an' : 'a'} ${release.type} release`
      : undefined,
    release.schedule
      ? `scheduled from ${release.schedule.start} to ${release.schedule.end}`
      : undefined,
    release.status !== undefined ? `status ${release.status}` : undefined,
    `changes as merged into ${notes.branch}`,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const model: NotesModel = {
    id: release.id,
    ...(release.title !== undefined ? { title: release.title } : {}),
    about: `${about}.`,
    ready: notes.ready,
    reasons: notes.reasons,
    changes: notes.changes.map((change) => ({
      id: change.id,
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.type !== undefined ? { type: change.type } : {}),
      status: change.merged ? (change.status ?? '') : `not on ${notes.branch}`,
      ...(change.risk
        ? {
            risk: `${change.risk.level ? `${change.risk.level} (` : ''}likelihood ${change.risk.likelihood}, impact ${change.risk.impact}${change.risk.level ? ')' : ''}`,
          }
        : {}),
      cis: change.cis,
      ...(change.requester !== undefined ? { requester: change.requester } : {}),
      ...(change.pullRequest !== undefined ? { pullRequest: change.pullRequest } : {}),
    })),
  };
  const link = pullRequestLinker(options);
  if (link) model.link = link;
  return template()(model);
}

const repositoryPattern = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

function pullRequestLinker(options: ReleaseNotesOptions): ((number: number) => string) | undefined {
  const repository = options.repository;
  if (!repository || !repositoryPattern.test(repository)) return undefined;
  if (repository.split('/').some((part) => part === '.' || part === '..')) return undefined;
  const server = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s<>()[\]`"'\\|]+$/.test(server) || server.length > 2000) return undefined;
  return (number) => `${server}/${repository}/pull/${number}`;
}
