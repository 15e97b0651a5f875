import type { LoadedRecord } from '../records/estate.js';
import { sameData } from '../records/same-data.js';
import type { Change } from '../records/types.generated.js';
import { listSome } from '../records/wording.js';
import type { RuleContext } from './rule.js';
import { isPending } from './status.js';

/** Which changes of a branch vouch for what it edits (code under a CI's paths, a CI's record). */
export interface Coverage {
  /** The changes that count: pending (proposed or approved), and added or edited in their data. */
  covering: ReadonlyArray<LoadedRecord<Change>>;
  /** The CI ids the counting changes name in their cis. */
  cis: ReadonlySet<string>;
  /** The branch's other changes, each with why it does not count ("CHG-0011 is a draft"). */
  notCounting: ReadonlyArray<{ id: string; why: string; cis: readonly string[] }>;
  /** Per CI id, why each not-counting change that names it does not count: one look-up a finding. */
  notCountingByCi: ReadonlyMap<string, readonly string[]>;
  /** The counting changes' ids as a sentence lists them ("CHG-1, CHG-2, CHG-3 and 4 more"). */
  coveringIds: string;
}

/**
 * The changes of a branch that cover its edits: a change counts when it is still to happen
 * (proposed or approved) and the branch adds it or changes its data. A draft, an implemented or
 * closed change, or one whose file changed only in comments or layout vouches for nothing, so
 * none of them can be used to make code or a CMDB edit look covered.
 */
export function coverage(context: RuleContext): Coverage {
  const covering: Array<LoadedRecord<Change>> = [];
  const notCounting: Array<{ id: string; why: string; cis: readonly string[] }> = [];
  const cis = new Set<string>();
  for (const change of context.changes) {
    const named = Array.isArray(change.data.cis)
      ? change.data.cis.filter((id): id is string => typeof id === 'string')
      : [];
    const before = context.base?.changes.get(change.id);
    if (!isPending(change.data)) {
      notCounting.push({
        id: change.id,
        why: `${change.id} is ${aStatus(change.data.status)}`,
        cis: named,
      });
    } else if (before !== undefined && sameData(before, change.data)) {
      notCounting.push({
        id: change.id,
        why: `${change.id} changed only in comments or layout`,
        cis: named,
      });
    } else {
      covering.push(change);
      for (const id of named) cis.add(id);
    }
  }
  // Indexed once: a branch may edit 100,000 CIs, and each finding names the changes that miss it.
  const notCountingByCi = new Map<string, string[]>();
  for (const change of notCounting)
    for (const ci of new Set(change.cis)) {
      const whys = notCountingByCi.get(ci);
      if (whys) whys.push(change.why);
      else notCountingByCi.set(ci, [change.why]);
    }
  const coveringIds = listSome(
    covering.map((change) => change.id),
    3,
  );
  return { covering, cis, notCounting, notCountingByCi, coveringIds };
}

/**
 * The end of a sentence saying that no counting change names the CI: which changes of the branch
 * count, and why the ones that name it do not.
 */
export function uncovered(coverage: Coverage, ci: string, what: string): string {
  const naming = coverage.notCountingByCi.get(ci) ?? [];
  const why = naming.length
    ? ` (${listSome(naming, 3)}, and only a proposed or approved change that the branch adds or edits counts)`
    : '';
  if (coverage.covering.length === 0 && coverage.notCounting.length === 0)
    return `but this branch carries no change record; add a change that names ${ci} in its cis`;
  if (coverage.covering.length === 0)
    return `but this branch adds or edits no proposed or approved change that names ${ci}${why}; add a change that names ${ci} in its cis`;
  return `but no change of this branch (${coverage.coveringIds}) names ${ci} in its cis${why}; add ${ci} to the cis of the change that covers ${what}, or add a change for it`;
}

function aStatus(status: string): string {
  return status === 'draft' ? 'a draft' : String(status);
}
