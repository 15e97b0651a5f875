import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

const ChangeopsOctokit = Octokit.plugin(retry, throttling);

/** The octokit every GitHub call goes through. */
export type GitHubClient = InstanceType<typeof ChangeopsOctokit>;

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
  /**
   * Keep a second between writes, as GitHub asks of content-creating requests (default true).
   * Integration tests against the GitHub test server turn it off; the bundle never does.
   */
  pace?: boolean;
}

/**
 * The one octokit factory: @octokit/rest on Node's built-in fetch (GITHUB_API_URL; behind a proxy,
 * set NODE_USE_ENV_PROXY=1 so fetch honours HTTPS_PROXY) with the retry and throttling plugins and
 * an explicit list of statuses never retried. Callers ask for 100 items a page.
 * Requests that create something are sent with `request: {retries: 0}` by their callers and made
 * idempotent there (find by marker first, look again after a failure), because plugin-retry
 * retries POSTs too and a comment created before a 502 would be created twice.
 */
export function createClient(options: ClientOptions): GitHubClient {
  const log = options.log ?? (() => {});
  // Wait out a limit (as GitHub asks with retry-after) twice at most, and never for long.
  const waitOrGiveUp =
    (what: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      log(`${what} on ${request.method} ${request.url}; retrying after ${retryAfter} s`);
      return retryCount < 2 && retryAfter <= 60;
    };
  return new ChangeopsOctokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
    userAgent: 'changeops',
    retry: { doNotRetry, retries: options.retries ?? 2 },
    throttle: {
      enabled: options.pace ?? true,
      onRateLimit: waitOrGiveUp('rate limit reached'),
      onSecondaryRateLimit: waitOrGiveUp('secondary rate limit'),
    },
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => log(message),
      error: (message: string) => log(message),
    },
  });
}
