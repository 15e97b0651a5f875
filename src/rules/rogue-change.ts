import picomatch from 'picomatch';
import type { LoadedRecord } from '../records/estate.js';
import type { Change, ConfigurationItem } from '../records/types.generated.js';
import { isRecordPath } from '../records/layout.js';
import { listSome } from '../records/wording.js';
import type { Rule } from './rule.js';

// A change record that was rejected or cancelled authorises nothing, so it covers no code.
const voided: ReadonlySet<Change['status']> = new Set(['rejected', 'cancelled']);

const matchOptions = { dot: true } as const;
const globChars = /[*?[\]{}()!+@\\]/;

interface Pattern {
  ci: LoadedRecord<ConfigurationItem>;
  /** The index of the glob in the CI's `paths`, where the finding points. */
  index: number;
  /** Null for a literal path, which covers itself and everything below it. */
  test: ((path: string) => boolean) | null;
}

/**
 * Rogue changes: code changed in the branch under a CI's `paths` while no change record of the
 * branch names that CI in its `cis`. `paths` are picomatch globs (dotfiles included); a path
 * without glob characters covers itself and everything below it; a `!glob` entry excludes.
 * Only globs that could match some changed path are compiled: each is filed under its static
 * directory, and a changed path looks only at the globs filed under its own ancestors.
 */
export const rogueChangeRule: Rule = {
  id: 'rogue-change',
  description:
    "Code under a CI's paths changed without a change record in the branch that names the CI.",
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
    const negatives = new Map<LoadedRecord<ConfigurationItem>, string[]>();
    for (const ci of context.estate.cis.values()) {
      const paths = Array.isArray(ci.data.paths) ? ci.data.paths : [];
      paths.forEach((raw, index) => {
        if (typeof raw !== 'string') return;
        const negated = raw.startsWith('!');
        const glob = normalise(negated ? raw.slice(1) : raw);
        if (glob === '') return;
        if (negated) {
          negatives.set(ci, [...(negatives.get(ci) ?? []), glob]);
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
        list.push({ ci, index, test: literal ? null : picomatch(glob, matchOptions) });
        filed.set(key, list);
      });
    }
    if (filed.size === 0) return;

    const touched = new Map<LoadedRecord<ConfigurationItem>, { index: number; paths: string[] }>();
    for (const path of [...codePaths].sort()) {
      const seen = new Set<LoadedRecord<ConfigurationItem>>();
      const consider = (key: string) => {
        for (const pattern of filed.get(key) ?? []) {
          if (seen.has(pattern.ci) || (pattern.test && !pattern.test(path))) continue;
          seen.add(pattern.ci);
          const entry = touched.get(pattern.ci) ?? { index: pattern.index, paths: [] };
          entry.index = Math.min(entry.index, pattern.index);
          entry.paths.push(path);
          touched.set(pattern.ci, entry);
        }
      };
      consider('');
      for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1))
        consider(path.slice(0, slash));
      consider(path);
    }

    const covered = new Set<string>();
    for (const change of context.changes)
      if (!voided.has(change.data.status) && Array.isArray(change.data.cis))
        for (const id of change.data.cis) covered.add(id);
    const carried = context.changes
      .filter((change) => !voided.has(change.data.status))
      .map((change) => change.id)
      .sort();

    for (const [ci, { index, paths }] of [...touched].sort(([a], [b]) => (a.id < b.id ? -1 : 1))) {
      if (covered.has(ci.id)) continue;
      const excluded = negatives.get(ci);
      const changed = excluded
        ? paths.filter((path) => !picomatch.isMatch(path, excluded, matchOptions))
        : paths;
      if (changed.length === 0) continue;
      const where = `code of ${ci.id} changed (${listSome(changed, 3)})`;
      report(
        ci,
        ['paths', index],
        carried.length === 0
          ? `${where}, but this branch carries no change record; add a change that names ${ci.id} in its cis`
          : `${where}, but no change of this branch (${listSome(carried, 3)}) names ${ci.id} in its cis; add ${ci.id} to the cis of the change that covers this code, or add a change for it`,
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
