import { RequestError } from '@octokit/request-error';
import type { PullRequestRecord, StatusFacts } from '../evaluate/evidence.js';
import type { RepositoryRef } from './repository-ref.js';
import type { GitHubClient } from './octokit.js';
import { readCommits, readReviews } from './pull-request-facts.js';

/**
 * Reads what GitHub recorded of one pull request through the REST API, in pages of 100: the pull
 * request (author, head commit, merge time), every review and commit, and the statuses on its
 * head commit. GitHub lists at most 250 commits; more are flagged `commitsTruncated`. Four requests for a pull request of up to 100 reviews and commits. A 403, 404 or
 * 410 (no access, a deleted pull request) is answered with `refused`, not thrown.
 */
export async function readPullRequestRecord(
  client: GitHubClient,
  target: RepositoryRef,
  number: number,
): Promise<(PullRequestRecord & { requests: number }) | { refused: string; requests: number }> {
  let requests = 0;
  try {
    const { data: pr } = await client.rest.pulls.get({ ...target, pull_number: number });
    requests++;
    const reviews = await readReviews(client, target, number, () => requests++);
    const { commits } = await readCommits(client, target, number, () => requests++);
    const { data: listed } = await client.rest.repos.listCommitStatusesForRef({
      ...target,
      ref: pr.head.sha,
      per_page: 100,
    });
    requests++;
    const statuses = listed.map((status): StatusFacts => ({
      context: status.context,
      state: status.state,
      description: status.description ?? null,
      creator: status.creator?.login ?? null,
      createdAt: status.created_at,
      targetUrl: status.target_url ?? null,
    }));
    return {
      pullRequest: {
        number,
        author: pr.user?.login ?? '',
        headSha: pr.head.sha,
        commits,
        commitsTruncated: pr.commits > commits.length,
        reviews,
      },
      mergedAt: pr.merged_at ?? null,
      mergeCommitSha: pr.merged_at ? (pr.merge_commit_sha ?? null) : null,
      statuses,
      requests,
    };
  } catch (error) {
    if (error instanceof RequestError && [403, 404, 410].includes(error.status))
      return {
        refused: `${error.status}: ${error.message.split('\n', 1)[0]!.slice(0, 200)}`,
        requests: requests + 1,
      };
    throw error;
  }
}
