import type { LoadedRecord } from '../records/estate.js';
import type { Change, Release } from '../records/types.generated.js';
import { listSome } from '../records/wording.js';
import type { Report, Rule } from './rule.js';
import { formatInstant, schedulePeriod } from './time.js';

// Once a release is approved, it ships only changes that are approved or already done.
const committedRelease: ReadonlySet<Release['status']> = new Set([
  'approved',
  'deployed',
  'closed',
]);
const readyChange: ReadonlySet<Change['status']> = new Set(['approved', 'implemented', 'closed']);

interface Listing {
  release: LoadedRecord<Release>;
  index: number;
}

/**
 * Releases and their changes agree: every change a release lists is scheduled inside the
 * release window; its `release` field, when set, names that release; no change is listed by two
 * releases; a change's `release` names a release that lists it; and an approved, deployed or
 * closed release lists only approved, implemented or closed changes.
 * Unknown ids are left to the integrity check. A finding goes on the release when it is under
 * evaluation, else on the change.
 */
export const releaseConsistencyRule: Rule = {
  id: 'release-consistency',
  description:
    'A release and its changes agree: the changes lie in its window, name it, and are approved before the release is.',
  defaultSeverity: 'error',
  check(context, report) {
    const { estate } = context;
    const subjectReleases = new Set(context.releases.map((release) => release.id));
    const subjectChanges = new Set(context.changes.map((change) => change.id));
    if (subjectReleases.size === 0 && subjectChanges.size === 0) return;

    const listedBy = new Map<string, Listing[]>();
    for (const release of [...estate.releases.values()].sort(byId)) {
      const ids = Array.isArray(release.data.changes) ? release.data.changes : [];
      ids.forEach((id, index) => {
        if (typeof id !== 'string') return;
        const listings = listedBy.get(id) ?? [];
        // A change listed twice in one release is the schema's business (unique items).
        if (!listings.some((listing) => listing.release === release))
          listings.push({ release, index });
        listedBy.set(id, listings);
      });
    }
    // The changes worth a look: those under evaluation, those a release under evaluation lists,
    // and those whose release field names a release under evaluation.
    const relevant = new Set<string>(subjectChanges);
    for (const release of context.releases)
      for (const id of Array.isArray(release.data.changes) ? release.data.changes : [])
        relevant.add(id);
    if (subjectReleases.size > 0)
      for (const change of estate.changes.values())
        if (typeof change.data.release === 'string' && subjectReleases.has(change.data.release))
          relevant.add(change.id);

    for (const id of relevant) {
      const change = estate.changes.get(id);
      if (!change) continue;
      checkChange(change, listedBy.get(id) ?? []);
    }

    function checkChange(change: LoadedRecord<Change>, listings: readonly Listing[]): void {
      const isSubject = subjectChanges.has(change.id);
      const onRelease = (listing: Listing) => subjectReleases.has(listing.release.id);
      // Says a thing once on the release when it is under evaluation, else on the change.
      const say = (
        listing: Listing | undefined,
        releaseMessage: string,
        changePath: Parameters<Report>[1],
        changeMessage: string,
      ) => {
        if (listing && onRelease(listing))
          report(listing.release, ['changes', listing.index], releaseMessage);
        else if (isSubject) report(change, changePath, changeMessage);
      };
      const named = typeof change.data.release === 'string' ? change.data.release : undefined;
      const namedRelease = named !== undefined ? estate.releases.get(named) : undefined;

      if (namedRelease && !listings.some((listing) => listing.release === namedRelease)) {
        if (subjectReleases.has(namedRelease.id))
          report(
            namedRelease,
            ['changes'],
            `${namedRelease.id} does not list ${change.id}, whose release field names it; add ${change.id} to changes`,
          );
        else if (isSubject)
          report(
            change,
            ['release'],
            `${namedRelease.id} does not list ${change.id} in its changes; add it there, or remove the release field`,
          );
      }
      if (!named && listings.length > 1) {
        // Every release under evaluation that lists it hears of the others; without one, the
        // change does, once.
        const listers = listings.map((listing) => listing.release.id);
        const advice =
          'a change ships in one release: keep it in one, and name that one in its release field';
        const onReleases = listings.filter(onRelease);
        for (const listing of onReleases) {
          const others = listers.filter((id) => id !== listing.release.id);
          report(
            listing.release,
            ['changes', listing.index],
            `${change.id} is also listed by ${listSome(others)}; ${advice}`,
          );
        }
        if (onReleases.length === 0 && isSubject)
          report(change, ['id'], `${change.id} is listed by ${listSome(listers)}; ${advice}`);
      }
      listings.forEach((listing) => {
        const release = listing.release;
        if (namedRelease && release !== namedRelease) {
          say(
            listing,
            `${change.id} names ${namedRelease.id} in its release field, not ${release.id}; a change ships in one release, the one its release field names`,
            ['release'],
            `the release field names ${namedRelease.id}, but ${release.id} lists this change; a change ships in one release, the one its release field names`,
          );
        }
        const outer = schedulePeriod(release.data.schedule);
        const inner = schedulePeriod(change.data.schedule);
        if (outer && inner && (inner.start < outer.start || inner.end > outer.end)) {
          const span = (w: { start: number; end: number }) =>
            `${formatInstant(w.start)} to ${formatInstant(w.end)}`;
          say(
            listing,
            `${change.id} is scheduled from ${span(inner)}, outside the window of ${release.id} (${span(outer)}); move it into the window or take it out of the release`,
            ['schedule'],
            `the schedule (${span(inner)}) lies outside the window of ${release.id} (${span(outer)}), which lists this change; move it into the window or take it out of the release`,
          );
        }
        if (committedRelease.has(release.data.status) && !readyChange.has(change.data.status)) {
          say(
            listing,
            `${release.id} is ${release.data.status}, but ${change.id} is ${change.data.status}: every change of ${/^[aeiou]/.test(release.data.status) ? 'an' : 'a'} ${release.data.status} release must be approved, implemented or closed`,
            ['status'],
            `${change.id} is ${change.data.status}, but ${release.id}, which lists it, is ${release.data.status}: every change of ${/^[aeiou]/.test(release.data.status) ? 'an' : 'a'} ${release.data.status} release must be approved, implemented or closed`,
          );
        }
      });
    }
  },
};

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
