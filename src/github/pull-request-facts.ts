import { RequestError } from '@octokit/request-error';
import type { CommitFacts, ReviewFacts, TeamMembership } from '../approvals/facts.js';
import { httpProblem } from './api-problem.js';
import type { PullRequestRef } from './event.js';
import type { RepositoryRef } from './repository-ref.js';
import type { GitHubClient } from './octokit.js';

/** GitHub lists at most this many commits of a pull request. */
export const maxListedCommits = 250;

/** What a read that failed says (see api-problem.ts), for the gate's sentences. */
export { httpProblem };

/**
 * A pull request by number, as the events describe one (a merge group names its pull requests
 * only by number): head and base, author, whether it comes from a fork.
 */
export async function readPullRequest(
  client: GitHubClient,
  target: RepositoryRef,
  number: number,
): Promise<PullRequestRef> {
  const { data } = await client.rest.pulls.get({ ...target, pull_number: number });
  return {
    number: data.number,
    headSha: data.head.sha,
    headRef: data.head.ref,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    author: data.user?.login ?? '',
    fromFork: data.head.repo?.full_name !== data.base.repo.full_name,
    ...(data.head.repo?.full_name ? { headRepository: data.head.repo.full_name } : {}),
    ...(data.state === 'closed' ? { merged: data.merged } : {}),
  };
}

/**
 * Every review of a pull request, 100 a page, in GitHub's REST shape (what the core reads).
 * `onPage` is told of each page read, for callers that count their requests.
 */
export async function readReviews(
  client: GitHubClient,
  target: RepositoryRef,
  number: number,
  onPage: () => void = () => {},
): Promise<ReviewFacts[]> {
  const reviews: ReviewFacts[] = [];
  for await (const page of client.paginate.iterator(client.rest.pulls.listReviews, {
    ...target,
    pull_number: number,
    per_page: 100,
  })) {
    onPage();
    for (const review of page.data)
      reviews.push({
        id: review.id,
        user: review.user ? { login: review.user.login, type: review.user.type } : null,
        state: review.state,
        commit_id: review.commit_id,
        submitted_at: review.submitted_at ?? null,
      });
  }
  return reviews;
}

/**
 * The commits of a pull request with the GitHub logins of their authors and committers, 100 a
 * page; `truncated` when GitHub listed as many as it ever lists, so some may be missing.
 */
export async function readCommits(
  client: GitHubClient,
  target: RepositoryRef,
  number: number,
  onPage: () => void = () => {},
): Promise<{ commits: CommitFacts[]; truncated: boolean }> {
  const commits: CommitFacts[] = [];
  for await (const page of client.paginate.iterator(client.rest.pulls.listCommits, {
    ...target,
    pull_number: number,
    per_page: 100,
  })) {
    onPage();
    for (const commit of page.data)
      commits.push({
        sha: commit.sha,
        author: commit.author?.login ?? null,
        committer: commit.committer?.login ?? null,
      });
  }
  return { commits, truncated: commits.length >= maxListedCommits };
}

/**
 * The active members of each team (`@org/slug`), 100 a page, or why they could not be read. The
 * members endpoint lists active members only, so a pending invitation is simply not a member.
 * A refusal (403: the workflow's GITHUB_TOKEN has no members permission), a team that does not
 * exist or cannot be seen (404), or any other failure becomes `{error}`: the core fails closed
 * on every requirement that needs the team.
 */
export async function readTeamMembers(
  client: GitHubClient,
  teams: readonly string[],
): Promise<Record<string, TeamMembership>> {
  const result: Record<string, TeamMembership> = {};
  for (const team of teams) {
    const [org = '', slug = ''] = team.replace(/^@/, '').split('/');
    if (!org || !slug) {
      result[team] = { error: `${team} is not a team of the form @org/team` };
      continue;
    }
    try {
      const members = await client.paginate(client.rest.teams.listMembersInOrg, {
        org,
        team_slug: slug,
        per_page: 100,
      });
      result[team] = { active: members.map((member) => member.login), pending: [] };
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      result[team] = {
        error:
          error.status === 404
            ? `HTTP 404: the team does not exist, or the token cannot see it`
            : httpProblem(error),
      };
    }
  }
  return result;
}
