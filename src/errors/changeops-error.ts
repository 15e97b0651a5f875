/**
 * The base of every error changeops raises on purpose: its message is a sentence for the user
 * (what is wrong, what to do), so the faces print it as it is, without a stack. Anything else
 * that reaches a face is a bug or the environment's fault. Each subclass sets `name` itself:
 * the bundle is minified, so a class's own name is not kept.
 */
export abstract class ChangeopsError extends Error {}
