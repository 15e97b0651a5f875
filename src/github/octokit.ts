import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** The octokit every GitHub call goes through. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** Statuses a retry cannot fix: the request itself is wrong, or we may not do it. */
export const doNotRetry = [400, 401, 403, 404, 409, 410, 422, 451];

/** Options of the factory; tests point `baseUrl` at the GitHub test server. */
export interface ClientOptions {
  token: string;
  baseUrl?: string;
  /** Called with a line for the log when the client waits or retries. */
  log?: (line: string) => void;
  /** Retries of idempotent requests on 5xx (default 2). */
  retries?: number;
}

/**
 * The one octokit factory: the actions toolkit's client (GITHUB_API_URL, proxies) with the retry
 * and throttling plugins, 100 items a page, and an explicit list of statuses never retried.
 * Requests that create something are sent with `request: {retries: 0}` by their callers and made
 * idempotent there (find by marker first, look again after a failure), because plugin-retry
 * retries POSTs too and a comment created before a 502 would be created twice.
 */
export function createClient(options: ClientOptions): GitHubClient {
  const log = options.log ?? (() => {});
  const limitRetries = 2;
  return getOctokit(
    options.token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      retry: { doNotRetry, retries: options.retries ?? 2 },
      throttle: {
        onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log(`rate limit reached on ${request.method} ${request.url}; retrying after ${retryAfter} s`);
          return retryCount < limitRetries && retryAfter <= 60;
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log(`secondary rate limit on ${request.method} ${request.url}; retrying after ${retryAfter} s`);
          return retryCount < limitRetries && retryAfter <= 60;
        },
      },
      log: { debug: () => {}, info: () => {}, warn: (message: string) => log(message), error: (message: string) => log(message) },
    },
    retry,
    throttling,
  );
}

/** Request options for a write that must not be retried blindly (see createClient). */
export const noRetry = { request: { retries: 0 } } as const;
