import { RequestError } from '@octokit/request-error';

/**
 * What a request that failed says, for a sentence of the caller's: GitHub's status and message
 * (without the documentation link octokit appends), and for a 401 that the token is at fault.
 * Anything else thrown (a network error) gives its own message.
 */
export function httpProblem(error: unknown): string {
  if (error instanceof RequestError) {
    const message = error.message
      .split('\n', 1)[0]!
      .replace(/ - https?:\/\/\S+$/, '')
      .slice(0, 200);
    const words = `HTTP ${error.status}: ${message}`;
    return error.status === 401
      ? `${words}; GitHub does not accept the token, check the token input`
      : words;
  }
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}
