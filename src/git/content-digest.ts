import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import type { ContentDigest } from '../approvals/facts.js';
import type { DigestPart } from '../evaluate/gate.js';
import { GitError } from './errors/git-error.js';
import { firstLine, type Repository } from './repository.js';

const matchOptions = { dot: true };

/**
 * The content an approval binds to, per commit: for each part (a change record, the policy, the
 * CMDB, the schemas, the code under a CI's paths) a hash of the paths and blob ids it covers at
 * that commit, from one `git ls-tree -r` per commit. Nothing is checked out or read beyond the
 * tree listings. Throws a GitError when a commit is not in the clone.
 */
export async function contentDigests(
  repo: Repository,
  shas: readonly string[],
  parts: readonly DigestPart[],
): Promise<Record<string, ContentDigest>> {
  const matchers = parts.map((part) => matcherOf(part));
  const digests: Record<string, ContentDigest> = {};
  for (const sha of new Set(shas)) {
    let listing: string;
    try {
      listing = await repo.git.raw(['ls-tree', '-r', '-z', '--end-of-options', sha]);
    } catch (error) {
      throw new GitError(
        `cannot list the files of ${sha.slice(0, 12)} to tell what an approval of it covers (${firstLine(error)}); check out with fetch-depth: 0`,
        { cause: error },
      );
    }
    const hashes = parts.map(() => createHash('sha256'));
    const seen = parts.map(() => false);
    for (const entry of listing.split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const path = entry.slice(tab + 1);
      const oid = entry.slice(0, tab).split(' ')[2] ?? '';
      matchers.forEach((matches, index) => {
        if (!matches(path)) return;
        seen[index] = true;
        hashes[index]!.update(`${path}\0${oid}\n`);
      });
    }
    const digest: Record<string, string> = {};
    parts.forEach((part, index) => {
      // A file that is not there is no part (its appearing or going is the change); code and
      // folders always are, empty or not.
      if (part.kind === 'files' && !seen[index]) return;
      digest[part.part] = hashes[index]!.digest('hex');
    });
    digests[sha] = digest;
  }
  return digests;
}

function matcherOf(part: DigestPart): (path: string) => boolean {
  switch (part.kind) {
    case 'files': {
      const paths = new Set(part.paths);
      return (path) => paths.has(path);
    }
    case 'folder':
      return (path) => path.startsWith(part.prefix);
    case 'code': {
      // A path without glob characters covers itself and everything below it (as rogue-change).
      const tests = part.globs.map((glob) =>
        picomatch.scan(glob).isGlob
          ? picomatch(glob, matchOptions)
          : (path: string) => path === glob || path.startsWith(`${glob.replace(/\/+$/, '')}/`),
      );
      return (path) => tests.some((test) => test(path));
    }
  }
}
