import { refProblem } from './ref.js';
import {
  askLocation,
  locateRepository,
  locating,
  locationArgs,
  parseLocation,
  shareLocation,
  type GitLocation,
} from './repository.js';
import { gitOutput } from './status.js';

/** A base ref as the same git process resolved it: its commit, and where HEAD left it. */
export interface LocatedBase {
  /** The commit the ref names (`ref^{commit}`). */
  sha: string;
  /** The one merge base of that commit and the head; undefined when git gave none or several. */
  mergeBase?: string;
}

/**
 * Where `dir` sits in git and, from the same process, the commit a base ref names and its merge
 * base with `head` (HEAD by default; else a full sha): one `git rev-parse` where opening the
 * repository, resolving the base and finding the merge base took three, one after another.
 * `base` is undefined whenever that one process cannot settle it (a ref that is not a commit
 * here, which may need a fetch; no common history or several merge bases; an unborn HEAD): the
 * caller then asks git step by step, as it always did. A ref refProblem refuses never reaches
 * git here.
 */
export async function locateWithBase(
  dir: string,
  ref: string,
  head?: string,
): Promise<{ location?: GitLocation; base?: LocatedBase }> {
  if (locating(dir) || refProblem(ref) || (head !== undefined && !isSha(head)))
    return { location: await locateRepository(dir) };
  const commit = `${ref}^{commit}`;
  const asked = gitOutput(dir, [
    ...locationArgs,
    '--end-of-options',
    commit,
    `${commit}...${head ?? 'HEAD'}`,
    '--',
  ]).then(
    (output) => ({ output, location: parseLocation(output) }),
    () => undefined,
  );
  // A ref git cannot resolve fails the whole command: the location is then asked on its own.
  const location = shareLocation(
    dir,
    asked.then((answer) => (answer ? answer.location : askLocation(dir))),
  );
  const answer = await asked;
  const base = answer?.location && parseBase(answer.output);
  return { location: await location, ...(base ? { base } : {}) };
}

const isSha = (text: string) => /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(text);

/**
 * The base from the lines after the location: the ref's commit, then for `ref...head` the head's
 * commit, the ref's again and each merge base as `^sha`. Git versions that echo `--end-of-options` and `--`
 * (rev-parse without --verify passes them on for rev-list) are read the same. Anything of
 * another shape settles nothing.
 */
function parseBase(output: string): LocatedBase | undefined {
  const lines = output
    .split('\n')
    .slice(3)
    .filter((line) => line !== '' && line !== '--end-of-options' && line !== '--');
  // rev-parse prints `a...b` as b, a, then the merge bases.
  const [sha, head, again, ...excluded] = lines;
  if (!sha || !isSha(sha) || again !== sha || !head || !isSha(head)) return undefined;
  const bases = excluded.map((line) => (line.startsWith('^') ? line.slice(1) : ''));
  if (!bases.every(isSha)) return undefined;
  return bases.length === 1 ? { sha, mergeBase: bases[0]! } : { sha };
}
