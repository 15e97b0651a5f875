import {
  decideReport,
  type ListedProblemIssues,
  type ReportDecision,
} from '../evaluate/report-kpis.js';
import type { BranchRef } from '../git/ref.js';
import { listLabelledIssues } from '../github/labelled-issues.js';
import type { RepositoryRef } from '../github/repository-ref.js';
import type { GitHubClient } from '../github/octokit.js';
import { problemLabel } from '../problems/markers.js';
import { readBranchHistory } from './branch-history.js';
import { loadWorkspace } from './load-workspace.js';

/** What `report` is asked: a repository, a window, the branch, and GitHub when there is a token. */
export interface ReportRequest {
  root: string;
  /** The window [since, until), epoch milliseconds; open at an end left out. */
  since?: number;
  until?: number;
  /** The branch whose history counts (a ref, or a ref and its name); the default branch when left out. */
  branch?: string | BranchRef;
  /** Read the problem issues from GitHub too (label `problem`, opened by `botLogin`). */
  github?: { client: GitHubClient; repository: RepositoryRef; botLogin: string };
}

/** The report, and how many API requests reading GitHub took. */
export interface ReportResult extends ReportDecision {
  requests: number;
}

/**
 * The `report` use case: loads the records on disk (the policy's limits, the schedules for
 * collisions and freezes), reads the branch's history of the records through git (two
 * processes) and, with a client, the problem issues from GitHub (listed by label, in pages of
 * 100), then computes the KPIs once. Throws a GitError when the history cannot be read.
 */
export async function report(request: ReportRequest): Promise<ReportResult> {
  const workspace = loadWorkspace(request.root);
  const { history } = await readBranchHistory(request.root, {
    ...(request.branch !== undefined ? { branch: request.branch } : {}),
    limits: workspace.estate.policy.limits,
  });
  let github: ListedProblemIssues | undefined;
  let requests = 0;
  if (request.github) {
    const { client, repository, botLogin } = request.github;
    const listed = await listLabelledIssues(client, repository, problemLabel);
    requests = listed.requests;
    github =
      'refused' in listed
        ? { botLogin, issues: [], refused: listed.refused }
        : { botLogin, issues: listed.issues, truncated: listed.truncated };
  }
  const decision = decideReport({
    workspace,
    history,
    window: {
      ...(request.since !== undefined ? { since: request.since } : {}),
      ...(request.until !== undefined ? { until: request.until } : {}),
    },
    ...(github ? { github } : {}),
  });
  return { ...decision, requests };
}
