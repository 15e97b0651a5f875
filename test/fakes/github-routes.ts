// The operations the fake GitHub answers, keyed by the route of GitHub's OpenAPI description.
// Each handler reads or changes the records and answers with what GitHub would send.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import * as build from './github-builders.js';
import type { BuildContext } from './github-builders.js';
import type {
  AppRecord,
  CheckRunRecord,
  FakeRepo,
  IssueRecord,
  PermissionName,
  Permissions,
  PullRequestRecord,
  StatusRecord,
  TeamRecord,
  UserRecord,
} from './github-model.js';
import { stableId } from './github-model.js';
import type { Operation } from './openapi.js';

/** Who sent a request, resolved from its token. */
export interface Actor {
  readonly token: string;
  readonly login: string;
  readonly kind: 'installation' | 'user' | 'app';
  /** Undefined for a classic user token, which may do whatever its user may. */
  readonly permissions: Permissions | undefined;
}

/** An error answer with GitHub's body; throw it from a handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What a handler answers: a status, a JSON body (or raw text) and extra headers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  /** A non-JSON body (raw file contents), sent with `contentType`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** The part of the server that handlers use. */
export interface ServerState {
  readonly build: BuildContext;
  readonly app: AppRecord;
  findRepo(owner: string, name: string): FakeRepo | undefined;
  /** The fork a PR comes from, created on first use. */
  forkRepo(fullName: string): FakeRepo;
  findTeam(org: string, slug: string): TeamRecord | undefined;
  user(login: string): UserRecord;
  now(): string;
  nextId(): number;
  mintInstallationToken(permissions: Permissions): { token: string; expiresAt: string };
  rateLimitOf(actor: Actor | undefined): { limit: number; used: number; reset: number };
}

/** Everything a handler gets about one request. */
export interface RouteContext {
  readonly state: ServerState;
  readonly operation: Operation;
  /** Path parameters, coerced to the types the description gives them. */
  readonly params: Record<string, unknown>;
  /** Query parameters, coerced likewise. */
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly actor: Actor | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The repository named by `{owner}/{repo}`; a 404 when the fake does not know it. */
  repo(): FakeRepo;
  /** One page of items as `per_page`/`page` ask, setting GitHub's Link header. */
  paginate<T>(items: T[]): T[];
}

/** `name:level` pairs, any one of which lets a token use the operation. */
export type PermissionRequirement = `${PermissionName}:${'read' | 'write'}`[];

/** One operation the fake answers. */
export interface RouteDefinition {
  /** The permissions that allow the call; omit when any authenticated caller may. */
  permission?: PermissionRequirement;
  /** `jwt` for the App endpoints that only a JSON web token signed by the App may call. */
  auth?: 'jwt';
  handle(ctx: RouteContext): RouteResult;
}

const maxBody = 65536;

function num(value: unknown): number {
  return Number(value);
}

function str(value: unknown): string {
  return String(value);
}

function body(ctx: RouteContext): Record<string, unknown> {
  return (ctx.body ?? {}) as Record<string, unknown>;
}

function notFound(): HttpError {
  return new HttpError(404, 'Not Found');
}

function invalid(message: string, errors: Record<string, unknown>[] = []): HttpError {
  return new HttpError(422, message, {}, errors.length > 0 ? { errors } : {});
}

function checkBodyLength(text: string | null | undefined, resource: string): void {
  if (text && [...text].length > maxBody) {
    throw invalid('Validation Failed', [
      {
        resource,
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${maxBody} characters)`,
      },
    ]);
  }
}

function conversation(repo: FakeRepo, number: number): IssueRecord | PullRequestRecord {
  const found = repo.issues.get(number) ?? repo.pulls.get(number);
  if (!found) throw notFound();
  return found;
}

function headRepo(ctx: RouteContext, repo: FakeRepo, pr: PullRequestRecord): FakeRepo {
  return pr.head.repo === repo.fullName ? repo : ctx.state.forkRepo(pr.head.repo);
}

function pullJson(ctx: RouteContext, repo: FakeRepo, pr: PullRequestRecord, simple: boolean) {
  return build.pullRequest(ctx.state.build, repo, headRepo(ctx, repo, pr), pr, { simple });
}

function sortBy<T>(items: T[], key: (item: T) => string | number, direction: unknown): T[] {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return direction === 'desc' ? sorted.reverse() : sorted;
}

function labelNames(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [];
  return list.map((l) => (typeof l === 'string' ? l : str((l as { name?: unknown }).name)));
}

function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex');
}

function touch(record: { updatedAt: string }, ctx: RouteContext): void {
  record.updatedAt = ctx.state.now();
}

function requireActor(ctx: RouteContext): Actor {
  if (!ctx.actor) throw new HttpError(401, 'Requires authentication');
  return ctx.actor;
}

function isRaw(headers: IncomingHttpHeaders): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(str(headers.accept ?? ''));
}

// ---------------------------------------------------------------------------------------
// Handlers, in the order of the resources they touch.
// ---------------------------------------------------------------------------------------

const repositoryRoutes: Record<string, RouteDefinition> = {
  'GET /repos/{owner}/{repo}': {
    permission: ['metadata:read'],
    handle: (ctx) => ({ status: 200, body: build.repository(ctx.state.build, ctx.repo()) }),
  },

  'GET /repos/{owner}/{repo}/contents/{path}': {
    permission: ['contents:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const ref = ctx.query.ref === undefined ? repo.defaultBranch : str(ctx.query.ref);
      const tree = repo.tree(ref) ?? repo.tree(repo.resolveRef(ref));
      if (!tree) throw notFound();
      const path = str(ctx.params.path).replace(/^\/+|\/+$/g, '');
      const text = tree.get(path);
      if (text !== undefined) {
        if (isRaw(ctx.headers)) {
          return {
            status: 200,
            raw: text,
            contentType: 'application/vnd.github.raw; charset=utf-8',
          };
        }
        return {
          status: 200,
          body: build.contentFile(ctx.state.build, repo, path, ref, text, gitBlobSha(text)),
        };
      }
      const prefix = `${path}/`;
      const children = new Map<string, { type: 'file' | 'dir'; size: number; sha: string }>();
      for (const [file, content] of tree) {
        if (!file.startsWith(prefix)) continue;
        const [first = '', ...rest] = file.slice(prefix.length).split('/');
        if (rest.length === 0) {
          children.set(first, {
            type: 'file',
            size: Buffer.byteLength(content),
            sha: gitBlobSha(content),
          });
        } else if (!children.has(first)) {
          children.set(first, { type: 'dir', size: 0, sha: gitBlobSha(`tree:${prefix}${first}`) });
        }
      }
      if (children.size === 0) throw notFound();
      const entries = [...children.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, c]) =>
          build.contentEntry(ctx.state.build, repo, `${path}/${name}`, ref, c.type, c.size, c.sha),
        );
      return { status: 200, body: entries };
    },
  },

  'GET /repos/{owner}/{repo}/compare/{basehead}': {
    permission: ['contents:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const basehead = str(ctx.params.basehead);
      const [base = '', head = ''] = basehead.split('...');
      if (!base || !head) throw notFound();
      let record = repo.compares.get(`${base}...${head}`);
      if (!record) {
        // Without a seeded comparison, a PR with this base and head answers with its own files.
        const pr = [...repo.pulls.values()].find(
          (p) =>
            (p.base.sha === base || p.base.ref === base) &&
            (p.head.sha === head || p.head.ref === head),
        );
        if (!pr) throw notFound();
        record = {
          status: 'ahead',
          aheadBy: pr.commits.length,
          behindBy: 0,
          files: pr.files,
          commits: pr.commits,
          baseSha: pr.base.sha,
          mergeBaseSha: pr.base.sha,
        };
      }
      const b = ctx.state.build;
      const api = `${b.apiUrl}/repos/${repo.fullName}`;
      const html = `${b.htmlUrl}/${repo.fullName}/compare/${basehead}`;
      const baseCommit = {
        sha: record.baseSha,
        message: 'Base',
        author: null,
        parents: [],
        date: repo.createdAt,
      };
      const mergeBase = { ...baseCommit, sha: record.mergeBaseSha };
      const headSha = record.commits.at(-1)?.sha ?? head;
      return {
        status: 200,
        body: {
          url: `${api}/compare/${basehead}`,
          html_url: html,
          permalink_url: `${b.htmlUrl}/${repo.fullName}/compare/${repo.owner}:${record.baseSha}...${repo.owner}:${headSha}`,
          diff_url: `${html}.diff`,
          patch_url: `${html}.patch`,
          base_commit: build.commit(b, repo, baseCommit),
          merge_base_commit: build.commit(b, repo, mergeBase),
          status: record.status,
          ahead_by: record.aheadBy,
          behind_by: record.behindBy,
          total_commits: record.commits.length,
          commits: record.commits.slice(0, 250).map((c) => build.commit(b, repo, c)),
          files: record.files.slice(0, 300).map((f) => build.diffEntry(b, repo, headSha, f)),
        },
      };
    },
  },
};

const pullRoutes: Record<string, RouteDefinition> = {
  'GET /repos/{owner}/{repo}/pulls': {
    permission: ['pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const state = ctx.query.state ?? 'open';
      const head = ctx.query.head === undefined ? undefined : str(ctx.query.head);
      const base = ctx.query.base === undefined ? undefined : str(ctx.query.base);
      let pulls = [...repo.pulls.values()].filter(
        (pr) =>
          (state === 'all' || pr.state === state) &&
          (head === undefined || `${pr.head.repo.split('/')[0]}:${pr.head.ref}` === head) &&
          (base === undefined || pr.base.ref === base),
      );
      const key =
        ctx.query.sort === 'updated'
          ? (p: PullRequestRecord) => p.updatedAt
          : (p: PullRequestRecord) => p.number;
      pulls = sortBy(pulls, key, ctx.query.direction ?? 'desc');
      return { status: 200, body: ctx.paginate(pulls).map((pr) => pullJson(ctx, repo, pr, true)) };
    },
  },

  'GET /repos/{owner}/{repo}/pulls/{pull_number}': {
    permission: ['pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const pr = repo.pulls.get(num(ctx.params.pull_number));
      if (!pr) throw notFound();
      return { status: 200, body: pullJson(ctx, repo, pr, false) };
    },
  },

  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': {
    permission: ['pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const pr = repo.pulls.get(num(ctx.params.pull_number));
      if (!pr) throw notFound();
      // GitHub stops listing after 3000 files, silently.
      const files = ctx.paginate(pr.files.slice(0, 3000));
      return {
        status: 200,
        body: files.map((f) => build.diffEntry(ctx.state.build, repo, pr.head.sha, f)),
      };
    },
  },

  'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews': {
    permission: ['pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const pr = repo.pulls.get(num(ctx.params.pull_number));
      if (!pr) throw notFound();
      // Pending reviews are private to their author until submitted.
      const visible = pr.reviews.filter(
        (r) => r.state !== 'PENDING' || r.user === ctx.actor?.login,
      );
      return {
        status: 200,
        body: ctx.paginate(visible).map((r) => build.review(ctx.state.build, repo, pr, r)),
      };
    },
  },

  'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits': {
    permission: ['pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const pr = repo.pulls.get(num(ctx.params.pull_number));
      if (!pr) throw notFound();
      const commits = ctx.paginate(pr.commits.slice(0, 250));
      return { status: 200, body: commits.map((c) => build.commit(ctx.state.build, repo, c)) };
    },
  },

  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls': {
    permission: ['pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const sha = str(ctx.params.commit_sha);
      const pulls = [...repo.pulls.values()].filter(
        (pr) =>
          pr.head.sha === sha || pr.mergeCommitSha === sha || pr.commits.some((c) => c.sha === sha),
      );
      return { status: 200, body: ctx.paginate(pulls).map((pr) => pullJson(ctx, repo, pr, true)) };
    },
  },
};

function createIssue(ctx: RouteContext, repo: FakeRepo, actor: Actor): IssueRecord {
  const input = body(ctx);
  checkBodyLength(input.body as string | undefined, 'Issue');
  const title = str(input.title ?? '');
  if (title.trim() === '') {
    throw invalid('Validation Failed', [
      { resource: 'Issue', code: 'missing_field', field: 'title' },
    ]);
  }
  const assignees = [
    ...((input.assignees as string[] | undefined) ?? []),
    ...(typeof input.assignee === 'string' ? [input.assignee] : []),
  ];
  return repo.addIssue({
    title,
    body: (input.body as string | undefined) ?? null,
    author: actor.login,
    labels: labelNames(input.labels),
    assignees,
    createdAt: ctx.state.now(),
  });
}

const issueRoutes: Record<string, RouteDefinition> = {
  'GET /repos/{owner}/{repo}/issues': {
    permission: ['issues:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const q = ctx.query;
      const state = q.state ?? 'open';
      const wanted =
        q.labels === undefined
          ? []
          : str(q.labels)
              .split(',')
              .map((l) => l.trim().toLowerCase());
      const since = q.since === undefined ? undefined : str(q.since);
      // The issues API lists pull requests too; code that forgets this counts them as issues.
      const all: (IssueRecord | PullRequestRecord)[] = repo
        .conversationNumbers()
        .map((n) => conversation(repo, n));
      const matching = all.filter(
        (i) =>
          (state === 'all' || i.state === state) &&
          wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)) &&
          (q.creator === undefined || i.author.toLowerCase() === str(q.creator).toLowerCase()) &&
          (q.assignee === undefined ||
            (q.assignee === 'none'
              ? i.assignees.length === 0
              : q.assignee === '*'
                ? i.assignees.length > 0
                : i.assignees.some((a) => a.toLowerCase() === str(q.assignee).toLowerCase()))) &&
          (since === undefined || i.updatedAt >= since),
      );
      const key =
        q.sort === 'updated'
          ? (i: IssueRecord | PullRequestRecord) => i.updatedAt
          : q.sort === 'comments'
            ? (i: IssueRecord | PullRequestRecord) => repo.commentsOn(i.number).length
            : (i: IssueRecord | PullRequestRecord) => i.number;
      const sorted = sortBy(matching, key, q.direction ?? 'desc');
      return {
        status: 200,
        body: ctx.paginate(sorted).map((i) => build.issue(ctx.state.build, repo, i)),
      };
    },
  },

  'POST /repos/{owner}/{repo}/issues': {
    permission: ['issues:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const issue = createIssue(ctx, repo, requireActor(ctx));
      return {
        status: 201,
        body: build.issue(ctx.state.build, repo, issue),
        headers: {
          location: `${ctx.state.build.apiUrl}/repos/${repo.fullName}/issues/${issue.number}`,
        },
      };
    },
  },

  'GET /repos/{owner}/{repo}/issues/{issue_number}': {
    permission: ['issues:read', 'pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      return {
        status: 200,
        body: build.issue(ctx.state.build, repo, conversation(repo, num(ctx.params.issue_number))),
      };
    },
  },

  'PATCH /repos/{owner}/{repo}/issues/{issue_number}': {
    permission: ['issues:write', 'pull_requests:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const actor = requireActor(ctx);
      const record = conversation(repo, num(ctx.params.issue_number));
      const input = body(ctx);
      checkBodyLength(input.body as string | undefined, 'Issue');
      if (input.title !== undefined && input.title !== null) record.title = str(input.title);
      if (input.body !== undefined) record.body = (input.body as string | null) ?? null;
      if (input.labels !== undefined) {
        record.labels = labelNames(input.labels);
        for (const l of record.labels) repo.ensureLabel(l);
      }
      if (input.assignees !== undefined) record.assignees = [...(input.assignees as string[])];
      if (input.state !== undefined && input.state !== record.state) {
        record.state = input.state as 'open' | 'closed';
        record.closedAt = record.state === 'closed' ? ctx.state.now() : null;
        if ('stateReason' in record) {
          record.closedBy = record.state === 'closed' ? actor.login : null;
          record.stateReason =
            record.state === 'closed'
              ? ((input.state_reason as IssueRecord['stateReason']) ?? 'completed')
              : 'reopened';
        }
      }
      touch(record, ctx);
      return { status: 200, body: build.issue(ctx.state.build, repo, record) };
    },
  },

  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': {
    permission: ['issues:write', 'pull_requests:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const record = conversation(repo, num(ctx.params.issue_number));
      const input = ctx.body;
      const names = Array.isArray(input)
        ? labelNames(input)
        : labelNames((input as { labels?: unknown } | undefined)?.labels);
      for (const name of names) {
        repo.ensureLabel(name);
        if (!record.labels.some((l) => l.toLowerCase() === name.toLowerCase()))
          record.labels.push(name);
      }
      touch(record, ctx);
      return {
        status: 200,
        body: record.labels.map((l) => build.label(ctx.state.build, repo, repo.ensureLabel(l))),
      };
    },
  },
};

const commentRoutes: Record<string, RouteDefinition> = {
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': {
    permission: ['issues:read', 'pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const number = num(ctx.params.issue_number);
      conversation(repo, number);
      const since = ctx.query.since === undefined ? undefined : str(ctx.query.since);
      const comments = repo
        .commentsOn(number)
        .filter((c) => since === undefined || c.updatedAt >= since);
      return {
        status: 200,
        body: ctx.paginate(comments).map((c) => build.issueComment(ctx.state.build, repo, c)),
      };
    },
  },

  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
    permission: ['issues:write', 'pull_requests:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const actor = requireActor(ctx);
      const number = num(ctx.params.issue_number);
      const record = conversation(repo, number);
      if (record.locked)
        throw new HttpError(403, 'Unable to create comment because issue is locked.');
      const text = str(body(ctx).body);
      checkBodyLength(text, 'IssueComment');
      const comment = repo.addComment(number, {
        user: actor.login,
        body: text,
        createdAt: ctx.state.now(),
      });
      touch(record, ctx);
      return {
        status: 201,
        body: build.issueComment(ctx.state.build, repo, comment),
        headers: {
          location: `${ctx.state.build.apiUrl}/repos/${repo.fullName}/issues/comments/${comment.id}`,
        },
      };
    },
  },

  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}': {
    permission: ['issues:read', 'pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const comment = repo.comments.find((c) => c.id === num(ctx.params.comment_id));
      if (!comment) throw notFound();
      return { status: 200, body: build.issueComment(ctx.state.build, repo, comment) };
    },
  },

  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
    permission: ['issues:write', 'pull_requests:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const actor = requireActor(ctx);
      const comment = repo.comments.find((c) => c.id === num(ctx.params.comment_id));
      if (!comment) throw notFound();
      const text = str(body(ctx).body);
      checkBodyLength(text, 'IssueComment');
      comment.body = text;
      comment.updatedBy = actor.login;
      touch(comment, ctx);
      return { status: 200, body: build.issueComment(ctx.state.build, repo, comment) };
    },
  },

  'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': {
    permission: ['issues:write', 'pull_requests:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const index = repo.comments.findIndex((c) => c.id === num(ctx.params.comment_id));
      if (index < 0) throw notFound();
      repo.comments.splice(index, 1);
      return { status: 204 };
    },
  },
};

function latestPerContext(statuses: StatusRecord[]): StatusRecord[] {
  const seen = new Map<string, StatusRecord>();
  for (const s of statuses) {
    const key = s.context.toLowerCase();
    if (!seen.has(key)) seen.set(key, s);
  }
  return [...seen.values()];
}

const statusRoutes: Record<string, RouteDefinition> = {
  'POST /repos/{owner}/{repo}/statuses/{sha}': {
    permission: ['statuses:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const actor = requireActor(ctx);
      const sha = str(ctx.params.sha);
      if (!repo.knowsSha(sha)) throw invalid(`No commit found for SHA: ${sha}`);
      const input = body(ctx);
      const context = str(input.context ?? 'default');
      if (repo.statuses.filter((s) => s.sha === sha && s.context === context).length >= 1000) {
        throw invalid('This SHA and context has reached the maximum number of statuses.');
      }
      const description = (input.description as string | null | undefined) ?? null;
      const record = repo.addStatus(sha, {
        state: input.state as StatusRecord['state'],
        context,
        // GitHub truncates long descriptions rather than refusing them.
        description: description === null ? null : description.slice(0, 140),
        targetUrl: (input.target_url as string | null | undefined) ?? null,
        creator: actor.login,
        createdAt: ctx.state.now(),
      });
      return { status: 201, body: build.status(ctx.state.build, repo, record) };
    },
  },

  'GET /repos/{owner}/{repo}/commits/{ref}/statuses': {
    permission: ['statuses:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const statuses = repo.statusesFor(repo.resolveRef(str(ctx.params.ref)));
      return {
        status: 200,
        body: ctx.paginate(statuses).map((s) => build.status(ctx.state.build, repo, s)),
      };
    },
  },

  'GET /repos/{owner}/{repo}/commits/{ref}/status': {
    permission: ['statuses:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const sha = repo.resolveRef(str(ctx.params.ref));
      const latest = latestPerContext(repo.statusesFor(sha));
      const body = build.combinedStatus(ctx.state.build, repo, sha, ctx.paginate(latest));
      return { status: 200, body: { ...body, total_count: latest.length } };
    },
  },
};

function checkRunFromBody(
  ctx: RouteContext,
  run: CheckRunRecord,
  input: Record<string, unknown>,
): void {
  const output = input.output as
    { title?: string; summary?: string; text?: string; annotations?: unknown[] } | undefined;
  if ((output?.annotations?.length ?? 0) > 50) {
    throw invalid('Only 50 annotations may be sent per request.');
  }
  if (input.name !== undefined) run.name = str(input.name);
  if (input.details_url !== undefined) run.detailsUrl = str(input.details_url);
  if (input.external_id !== undefined) run.externalId = str(input.external_id);
  if (input.started_at !== undefined) run.startedAt = str(input.started_at);
  if (input.status !== undefined) run.status = input.status as CheckRunRecord['status'];
  if (input.conclusion !== undefined) {
    run.conclusion = input.conclusion as CheckRunRecord['conclusion'];
    // Giving a conclusion completes the run, whatever status says.
    run.status = 'completed';
  }
  if (run.status === 'completed') {
    if (!run.conclusion) throw invalid('conclusion is required when status is completed');
    run.completedAt = input.completed_at === undefined ? ctx.state.now() : str(input.completed_at);
  }
  if (output) {
    if (output.title !== undefined) run.output.title = output.title;
    if (output.summary !== undefined) run.output.summary = output.summary;
    if (output.text !== undefined) run.output.text = output.text;
    run.output.annotationsCount += output.annotations?.length ?? 0;
  }
}

const checkRoutes: Record<string, RouteDefinition> = {
  'POST /repos/{owner}/{repo}/check-runs': {
    permission: ['checks:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const actor = requireActor(ctx);
      const appSlug = ctx.state.user(actor.login).appSlug;
      if (actor.kind !== 'installation' || !appSlug) {
        throw new HttpError(403, 'You must authenticate via a GitHub App.');
      }
      const input = body(ctx);
      const headSha = str(input.head_sha);
      if (!repo.knowsSha(headSha)) throw invalid(`No commit found for SHA: ${headSha}`);
      const run: CheckRunRecord = {
        id: ctx.state.nextId(),
        headSha,
        name: str(input.name),
        status: 'queued',
        conclusion: null,
        startedAt: ctx.state.now(),
        completedAt: null,
        detailsUrl: null,
        externalId: null,
        output: { title: null, summary: null, text: null, annotationsCount: 0 },
        appSlug,
        creator: actor.login,
      };
      checkRunFromBody(ctx, run, input);
      repo.checkRuns.push(run);
      return { status: 201, body: build.checkRun(ctx.state.build, repo, run) };
    },
  },

  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': {
    permission: ['checks:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const actor = requireActor(ctx);
      const run = repo.checkRuns.find((r) => r.id === num(ctx.params.check_run_id));
      if (!run) throw notFound();
      if (ctx.state.user(actor.login).appSlug !== run.appSlug) {
        // Only the App that created a check run may change it.
        throw new HttpError(
          403,
          'Invalid app_id `' +
            run.appSlug +
            '` - check run can only be modified by the GitHub App that created it.',
        );
      }
      checkRunFromBody(ctx, run, body(ctx));
      return { status: 200, body: build.checkRun(ctx.state.build, repo, run) };
    },
  },

  'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': {
    permission: ['checks:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const run = repo.checkRuns.find((r) => r.id === num(ctx.params.check_run_id));
      if (!run) throw notFound();
      return { status: 200, body: build.checkRun(ctx.state.build, repo, run) };
    },
  },

  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': {
    permission: ['checks:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const q = ctx.query;
      let runs = repo
        .checkRunsFor(repo.resolveRef(str(ctx.params.ref)))
        .filter(
          (r) =>
            (q.check_name === undefined || r.name === q.check_name) &&
            (q.status === undefined || r.status === q.status) &&
            (q.app_id === undefined || ctx.state.build.app(r.appSlug)?.id === q.app_id),
        );
      if ((q.filter ?? 'latest') === 'latest') {
        const seen = new Set<string>();
        runs = runs.filter((r) => !seen.has(r.name) && seen.add(r.name));
      }
      return {
        status: 200,
        body: {
          total_count: runs.length,
          check_runs: ctx.paginate(runs).map((r) => build.checkRun(ctx.state.build, repo, r)),
        },
      };
    },
  },
};

function team(ctx: RouteContext): TeamRecord {
  const found = ctx.state.findTeam(str(ctx.params.org), str(ctx.params.team_slug));
  if (!found) throw notFound();
  return found;
}

const teamRoutes: Record<string, RouteDefinition> = {
  'GET /orgs/{org}/teams/{team_slug}/memberships/{username}': {
    permission: ['members:read'],
    handle: (ctx) => {
      const t = team(ctx);
      const login = str(ctx.params.username);
      if (!t.members.has(login.toLowerCase())) throw notFound();
      return { status: 200, body: build.teamMembership(ctx.state.build, t, login) };
    },
  },

  'GET /orgs/{org}/teams/{team_slug}/members': {
    permission: ['members:read'],
    handle: (ctx) => {
      const t = team(ctx);
      const role = ctx.query.role ?? 'all';
      // Pending invitations are not members yet, so the list leaves them out.
      const members = [...t.members.values()].filter(
        (m) => m.state === 'active' && (role === 'all' || m.role === role),
      );
      return {
        status: 200,
        body: ctx.paginate(members).map((m) => build.simpleUser(ctx.state.build, m.login)),
      };
    },
  },
};

const appRoutes: Record<string, RouteDefinition> = {
  'GET /app': {
    auth: 'jwt',
    handle: (ctx) => ({ status: 200, body: build.integration(ctx.state.build, ctx.state.app) }),
  },

  'GET /repos/{owner}/{repo}/installation': {
    auth: 'jwt',
    handle: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: build.installation(ctx.state.build, ctx.state.app, repo.owner) };
    },
  },

  'POST /app/installations/{installation_id}/access_tokens': {
    auth: 'jwt',
    handle: (ctx) => {
      const app = ctx.state.app;
      if (num(ctx.params.installation_id) !== app.installationId) throw notFound();
      const requested = (body(ctx).permissions as Permissions | undefined) ?? app.permissions;
      const rank = { read: 1, write: 2 } as const;
      for (const [name, level] of Object.entries(requested) as [
        PermissionName,
        'read' | 'write',
      ][]) {
        const granted = app.permissions[name];
        if (!granted || rank[granted] < rank[level]) {
          throw invalid('The permissions requested are not granted to this installation.');
        }
      }
      const minted = ctx.state.mintInstallationToken(requested);
      return {
        status: 201,
        body: {
          token: minted.token,
          expires_at: minted.expiresAt,
          permissions: requested,
          repository_selection: 'selected',
        },
      };
    },
  },
};

const accountRoutes: Record<string, RouteDefinition> = {
  'GET /rate_limit': {
    handle: (ctx) => {
      const limit = ctx.state.rateLimitOf(ctx.actor);
      const core = {
        limit: limit.limit,
        used: limit.used,
        remaining: limit.limit - limit.used,
        reset: limit.reset,
      };
      const other = { limit: 30, used: 0, remaining: 30, reset: limit.reset };
      return {
        status: 200,
        body: {
          resources: { core, search: other, graphql: { ...core, used: 0, remaining: core.limit } },
          rate: core,
        },
      };
    },
  },

  'GET /user': {
    handle: (ctx) => {
      const actor = requireActor(ctx);
      // Installation tokens (GITHUB_TOKEN included) have no user behind them.
      if (actor.kind !== 'user') throw new HttpError(403, 'Resource not accessible by integration');
      return { status: 200, body: build.privateUser(ctx.state.build, actor.login) };
    },
  },
};

/** Every operation the fake answers out of the box. */
export const builtInRoutes: Readonly<Record<string, RouteDefinition>> = {
  ...repositoryRoutes,
  ...pullRoutes,
  ...issueRoutes,
  ...commentRoutes,
  ...statusRoutes,
  ...checkRoutes,
  ...teamRoutes,
  ...appRoutes,
  ...accountRoutes,
};

/** A stable id for a team, shared with anything else that names it. */
export function teamId(org: string, slug: string): number {
  return stableId('team', `${org}/${slug}`);
}
