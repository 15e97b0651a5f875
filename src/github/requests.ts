/**
 * Request options for a write that must not be retried blindly (see createClient): the caller
 * makes it idempotent itself. Apart from octokit.ts, so a module that writes does not load the
 * client's plugins just for this.
 */
export const noRetry = { request: { retries: 0 } } as const;
