// Small builders that turn the fake's records into the JSON GitHub sends, with every field
// the OpenAPI description requires (the server validates each answer against it).
import type {
  AppRecord,
  AuthorAssociation,
  CheckRunRecord,
  CommentRecord,
  CommitRecord,
  FakeRepo,
  FileRecord,
  IssueRecord,
  LabelRecord,
  PullRequestRecord,
  ReviewRecord,
  StatusRecord,
  TeamRecord,
  UserRecord,
} from './github-model.js';

type Json = Record<string, unknown>;

/** What the builders need to know about the server they answer for. */
export interface BuildContext {
  /** Base of API urls: the fake's own address, so following a `url` field reaches it. */
  readonly apiUrl: string;
  /** Base of web urls (`html_url`). */
  readonly htmlUrl: string;
  user(login: string): UserRecord;
  app(slug: string): AppRecord | undefined;
  association(repo: FakeRepo, login: string): AuthorAssociation;
}

const epoch = '2020-01-01T00:00:00Z';

/** A node_id in GitHub's legacy format (base64 of "len:TypeId"). */
export function nodeId(type: string, id: number): string {
  const body = `${type}${id}`;
  return Buffer.from(`${String(body.length).padStart(2, '0')}:${body}`).toString('base64');
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** A `simple-user` object. */
export function simpleUser(ctx: BuildContext, login: string): Json {
  const u = ctx.user(login);
  const api = `${ctx.apiUrl}/users/${enc(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(
      u.type === 'Bot' ? 'Bot' : u.type === 'Organization' ? 'Organization' : 'User',
      u.id,
    ),
    avatar_url: `https://avatars.githubusercontent.com/${u.type === 'Bot' ? 'in' : 'u'}/${u.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url:
      u.type === 'Bot' && u.appSlug
        ? `${ctx.htmlUrl}/apps/${u.appSlug}`
        : `${ctx.htmlUrl}/${enc(u.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** A `private-user` object, what GET /user answers to a user's own token. */
export function privateUser(ctx: BuildContext, login: string): Json {
  const u = ctx.user(login);
  return {
    ...simpleUser(ctx, login),
    name: u.name,
    company: null,
    blog: '',
    location: null,
    email: u.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: epoch,
    updated_at: epoch,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

/** A `full-repository` object (a superset of `repository` and `minimal-repository`). */
export function repository(ctx: BuildContext, repo: FakeRepo): Json {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const html = `${ctx.htmlUrl}/${repo.fullName}`;
  const openIssues = [...repo.issues.values(), ...repo.pulls.values()].filter(
    (i) => i.state === 'open',
  ).length;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: simpleUser(ctx, repo.owner),
    private: repo.isPrivate,
    html_url: html,
    description: repo.description,
    fork: repo.isFork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${new URL(ctx.htmlUrl).host}/${repo.fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${new URL(ctx.htmlUrl).host}:${repo.fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 100,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.isPrivate ? 'private' : 'public',
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}

/** A `label` object. */
export function label(ctx: BuildContext, repo: FakeRepo, record: LabelRecord): Json {
  return {
    id: record.id,
    node_id: nodeId('Label', record.id),
    url: `${ctx.apiUrl}/repos/${repo.fullName}/labels/${enc(record.name)}`,
    name: record.name,
    description: record.description,
    color: record.color,
    default: false,
  };
}

function labels(ctx: BuildContext, repo: FakeRepo, names: string[]): Json[] {
  return names.map((name) => label(ctx, repo, repo.ensureLabel(name)));
}

function pullUrls(ctx: BuildContext, repo: FakeRepo, pr: PullRequestRecord): Json {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const html = `${ctx.htmlUrl}/${repo.fullName}/pull/${pr.number}`;
  return {
    url: `${api}/pulls/${pr.number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    commits_url: `${api}/pulls/${pr.number}/commits`,
    review_comments_url: `${api}/pulls/${pr.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${pr.head.sha}`,
  };
}

const simpleOnlyFields = [
  'merged',
  'mergeable',
  'rebaseable',
  'mergeable_state',
  'merged_by',
  'comments',
  'review_comments',
  'maintainer_can_modify',
  'commits',
  'additions',
  'deletions',
  'changed_files',
];

/**
 * A `pull-request` object (GET one PR). With `simple`, the `pull-request-simple` shape that
 * lists return: real GitHub leaves out counts and mergeability there, and so does the fake,
 * so code that reads `additions` from a list fails here as it would in production.
 */
export function pullRequest(
  ctx: BuildContext,
  repo: FakeRepo,
  headRepo: FakeRepo,
  pr: PullRequestRecord,
  options: { simple?: boolean } = {},
): Json {
  const urls = pullUrls(ctx, repo, pr);
  const link = (href: unknown) => ({ href });
  const full: Json = {
    ...urls,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    number: pr.number,
    state: pr.state,
    locked: pr.locked,
    title: pr.title,
    user: simpleUser(ctx, pr.author),
    body: pr.body,
    labels: labels(ctx, repo, pr.labels),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.merged ? pr.closedAt : null,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: pr.assignees[0] ? simpleUser(ctx, pr.assignees[0]) : null,
    assignees: pr.assignees.map((login) => simpleUser(ctx, login)),
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${headRepo.owner}:${pr.head.ref}`,
      ref: pr.head.ref,
      sha: pr.head.sha,
      user: simpleUser(ctx, headRepo.owner),
      repo: repository(ctx, headRepo),
    },
    base: {
      label: `${repo.owner}:${pr.base.ref}`,
      ref: pr.base.ref,
      sha: pr.base.sha,
      user: simpleUser(ctx, repo.owner),
      repo: repository(ctx, repo),
    },
    _links: {
      self: link(urls.url),
      html: link(urls.html_url),
      issue: link(urls.issue_url),
      comments: link(urls.comments_url),
      review_comments: link(urls.review_comments_url),
      review_comment: link(urls.review_comment_url),
      commits: link(urls.commits_url),
      statuses: link(urls.statuses_url),
    },
    author_association: ctx.association(repo, pr.author),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.state === 'open' ? true : null,
    rebaseable: pr.state === 'open' ? true : null,
    mergeable_state: pr.state === 'open' ? (pr.draft ? 'draft' : 'clean') : 'unknown',
    merged_by: pr.merged ? simpleUser(ctx, pr.author) : null,
    comments: repo.commentsOn(pr.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commits.length,
    additions: pr.files.reduce((n, f) => n + f.additions, 0),
    deletions: pr.files.reduce((n, f) => n + f.deletions, 0),
    changed_files: pr.files.length,
  };
  if (options.simple) for (const key of simpleOnlyFields) delete full[key];
  return full;
}

/** A `diff-entry` object (a changed file). */
export function diffEntry(ctx: BuildContext, repo: FakeRepo, ref: string, file: FileRecord): Json {
  const path = file.filename.split('/').map(enc).join('/');
  const entry: Json = {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${ctx.htmlUrl}/${repo.fullName}/blob/${ref}/${path}`,
    raw_url: `${ctx.htmlUrl}/${repo.fullName}/raw/${ref}/${path}`,
    contents_url: `${ctx.apiUrl}/repos/${repo.fullName}/contents/${path}?ref=${ref}`,
  };
  if (file.patch !== undefined) entry.patch = file.patch;
  if (file.previousFilename !== undefined) entry.previous_filename = file.previousFilename;
  return entry;
}

/** A `pull-request-review` object. */
export function review(
  ctx: BuildContext,
  repo: FakeRepo,
  pr: PullRequestRecord,
  r: ReviewRecord,
): Json {
  const html = `${ctx.htmlUrl}/${repo.fullName}/pull/${pr.number}#pullrequestreview-${r.id}`;
  const prUrl = `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${pr.number}`;
  const out: Json = {
    id: r.id,
    node_id: nodeId('PullRequestReview', r.id),
    user: simpleUser(ctx, r.user),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: prUrl,
    author_association: r.authorAssociation ?? ctx.association(repo, r.user),
    _links: { html: { href: html }, pull_request: { href: prUrl } },
    commit_id: r.commitId,
  };
  if (r.submittedAt) out.submitted_at = r.submittedAt;
  return out;
}

/** An `integration` object (a GitHub App). */
export function integration(ctx: BuildContext, app: AppRecord): Json {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('Integration', app.id),
    client_id: app.clientId,
    owner: simpleUser(ctx, app.owner),
    name: app.name,
    description: null,
    external_url: `${ctx.htmlUrl}/apps/${app.slug}`,
    html_url: `${ctx.htmlUrl}/apps/${app.slug}`,
    created_at: epoch,
    updated_at: epoch,
    permissions: app.permissions,
    events: [],
  };
}

function performedVia(ctx: BuildContext, login: string): Json | null {
  const slug = ctx.user(login).appSlug;
  const app = slug ? ctx.app(slug) : undefined;
  return app ? integration(ctx, app) : null;
}

function reactions(url: string): Json {
  return {
    url: `${url}/reactions`,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

/** An `issue-comment` object. */
export function issueComment(ctx: BuildContext, repo: FakeRepo, c: CommentRecord): Json {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}/issues/comments/${c.id}`;
  const kind = repo.pulls.has(c.issueNumber) ? 'pull' : 'issues';
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(ctx, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${ctx.apiUrl}/repos/${repo.fullName}/issues/${c.issueNumber}`,
    author_association: ctx.association(repo, c.user),
    performed_via_github_app: performedVia(ctx, c.user),
    reactions: reactions(url),
  };
}

/** An `issue` object; a pull request seen through the issues API carries `pull_request`. */
export function issue(
  ctx: BuildContext,
  repo: FakeRepo,
  record: IssueRecord | PullRequestRecord,
): Json {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}/issues/${record.number}`;
  const isPull = 'head' in record;
  const out: Json = {
    id: record.id,
    node_id: nodeId(isPull ? 'PullRequest' : 'Issue', record.id),
    url: api,
    repository_url: `${ctx.apiUrl}/repos/${repo.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/${isPull ? 'pull' : 'issues'}/${record.number}`,
    number: record.number,
    state: record.state,
    state_reason: isPull ? null : record.stateReason,
    title: record.title,
    body: record.body,
    user: simpleUser(ctx, record.author),
    labels: labels(ctx, repo, record.labels),
    assignee: record.assignees[0] ? simpleUser(ctx, record.assignees[0]) : null,
    assignees: record.assignees.map((login) => simpleUser(ctx, login)),
    milestone: null,
    locked: record.locked,
    active_lock_reason: null,
    comments: repo.commentsOn(record.number).length,
    closed_at: record.closedAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_by: isPull ? null : record.closedBy ? simpleUser(ctx, record.closedBy) : null,
    author_association: ctx.association(repo, record.author),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: performedVia(ctx, record.author),
    reactions: reactions(api),
  };
  if (isPull) {
    const html = `${ctx.htmlUrl}/${repo.fullName}/pull/${record.number}`;
    out.draft = record.draft;
    out.pull_request = {
      url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${record.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: record.merged ? record.closedAt : null,
    };
  }
  return out;
}

/** A `status` object (what POST statuses and the statuses list answer). */
export function status(ctx: BuildContext, repo: FakeRepo, s: StatusRecord): Json {
  return {
    url: `${ctx.apiUrl}/repos/${repo.fullName}/statuses/${s.sha}`,
    avatar_url: simpleUser(ctx, s.creator).avatar_url,
    id: s.id,
    node_id: nodeId('StatusContext', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: simpleUser(ctx, s.creator),
  };
}

/** A `combined-commit-status` object: the latest status per context, and their verdict. */
export function combinedStatus(
  ctx: BuildContext,
  repo: FakeRepo,
  sha: string,
  latest: StatusRecord[],
): Json {
  const states = latest.map((s) => s.state);
  const state =
    states.length === 0 || states.includes('pending')
      ? 'pending'
      : states.some((s) => s === 'error' || s === 'failure')
        ? 'failure'
        : 'success';
  return {
    state,
    statuses: latest.map((s) => {
      const { creator: _creator, ...simple } = status(ctx, repo, s);
      return { ...simple, required: false };
    }),
    sha,
    total_count: latest.length,
    repository: repository(ctx, repo),
    commit_url: `${ctx.apiUrl}/repos/${repo.fullName}/commits/${sha}`,
    url: `${ctx.apiUrl}/repos/${repo.fullName}/commits/${sha}/status`,
  };
}

/** A `check-run` object. */
export function checkRun(ctx: BuildContext, repo: FakeRepo, run: CheckRunRecord): Json {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}/check-runs/${run.id}`;
  const app = ctx.app(run.appSlug);
  const pulls = [...repo.pulls.values()].filter(
    (pr) => pr.state === 'open' && pr.head.sha === run.headSha,
  );
  const minimalRepo = { id: repo.id, url: `${ctx.apiUrl}/repos/${repo.fullName}`, name: repo.name };
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId('CheckRun', run.id),
    external_id: run.externalId,
    url,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotationsCount,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: 1_000_000 + run.id },
    app: app ? integration(ctx, app) : null,
    pull_requests: pulls.map((pr) => ({
      id: pr.id,
      number: pr.number,
      url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${pr.number}`,
      head: { ref: pr.head.ref, sha: pr.head.sha, repo: minimalRepo },
      base: { ref: pr.base.ref, sha: pr.base.sha, repo: minimalRepo },
    })),
  };
}

/** A `commit` object. */
export function commit(ctx: BuildContext, repo: FakeRepo, c: CommitRecord): Json {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const gitUser = c.author
    ? { name: c.author, email: `${c.author}@users.noreply.github.com`, date: c.date }
    : { name: 'unknown', email: 'unknown@example.com', date: c.date };
  const user = c.author ? simpleUser(ctx, c.author) : null;
  return {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId('Commit', Number.parseInt(c.sha.slice(0, 8), 16) || 1),
    html_url: `${ctx.htmlUrl}/${repo.fullName}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: gitUser,
      committer: gitUser,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.sha.split('').reverse().join(''), url: `${api}/git/trees/${c.sha}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        payload: null,
        signature: null,
        verified_at: null,
      },
    },
    author: user,
    committer: user,
    parents: c.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${ctx.htmlUrl}/${repo.fullName}/commit/${sha}`,
    })),
  };
}

/** A `team-membership` object. */
export function teamMembership(ctx: BuildContext, team: TeamRecord, login: string): Json {
  const m = team.members.get(login.toLowerCase())!;
  return {
    url: `${ctx.apiUrl}/organizations/${ctx.user(team.org).id}/team/${team.id}/memberships/${enc(m.login)}`,
    role: m.role,
    state: m.state,
  };
}

/** An `installation` object of an App on an account. */
export function installation(ctx: BuildContext, app: AppRecord, account: string): Json {
  const owner = ctx.user(account);
  return {
    id: app.installationId,
    client_id: app.clientId,
    account: simpleUser(ctx, account),
    repository_selection: 'selected',
    access_tokens_url: `${ctx.apiUrl}/app/installations/${app.installationId}/access_tokens`,
    repositories_url: `${ctx.apiUrl}/installation/repositories`,
    html_url: `${ctx.htmlUrl}/organizations/${enc(account)}/settings/installations/${app.installationId}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: owner.id,
    target_type: owner.type === 'Organization' ? 'Organization' : 'User',
    permissions: app.permissions,
    events: [],
    created_at: epoch,
    updated_at: epoch,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** A content-file object (base64 in lines of 60, as GitHub sends it). */
export function contentFile(
  ctx: BuildContext,
  repo: FakeRepo,
  path: string,
  ref: string,
  text: string,
  sha: string,
): Json {
  const base64 = Buffer.from(text, 'utf8').toString('base64');
  return {
    ...contentEntry(ctx, repo, path, ref, 'file', Buffer.byteLength(text), sha),
    content: `${base64.replace(/(.{60})/g, '$1\n')}\n`,
    encoding: 'base64',
  };
}

/** One entry of a content-directory listing. */
export function contentEntry(
  ctx: BuildContext,
  repo: FakeRepo,
  path: string,
  ref: string,
  type: 'file' | 'dir',
  size: number,
  sha: string,
): Json {
  const encoded = path.split('/').map(enc).join('/');
  const self = `${ctx.apiUrl}/repos/${repo.fullName}/contents/${encoded}?ref=${enc(ref)}`;
  const git = `${ctx.apiUrl}/repos/${repo.fullName}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`;
  const html = `${ctx.htmlUrl}/${repo.fullName}/${type === 'dir' ? 'tree' : 'blob'}/${enc(ref)}/${encoded}`;
  return {
    type,
    size,
    name: path.split('/').pop(),
    path,
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      type === 'file'
        ? `https://raw.githubusercontent.com/${repo.fullName}/${enc(ref)}/${encoded}`
        : null,
    _links: { self, git, html },
  };
}

/** A `basic-error` body, as GitHub sends with most 4xx and 5xx answers. */
export function errorBody(status: number, message: string, documentationUrl: string): Json {
  return { message, documentation_url: documentationUrl, status: String(status) };
}
