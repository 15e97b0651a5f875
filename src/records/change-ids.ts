/**
 * Change ids and the file names of new change records: the next free id, the slug of a title,
 * the path `changeops new` writes and a pull request's comment proposes.
 */

/** Where a change record's id sits in its file name: changes/CHG-0042-upgrade-pg.yaml. */
const idInName = /(?:^|\/)CHG-(\d{1,8})(?=[-.])/;

/**
 * The next free change id: one more than the highest number among the ids and file names
 * given (so a file that failed to load still holds its id), at least four digits wide, or as
 * wide as the widest id there is.
 */
export function nextChangeId(ids: Iterable<string>, fileNames: Iterable<string> = []): string {
  let highest = 0;
  let width = 4;
  const consider = (digits: string) => {
    highest = Math.max(highest, Number(digits));
    width = Math.max(width, digits.length);
  };
  for (const id of ids) {
    const digits = /^CHG-(\d{1,8})$/.exec(id)?.[1];
    if (digits) consider(digits);
  }
  for (const name of fileNames) {
    const digits = idInName.exec(name)?.[1];
    if (digits) consider(digits);
  }
  return `CHG-${String(highest + 1).padStart(width, '0')}`;
}

/**
 * A file-name slug of a title: lower case ASCII letters and digits between single dashes, at
 * most 40 characters, cut at a dash; accents dropped, anything else a separator. Empty when the
 * title has no such character.
 */
export function changeSlug(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > 40) break;
    slug = next;
  }
  return slug || (words[0] ?? '').slice(0, 40);
}

/** The path of a new change record under changes/: its id, then the title's slug. */
export function newChangePath(id: string, title: string): string {
  const slug = changeSlug(title);
  return `changes/${id}${slug ? `-${slug}` : ''}.yaml`;
}
