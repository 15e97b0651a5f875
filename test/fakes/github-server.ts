// A stateful fake of the GitHub REST API on 127.0.0.1, for every GitHub-facing test.
// Each request is checked against GitHub's OpenAPI description and each answer against the
// documented response schema; anything the real API would refuse, or the fake cannot
// answer, is recorded as a violation that `assertNoViolations()` turns into a failure.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, type BuildContext } from './github-builders.js';
import {
  FakeRepo,
  stableId,
  type AccountType,
  type AppRecord,
  type AuthorAssociation,
  type MembershipRecord,
  type ModelContext,
  type Permissions,
  type TeamRecord,
  type UserRecord,
} from './github-model.js';
import {
  builtInRoutes,
  HttpError,
  teamId,
  type Actor,
  type RouteContext,
  type RouteDefinition,
  type RouteResult,
  type ServerState,
} from './github-routes.js';
import { verifyRoutes } from './github-verify-routes.js';
import {
  documentsStatus,
  findOperation,
  matchRoute,
  operations,
  validateParameters,
  validateRequestBody,
  validateResponseBody,
  type Operation,
} from './openapi.js';

export { FakeRepo, fakeSha, stableId } from './github-model.js';
export type * from './github-model.js';
export { HttpError } from './github-routes.js';
export type { Actor, RouteContext, RouteDefinition, RouteResult } from './github-routes.js';

/** The built-in tokens: each stands for a real way the action may be authenticated. */
export const TOKENS = {
  /** The workflow's GITHUB_TOKEN on a same-repository PR: writes, but cannot read teams. */
  actions: 'ghs_actions',
  /** The GITHUB_TOKEN of a PR from a fork: read-only. */
  forkReadOnly: 'ghs_fork_readonly',
  /** An installation token of the changeops App: reads teams, writes statuses and comments. */
  app: 'ghs_changeops_app',
  /** A classic personal access token of the user octocat. */
  user: 'ghp_octocat',
} as const;

/** Who a token acts as and what it may do. */
export interface TokenSpec {
  /** The login; logins ending in `[bot]` are bots. */
  actor: string;
  /** `installation` for GITHUB_TOKEN and App tokens (the default for bots), `user` for a PAT. */
  kind?: 'installation' | 'user';
  /** For installation tokens, what they may do; absent means nothing beyond the list. */
  permissions?: Permissions;
  /** Requests per hour before GitHub answers 403 "API rate limit exceeded". */
  rateLimit?: number;
}

/** The GitHub App the fake knows (its installation tokens and JWT-only endpoints). */
export interface AppOptions {
  id?: number;
  slug?: string;
  name?: string;
  owner?: string;
  installationId?: number;
  permissions?: Permissions;
  /** When given, JWTs must be signed with the matching private key. */
  publicKey?: string | KeyObject;
}

/** How to start the fake. */
export interface GitHubServerOptions {
  /** Tokens besides (or replacing) the built-in TOKENS. */
  tokens?: Record<string, TokenSpec>;
  app?: AppOptions;
  /** Base of `html_url` fields; API urls always point at the fake itself. */
  htmlUrl?: string;
  /** The fake clock's start; each write moves it on by one second. */
  startTime?: string;
}

/** What a fault answers, for the next `times` requests that match it. */
export interface FaultSpec {
  /** A route key of the description, e.g. `POST /repos/{owner}/{repo}/statuses/{sha}`. */
  route?: string;
  /** A further test on the request (say, only comments on PR 7). */
  match?: (request: FaultRequest) => boolean;
  /** The status to answer; omit for a delay-only fault. */
  status?: number;
  /** A rate-limit answer: 403 (or `status`) with GitHub's message and headers. */
  kind?: 'secondary-rate-limit' | 'primary-rate-limit';
  /** Seconds, sent as `retry-after` (secondary) or used for `x-ratelimit-reset` (primary). */
  retryAfter?: number;
  /** Perform the request first, then answer with the fault: the write happened, the client saw an error. */
  afterWrite?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many matching requests to hit; default 1, Infinity for all. */
  times?: number;
  /** Replaces the default error body. */
  body?: unknown;
}

/** What a fault's `match` sees of a request. */
export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly params: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly actor: string | undefined;
}

/** A scheduled fault; `hits` counts the requests it answered. */
export interface Fault {
  readonly spec: FaultSpec;
  hits: number;
  remaining: number;
  cancel(): void;
}

/** One request the fake received. */
export interface LoggedRequest {
  readonly seq: number;
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** The route key of the matched operation, or null when none matched. */
  readonly route: string | null;
  readonly operationId: string | null;
  readonly status: number;
  /** Anything but GET and HEAD. */
  readonly write: boolean;
  readonly actor: string | undefined;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  /** Milliseconds since the epoch when the request arrived. */
  readonly at: number;
  readonly durationMs: number;
  /** Whether an injected fault shaped the answer. */
  readonly faulted: boolean;
}

/** Something the real GitHub would not accept, or the fake could not answer faithfully. */
export interface Violation {
  readonly kind:
    'unknown-route' | 'invalid-request' | 'unhandled-operation' | 'invalid-response' | 'fake-error';
  readonly method: string;
  readonly url: string;
  readonly route: string | null;
  readonly messages: string[];
}

const defaultApp = {
  id: 424242,
  slug: 'changeops-app',
  name: 'changeops',
  owner: 'changeops',
  installationId: 51_000_001,
  permissions: {
    checks: 'write',
    contents: 'read',
    issues: 'write',
    members: 'read',
    metadata: 'read',
    pull_requests: 'write',
    statuses: 'write',
  } satisfies Permissions,
};

const actionsApp: AppRecord = {
  id: 15368,
  slug: 'github-actions',
  name: 'GitHub Actions',
  owner: 'github',
  installationId: 0,
  clientId: 'Iv1.github-actions',
  permissions: {},
};

const githubTokenPermissions: Permissions = {
  actions: 'read',
  checks: 'write',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
  statuses: 'write',
};

const readOnlyPermissions: Permissions = {
  actions: 'read',
  checks: 'read',
  contents: 'read',
  issues: 'read',
  metadata: 'read',
  pull_requests: 'read',
  statuses: 'read',
};

const secondaryMessage =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID FAKE.';
const secondaryDocs =
  'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const primaryDocs =
  'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-primary-rate-limits';

const serverErrorMessages: Record<number, string> = {
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
  504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
};

interface TokenState extends TokenSpec {
  used: number;
  limit: number;
  reset: number;
}

interface Answer {
  status: number;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers: Record<string, string>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseQuery(params: URLSearchParams): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [rawKey, value] of params) {
    const key = rawKey.replace(/\[\]$/, '');
    const existing = query[key];
    if (existing === undefined) query[key] = rawKey.endsWith('[]') ? [value] : value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function linkHeader(base: URL, page: number, last: number): string | undefined {
  const at = (p: number) => {
    const url = new URL(base);
    url.searchParams.set('page', String(p));
    return url.toString();
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`<${at(Math.min(page - 1, Math.max(last, 1)))}>; rel="prev"`);
  if (page < last) parts.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) parts.push(`<${at(1)}>; rel="first"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function base64UrlJson(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the fake on a random port of 127.0.0.1; close it in afterEach/afterAll. */
export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<FakeGitHub> {
  // Parse the description and index its routes before the first request is timed.
  operations();
  const fake = new FakeGitHub(options);
  await fake.listen();
  return fake;
}

/** The running fake: seed it, point octokit at `url`, then inspect what the code did. */
export class FakeGitHub implements ServerState, ModelContext {
  /** The API base url: use it as GITHUB_API_URL or octokit's baseUrl. */
  url = '';
  readonly app: AppRecord;
  readonly build: BuildContext;
  readonly requests: LoggedRequest[] = [];
  readonly violations: Violation[] = [];
  private readonly server: Server;
  private readonly htmlUrl: string;
  private readonly users = new Map<string, UserRecord>();
  private readonly apps = new Map<string, AppRecord>();
  private readonly repos = new Map<string, FakeRepo>();
  private readonly teams = new Map<string, TeamRecord>();
  private readonly tokens = new Map<string, TokenState>();
  private readonly anonymous: TokenState;
  private readonly faults: Fault[] = [];
  private readonly customRoutes = new Map<string, RouteDefinition>();
  private readonly appPublicKey: KeyObject | undefined;
  private clock: number;
  private idCounter = 100_000_000;
  private seq = 0;
  private mintedTokens = 0;

  constructor(options: GitHubServerOptions = {}) {
    this.htmlUrl = (options.htmlUrl ?? 'https://github.com').replace(/\/+$/, '');
    this.clock = Date.parse(options.startTime ?? '2026-01-05T09:00:00Z');
    const appOptions = options.app ?? {};
    const slug = appOptions.slug ?? defaultApp.slug;
    this.app = {
      id: appOptions.id ?? defaultApp.id,
      slug,
      name: appOptions.name ?? defaultApp.name,
      owner: appOptions.owner ?? defaultApp.owner,
      installationId: appOptions.installationId ?? defaultApp.installationId,
      clientId: `Iv23.${slug}`,
      permissions: appOptions.permissions ?? defaultApp.permissions,
    };
    this.appPublicKey =
      appOptions.publicKey === undefined
        ? undefined
        : typeof appOptions.publicKey === 'string'
          ? createPublicKey(appOptions.publicKey)
          : appOptions.publicKey;
    this.apps.set(this.app.slug, this.app);
    this.apps.set(actionsApp.slug, actionsApp);
    this.ensureUser('github', 'Organization');
    this.ensureUser(this.app.owner, 'Organization');
    this.user('github-actions[bot]').appSlug = actionsApp.slug;
    this.user(`${this.app.slug}[bot]`).appSlug = this.app.slug;

    const reset = Math.floor(Date.now() / 1000) + 3600;
    this.anonymous = { actor: '', used: 0, limit: 60, reset };
    const builtIn: Record<string, TokenSpec> = {
      [TOKENS.actions]: {
        actor: 'github-actions[bot]',
        permissions: githubTokenPermissions,
        rateLimit: 1000,
      },
      [TOKENS.forkReadOnly]: {
        actor: 'github-actions[bot]',
        permissions: readOnlyPermissions,
        rateLimit: 1000,
      },
      [TOKENS.app]: { actor: `${this.app.slug}[bot]`, permissions: this.app.permissions },
      [TOKENS.user]: { actor: 'octocat', kind: 'user' },
    };
    for (const [token, spec] of Object.entries({ ...builtIn, ...options.tokens })) {
      this.addToken(token, spec);
    }

    // apiUrl is read lazily: the port is only known once the server listens.
    const apiUrl = () => this.url;
    this.build = {
      get apiUrl() {
        return apiUrl();
      },
      htmlUrl: this.htmlUrl,
      user: (login) => this.user(login),
      app: (appSlug) => this.apps.get(appSlug),
      association: (repo, login) => this.association(repo, login),
    };
    this.server = createServer((req, res) => {
      void this.respond(req, res);
    });
  }

  /** Binds the server; startGitHubServer calls it. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Stops the server, dropping kept-alive connections so the test run can end. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ----- seeding and inspecting ---------------------------------------------------------

  /** The repository `owner/name`, created (public, branch main) on first use. */
  repo(
    fullName: string,
    options: { private?: boolean; defaultBranch?: string; ownerType?: AccountType } = {},
  ): FakeRepo {
    const key = fullName.toLowerCase();
    let repo = this.repos.get(key);
    if (!repo) {
      repo = new FakeRepo(fullName, this);
      this.ensureUser(repo.owner, options.ownerType ?? 'Organization');
      this.repos.set(key, repo);
    }
    if (options.private !== undefined) repo.isPrivate = options.private;
    if (options.defaultBranch !== undefined) repo.defaultBranch = options.defaultBranch;
    return repo;
  }

  /** Declares an account, or changes what the fake knows of it. */
  addUser(
    login: string,
    details: { type?: AccountType; name?: string; email?: string; id?: number } = {},
  ): UserRecord {
    const user = this.ensureUser(login, details.type);
    if (details.type) user.type = details.type;
    if (details.name !== undefined) user.name = details.name;
    if (details.email !== undefined) user.email = details.email;
    if (details.id !== undefined) user.id = details.id;
    return user;
  }

  /**
   * Declares the team `org/slug` with its members: a login alone is an active member, or
   * give `{login, state: 'pending', role: 'maintainer'}`.
   */
  addTeam(
    org: string,
    slug: string,
    members: (
      string | { login: string; state?: 'active' | 'pending'; role?: 'member' | 'maintainer' }
    )[] = [],
  ): TeamRecord {
    this.ensureUser(org, 'Organization');
    const key = `${org}/${slug}`.toLowerCase();
    const team: TeamRecord = this.teams.get(key) ?? {
      org,
      slug,
      id: teamId(org, slug),
      name: slug,
      members: new Map<string, MembershipRecord>(),
    };
    for (const member of members) {
      const m = typeof member === 'string' ? { login: member } : member;
      this.ensureUser(m.login);
      team.members.set(m.login.toLowerCase(), {
        login: m.login,
        state: m.state ?? 'active',
        role: m.role ?? 'member',
      });
    }
    this.teams.set(key, team);
    return team;
  }

  /** Adds or replaces a token. */
  addToken(token: string, spec: TokenSpec): void {
    const kind = spec.kind ?? (spec.actor.endsWith('[bot]') ? 'installation' : 'user');
    this.ensureUser(spec.actor, spec.actor.endsWith('[bot]') ? 'Bot' : 'User');
    this.tokens.set(token, {
      ...spec,
      kind,
      used: 0,
      limit: spec.rateLimit ?? 5000,
      reset: Math.floor(Date.now() / 1000) + 3600,
    });
  }

  /** Takes a permission away from a token (or sets it), e.g. `members` from the App token. */
  setPermission(token: string, name: keyof Permissions, level: 'read' | 'write' | 'none'): void {
    const state = this.tokens.get(token);
    if (!state) throw new Error(`Unknown token ${token}`);
    const permissions = { ...(state.permissions ?? {}) };
    if (level === 'none') delete permissions[name];
    else permissions[name] = level;
    state.permissions = permissions;
  }

  /** The rate-limit counters of a token, to read or to set (say `used = limit`). */
  rateLimit(token: string): { limit: number; used: number; reset: number } {
    const state = this.tokens.get(token);
    if (!state) throw new Error(`Unknown token ${token}`);
    return state;
  }

  /** Answers an operation the fake does not know, or replaces a built-in answer. */
  handle(route: string, definition: RouteDefinition | RouteDefinition['handle']): void {
    if (!findOperation(route))
      throw new Error(`"${route}" is not an operation of GitHub's REST API`);
    this.customRoutes.set(
      route,
      typeof definition === 'function' ? { handle: definition } : definition,
    );
  }

  /** Schedules a fault for the next matching requests. */
  injectFault(spec: FaultSpec): Fault {
    if (spec.route !== undefined && !findOperation(spec.route)) {
      throw new Error(`Fault route "${spec.route}" is not an operation of GitHub's REST API`);
    }
    const fault: Fault = {
      spec,
      hits: 0,
      remaining: spec.times ?? 1,
      cancel: () => {
        fault.remaining = 0;
      },
    };
    this.faults.push(fault);
    return fault;
  }

  /** How many requests the code made: all, reads, writes, optionally for one route. */
  requestCount(filter: { route?: string; write?: boolean } = {}): number {
    return this.requests.filter(
      (r) =>
        (filter.route === undefined || r.route === filter.route) &&
        (filter.write === undefined || r.write === filter.write),
    ).length;
  }

  /** Reads and writes so far, the figure the "API calls per evaluation" budget talks about. */
  requestCounts(): { reads: number; writes: number; total: number } {
    const writes = this.requestCount({ write: true });
    return { reads: this.requests.length - writes, writes, total: this.requests.length };
  }

  /** Forgets the request log (say, after seeding through the API). */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Returns the violations so far and forgets them, for tests that provoke them on purpose. */
  takeViolations(): Violation[] {
    return this.violations.splice(0, this.violations.length);
  }

  /** Throws, listing each, when any request broke the description or the fake could not answer it. */
  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map(
      (v) =>
        `- [${v.kind}] ${v.method} ${v.url}${v.route ? ` (${v.route})` : ''}\n    ${v.messages.join('\n    ')}`,
    );
    throw new Error(
      `The fake GitHub saw ${this.violations.length} request(s) the real API would refuse or the fake cannot answer:\n${lines.join('\n')}`,
    );
  }

  /** The fake clock, as an ISO timestamp. */
  currentTime(): string {
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Sets the fake clock. */
  setTime(iso: string): void {
    this.clock = Date.parse(iso);
  }

  // ----- ServerState and ModelContext -----------------------------------------------------

  /** The current fake time; each call moves the clock on by a second so order is visible. */
  now(): string {
    const time = this.currentTime();
    this.clock += 1000;
    return time;
  }

  /** A fresh id for a created object. */
  nextId(): number {
    this.idCounter += 1;
    return this.idCounter;
  }

  /** The account with this login, created as a User (or Bot for `[bot]` logins) if unknown. */
  ensureUser(login: string, type?: AccountType): UserRecord {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = {
        login,
        id: stableId('user', login),
        type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User'),
        name: null,
        email: null,
      };
      this.users.set(key, user);
    }
    return user;
  }

  /** The account with this login (created on first use). */
  user(login: string): UserRecord {
    return this.ensureUser(login);
  }

  /** The repository, if seeded. */
  findRepo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The fork a PR comes from: a user's repository, created on first use. */
  forkRepo(fullName: string): FakeRepo {
    const known = this.repos.has(fullName.toLowerCase());
    const fork = this.repo(fullName, { ownerType: 'User' });
    if (!known) fork.isFork = true;
    return fork;
  }

  /** The team, if seeded. */
  findTeam(org: string, slug: string): TeamRecord | undefined {
    return this.teams.get(`${org}/${slug}`.toLowerCase());
  }

  /** Registers a new installation token of the App, as POST access_tokens does. */
  mintInstallationToken(permissions: Permissions): { token: string; expiresAt: string } {
    this.mintedTokens += 1;
    const token = `ghs_installation_${this.mintedTokens}`;
    this.addToken(token, { actor: `${this.app.slug}[bot]`, permissions });
    // Token expiry is checked by real clients against the real clock, not the fake one.
    const expiresAt = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { token, expiresAt };
  }

  /** The rate-limit counters that apply to an actor. */
  rateLimitOf(actor: Actor | undefined): { limit: number; used: number; reset: number } {
    return (actor && this.tokens.get(actor.token)) || this.anonymous;
  }

  private association(repo: FakeRepo, login: string): AuthorAssociation {
    const key = login.toLowerCase();
    if (key === repo.owner.toLowerCase()) return 'OWNER';
    if ([...repo.collaborators].some((c) => c.toLowerCase() === key)) return 'COLLABORATOR';
    if (this.user(login).type === 'Bot') return 'NONE';
    for (const team of this.teams.values()) {
      if (
        team.org.toLowerCase() === repo.owner.toLowerCase() &&
        team.members.get(key)?.state === 'active'
      ) {
        return 'MEMBER';
      }
    }
    if ([...repo.pulls.values()].some((pr) => pr.author.toLowerCase() === key && pr.merged)) {
      return 'CONTRIBUTOR';
    }
    return 'NONE';
  }

  // ----- the HTTP side ----------------------------------------------------------------------

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.url);
    const seq = ++this.seq;
    let route: string | null = null;
    let operationId: string | null = null;
    let actorLogin: string | undefined;
    let query: Record<string, unknown> = parseQuery(url.searchParams);
    let body: unknown;
    let faulted = false;
    let answer: Answer;
    try {
      const text = await readBody(req);
      const outcome = await this.process(req, method, url, text, query);
      ({ answer, faulted } = outcome);
      route = outcome.operation?.route ?? null;
      operationId = outcome.operation?.operationId ?? null;
      actorLogin = outcome.actor?.login;
      query = outcome.query;
      body = outcome.body;
    } catch (error) {
      this.violation('fake-error', method, url, route, [String((error as Error).stack ?? error)]);
      answer = {
        status: 500,
        body: errorBody(500, 'Server Error', 'https://docs.github.com/rest'),
        headers: {},
      };
    }
    const headers: Record<string, string> = {
      'x-github-request-id': `FAKE:${seq.toString(16).toUpperCase()}`,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      ...answer.headers,
    };
    let payload = '';
    if (answer.raw !== undefined) {
      headers['content-type'] = answer.contentType ?? 'text/plain; charset=utf-8';
      payload = answer.raw;
    } else if (answer.body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      payload = JSON.stringify(answer.body);
    }
    this.requests.push({
      seq,
      method,
      url: `${url.pathname}${url.search}`,
      route,
      operationId,
      status: answer.status,
      write: method !== 'GET' && method !== 'HEAD',
      actor: actorLogin,
      query,
      body,
      at,
      durationMs: Date.now() - at,
      faulted,
    });
    res.writeHead(answer.status, headers);
    res.end(payload);
  }

  private violation(
    kind: Violation['kind'],
    method: string,
    url: URL,
    route: string | null,
    messages: string[],
  ): void {
    this.violations.push({ kind, method, url: `${url.pathname}${url.search}`, route, messages });
  }

  private error(
    status: number,
    message: string,
    docs: string,
    headers: Record<string, string> = {},
    extra: Record<string, unknown> = {},
  ): Answer {
    return { status, body: { ...errorBody(status, message, docs), ...extra }, headers };
  }

  private async process(
    req: IncomingMessage,
    method: string,
    url: URL,
    text: string,
    rawQuery: Record<string, unknown>,
  ): Promise<{
    answer: Answer;
    faulted: boolean;
    operation?: Operation;
    actor?: Actor;
    query: Record<string, unknown>;
    body: unknown;
  }> {
    const docsRoot = 'https://docs.github.com/rest';
    const matched = matchRoute(method, url.pathname);
    if (!('operation' in matched)) {
      this.violation('unknown-route', method, url, null, [
        matched.reason === 'no-method'
          ? `no ${method} operation at this path (GitHub's description has ${matched.allowed.join(', ')})`
          : "no operation of GitHub's REST API has this path",
      ]);
      return {
        answer: this.error(404, 'Not Found', docsRoot),
        faulted: false,
        query: rawQuery,
        body: undefined,
      };
    }
    const { operation } = matched;
    const docs = operation.docsUrl;
    const route = operation.route;
    const base = { faulted: false, operation, query: rawQuery };

    let body: unknown;
    const present = text.trim() !== '';
    if (present) {
      try {
        body = JSON.parse(text);
      } catch {
        this.violation('invalid-request', method, url, route, ['the body is not JSON']);
        return { ...base, answer: this.error(400, 'Problems parsing JSON', docs), body: text };
      }
    }
    const params: Record<string, unknown> = { ...matched.pathParams };
    const query = { ...rawQuery };
    const problems = [
      ...validateParameters(operation, params, query),
      ...validateRequestBody(operation, body, present),
    ];
    if (problems.length > 0) {
      this.violation('invalid-request', method, url, route, problems);
      return {
        ...base,
        query,
        body,
        answer: this.error(422, `Invalid request.\n\n${problems.join('\n')}`, docs),
      };
    }

    const definition = this.customRoutes.get(route) ?? builtInRoutes[route] ?? verifyRoutes[route];
    if (!definition) {
      this.violation('unhandled-operation', method, url, route, [
        `the request is valid but the fake has no handler for ${route}; add one to test/fakes or call handle()`,
      ]);
      return {
        ...base,
        query,
        body,
        answer: this.error(404, `Not Found (the fake GitHub does not implement ${route})`, docs),
      };
    }

    const auth = this.authenticate(req, definition, docs);
    if ('answer' in auth) return { ...base, query, body, answer: auth.answer };
    const actor = auth.actor;
    const withActor = { ...base, query, body, actor };

    const limited = this.chargeRateLimit(actor, route);
    if (limited) return { ...withActor, answer: limited };
    const limit = this.rateLimitOf(actor);
    const rateHeaders = {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(Math.max(0, limit.limit - limit.used)),
      'x-ratelimit-used': String(limit.used),
      'x-ratelimit-reset': String(limit.reset),
      'x-ratelimit-resource': 'core',
    };

    const denied = this.checkPermission(actor, definition, docs);
    if (denied) {
      return {
        ...withActor,
        answer: { ...denied, headers: { ...denied.headers, ...rateHeaders } },
      };
    }

    const fault = this.takeFault({
      method,
      path: url.pathname,
      route,
      params,
      query,
      body,
      actor: actor?.login,
    });
    if (fault?.spec.delayMs) await sleep(fault.spec.delayMs);
    // A fault with neither status nor kind only delays; the answer is the normal one.
    const replaces =
      fault !== undefined && (fault.spec.status !== undefined || fault.spec.kind !== undefined);
    if (replaces && !fault.spec.afterWrite) {
      return {
        ...withActor,
        faulted: true,
        answer: this.faultAnswer(fault.spec, limit, rateHeaders),
      };
    }

    const answer = this.run(definition, operation, params, query, body, actor, req, url, docs);
    answer.headers = { ...rateHeaders, ...answer.headers };
    // Checked even when a fault replaces it: the write happened and must have been faithful.
    this.checkResponse(operation, answer, method, url);
    if (replaces) {
      return {
        ...withActor,
        faulted: true,
        answer: this.faultAnswer(fault.spec, limit, rateHeaders),
      };
    }
    return { ...withActor, answer };
  }

  private run(
    definition: RouteDefinition,
    operation: Operation,
    params: Record<string, unknown>,
    query: Record<string, unknown>,
    body: unknown,
    actor: Actor | undefined,
    req: IncomingMessage,
    url: URL,
    docs: string,
  ): Answer {
    const extraHeaders: Record<string, string> = {};
    const ctx: RouteContext = {
      state: this,
      operation,
      params,
      query,
      body,
      actor,
      headers: req.headers,
      repo: () => {
        const repo = this.findRepo(String(params.owner), String(params.repo));
        // A private repository is invisible, not forbidden, to those who may not see it.
        if (!repo || (repo.isPrivate && !actor)) throw new HttpError(404, 'Not Found');
        return repo;
      },
      paginate: <T>(items: T[]): T[] => {
        const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30)));
        const page = Math.max(1, Number(query.page ?? 1));
        const last = Math.max(1, Math.ceil(items.length / perPage));
        const link = linkHeader(new URL(`${url.pathname}${url.search}`, this.url), page, last);
        if (link) extraHeaders.link = link;
        return items.slice((page - 1) * perPage, page * perPage);
      },
    };
    let result: RouteResult;
    try {
      result = definition.handle(ctx);
    } catch (error) {
      if (error instanceof HttpError) {
        return this.error(error.status, error.message, docs, error.headers, error.extra);
      }
      throw error;
    }
    const answer: Answer = {
      status: result.status,
      headers: { ...extraHeaders, ...result.headers },
    };
    if (result.body !== undefined) answer.body = result.body;
    if (result.raw !== undefined) answer.raw = result.raw;
    if (result.contentType !== undefined) answer.contentType = result.contentType;
    return answer;
  }

  private checkResponse(operation: Operation, answer: Answer, method: string, url: URL): void {
    const problems: string[] = [];
    if (answer.status < 300 && !documentsStatus(operation, answer.status)) {
      problems.push(`status ${answer.status} is not a documented answer of ${operation.route}`);
    }
    if (answer.body !== undefined && answer.raw === undefined) {
      problems.push(...validateResponseBody(operation, answer.status, answer.body));
    }
    if (problems.length > 0) {
      this.violation('invalid-response', method, url, operation.route, [
        `the fake's own answer (${answer.status}) does not match GitHub's description:`,
        ...problems.slice(0, 20),
      ]);
    }
  }

  private authenticate(
    req: IncomingMessage,
    definition: RouteDefinition,
    docs: string,
  ): { actor: Actor | undefined } | { answer: Answer } {
    const header = req.headers.authorization ?? '';
    const credential = /^(?:token|bearer)\s+(.+)$/i.exec(header.trim())?.[1];
    const isJwt = credential !== undefined && /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(credential);
    if (definition.auth === 'jwt') {
      if (!credential || !isJwt) {
        return { answer: this.error(401, 'A JSON web token could not be decoded', docs) };
      }
      const problem = this.checkJwt(credential);
      if (problem) return { answer: this.error(401, problem, docs) };
      return {
        actor: { token: credential, login: `${this.app.slug}[bot]`, kind: 'app', permissions: {} },
      };
    }
    if (credential === undefined) return { actor: undefined };
    if (isJwt) {
      return {
        answer: this.error(401, 'A JSON web token is only accepted by the /app endpoints', docs),
      };
    }
    const token = this.tokens.get(credential);
    if (!token) return { answer: this.error(401, 'Bad credentials', docs) };
    return {
      actor: {
        token: credential,
        login: token.actor,
        kind: token.kind ?? 'installation',
        permissions:
          token.kind === 'user' && !token.permissions ? undefined : (token.permissions ?? {}),
      },
    };
  }

  private checkJwt(jwt: string): string | undefined {
    const [head, payloadPart, signature = ''] = jwt.split('.');
    const header = base64UrlJson(head);
    const payload = base64UrlJson(payloadPart);
    if (!header || !payload || header.alg !== 'RS256')
      return 'A JSON web token could not be decoded';
    if (String(payload.iss) !== String(this.app.id) && payload.iss !== this.app.clientId) {
      return `'Issuer' claim ('iss') must be the App's id (${this.app.id}) or client id`;
    }
    // GitHub checks iat and exp against the real clock.
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat !== 'number' || payload.iat > now + 60) {
      return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
    }
    if (typeof payload.exp !== 'number' || payload.exp <= now) {
      return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    }
    if (payload.exp - now > 660) return "'Expiration time' claim ('exp') is too far in the future";
    if (this.appPublicKey) {
      const ok = verify(
        'RSA-SHA256',
        Buffer.from(`${head}.${payloadPart}`),
        this.appPublicKey,
        Buffer.from(signature, 'base64url'),
      );
      if (!ok) return 'A JSON web token could not be decoded';
    }
    return undefined;
  }

  private chargeRateLimit(actor: Actor | undefined, route: string): Answer | undefined {
    // Asking for the rate limit does not count against it.
    if (route === 'GET /rate_limit' || actor?.kind === 'app') return undefined;
    const limit = this.rateLimitOf(actor);
    if (limit.used >= limit.limit) {
      const who = actor ? `installation ID ${this.app.installationId}` : 'this IP';
      return this.error(403, `API rate limit exceeded for ${who}.`, primaryDocs, {
        'x-ratelimit-limit': String(limit.limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': String(limit.used),
        'x-ratelimit-reset': String(limit.reset),
        'x-ratelimit-resource': 'core',
      });
    }
    limit.used += 1;
    return undefined;
  }

  private checkPermission(
    actor: Actor | undefined,
    definition: RouteDefinition,
    docs: string,
  ): Answer | undefined {
    const needed = definition.permission;
    if (!needed || definition.auth === 'jwt') return undefined;
    const writes = needed.some((n) => n.endsWith(':write'));
    if (!actor) {
      // Anonymous callers may read public data but never write.
      return writes ? this.error(401, 'Requires authentication', docs) : undefined;
    }
    if (actor.permissions === undefined) return undefined;
    const granted = needed.some((requirement) => {
      const [name, level] = requirement.split(':') as [keyof Permissions, 'read' | 'write'];
      const has = actor.permissions?.[name];
      return has === 'write' || (has === 'read' && level === 'read');
    });
    if (granted) return undefined;
    const message =
      actor.kind === 'user'
        ? 'Resource not accessible by personal access token'
        : 'Resource not accessible by integration';
    return this.error(403, message, docs, {
      'x-accepted-github-permissions': needed.map((n) => n.replace(':', '=')).join('; '),
    });
  }

  private takeFault(request: FaultRequest): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.spec.route === undefined || f.spec.route === request.route) &&
        (f.spec.match === undefined || f.spec.match(request)),
    );
    if (fault) {
      fault.remaining -= 1;
      fault.hits += 1;
    }
    return fault;
  }

  private faultAnswer(
    spec: FaultSpec,
    limit: { limit: number; used: number; reset: number },
    rateHeaders: Record<string, string>,
  ): Answer {
    const headers = { ...rateHeaders };
    if (spec.kind === 'primary-rate-limit') {
      const reset = Math.floor(Date.now() / 1000) + (spec.retryAfter ?? 60);
      return {
        status: spec.status ?? 403,
        body:
          spec.body ??
          errorBody(
            spec.status ?? 403,
            `API rate limit exceeded for installation ID ${this.app.installationId}.`,
            primaryDocs,
          ),
        headers: {
          ...headers,
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': String(limit.limit),
          'x-ratelimit-reset': String(reset),
        },
      };
    }
    const status = spec.status ?? 403;
    if (spec.kind === 'secondary-rate-limit' || status === 429) {
      if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
      return {
        status,
        body: spec.body ?? errorBody(status, secondaryMessage, secondaryDocs),
        headers,
      };
    }
    const message = serverErrorMessages[status] ?? 'Injected fault';
    if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
    return {
      status,
      body: spec.body ?? errorBody(status, message, 'https://docs.github.com/rest'),
      headers,
    };
  }
}
