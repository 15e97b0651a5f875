/** Caps on record files that stop hostile input before it costs time or memory (SPEC section 6). */
export interface Limits {
  /** Largest file read, in bytes. */
  maxFileBytes: number;
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number;
  /** Most alias expansions a file may make. */
  maxAliases: number;
}

/** The default caps; a policy's `limits` may raise them. */
export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxFileBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
});

/** The caps in force: the policy's where it sets them, the defaults elsewhere. */
export function effectiveLimits(overrides: Partial<Limits> | undefined): Limits {
  return { ...defaultLimits, ...(overrides ?? {}) };
}
