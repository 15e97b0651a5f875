// The state the fake GitHub keeps: plain records that tests seed and inspect. Logins and
// repository names are case-insensitive on GitHub, so every map is keyed in lower case.
import { createHash } from 'node:crypto';
import { GitStore } from './github-git-store.js';

/** The kind of account behind a login. */
export type AccountType = 'User' | 'Bot' | 'Organization';

/** A GitHub account known to the fake. */
export interface UserRecord {
  login: string;
  id: number;
  type: AccountType;
  name: string | null;
  email: string | null;
  /** For a bot: the slug of the App it acts for (`github-actions`, `changeops-app`). */
  appSlug?: string;
}

/** Repository and organisation permissions of a token, as a GitHub App names them. */
export type PermissionName =
  | 'actions'
  | 'checks'
  | 'contents'
  | 'issues'
  | 'members'
  | 'metadata'
  | 'pull_requests'
  | 'statuses';

/** What a token may do, per permission; an absent permission means none. */
export type Permissions = Partial<Record<PermissionName, 'read' | 'write'>>;

/** A GitHub App known to the fake. */
export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  owner: string;
  permissions: Permissions;
  installationId: number;
  clientId: string;
}

/** The states a pull request review can be in. */
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** How GitHub relates an author to a repository. */
export type AuthorAssociation =
  | 'OWNER'
  | 'MEMBER'
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'MANNEQUIN'
  | 'NONE';

/** One changed file of a pull request or comparison. */
export interface FileRecord {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  patch?: string;
  previousFilename?: string;
  sha: string;
}

/** A pull request review. */
export interface ReviewRecord {
  id: number;
  user: string;
  state: ReviewState;
  commitId: string | null;
  submittedAt: string | null;
  body: string;
  authorAssociation?: AuthorAssociation;
}

/** A commit as the fake lists it (PR commits, comparisons). */
export interface CommitRecord {
  sha: string;
  message: string;
  author: string | null;
  parents: string[];
  date: string;
}

/** A pull request with everything hanging off it. */
export interface PullRequestRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  author: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  locked: boolean;
  mergeCommitSha: string | null;
  head: { sha: string; ref: string; repo: string };
  base: { sha: string; ref: string };
  labels: string[];
  assignees: string[];
  files: FileRecord[];
  reviews: ReviewRecord[];
  commits: CommitRecord[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** An issue (pull requests are kept apart, in `pulls`). */
export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  author: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'reopened' | 'not_planned' | 'duplicate' | null;
  labels: string[];
  assignees: string[];
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

/** A comment on an issue or pull request conversation. */
export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  /** Who last edited the body, if anyone did: the bot must edit only what it created. */
  updatedBy: string | null;
}

/** The states a commit status can be in. */
export type StatusState = 'error' | 'failure' | 'pending' | 'success';

/** A commit status. */
export interface StatusRecord {
  id: number;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

/** A check run. */
export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotationsCount: number;
  };
  appSlug: string;
  creator: string;
}

/** A repository label. */
export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** What `GET compare/{base}...{head}` answers for one pair of refs. */
export interface CompareRecord {
  status: 'diverged' | 'ahead' | 'behind' | 'identical';
  aheadBy: number;
  behindBy: number;
  files: FileRecord[];
  commits: CommitRecord[];
  baseSha: string;
  mergeBaseSha: string;
}

/** A membership in an organisation team. */
export interface MembershipRecord {
  login: string;
  state: 'active' | 'pending';
  role: 'member' | 'maintainer';
}

/** An organisation team. */
export interface TeamRecord {
  org: string;
  slug: string;
  id: number;
  name: string;
  members: Map<string, MembershipRecord>;
}

/** Seed of a changed file; only the name is required. */
export interface FileSeed {
  filename: string;
  status?: FileRecord['status'];
  additions?: number;
  deletions?: number;
  patch?: string;
  previousFilename?: string;
  sha?: string;
}

/** Seed of a review; the commit defaults to the PR's current head. */
export interface ReviewSeed {
  user: string;
  state: ReviewState;
  /** `User` or `Bot`; logins ending in `[bot]` are bots unless said otherwise. */
  userType?: 'User' | 'Bot';
  commitId?: string | null;
  submittedAt?: string;
  body?: string;
  authorAssociation?: AuthorAssociation;
}

/** Seed of a pull request; every field has a sensible default. */
export interface PullRequestSeed {
  number?: number;
  title?: string;
  body?: string | null;
  author?: string;
  state?: 'open' | 'closed';
  draft?: boolean;
  merged?: boolean;
  mergeCommitSha?: string | null;
  head?: { sha?: string; ref?: string; repo?: string };
  base?: { sha?: string; ref?: string };
  labels?: string[];
  assignees?: string[];
  files?: FileSeed[];
  reviews?: ReviewSeed[];
  commits?: { sha: string; message?: string; author?: string | null }[];
  createdAt?: string;
}

/** Seed of an issue. */
export interface IssueSeed {
  number?: number;
  title: string;
  body?: string | null;
  author?: string;
  state?: 'open' | 'closed';
  stateReason?: IssueRecord['stateReason'];
  labels?: string[];
  assignees?: string[];
  createdAt?: string;
}

/** Seed of a commit status. */
export interface StatusSeed {
  state: StatusState;
  context?: string;
  description?: string | null;
  targetUrl?: string | null;
  creator?: string;
  createdAt?: string;
}

/** Seed of a comparison between two refs. */
export interface CompareSeed {
  status?: CompareRecord['status'];
  aheadBy?: number;
  behindBy?: number;
  files?: FileSeed[];
  commits?: { sha: string; message?: string; author?: string | null }[];
  mergeBaseSha?: string;
}

/** What a repository needs from the server that owns it. */
export interface ModelContext {
  nextId(): number;
  now(): string;
  ensureUser(login: string, type?: AccountType): UserRecord;
}

/** A deterministic 40-hex-digit sha for a seed string, so tests can name commits. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

const wellKnownIds: Record<string, number> = {
  'github-actions[bot]': 41898282,
  'dependabot[bot]': 49699333,
  github: 9919,
};

/** A stable numeric id for a named thing, equal in REST answers and webhook payloads. */
export function stableId(kind: string, key: string): number {
  if (kind === 'user' && key.toLowerCase() in wellKnownIds) {
    return wellKnownIds[key.toLowerCase()]!;
  }
  // FNV-1a: cheap, stable across runs and spread well enough for ids.
  let hash = 0x811c9dc5;
  for (const ch of `${kind}:${key.toLowerCase()}`) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 1_000_000 + (hash % 89_000_000);
}

function fileRecord(seed: FileSeed): FileRecord {
  const record: FileRecord = {
    filename: seed.filename,
    status: seed.status ?? 'modified',
    additions: seed.additions ?? 1,
    deletions: seed.deletions ?? 0,
    sha: seed.sha ?? fakeSha(`blob:${seed.filename}:${seed.patch ?? ''}`),
  };
  if (seed.patch !== undefined) record.patch = seed.patch;
  if (seed.previousFilename !== undefined) record.previousFilename = seed.previousFilename;
  return record;
}

/** One repository of the fake: seed it, then read what the code under test wrote. */
export class FakeRepo {
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
  readonly id: number;
  isPrivate = false;
  /** A fork, such as the head repository of a PR from outside. */
  isFork = false;
  defaultBranch = 'main';
  description: string | null = null;
  readonly createdAt: string;
  readonly pulls = new Map<number, PullRequestRecord>();
  readonly issues = new Map<number, IssueRecord>();
  readonly comments: CommentRecord[] = [];
  readonly statuses: StatusRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly labels = new Map<string, LabelRecord>();
  /** Logins with write access: their reviews and comments say COLLABORATOR. */
  readonly collaborators = new Set<string>();
  readonly compares = new Map<string, CompareRecord>();
  /** Shas that exist besides those of pull requests, statuses and seeded contents. */
  readonly commitShas = new Set<string>();
  /** Branch heads, by branch name; consulted first when a ref names a branch. */
  readonly branches = new Map<string, string>();
  /** Blobs, trees and commits, for the git data API (`seedFromCheckout` copies a real repository's). */
  readonly git = new GitStore();
  private readonly contents = new Map<string, Map<string, string>>();
  private nextNumber = 1;

  constructor(
    fullName: string,
    private readonly ctx: ModelContext,
  ) {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length > 0) {
      throw new Error(`A repository is named "owner/name", got "${fullName}"`);
    }
    this.owner = owner;
    this.name = name;
    this.fullName = fullName;
    this.id = stableId('repo', fullName);
    this.createdAt = ctx.now();
  }

  private takeNumber(wanted: number | undefined): number {
    const number = wanted ?? this.nextNumber;
    if (this.pulls.has(number) || this.issues.has(number)) {
      throw new Error(`${this.fullName}#${number} exists already (issues and PRs share numbers)`);
    }
    this.nextNumber = Math.max(this.nextNumber, number + 1);
    return number;
  }

  /** Seeds a pull request; head and base shas default to fake shas derived from the number. */
  addPullRequest(seed: PullRequestSeed = {}): PullRequestRecord {
    const number = this.takeNumber(seed.number);
    const author = seed.author ?? 'octocat';
    this.ctx.ensureUser(author);
    const createdAt = seed.createdAt ?? this.ctx.now();
    const headSha = seed.head?.sha ?? fakeSha(`${this.fullName}#${number}:head`);
    const pr: PullRequestRecord = {
      number,
      id: stableId('pull', `${this.fullName}#${number}`),
      title: seed.title ?? `Pull request ${number}`,
      body: seed.body ?? null,
      author,
      state: seed.state ?? (seed.merged ? 'closed' : 'open'),
      draft: seed.draft ?? false,
      merged: seed.merged ?? false,
      locked: false,
      mergeCommitSha:
        seed.mergeCommitSha !== undefined
          ? seed.mergeCommitSha
          : fakeSha(`${this.fullName}#${number}:merge`),
      head: {
        sha: headSha,
        ref: seed.head?.ref ?? `feature-${number}`,
        repo: seed.head?.repo ?? this.fullName,
      },
      base: {
        sha: seed.base?.sha ?? fakeSha(`${this.fullName}#${number}:base`),
        ref: seed.base?.ref ?? this.defaultBranch,
      },
      labels: [...(seed.labels ?? [])],
      assignees: [...(seed.assignees ?? [])],
      files: (seed.files ?? []).map(fileRecord),
      reviews: [],
      commits: (seed.commits ?? [{ sha: headSha }]).map((c, i, all) => ({
        sha: c.sha,
        message: c.message ?? `Commit ${i + 1} of #${number}`,
        author: c.author === undefined ? author : c.author,
        parents: [
          i === 0
            ? (seed.base?.sha ?? fakeSha(`${this.fullName}#${number}:base`))
            : all[i - 1]!.sha,
        ],
        date: createdAt,
      })),
      createdAt,
      updatedAt: createdAt,
      closedAt: seed.state === 'closed' || seed.merged ? createdAt : null,
    };
    for (const label of pr.labels) this.ensureLabel(label);
    for (const login of pr.assignees) this.ctx.ensureUser(login);
    this.pulls.set(number, pr);
    for (const review of seed.reviews ?? []) this.addReview(number, review);
    return pr;
  }

  /** The pull request with this number; throws when it was never seeded. */
  pullRequest(number: number): PullRequestRecord {
    const pr = this.pulls.get(number);
    if (!pr) throw new Error(`${this.fullName} has no pull request #${number}`);
    return pr;
  }

  /** Adds changed files to a pull request. */
  addFiles(number: number, files: FileSeed[]): FileRecord[] {
    const records = files.map(fileRecord);
    this.pullRequest(number).files.push(...records);
    return records;
  }

  /** Adds a review to a pull request, by default on its current head commit. */
  addReview(number: number, seed: ReviewSeed): ReviewRecord {
    const pr = this.pullRequest(number);
    const reviewer = this.ctx.ensureUser(seed.user, seed.userType);
    // An explicit type wins over what the login suggests (an App acting under a plain name).
    if (seed.userType) reviewer.type = seed.userType;
    const review: ReviewRecord = {
      id: this.ctx.nextId(),
      user: seed.user,
      state: seed.state,
      commitId: seed.commitId === undefined ? pr.head.sha : seed.commitId,
      submittedAt: seed.state === 'PENDING' ? null : (seed.submittedAt ?? this.ctx.now()),
      body: seed.body ?? '',
    };
    if (seed.authorAssociation) review.authorAssociation = seed.authorAssociation;
    pr.reviews.push(review);
    return review;
  }

  /** Adds many reviews at once (say 150 to cross a page boundary). */
  addReviews(number: number, seeds: ReviewSeed[]): ReviewRecord[] {
    return seeds.map((seed) => this.addReview(number, seed));
  }

  /** Moves a pull request's head to a new commit, as a push to its branch would. */
  pushHead(number: number, sha: string, message = 'Push'): PullRequestRecord {
    const pr = this.pullRequest(number);
    pr.commits.push({
      sha,
      message,
      author: pr.author,
      parents: [pr.head.sha],
      date: this.ctx.now(),
    });
    pr.head.sha = sha;
    pr.updatedAt = this.ctx.now();
    return pr;
  }

  /** Seeds an issue. */
  addIssue(seed: IssueSeed): IssueRecord {
    const number = this.takeNumber(seed.number);
    const author = seed.author ?? 'octocat';
    this.ctx.ensureUser(author);
    const createdAt = seed.createdAt ?? this.ctx.now();
    const state = seed.state ?? 'open';
    const issue: IssueRecord = {
      number,
      id: stableId('issue', `${this.fullName}#${number}`),
      title: seed.title,
      body: seed.body ?? null,
      author,
      state,
      stateReason: seed.stateReason ?? (state === 'closed' ? 'completed' : null),
      labels: [...(seed.labels ?? [])],
      assignees: [...(seed.assignees ?? [])],
      locked: false,
      createdAt,
      updatedAt: createdAt,
      closedAt: state === 'closed' ? createdAt : null,
      closedBy: state === 'closed' ? author : null,
    };
    for (const label of issue.labels) this.ensureLabel(label);
    for (const login of issue.assignees) this.ctx.ensureUser(login);
    this.issues.set(number, issue);
    return issue;
  }

  /** Whether an issue or pull request with this number exists. */
  hasConversation(number: number): boolean {
    return this.pulls.has(number) || this.issues.has(number);
  }

  /** Seeds a comment on an issue or pull request. */
  addComment(
    issueNumber: number,
    seed: { user: string; body: string; createdAt?: string },
  ): CommentRecord {
    if (!this.hasConversation(issueNumber)) {
      throw new Error(`${this.fullName} has no issue or pull request #${issueNumber}`);
    }
    this.ctx.ensureUser(seed.user);
    const createdAt = seed.createdAt ?? this.ctx.now();
    const comment: CommentRecord = {
      id: this.ctx.nextId(),
      issueNumber,
      body: seed.body,
      user: seed.user,
      createdAt,
      updatedAt: createdAt,
      updatedBy: null,
    };
    this.comments.push(comment);
    return comment;
  }

  /** The comments of one issue or pull request, oldest first. */
  commentsOn(issueNumber: number): CommentRecord[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  /** Seeds a commit status. */
  addStatus(sha: string, seed: StatusSeed): StatusRecord {
    const creator = seed.creator ?? 'github-actions[bot]';
    this.ctx.ensureUser(creator);
    const createdAt = seed.createdAt ?? this.ctx.now();
    const status: StatusRecord = {
      id: this.ctx.nextId(),
      sha,
      state: seed.state,
      context: seed.context ?? 'default',
      description: seed.description ?? null,
      targetUrl: seed.targetUrl ?? null,
      creator,
      createdAt,
      updatedAt: createdAt,
    };
    this.statuses.push(status);
    return status;
  }

  /** The statuses of a commit, newest first, as GitHub lists them. */
  statusesFor(sha: string): StatusRecord[] {
    return this.statuses.filter((s) => s.sha === sha).reverse();
  }

  /** The check runs of a commit, newest first. */
  checkRunsFor(sha: string): CheckRunRecord[] {
    return this.checkRuns.filter((c) => c.headSha === sha).reverse();
  }

  /** A label of the repository, created on first use as GitHub does when an issue names it. */
  ensureLabel(name: string): LabelRecord {
    const key = name.toLowerCase();
    let label = this.labels.get(key);
    if (!label) {
      label = {
        id: stableId('label', `${this.fullName}:${key}`),
        name,
        color: 'ededed',
        description: null,
      };
      this.labels.set(key, label);
    }
    return label;
  }

  /** Seeds file contents at one or more refs (a branch name, a sha, or both). */
  setContents(refs: string | string[], files: Record<string, string>): void {
    for (const ref of Array.isArray(refs) ? refs : [refs]) {
      const tree = this.contents.get(ref) ?? new Map<string, string>();
      for (const [path, text] of Object.entries(files)) tree.set(path.replace(/^\/+/, ''), text);
      this.contents.set(ref, tree);
    }
  }

  /** The files seeded at a ref, by path. */
  tree(ref: string): ReadonlyMap<string, string> | undefined {
    return this.contents.get(ref);
  }

  /** Seeds what comparing base with head answers (GET compare/{base}...{head}). */
  setCompare(base: string, head: string, seed: CompareSeed = {}): CompareRecord {
    const files = (seed.files ?? []).map(fileRecord);
    const commits = (seed.commits ?? [{ sha: head }]).map((c, i, all) => ({
      sha: c.sha,
      message: c.message ?? `Commit ${i + 1}`,
      author: c.author ?? null,
      parents: [i === 0 ? base : all[i - 1]!.sha],
      date: this.ctx.now(),
    }));
    const record: CompareRecord = {
      status: seed.status ?? 'ahead',
      aheadBy: seed.aheadBy ?? commits.length,
      behindBy: seed.behindBy ?? 0,
      files,
      commits,
      baseSha: base,
      mergeBaseSha: seed.mergeBaseSha ?? base,
    };
    this.compares.set(`${base}...${head}`, record);
    return record;
  }

  /** Whether a commit exists, as far as the fake knows (GitHub rejects statuses on unknown shas). */
  knowsSha(sha: string): boolean {
    if (this.commitShas.has(sha) || this.contents.has(sha) || this.git.commits.has(sha))
      return true;
    if ([...this.branches.values()].includes(sha)) return true;
    for (const pr of this.pulls.values()) {
      if (pr.head.sha === sha || pr.base.sha === sha || pr.mergeCommitSha === sha) return true;
      if (pr.commits.some((c) => c.sha === sha)) return true;
    }
    for (const c of this.compares.values()) {
      if (c.baseSha === sha || c.commits.some((k) => k.sha === sha)) return true;
    }
    return (
      this.statuses.some((s) => s.sha === sha) || this.checkRuns.some((r) => r.headSha === sha)
    );
  }

  /** The sha a ref names: a PR head or base branch, `heads/<branch>`, or the sha itself. */
  resolveRef(ref: string): string {
    const name = ref.replace(/^refs\//, '').replace(/^heads\//, '');
    const branch = this.branches.get(name);
    if (branch) return branch;
    for (const pr of [...this.pulls.values()].reverse()) {
      if (pr.head.ref === name && pr.head.repo === this.fullName) return pr.head.sha;
    }
    for (const pr of [...this.pulls.values()].reverse()) {
      if (pr.base.ref === name) return pr.base.sha;
    }
    return ref;
  }

  /** Every pull request and issue number, so listings can interleave them like GitHub. */
  conversationNumbers(): number[] {
    return [...this.pulls.keys(), ...this.issues.keys()].sort((a, b) => a - b);
  }
}
