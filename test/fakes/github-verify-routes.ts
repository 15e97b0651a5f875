// The operations verify needs besides the built-in ones: the git data API (blobs, trees,
// commits, refs) on the repository's GitStore, the commits of a path, labels, and creating a
// pull request. Each answers with what GitHub sends, schema-checked by the server like the rest.
import * as build from './github-builders.js';
import type { GitCommitObject, GitTreeEntry } from './github-git-store.js';
import type { FakeRepo, FileSeed } from './github-model.js';
import { HttpError, type RouteContext, type RouteDefinition } from './github-routes.js';

type Json = Record<string, unknown>;

function input(ctx: RouteContext): Json {
  return (ctx.body ?? {}) as Json;
}

function invalid(message: string, errors: Json[] = []): HttpError {
  return new HttpError(422, message, {}, errors.length > 0 ? { errors } : {});
}

function api(ctx: RouteContext, repo: FakeRepo): string {
  return `${ctx.state.build.apiUrl}/repos/${repo.fullName}`;
}

function commitJson(ctx: RouteContext, repo: FakeRepo, commit: GitCommitObject): Json {
  const base = api(ctx, repo);
  const html = `${ctx.state.build.htmlUrl}/${repo.fullName}/commit`;
  return {
    sha: commit.sha,
    node_id: build.nodeId('Commit', Number.parseInt(commit.sha.slice(0, 8), 16) || 1),
    url: `${base}/git/commits/${commit.sha}`,
    html_url: `${html}/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${base}/git/commits/${sha}`,
      html_url: `${html}/${sha}`,
    })),
    verification: {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null,
    },
  };
}

function refJson(ctx: RouteContext, repo: FakeRepo, branch: string, sha: string): Json {
  const base = api(ctx, repo);
  return {
    ref: `refs/heads/${branch}`,
    node_id: build.nodeId('Ref', Number.parseInt(sha.slice(0, 8), 16) || 1),
    url: `${base}/git/refs/heads/${branch}`,
    object: { type: 'commit', sha, url: `${base}/git/commits/${sha}` },
  };
}

/** Whether a path's file is the same in a commit and its parent. */
function sameAt(repo: FakeRepo, a: string, b: string, path: string): boolean {
  const x = repo.git.filesOf(a)?.get(path);
  const y = repo.git.filesOf(b)?.get(path);
  return x?.sha === y?.sha && x?.mode === y?.mode;
}

/**
 * The commits reachable from `start` that changed `path`, newest first, with git's default
 * history simplification: a merge that kept the path of one parent is left out and only that
 * parent is followed.
 */
function historyOf(repo: FakeRepo, start: string, path: string | undefined): GitCommitObject[] {
  const found: GitCommitObject[] = [];
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    // Newest first, by committer date, as git log orders them.
    queue.sort(
      (a, b) =>
        Date.parse(repo.git.commits.get(b)?.committer.date ?? '0') -
        Date.parse(repo.git.commits.get(a)?.committer.date ?? '0'),
    );
    const sha = queue.shift()!;
    if (seen.has(sha)) continue;
    seen.add(sha);
    const commit = repo.git.commits.get(sha);
    if (!commit) continue;
    if (path === undefined) {
      found.push(commit);
      queue.push(...commit.parents);
      continue;
    }
    const same = commit.parents.find((parent) => sameAt(repo, sha, parent, path));
    if (same !== undefined) {
      queue.push(same);
      continue;
    }
    const present = repo.git.filesOf(sha)?.has(path);
    if (present || commit.parents.some((parent) => repo.git.filesOf(parent)?.has(path)))
      found.push(commit);
    queue.push(...commit.parents);
  }
  return found;
}

/** The files that differ between two commits, as a pull request lists them. */
function filesBetween(repo: FakeRepo, base: string, head: string): FileSeed[] {
  const before = repo.git.filesOf(base);
  const after = repo.git.filesOf(head);
  if (!before || !after) return [];
  const files: FileSeed[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old) files.push({ filename: path, status: 'added', sha: entry.sha });
    else if (old.sha !== entry.sha)
      files.push({ filename: path, status: 'modified', sha: entry.sha });
  }
  for (const [path, entry] of before) {
    if (!after.has(path))
      files.push({ filename: path, status: 'removed', sha: entry.sha, additions: 0, deletions: 1 });
  }
  return files.sort((a, b) => a.filename.localeCompare(b.filename));
}

const gitRoutes: Record<string, RouteDefinition> = {
  'POST /repos/{owner}/{repo}/git/blobs': {
    permission: ['contents:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const { content, encoding } = input(ctx);
      const bytes =
        encoding === 'base64'
          ? Buffer.from(String(content), 'base64')
          : Buffer.from(String(content), 'utf8');
      const sha = repo.git.addBlob(bytes);
      return {
        status: 201,
        body: { sha, url: `${api(ctx, repo)}/git/blobs/${sha}` },
        headers: { location: `${api(ctx, repo)}/git/blobs/${sha}` },
      };
    },
  },

  'POST /repos/{owner}/{repo}/git/trees': {
    permission: ['contents:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const body = input(ctx);
      let files = new Map<string, GitTreeEntry>();
      if (body.base_tree !== undefined) {
        const base = repo.git.trees.get(String(body.base_tree));
        if (!base) throw invalid('base_tree is not a valid tree oid');
        files = new Map(base);
      }
      for (const raw of (body.tree as Json[] | undefined) ?? []) {
        const path = String(raw.path ?? '');
        if (
          path === '' ||
          path.startsWith('/') ||
          path.split('/').some((p) => p === '' || p === '.' || p === '..')
        )
          throw invalid(`tree.path ${JSON.stringify(path)} is not a valid path`);
        if (raw.sha !== undefined && raw.content !== undefined)
          throw invalid('tree.sha and tree.content cannot both be given');
        if (raw.type === 'tree' || raw.mode === '040000')
          throw new Error('the fake GitHub takes blob entries only in a new tree');
        const mode = String(raw.mode ?? '100644');
        if (raw.sha === null) {
          if (!files.delete(path))
            throw invalid(`tree.path ${path} is not in the base tree to delete`);
          continue;
        }
        if (raw.content !== undefined) {
          files.set(path, { mode, type: 'blob', sha: repo.git.addBlob(String(raw.content)) });
          continue;
        }
        const sha = String(raw.sha ?? '');
        if (raw.type === 'blob' && !repo.git.blobs.has(sha))
          throw invalid(`tree.sha ${sha} is not a valid blob`);
        files.set(path, { mode, type: raw.type === 'commit' ? 'commit' : 'blob', sha });
      }
      const sha = repo.git.addTree(files);
      const base = api(ctx, repo);
      return {
        status: 201,
        body: {
          sha,
          url: `${base}/git/trees/${sha}`,
          truncated: false,
          tree: [...files.entries()].map(([path, entry]) => ({
            path,
            mode: entry.mode,
            type: entry.type,
            sha: entry.sha,
            ...(entry.type === 'blob'
              ? {
                  size: repo.git.blobs.get(entry.sha)?.length ?? 0,
                  url: `${base}/git/blobs/${entry.sha}`,
                }
              : {}),
          })),
        },
        headers: { location: `${base}/git/trees/${sha}` },
      };
    },
  },

  'POST /repos/{owner}/{repo}/git/commits': {
    permission: ['contents:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const body = input(ctx);
      const tree = String(body.tree);
      if (!repo.git.trees.has(tree)) throw invalid('Tree SHA does not exist');
      const parents = ((body.parents as unknown[] | undefined) ?? []).map(String);
      for (const parent of parents)
        if (!repo.git.commits.has(parent))
          throw invalid('Parent SHA does not exist or is not a commit object');
      const login = ctx.actor?.login ?? 'ghost';
      const now = ctx.state.now();
      const signature = (raw: unknown) => {
        const who = raw as { name?: string; email?: string; date?: string } | undefined;
        return {
          name: who?.name ?? login,
          email: who?.email ?? `${login}@users.noreply.github.com`,
          date: who?.date ?? now,
        };
      };
      const author = signature(body.author);
      const commit = repo.git.addCommit({
        tree,
        parents,
        message: String(body.message),
        author,
        committer: body.committer === undefined ? author : signature(body.committer),
      });
      return {
        status: 201,
        body: commitJson(ctx, repo, commit),
        headers: { location: `${api(ctx, repo)}/git/commits/${commit.sha}` },
      };
    },
  },

  'GET /repos/{owner}/{repo}/git/commits/{commit_sha}': {
    permission: ['contents:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const commit = repo.git.commits.get(String(ctx.params.commit_sha));
      if (!commit) throw new HttpError(404, 'Not Found');
      return { status: 200, body: commitJson(ctx, repo, commit) };
    },
  },

  'GET /repos/{owner}/{repo}/git/ref/{ref}': {
    permission: ['contents:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const ref = String(ctx.params.ref);
      const branch = ref.startsWith('heads/') ? ref.slice('heads/'.length) : undefined;
      const sha = branch === undefined ? undefined : repo.branches.get(branch);
      if (branch === undefined || sha === undefined) throw new HttpError(404, 'Not Found');
      return { status: 200, body: refJson(ctx, repo, branch, sha) };
    },
  },

  'POST /repos/{owner}/{repo}/git/refs': {
    permission: ['contents:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const body = input(ctx);
      const ref = String(body.ref);
      const sha = String(body.sha);
      const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
      if (!branch) throw invalid(`${ref} is not a valid ref name.`);
      if (repo.branches.has(branch)) throw invalid('Reference already exists');
      if (!repo.git.commits.has(sha)) throw invalid('Object does not exist');
      repo.branches.set(branch, sha);
      return {
        status: 201,
        body: refJson(ctx, repo, branch, sha),
        headers: { location: `${api(ctx, repo)}/git/refs/heads/${branch}` },
      };
    },
  },

  'GET /repos/{owner}/{repo}/commits': {
    permission: ['contents:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const start =
        ctx.query.sha === undefined
          ? repo.branches.get(repo.defaultBranch)
          : (repo.branches.get(String(ctx.query.sha)) ?? String(ctx.query.sha));
      if (start === undefined || !repo.git.commits.has(start))
        throw new HttpError(
          404,
          'No commit found for SHA: ' + String(ctx.query.sha ?? repo.defaultBranch),
        );
      const path = ctx.query.path === undefined ? undefined : String(ctx.query.path);
      const commits = ctx.paginate(historyOf(repo, start, path));
      return {
        status: 200,
        body: commits.map((commit) => {
          const json = build.commit(ctx.state.build, repo, {
            sha: commit.sha,
            message: commit.message,
            author: null,
            parents: commit.parents,
            date: commit.committer.date,
          });
          const inner = json.commit as Json;
          inner.author = commit.author;
          inner.committer = commit.committer;
          inner.tree = { sha: commit.tree, url: `${api(ctx, repo)}/git/trees/${commit.tree}` };
          return json;
        }),
      };
    },
  },
};

const labelRoutes: Record<string, RouteDefinition> = {
  'GET /repos/{owner}/{repo}/labels/{name}': {
    permission: ['issues:read', 'pull_requests:read'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const label = repo.labels.get(String(ctx.params.name).toLowerCase());
      if (!label) throw new HttpError(404, 'Not Found');
      return { status: 200, body: build.label(ctx.state.build, repo, label) };
    },
  },

  'POST /repos/{owner}/{repo}/labels': {
    permission: ['issues:write', 'pull_requests:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const body = input(ctx);
      const name = String(body.name);
      if (repo.labels.has(name.toLowerCase()))
        throw invalid('Validation Failed', [
          { resource: 'Label', code: 'already_exists', field: 'name' },
        ]);
      const color = body.color === undefined ? 'ededed' : String(body.color).replace(/^#/, '');
      if (!/^[0-9a-fA-F]{6}$/.test(color))
        throw invalid('Validation Failed', [
          { resource: 'Label', code: 'invalid', field: 'color' },
        ]);
      const label = repo.ensureLabel(name);
      label.color = color.toLowerCase();
      label.description = body.description === undefined ? null : String(body.description);
      return {
        status: 201,
        body: build.label(ctx.state.build, repo, label),
        headers: { location: `${api(ctx, repo)}/labels/${encodeURIComponent(name)}` },
      };
    },
  },
};

const pullWriteRoutes: Record<string, RouteDefinition> = {
  'POST /repos/{owner}/{repo}/pulls': {
    permission: ['pull_requests:write'],
    handle: (ctx) => {
      const repo = ctx.repo();
      const actor = ctx.actor;
      if (!actor) throw new HttpError(401, 'Requires authentication');
      const body = input(ctx);
      const head = String(body.head).replace(new RegExp(`^${repo.owner}:`, 'i'), '');
      const base = String(body.base);
      const headSha = repo.branches.get(head);
      const baseSha = repo.branches.get(base);
      if (headSha === undefined)
        throw invalid('Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'invalid' },
        ]);
      if (baseSha === undefined)
        throw invalid('Validation Failed', [
          { resource: 'PullRequest', field: 'base', code: 'invalid' },
        ]);
      const open = [...repo.pulls.values()].find(
        (pr) =>
          pr.state === 'open' &&
          pr.head.ref === head &&
          pr.head.repo === repo.fullName &&
          pr.base.ref === base,
      );
      if (open)
        throw invalid('Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${repo.owner}:${head}.`,
          },
        ]);
      if (headSha === baseSha)
        throw invalid('Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${base} and ${head}`,
          },
        ]);
      const text = body.body === undefined || body.body === null ? null : String(body.body);
      if (text && [...text].length > 65536)
        throw invalid('Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)',
          },
        ]);
      const pr = repo.addPullRequest({
        title: String(body.title ?? head),
        body: text,
        author: actor.login,
        draft: body.draft === true,
        head: { sha: headSha, ref: head },
        base: { sha: baseSha, ref: base },
        mergeCommitSha: null,
        files: filesBetween(repo, baseSha, headSha),
        commits: [
          {
            sha: headSha,
            message: repo.git.commits.get(headSha)?.message ?? 'Commit',
            author: null,
          },
        ],
        createdAt: ctx.state.now(),
      });
      return {
        status: 201,
        body: build.pullRequest(ctx.state.build, repo, repo, pr),
        headers: { location: `${api(ctx, repo)}/pulls/${pr.number}` },
      };
    },
  },
};

/** The operations added for verify: git data, commits of a path, labels, creating pull requests. */
export const verifyRoutes: Readonly<Record<string, RouteDefinition>> = {
  ...gitRoutes,
  ...labelRoutes,
  ...pullWriteRoutes,
};
