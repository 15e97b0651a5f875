import type { History, HistoryCommit, HistoryFile } from '../../../src/report/facts.js';
import { pullRequestOf } from '../../../src/report/facts.js';

/** One commit of a hand-made history: its date, and each file it writes (null: deletes it). */
export interface CommitSpec {
  date: string;
  subject?: string;
  login?: string;
  boundary?: boolean;
  files: Record<string, string | null>;
  /** Renames, new path -> old path; the new path's text goes in `files`. */
  renames?: Record<string, string>;
}

/**
 * A History as the edge would give it, made by hand for unit tests: files written for the first
 * time are added, later ones modified, null ones deleted.
 */
export function historyOf(specs: readonly CommitSpec[], ref = 'main'): History {
  const present = new Set<string>();
  const commits: HistoryCommit[] = specs.map((spec, index) => {
    const files: HistoryFile[] = [];
    for (const [path, text] of Object.entries(spec.files)) {
      const previousPath = spec.renames?.[path];
      if (text === null) {
        present.delete(path);
        files.push({ status: 'deleted', path });
      } else if (previousPath) {
        present.delete(previousPath);
        present.add(path);
        files.push({ status: 'renamed', path, previousPath, text });
      } else {
        files.push({ status: present.has(path) ? 'modified' : 'added', path, text });
        present.add(path);
      }
    }
    const subject = spec.subject ?? `commit ${index + 1}`;
    const pullRequest = pullRequestOf(subject);
    const login = spec.login ?? 'octocat';
    return {
      sha: (index + 1).toString(16).padStart(4, '0').padEnd(40, 'f'),
      parents: [],
      date: spec.date,
      at: Date.parse(spec.date),
      authorDate: spec.date,
      author: { name: login, email: `${login}@users.noreply.github.com`, login },
      subject,
      ...(pullRequest ? { pullRequest } : {}),
      boundary: spec.boundary ?? false,
      files,
    };
  });
  return { ref, commits, shallow: commits.some((c) => c.boundary), notes: [] };
}

/** A change record's YAML with the fields given (status proposed, type normal by default). */
export function change(id: string, fields: Record<string, unknown> = {}): string {
  const data: Record<string, unknown> = {
    apiVersion: 'changeops/v1',
    kind: 'Change',
    id,
    title: `Change ${id}`,
    type: 'normal',
    status: 'proposed',
    requester: 'octocat',
    cis: ['pg-payments'],
    ...fields,
  };
  return yamlOf(data);
}

/** A release record's YAML. */
export function release(id: string, fields: Record<string, unknown> = {}): string {
  const data: Record<string, unknown> = {
    apiVersion: 'changeops/v1',
    kind: 'Release',
    id,
    title: `Release ${id}`,
    version: '2026.12.0',
    type: 'minor',
    status: 'planned',
    changes: [],
    ...fields,
  };
  return yamlOf(data);
}

/** Flow-style YAML of a mapping (JSON is YAML), leaving undefined fields out. */
function yamlOf(data: Record<string, unknown>): string {
  return `${Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n')}\n`;
}
