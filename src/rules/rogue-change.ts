import picomatch from 'picomatch';
import type { CiVersion } from '../impact/cmdb-union.js';
import { isCiId } from '../records/id-patterns.js';
import { isRecordPath } from '../records/layout.js';
import { listSome } from '../records/wording.js';
import { coverage, uncovered } from './coverage.js';
import type { Rule } from './rule.js';

const matchOptions = { dot: true } as const;
const globChars = /[*?[\]{}()!+@\\]/;

interface Pattern {
  version: CiVersion;
  /** The index of the glob in the version's `paths`, where the finding points. */
  index: number;
  /** Null for a literal path, which covers itself and everything below it. */
  test: ((path: string) => boolean) | null;
}

/**
 * Rogue changes: code changed in the branch under a CI's `paths` while no change of the branch
 * that counts (proposed or approved, added or edited in its data) names that CI in its `cis`.
 * `paths` are picomatch globs (dotfiles included); a path without glob characters covers itself
 * and everything below it; a `!glob` entry excludes, within its own version of the record. The
 * paths of a CI the branch edits come from the base and the head alike: code is the CI's when
 * either version says so, so deleting a glob or adding a negated one in the same branch hides
 * nothing. Only globs that could match some changed path are compiled: each is filed under its
 * static directory, and a changed path looks only at the globs filed under its own ancestors.
 */
export const rogueChangeRule: Rule = {
  id: 'rogue-change',
  description:
    "Code under a CI's paths (at the base or in the branch) changed without a proposed or approved change record, added or edited in the branch, that names the CI.",
  defaultSeverity: 'warning',
  check(context, report) {
    if (!context.changedPaths) return;
    const codePaths = [...new Set(context.changedPaths)].filter((path) => !isRecordPath(path));
    if (codePaths.length === 0) return;
    const ancestors = new Set<string>(['']);
    for (const path of codePaths) {
      for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1))
        ancestors.add(path.slice(0, slash));
      ancestors.add(path);
    }

    const filed = new Map<string, Pattern[]>();
    const negatives = new Map<CiVersion, string[]>();
    for (const version of context.cmdb.versions()) {
      const paths = Array.isArray(version.record.data.paths) ? version.record.data.paths : [];
      paths.forEach((raw, index) => {
        if (typeof raw !== 'string') return;
        const negated = raw.startsWith('!');
        const glob = normalise(negated ? raw.slice(1) : raw);
        if (glob === '') return;
        if (negated) {
          negatives.set(version, [...(negatives.get(version) ?? []), glob]);
          return;
        }
        // A cheap, conservative directory prefix first: most globs of a large CMDB are
        // dropped here, before picomatch parses or compiles anything.
        const cut = glob.search(globChars);
        const rough = cut < 0 ? glob : glob.slice(0, Math.max(glob.lastIndexOf('/', cut), 0));
        if (!ancestors.has(rough)) return;
        const literal = cut < 0 || !picomatch.scan(glob).isGlob;
        const key = literal ? glob : picomatch.scan(glob).base;
        if (!ancestors.has(key)) return;
        const list = filed.get(key) ?? [];
        list.push({ version, index, test: literal ? null : picomatch(glob, matchOptions) });
        filed.set(key, list);
      });
    }
    if (filed.size === 0) return;

    // Per CI, the version whose glob matched first (the head's when both did) and the paths.
    const touched = new Map<string, { version: CiVersion; index: number; paths: string[] }>();
    const excluded = (version: CiVersion, path: string) => {
      const globs = negatives.get(version);
      return globs !== undefined && picomatch.isMatch(path, globs, matchOptions);
    };
    for (const path of [...codePaths].sort()) {
      const seen = new Set<string>();
      const consider = (key: string) => {
        for (const pattern of filed.get(key) ?? []) {
          const { version } = pattern;
          if (seen.has(version.ci) || (pattern.test && !pattern.test(path))) continue;
          if (excluded(version, path)) continue;
          seen.add(version.ci);
          const entry = touched.get(version.ci);
          if (!entry) touched.set(version.ci, { version, index: pattern.index, paths: [path] });
          else {
            entry.paths.push(path);
            if (version.at === 'head' && entry.version.at === 'base')
              Object.assign(entry, { version, index: pattern.index });
            else if (version === entry.version) entry.index = Math.min(entry.index, pattern.index);
          }
        }
      };
      consider('');
      for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1))
        consider(path.slice(0, slash));
      consider(path);
    }
    if (touched.size === 0) return;

    const covered = coverage(context);
    for (const [id, { version, index, paths }] of [...touched].sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      if (covered.cis.has(id)) continue;
      const head = context.cmdb.ci(id)?.head;
      const where = `code of ${id} changed (${listSome(paths, 3)})`;
      const atBase = version.at === 'base' ? ', which its paths at the base cover,' : ',';
      report(
        head ?? version.record,
        version.at === 'head'
          ? ['paths', index]
          : head?.data.paths
            ? ['paths']
            : head
              ? ['id']
              : [],
        `${where}${atBase} ${uncovered(covered, id, 'this code')}${isCiId(id) ? ` (changeops new --cis ${id} writes one)` : ''}`,
      );
    }
  },
};

/** `./a/b/` -> `a/b`: the forms people write for the same directory. */
function normalise(glob: string): string {
  let result = glob.trim();
  while (result.startsWith('./')) result = result.slice(2);
  if (result.startsWith('/')) result = result.slice(1);
  if (result.endsWith('/')) result = result.slice(0, -1);
  return result;
}
