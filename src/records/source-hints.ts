import type { FieldPath, SourceIndex, RecordSource } from './locate.js';
import type { ExplainedError } from './schema-messages.js';

// The longest value quoted back in a message: a line of a record, not a whole hostile file.
const maxQuoted = 120;

/**
 * A schema error's sentence with what the file's own text adds: the line to write for a value
 * YAML read as a number or boolean (`version: "1.10"`, where YAML read 1.1), and for a value
 * left empty by a `#` that starts a comment (`problem: #123`), the quoted form. Pure over the
 * index, which already holds the file's text.
 */
export function withSourceHint(
  explained: ExplainedError,
  sources: SourceIndex,
  source: RecordSource,
): string {
  if (!explained.hint) return explained.message;
  const written = sources.writtenAs(source, explained.path);
  if (!written) return explained.message;
  const key = keyOf(explained.path);
  if (explained.hint === 'quote' && 'plain' in written && written.plain.length <= maxQuoted)
    return `${explained.message}: ${key}${JSON.stringify(written.plain)}`;
  // A comment right after the colon, with no space after the #, reads as a value the writer
  // meant (an issue number, a colour), not as a note.
  if (
    explained.hint === 'empty' &&
    'comment' in written &&
    /^#\S/.test(written.comment) &&
    written.comment.length <= maxQuoted
  )
    return `${explained.message}: # starts a comment in YAML, so write ${key}${JSON.stringify(written.comment)}`;
  return explained.message;
}

/** `name: ` for a field of a mapping, nothing for an item of a list. */
function keyOf(path: FieldPath): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `${last}: ` : '';
}
