import { RequestError } from '@octokit/request-error';
import type { RepositoryRef } from './repository-ref.js';
import type { GitHubClient } from './octokit.js';
import { noRetry } from './requests.js';

/** A pull request that carried a commit, as GitHub lists it. */
export interface CommitPullRequest {
  number: number;
  state: string;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  baseRef: string;
}

/**
 * The merged pull requests into `baseRef` that carried a commit
 * (`GET /repos/{owner}/{repo}/commits/{sha}/pulls`): for a merge commit on the default branch,
 * the pull request it merged, first. Open pull requests that merely contain the commit (a branch
 * made from the default branch) are not the change's and are left out.
 */
export async function pullRequestsOfCommit(
  client: GitHubClient,
  target: RepositoryRef,
  sha: string,
  baseRef: string,
): Promise<CommitPullRequest[]> {
  const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
    ...target,
    commit_sha: sha,
    per_page: 100,
  });
  const pulls = data.map((pr) => ({
    number: pr.number,
    state: pr.state,
    mergedAt: pr.merged_at ?? null,
    mergeCommitSha: pr.merge_commit_sha ?? null,
    baseRef: pr.base.ref,
  }));
  return pulls
    .filter((pr) => pr.mergedAt !== null && pr.baseRef === baseRef)
    .sort(
      (a, b) =>
        Number(b.mergeCommitSha === sha) - Number(a.mergeCommitSha === sha) || a.number - b.number,
    );
}

/**
 * The newest commit reachable from `sha` that changed `path` (`GET .../commits?sha&path`): the
 * commit that brought a record to its current text, found through the API because a checkout is
 * usually shallow. Undefined when there is none.
 */
export async function lastCommitOf(
  client: GitHubClient,
  target: RepositoryRef,
  sha: string,
  path: string,
): Promise<string | undefined> {
  const { data } = await client.rest.repos.listCommits({ ...target, sha, path, per_page: 1 });
  return data[0]?.sha;
}

/** One file of a proposed commit: new text, an existing blob, or a deletion. */
export type TreeChange =
  | { path: string; mode: string; content: string }
  | { path: string; mode: string; sha: string }
  | { path: string; mode: string; bytes: Buffer }
  | { path: string; delete: true };

/** A branch with one commit on top of `baseCommit`, and the pull request that proposes it. */
export interface BranchProposal {
  branch: string;
  /** Where the pull request goes: the default branch. */
  base: string;
  /** The commit the branch starts from (the verified commit) and its tree. */
  baseCommit: string;
  baseTree: string;
  changes: readonly TreeChange[];
  message: string;
  title: string;
  body: string;
  /** Our login: a pull request of someone else's on the branch is not ours. */
  botLogin: string;
}

/** What became of a proposal. */
export type ProposalOutcome =
  { action: 'created' | 'exists'; number: number } | { action: 'refused'; reason: string };

/**
 * Opens the pull request once: a pull request of ours from the branch (open, closed or merged)
 * means it was proposed already, and nothing is written. Otherwise the commit is made through
 * the git data API (blobs, tree, commit, ref: works with `contents: write`, never pushes to a
 * protected branch) and the pull request opened. A branch that exists without a pull request
 * of ours is used only when it holds exactly the tree this proposal makes (an earlier run that
 * stopped before the pull request); otherwise it is someone else's, and the proposal is refused
 * with a sentence. A create that fails with a 5xx is looked up before it is tried again.
 * 403 and 404 (no `contents: write` or `pull-requests: write`) come back as `refused`.
 */
export async function proposeBranch(
  client: GitHubClient,
  target: RepositoryRef,
  proposal: BranchProposal,
): Promise<ProposalOutcome> {
  try {
    return await propose(client, target, proposal);
  } catch (error) {
    if (error instanceof RequestError && (error.status === 403 || error.status === 404)) {
      const need = error.status === 403 ? 'contents: write and pull-requests: write' : 'access';
      return {
        action: 'refused',
        reason: `GitHub refused (${error.status}: ${firstLine(error.message)}); the workflow needs ${need}`,
      };
    }
    throw error;
  }
}

async function propose(
  client: GitHubClient,
  target: RepositoryRef,
  proposal: BranchProposal,
): Promise<ProposalOutcome> {
  const existing = await ourPullRequest(client, target, proposal);
  if (existing !== undefined) return { action: 'exists', number: existing };

  const tree = await createTree(client, target, proposal);
  const current = await branchHead(client, target, proposal.branch);
  if (current !== undefined) {
    const { data } = await client.rest.git.getCommit({ ...target, commit_sha: current });
    if (data.tree.sha !== tree)
      return {
        action: 'refused',
        reason: `the branch ${proposal.branch} exists already and holds other content than this proposal; delete it and run verify again`,
      };
  } else {
    const { data: commit } = await client.rest.git.createCommit({
      ...target,
      message: proposal.message,
      tree,
      parents: [proposal.baseCommit],
    });
    try {
      await client.rest.git.createRef({
        ...target,
        ref: `refs/heads/${proposal.branch}`,
        sha: commit.sha,
        ...noRetry,
      });
    } catch (error) {
      // 422: it exists (a concurrent run, or a create whose answer was lost): use it if it is ours.
      if (!(error instanceof RequestError) || (error.status !== 422 && error.status < 500))
        throw error;
      const head = await branchHead(client, target, proposal.branch);
      if (head === undefined) throw error;
      const { data } = await client.rest.git.getCommit({ ...target, commit_sha: head });
      if (data.tree.sha !== tree)
        return {
          action: 'refused',
          reason: `the branch ${proposal.branch} was created meanwhile with other content; delete it and run verify again`,
        };
    }
  }
  return openPullRequest(client, target, proposal);
}

async function openPullRequest(
  client: GitHubClient,
  target: RepositoryRef,
  proposal: BranchProposal,
): Promise<ProposalOutcome> {
  const create = async () =>
    (
      await client.rest.pulls.create({
        ...target,
        head: proposal.branch,
        base: proposal.base,
        title: proposal.title,
        body: proposal.body,
        maintainer_can_modify: true,
        ...noRetry,
      })
    ).data.number;
  try {
    return { action: 'created', number: await create() };
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    // 422 "already exists" (a concurrent run) or a 5xx after it was stored: look before retrying.
    if (error.status !== 422 && error.status < 500) throw error;
    const found = await ourPullRequest(client, target, proposal);
    if (found !== undefined)
      return { action: error.status === 422 ? 'exists' : 'created', number: found };
    if (error.status === 422)
      return {
        action: 'refused',
        reason: `GitHub would not open the pull request from ${proposal.branch}: ${firstLine(error.message)}`,
      };
    return { action: 'created', number: await create() };
  }
}

/** Our pull request from the branch into the base, in any state; the oldest when there are several. */
async function ourPullRequest(
  client: GitHubClient,
  target: RepositoryRef,
  proposal: BranchProposal,
): Promise<number | undefined> {
  const { data } = await client.rest.pulls.list({
    ...target,
    head: `${target.owner}:${proposal.branch}`,
    base: proposal.base,
    state: 'all',
    per_page: 100,
  });
  const bot = proposal.botLogin.toLowerCase();
  const ours = data
    .filter((pr) => pr.user?.login.toLowerCase() === bot)
    .sort((a, b) => a.number - b.number);
  return ours[0]?.number;
}

/** The branch's head commit, or undefined when there is no such branch. */
async function branchHead(
  client: GitHubClient,
  target: RepositoryRef,
  branch: string,
): Promise<string | undefined> {
  try {
    const { data } = await client.rest.git.getRef({ ...target, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * The proposal's tree: the base tree with the changes applied. New bytes are uploaded as blobs
 * first; text goes inline. Both are content-addressed, so a retried request makes the same tree.
 */
async function createTree(
  client: GitHubClient,
  target: RepositoryRef,
  proposal: BranchProposal,
): Promise<string> {
  const entries: Array<{
    path: string;
    mode: '100644' | '100755' | '040000' | '160000' | '120000';
    type: 'blob' | 'commit';
    sha?: string | null;
    content?: string;
  }> = [];
  for (const change of proposal.changes) {
    if ('delete' in change) {
      entries.push({ path: change.path, mode: '100644', type: 'blob', sha: null });
      continue;
    }
    const mode = fileMode(change.mode);
    const type = mode === '160000' ? 'commit' : 'blob';
    if ('content' in change)
      entries.push({ path: change.path, mode, type, content: change.content });
    else if ('sha' in change) entries.push({ path: change.path, mode, type, sha: change.sha });
    else {
      const { data } = await client.rest.git.createBlob({
        ...target,
        content: change.bytes.toString('base64'),
        encoding: 'base64',
      });
      entries.push({ path: change.path, mode, type, sha: data.sha });
    }
  }
  const { data } = await client.rest.git.createTree({
    ...target,
    base_tree: proposal.baseTree,
    tree: entries,
  });
  return data.sha;
}

function fileMode(mode: string): '100644' | '100755' | '160000' | '120000' {
  return mode === '100755' || mode === '160000' || mode === '120000' ? mode : '100644';
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}

/** The files a pull request changed (every page; GitHub lists at most 3,000). */
export async function pullRequestFiles(
  client: GitHubClient,
  target: RepositoryRef,
  number: number,
): Promise<Array<{ filename: string; status: string; previousFilename?: string }>> {
  const files = await client.paginate(client.rest.pulls.listFiles, {
    ...target,
    pull_number: number,
    per_page: 100,
  });
  return files.map((file) => ({
    filename: file.filename,
    status: file.status,
    ...(file.previous_filename ? { previousFilename: file.previous_filename } : {}),
  }));
}

/** The repository's default branch (`GET /repos/{owner}/{repo}`), when the event does not say. */
export async function defaultBranchOf(
  client: GitHubClient,
  target: RepositoryRef,
): Promise<string> {
  const { data } = await client.rest.repos.get({ ...target });
  return data.default_branch;
}
