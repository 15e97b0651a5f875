import { RequestError } from '@octokit/request-error';
import type { RetrospectiveIssue } from '../render/retrospective.js';
import type { GitHubClient } from './octokit.js';
import type { RepositoryRef } from './repository-ref.js';
import { noRetry } from './requests.js';

/** What became of one retrospective-review issue. */
export interface RetrospectiveOutcome {
  change: string;
  number: number;
  action: 'created' | 'exists';
}

interface ListedIssue {
  number: number;
  body?: string | null;
  user: { login: string } | null;
  pull_request?: unknown;
}

/**
 * Opens each retrospective-review issue once, across re-runs, concurrent runs and retried
 * requests: our issues are listed (by creator, open and closed, 100 a page; never through search,
 * whose index lags) and matched by their hidden marker and our login; only the missing ones are
 * created, with retries off, and after a failed create the list is read again before trying once
 * more (the create may have happened before the error).
 */
export async function openRetrospectives(
  client: GitHubClient,
  target: RepositoryRef,
  botLogin: string,
  issues: readonly RetrospectiveIssue[],
): Promise<RetrospectiveOutcome[]> {
  if (issues.length === 0) return [];
  const outcomes: RetrospectiveOutcome[] = [];
  let listed = await listOurs(client, target, botLogin);
  for (const issue of issues) {
    const existing = listed.get(issue.marker);
    if (existing !== undefined) {
      outcomes.push({ change: issue.change, number: existing, action: 'exists' });
      continue;
    }
    const create = async () =>
      (
        await client.rest.issues.create({
          ...target,
          title: issue.title,
          body: issue.body,
          labels: issue.labels,
          ...noRetry,
        })
      ).data.number;
    let number: number;
    try {
      number = await create();
    } catch (error) {
      if (!(error instanceof RequestError) || error.status < 500) throw error;
      listed = await listOurs(client, target, botLogin);
      number = listed.get(issue.marker) ?? (await create());
    }
    listed.set(issue.marker, number);
    outcomes.push({ change: issue.change, number, action: 'created' });
  }
  return outcomes;
}

/** Our issues by the marker on their first line. */
async function listOurs(
  client: GitHubClient,
  target: RepositoryRef,
  botLogin: string,
): Promise<Map<string, number>> {
  const all = (await client.paginate(client.rest.issues.listForRepo, {
    ...target,
    creator: botLogin,
    state: 'all',
    per_page: 100,
  })) as ListedIssue[];
  const byMarker = new Map<string, number>();
  for (const issue of all) {
    // The issues API lists pull requests too; and only what we created is ours.
    if (issue.pull_request || issue.user?.login.toLowerCase() !== botLogin.toLowerCase()) continue;
    const first = (issue.body ?? '').split('\n', 1)[0] ?? '';
    if (first.startsWith('<!-- changeops:retrospective ') && !byMarker.has(first))
      byMarker.set(first, issue.number);
  }
  return byMarker;
}
