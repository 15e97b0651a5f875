// The git objects of a fake repository: blobs, trees and commits, hashed as git hashes them, so
// a tree the code under test builds through the git data API has the sha local git would give
// it, and a test can seed the fake from a real checkout (`seedFromCheckout`).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

/** One file of a tree: a blob (or a submodule's commit) at a full path. */
export interface GitTreeEntry {
  /** `100644`, `100755`, `120000` for a blob; `160000` for a submodule. */
  mode: string;
  type: 'blob' | 'commit';
  sha: string;
}

/** A git identity with a date, as commits carry them. */
export interface GitSignature {
  name: string;
  email: string;
  /** RFC 3339. */
  date: string;
}

/** A commit object. */
export interface GitCommitObject {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitSignature;
  committer: GitSignature;
}

function hashObject(type: string, content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]))
    .digest('hex');
}

/** The sha git gives a blob of these bytes. */
export function gitBlobSha(bytes: Buffer | string): string {
  return hashObject('blob', Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'));
}

/** Blobs, trees (kept flat: full path to entry) and commits of one repository. */
export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  /** Every tree by sha, subtrees included, each as the flat list of files below it. */
  readonly trees = new Map<string, Map<string, GitTreeEntry>>();
  readonly commits = new Map<string, GitCommitObject>();

  /** Stores a blob; returns its sha. */
  addBlob(bytes: Buffer | string): string {
    const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
    const sha = gitBlobSha(data);
    this.blobs.set(sha, data);
    return sha;
  }

  /** Stores a tree of files (full paths); returns the sha git would give it. */
  addTree(files: ReadonlyMap<string, GitTreeEntry>): string {
    return this.writeTree(files, '');
  }

  private writeTree(files: ReadonlyMap<string, GitTreeEntry>, prefix: string): string {
    const here = new Map<string, { mode: string; sha: string; dir: boolean }>();
    const below = new Map<string, Map<string, GitTreeEntry>>();
    for (const [path, entry] of files) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) {
        here.set(rest, { mode: entry.mode, sha: entry.sha, dir: false });
      } else {
        const name = rest.slice(0, slash);
        let sub = below.get(name);
        if (!sub) below.set(name, (sub = new Map()));
        sub.set(path, entry);
      }
    }
    for (const [name, sub] of below) {
      here.set(name, { mode: '40000', sha: this.writeTree(sub, `${prefix}${name}/`), dir: true });
    }
    // Git sorts a tree's entries by name, a subtree's name as if it ended with a slash.
    const key = (name: string, dir: boolean) => Buffer.from(dir ? `${name}/` : name);
    const sorted = [...here.entries()].sort(([a, x], [b, y]) =>
      Buffer.compare(key(a, x.dir), key(b, y.dir)),
    );
    const content = Buffer.concat(
      sorted.flatMap(([name, e]) => [
        Buffer.from(`${e.mode} ${name}\0`),
        Buffer.from(e.sha, 'hex'),
      ]),
    );
    const sha = hashObject('tree', content);
    const flat = new Map<string, GitTreeEntry>();
    for (const [path, entry] of files) flat.set(path.slice(prefix.length), entry);
    this.trees.set(sha, flat);
    return sha;
  }

  /** Stores a commit; returns its sha (git's, given the same signatures and message). */
  addCommit(commit: Omit<GitCommitObject, 'sha'>): GitCommitObject {
    const line = (role: string, who: GitSignature) =>
      `${role} ${who.name} <${who.email}> ${Math.floor(Date.parse(who.date) / 1000)} +0000`;
    const text = [
      `tree ${commit.tree}`,
      ...commit.parents.map((parent) => `parent ${parent}`),
      line('author', commit.author),
      line('committer', commit.committer),
      '',
      commit.message,
    ].join('\n');
    const sha = hashObject('commit', Buffer.from(text, 'utf8'));
    const stored = { ...commit, sha };
    this.commits.set(sha, stored);
    return stored;
  }

  /** The files of a commit's tree, or undefined when the commit or its tree is unknown. */
  filesOf(commitSha: string): ReadonlyMap<string, GitTreeEntry> | undefined {
    const commit = this.commits.get(commitSha);
    return commit ? this.trees.get(commit.tree) : undefined;
  }

  /** The text of a file at a commit, or undefined. */
  textAt(commitSha: string, path: string): string | undefined {
    const entry = this.filesOf(commitSha)?.get(path);
    const blob = entry && this.blobs.get(entry.sha);
    return blob?.toString('utf8');
  }
}

/**
 * Copies a real repository's commits (every ref's history), their trees and blobs into the
 * store, so the fake knows the objects GitHub would hold after they were pushed.
 */
export function seedFromCheckout(store: GitStore, dir: string): string[] {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const log = git(
    'log',
    '--all',
    '--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x01',
  )
    .toString('utf8')
    .split('\x01')
    .map((entry) => entry.replace(/^\n/, ''))
    .filter((entry) => entry !== '');
  const seeded: string[] = [];
  for (const entry of log) {
    const [sha, tree, parents, an, ae, ad, cn, ce, cd, message = ''] = entry.split('\0');
    const files = new Map<string, GitTreeEntry>();
    const listing = git('ls-tree', '-r', '-z', tree!).toString('utf8');
    for (const item of listing.split('\0')) {
      const match = /^(\d+) (blob|commit) ([0-9a-f]{40})\t(.*)$/s.exec(item);
      if (!match) continue;
      const [, mode, type, blob, path] = match;
      files.set(path!, { mode: mode!, type: type as 'blob' | 'commit', sha: blob! });
      if (type === 'blob' && !store.blobs.has(blob!))
        store.blobs.set(blob!, git('cat-file', 'blob', blob!));
    }
    store.addTree(files);
    const toUtc = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
    store.commits.set(sha!, {
      sha: sha!,
      tree: tree!,
      parents: parents ? parents.split(' ') : [],
      message: message.replace(/\n$/, ''),
      author: { name: an!, email: ae!, date: toUtc(ad!) },
      committer: { name: cn!, email: ce!, date: toUtc(cd!) },
    });
    seeded.push(sha!);
  }
  return seeded;
}
