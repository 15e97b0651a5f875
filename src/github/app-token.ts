import { createAppAuth } from '@octokit/auth-app';
import { request as baseRequest } from '@octokit/request';
import { RequestError } from '@octokit/request-error';
import { ChangeopsError } from '../errors/changeops-error.js';
import type { RepositoryRef } from './repository-ref.js';

/** The GitHub App could not give the gate a token: a configuration error, said plainly. */
export class AppTokenError extends ChangeopsError {
  override name = 'AppTokenError';
}

/** The permissions the gate asks its installation token for, and no more. */
export const gatePermissions = {
  contents: 'read',
  pull_requests: 'read',
  statuses: 'write',
  issues: 'write',
  members: 'read',
} as const;

/** What minting gave: the installation token, and who it acts as. */
export interface AppToken {
  token: string;
  /** `<app-slug>[bot]`: the login its statuses, comments and issues are created under. */
  botLogin: string;
  slug: string;
  installationId: number;
  /** The requests minting took (with the App's JWT): reported apart from an evaluation's. */
  requests: number;
}

/**
 * Mints an installation token of the GitHub App for this repository only, with the gate's
 * permissions: finds the installation of the repository (GET /repos/{o}/{r}/installation), reads
 * the App's slug (GET /app: an installation token cannot say who it is), and asks for the token
 * (POST /app/installations/{id}/access_tokens). Three requests, signed with a JWT made from the
 * private key. Throws an AppTokenError that says what to fix.
 */
export async function mintAppToken(options: {
  appId: string;
  privateKey: string;
  target: RepositoryRef;
  baseUrl: string;
}): Promise<AppToken> {
  const request = baseRequest.defaults({
    baseUrl: options.baseUrl,
    headers: { 'user-agent': 'changeops' },
  });
  const privateKey = options.privateKey.replace(/\\n/g, '\n');
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const status = error instanceof RequestError ? `HTTP ${error.status}: ` : '';
      const message = (error instanceof Error ? error.message : String(error))
        .split('\n', 1)[0]!
        .slice(0, 200);
      throw new AppTokenError(
        `the GitHub App (app-id ${options.appId}) ${what} (${status}${message})`,
        {
          cause: error,
        },
      );
    }
  };
  const auth = await step('cannot sign in: check app-id and app-private-key', async () =>
    createAppAuth({ appId: options.appId, privateKey, request }),
  );
  const jwt = await step(
    'cannot sign in: check app-id and app-private-key (a PEM private key)',
    async () => (await auth({ type: 'app' })).token,
  );
  const signed = request.defaults({ headers: { authorization: `bearer ${jwt}` } });
  const { owner, repo } = options.target;
  const installation = await step(
    `is not installed on ${owner}/${repo}: install it on the repository`,
    () => signed('GET /repos/{owner}/{repo}/installation', { owner, repo }),
  );
  const app = await step('cannot read its own slug (GET /app)', () => signed('GET /app'));
  const slug = app.data?.slug ?? '';
  if (!slug) throw new AppTokenError(`the GitHub App (app-id ${options.appId}) has no slug`);
  const minted = await step(
    `cannot give a token with ${Object.entries(gatePermissions)
      .map(([name, level]) => `${name}: ${level}`)
      .join(', ')}: grant the App these permissions and accept them on the installation`,
    () =>
      auth({
        type: 'installation',
        installationId: installation.data.id,
        repositoryNames: [repo],
        permissions: { ...gatePermissions },
      }),
  );
  return {
    token: minted.token,
    botLogin: `${slug}[bot]`,
    slug,
    installationId: installation.data.id,
    requests: 3,
  };
}
