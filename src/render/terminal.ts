// C0 and C1 controls, line separators, and the bidirectional overrides that can make a terminal
// line lie about what it says.
const unprintable =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/**
 * Makes a name from untrusted YAML safe to print on a terminal: control characters (escape
 * sequences, newlines that would forge lines) and bidi overrides become visible \u escapes.
 */
export function printable(text: string): string {
  return text.replace(unprintable, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line of untrusted text for a terminal: newlines become spaces, the rest as printable. */
export function oneLine(text: string): string {
  return printable(text.replace(/\r?\n/g, ' '));
}

// Characters escaped wherever they stand in CLI output: controls other than tab and newline (a
// lone CR starts a new line for the runner, which splits lines as .NET's ReadLine does), the line
// and paragraph separators, and the default-ignorable characters (zero-width joiners, bidi marks,
// soft hyphens, variation selectors, tags), which a culture-aware comparison may skip, so that
// ":\u00ad:set-output" could still count as starting with "::". The zero-width space is the one
// left for zeroWidthSpaces to judge by where it stands.
const invisible = /(?![\t\n\u200b])[\p{Cc}\u2028\u2029\p{Default_Ignorable_Code_Point}]/gu;
// Zero-width spaces in a line's leading blanks, and a run of them between the two characters of
// "::", "##" or "#[": where skipping them could make a workflow command.
const leadingBlanks = /^(?:[^\S\n]|\u200b)+/gm;
const joining = /([:#])(\u200b+)(?=([:#[]))/g;
// Zero-width joiners and variation selectors belong to emoji (❤️, 👩‍💻): kept right after a
// visible character that is not ASCII, where they cannot hide a ":" or a "#".
const isEmojiPart = (c: string) => c === '\u200d' || (c >= '\ufe00' && c <= '\ufe0f');
const visibleNonAscii = /^[^\p{ASCII}\s\p{Cc}\p{Default_Ignorable_Code_Point}]$/u;

/** Each UTF-16 unit of `c` as a `\uXXXX` escape: visible text, and the same string in JSON. */
function escapeUnits(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** Whether the joiner or selector at `offset` ends a run that follows a visible non-ASCII character. */
function followsEmoji(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && isEmojiPart(text[i]!)) i--;
  if (i < 0) return false;
  const low = text.charCodeAt(i);
  const pair = low >= 0xdc00 && low <= 0xdfff && i > 0 ? text.slice(i - 1, i + 1) : text[i]!;
  return visibleNonAscii.test(pair);
}

/**
 * Makes everything the CLI prints inert for the GitHub Actions runner, which reads the output of
 * a `run:` step as workflow commands: no line may start with "::" (after whitespace, which the
 * runner trims first), and "##[" (the legacy form, honoured anywhere in a line) is broken
 * everywhere. Applied once, at the CLI's output boundary, to everything stdout and stderr get.
 * Every replacement is a `\uXXXX` escape, which in a JSON string stands for the same character:
 * JSON output stays valid and means the same (its lines never start with ":", and "##[" can only
 * stand inside a string).
 */
export function workflowSafe(text: string): string {
  // Most lines (a 10k check prints 7,859) hold nothing any pass below would change: one test
  // rather than four passes and a search.
  return needsEscaping.test(text) ? everyPass(text) : text;
}

// What any pass of everyPass acts on: a CR or another control but tab and newline, the line and
// paragraph separators, a default-ignorable character (the zero-width space among them), "##["
// and "::". A text without any of them comes out of every pass as it went in.
const needsEscaping = /(?![\t\n])[\p{Cc}\u2028\u2029\p{Default_Ignorable_Code_Point}]|##\[|::/u;

/** workflowSafe's passes, run whatever the text holds; exported for the test of the quick check. */
export function everyPass(text: string): string {
  return zeroWidthSpaces(
    text
      .replace(/\r\n/g, '\n')
      .replace(invisible, (c: string, offset: number, whole: string) =>
        isEmojiPart(c) && followsEmoji(whole, offset) ? c : escapeUnits(c),
      ),
  )
    .replace(/##\[/g, '##\\u005b')
    .replace(/^([^\S\n]*):(?=:)/gm, '$1\\u003a');
}

/**
 * The zero-width spaces of a text, escaped only where they could hide a workflow command (in a
 * line's leading blanks, or joining "::", "##" or "#["): elsewhere they are how the markdown the
 * CLI prints (release notes, evidence packs) breaks mentions, references and autolinks, and an
 * escape there would show as "\u200b" in the notes. Every other invisible character is escaped
 * before this, so no other one can stand next to them unseen.
 */
function zeroWidthSpaces(text: string): string {
  if (!text.includes('\u200b')) return text;
  return text
    .replace(leadingBlanks, (blanks) => blanks.replace(/\u200b/g, escapeUnits))
    .replace(joining, (whole: string, left: string, run: string, right: string) =>
      left === ':' ? (right === ':' ? left + escapeUnits(run) : whole) : left + escapeUnits(run),
    );
}
