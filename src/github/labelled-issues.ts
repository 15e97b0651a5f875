import { RequestError } from '@octokit/request-error';
import { httpProblem } from './api-problem.js';
import type { ListedIssue } from '../problems/markers.js';
import type { GitHubClient } from './octokit.js';
import type { RepositoryRef } from './repository-ref.js';

/** Issues listed by label, or why they could not be read. */
export type LabelledIssues =
  | {
      issues: ListedIssue[];
      /** More pages than the cap allows: the oldest issues were not read. */
      truncated: boolean;
      requests: number;
    }
  | { refused: string; requests: number };

/** Pages of 100 read at most: 2,000 issues, 20 requests. */
export const maxIssuePages = 20;

/**
 * Every issue with a label, open and closed, newest first, in pages of 100 (at most
 * `maxIssuePages`): listed, never searched, because the search index lags behind writes. An
 * error status (a token GitHub refuses, one that may not read issues, issues turned off, a 5xx
 * after the retries) is answered, not thrown.
 */
export async function listLabelledIssues(
  client: GitHubClient,
  target: RepositoryRef,
  label: string,
  maxPages = maxIssuePages,
): Promise<LabelledIssues> {
  const issues: ListedIssue[] = [];
  let requests = 0;
  let truncated = false;
  try {
    for await (const page of client.paginate.iterator(client.rest.issues.listForRepo, {
      owner: target.owner,
      repo: target.repo,
      labels: label,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: 100,
    })) {
      requests++;
      for (const issue of page.data as ListedIssue[]) issues.push(issue);
      if (requests >= maxPages) {
        truncated = /\brel="next"/.test(String(page.headers.link ?? ''));
        break;
      }
    }
  } catch (error) {
    // Whatever GitHub answers (a token it refuses, 401, included), the report goes on without.
    if (error instanceof RequestError)
      return { refused: httpProblem(error), requests: requests + 1 };
    throw error;
  }
  return { issues, truncated, requests };
}
