import { join } from 'node:path';
import {
  decideEvidence,
  findEvidenceSubject,
  type EvidenceDecision,
  type EvidenceFacts,
  type EvidenceSubject,
} from '../evaluate/evidence.js';
import { writeFilesOnce, type WriteOnceResult } from '../fs/write-once.js';
import { originRepository } from '../git/remote.js';
import type { RepositoryRef } from '../github/repository-ref.js';
import type { GitHubClient } from '../github/octokit.js';
import { readPullRequestRecord } from '../github/pull-request-record.js';
import { readBranchHistory } from './branch-history.js';
import { SetupError } from './errors/setup-error.js';
import { loadWorkspaceAtCommit } from './load-workspace-at.js';
import { loadWorkspace } from './load-workspace.js';

/** What `evidence` is asked: a change, the branch, GitHub when there is a token, where to write. */
export interface EvidenceRequest {
  root: string;
  id: string;
  /** The branch whose history counts; the default branch when left out. */
  branch?: string;
  /** Read the approval pull requests' reviews and the gate's status from GitHub. */
  github?: {
    client: GitHubClient;
    /** `owner/name`; the `origin` remote's when left out. */
    repository?: RepositoryRef;
  };
  /** Write `<id>.evidence.md` (and `.json` with `json`) into this folder. */
  out?: { dir: string; json: boolean; force: boolean };
}

/** The evidence of a change (and what became of the files), or why there is none. */
export type EvidenceResult =
  | Extract<EvidenceSubject, { found: false }>
  | (EvidenceDecision & {
      found: true;
      /** The files written, when asked; `refused` lists those that hold other text. */
      files?: WriteOnceResult;
      /** GitHub API requests made. */
      requests: number;
    });

/** The most approval pull requests read from GitHub for one change. */
const maxPullRequests = 10;

/**
 * The `evidence` use case: reads the branch's history of the records (two git processes), finds
 * the change and the approval it went ahead on, loads the records at that approval commit through
 * git (the CMDB then, not today's), with a client reads each approval pull request's reviews,
 * commits and head statuses (four requests each), decides the pack once, and with `out` writes
 * it, never over a file that holds other text unless forced. Throws a GitError when git cannot
 * answer, and a SetupError when GitHub is asked but no repository is known.
 */
export async function evidence(request: EvidenceRequest): Promise<EvidenceResult> {
  const workspace = loadWorkspace(request.root);
  const limits = workspace.estate.policy.limits;
  const { repo, history } = await readBranchHistory(request.root, {
    ...(request.branch !== undefined ? { branch: request.branch } : {}),
    limits,
  });
  const subject = findEvidenceSubject(
    history,
    request.id,
    limits,
    new Set(workspace.estate.changes.keys()),
  );
  if (!subject.found) return subject;
  const facts: EvidenceFacts = { subject };
  if (subject.approval) {
    const sha = subject.approval.commit.sha;
    facts.atApproval = { sha, workspace: await loadWorkspaceAtCommit(repo, sha) };
  }
  let requests = 0;
  if (request.github) {
    const repository = request.github.repository ?? (await originRepository(repo));
    if (!repository)
      throw new SetupError(
        'cannot tell which GitHub repository to read: give --repo OWNER/NAME (or set GITHUB_REPOSITORY), or add an origin remote on GitHub',
      );
    facts.github = [];
    for (const number of subject.approvalPullRequests.slice(0, maxPullRequests)) {
      const read = await readPullRequestRecord(request.github.client, repository, number);
      requests += read.requests;
      facts.github.push(
        'refused' in read ? { number, refused: read.refused } : { number, record: read },
      );
    }
  }
  const decision = decideEvidence(facts);
  const result: EvidenceResult = { found: true, ...decision, requests };
  if (request.out) {
    const base = join(request.out.dir, `${subject.timeline.id}.evidence`);
    result.files = writeFilesOnce(
      [
        { path: `${base}.md`, text: decision.markdown },
        ...(request.out.json
          ? [{ path: `${base}.json`, text: `${JSON.stringify(decision.pack, null, 2)}\n` }]
          : []),
      ],
      { force: request.out.force },
    );
  }
  return result;
}
