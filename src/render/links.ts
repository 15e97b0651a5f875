import type { Finding } from '../records/finding.js';

/**
 * Link safety. Links are built only from parts we can check: the repository and commit from
 * the event, the path segment by segment. An untrusted part that does not check out gives no
 * link, just the text.
 */

/** Gives the link to a finding's file at the head commit, or undefined when none is safe. */
export type Linker = (finding: Finding) => string | undefined;

/** A repository as `owner/name`, as GitHub spells one. */
export const repositoryPattern = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const shaPattern = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The linker for a repository (`owner/name`) at a commit on a GitHub server. */
export function fileLinker(
  repository: string | undefined,
  headSha: string | undefined,
  serverUrl = 'https://github.com',
): Linker {
  const server = serverUrl.replace(/\/+$/, '');
  const repo = repository ?? '';
  const sha = headSha ?? '';
  if (!safeUrl(server) || !repositoryPattern.test(repo) || !shaPattern.test(sha)) {
    return () => undefined;
  }
  if (repo.split('/').some((part) => part === '.' || part === '..')) return () => undefined;
  return (finding) => {
    const segments = finding.file.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
    const path = segments.map(encodePathSegment).join('/');
    const anchor = Number.isInteger(finding.line) && finding.line >= 1 ? `#L${finding.line}` : '';
    return `${server}/${repo}/blob/${sha}/${path}${anchor}`;
  };
}

/**
 * A part of a URL (a path segment, a query value), percent-encoded: encodeURIComponent leaves
 * `!'()*` alone, and a `)` would end a markdown link destination.
 */
export function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** An http(s) URL with nothing that could end a markdown link or an HTML attribute. */
export function safeUrl(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\/[^\s<>()[\]`"'\\|]+$/.test(url) && url.length <= 2000;
}
