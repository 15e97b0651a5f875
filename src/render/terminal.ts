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
