/**
 * Which refs `--base` may name, checked before git sees one: the rules of
 * `git check-ref-format --allow-onelevel`, and no part starting with "-", no ":" and no "+", so a
 * ref can never be read as an option (`--upl=...` is git's abbreviation of --upload-pack, which
 * runs a command) or as a refspec that writes a local branch (`+theirs:refs/heads/ours`).
 * A commit sha passes; so do the revision suffixes `~N` and `^N` (HEAD~1).
 */

/** Why `ref` is not a ref changeops passes to git, or undefined when it is one. */
export function refProblem(ref: string): string | undefined {
  const name = ref.replace(/(?:[~^][0-9]*)+$/, '');
  if (name === '') return 'it is empty';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name.includes('+')) return 'it holds "+"';
  if (name.includes(':')) return 'it holds ":"';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u0020\u007f]/.test(name)) return 'it holds a space or a control character';
  if (/[~^]/.test(name)) return 'it holds "~" or "^" other than at its end (HEAD~1)';
  if (/[?*[]/.test(name)) return 'it holds "*", "?" or "["';
  if (name.includes('\\')) return 'it holds "\\"';
  if (name.includes('..')) return 'it holds ".."';
  if (name.includes('@{')) return 'it holds "@{"';
  if (name === '@') return 'it is "@"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'it starts or ends with "/", or holds "//"';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('-')) return 'a part of it starts with "-"';
    if (part.startsWith('.')) return 'a part of it starts with "."';
    if (part.endsWith('.lock')) return 'a part of it ends with ".lock"';
  }
  return undefined;
}
