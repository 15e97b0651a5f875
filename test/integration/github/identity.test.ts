import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentAuthor, tokenKind } from '../../../src/github/identity.js';
import { createClient } from '../../../src/github/octokit.js';
import { startGitHubServer, TOKENS, type FakeGitHub } from '../../fakes/github-server.js';

// Who a token comments as, against the OpenAPI-checked fake GitHub.
let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startGitHubServer({
    // A token of a format changeops does not know: an installation token, as GET /user shows.
    tokens: { 'v1.0123456789abcdef': { actor: 'github-actions[bot]', kind: 'installation' } },
  });
});
afterEach(async () => {
  try {
    gh.assertNoViolations();
  } finally {
    await gh.close();
  }
});

const client = (token: string) => createClient({ token, baseUrl: gh.url, retries: 0 });

describe('tokenKind', () => {
  it.each([
    ['ghs_abc', 'installation'],
    ['ghp_abc', 'user'],
    ['github_pat_11ABC', 'user'],
    ['gho_abc', 'user'],
    ['ghu_abc', 'user'],
    ['v1.0123456789abcdef', 'unknown'],
    ['0123456789abcdef0123456789abcdef01234567', 'unknown'],
  ])('%s is %s', (token, kind) => {
    expect(tokenKind(token)).toBe(kind);
  });
});

describe('commentAuthor', () => {
  it("reads a personal token's login with one GET /user", async () => {
    expect(await commentAuthor(client(TOKENS.user), 'user', 'github-actions[bot]')).toEqual({
      login: 'octocat',
      type: 'User',
      source: 'token',
    });
    expect(gh.requestCounts()).toEqual({ reads: 1, writes: 0, total: 1 });
  });

  it('takes an installation token to be bot-login without asking, since GitHub cannot say', async () => {
    expect(await commentAuthor(client(TOKENS.app), 'installation', 'changeops-app[bot]')).toEqual({
      login: 'changeops-app[bot]',
      type: 'Bot',
      source: 'bot-login',
    });
    expect(gh.requestCounts().total).toBe(0);
  });

  it('asks a token of an unknown format, and takes a 403 to mean an installation token', async () => {
    expect(
      await commentAuthor(client('v1.0123456789abcdef'), 'unknown', 'github-actions[bot]'),
    ).toEqual({ login: 'github-actions[bot]', type: 'Bot', source: 'bot-login' });
    expect(gh.requestCount({ route: 'GET /user' })).toBe(1);
  });

  it('says what is wrong, instead of throwing, when GitHub refuses the token', async () => {
    const author = await commentAuthor(client('ghp_revoked'), 'user', 'github-actions[bot]');
    expect(author).toEqual({
      problem: expect.stringMatching(
        /^GitHub does not accept the token \(GET \/user: 401 Bad credentials.*\); check the token input$/,
      ),
    });
  });
});
