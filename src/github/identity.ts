import { RequestError } from '@octokit/request-error';
import type { GitHubClient } from './octokit.js';

/** Who a token writes comments as: how the sticky comment is told from anyone else's. */
export interface CommentAuthor {
  login: string;
  type: 'Bot' | 'User';
  /**
   * `token`: read from the token (GET /user), so certain. `bot-login`: taken from the bot-login
   * input, because an installation token cannot say who it is (GET /user answers 403); the
   * first comment it creates shows whether that was right.
   */
  source: 'token' | 'bot-login';
}

/** What a token is, by the prefix GitHub gives each kind of token. */
export type TokenKind = 'installation' | 'user' | 'unknown';

/**
 * The kind of a token by its prefix: `ghs_` is an installation token (the workflow's
 * GITHUB_TOKEN, or a GitHub App's); `ghp_`, `github_pat_`, `gho_` and `ghu_` act as a user.
 * Anything else (an older or an Enterprise Server format) is unknown and asked about.
 */
export function tokenKind(token: string): TokenKind {
  if (token.startsWith('ghs_')) return 'installation';
  if (/^(ghp|gho|ghu)_|^github_pat_/.test(token)) return 'user';
  return 'unknown';
}

/** The identity could not be read from the token: say why, and what to set. */
export interface AuthorProblem {
  problem: string;
}

/**
 * Who the token comments as, asked once: an installation token is taken to be `botLogin` (it
 * cannot tell, and the GITHUB_TOKEN is `github-actions[bot]`); any other token is asked
 * (GET /user), and a 403 there means an installation token after all. A token GitHub refuses
 * otherwise gives a problem to report, never an exception.
 */
export async function commentAuthor(
  client: GitHubClient,
  kind: TokenKind,
  botLogin: string,
): Promise<CommentAuthor | AuthorProblem> {
  const assumed: CommentAuthor = { login: botLogin, type: 'Bot', source: 'bot-login' };
  if (kind === 'installation') return assumed;
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return { login: data.login, type: data.type === 'Bot' ? 'Bot' : 'User', source: 'token' };
  } catch (error) {
    if (error instanceof RequestError && error.status === 403) return assumed;
    if (error instanceof RequestError && error.status === 401)
      return {
        problem: `GitHub does not accept the token (GET /user: ${error.status} ${error.message}); check the token input`,
      };
    if (error instanceof RequestError)
      return {
        problem: `could not tell whom the token comments as (GET /user: ${error.status} ${error.message}); set the bot-login input to the token's login`,
      };
    throw error;
  }
}
