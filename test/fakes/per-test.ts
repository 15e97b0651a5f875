import { afterEach, beforeEach } from 'vitest';
import { startGitHubServer, type FakeGitHub, type GitHubServerOptions } from './github-server.js';

/**
 * A fresh fake GitHub for every test of the file: started before each test and handed to `use`
 * (which keeps it, and may seed it); after each, the test fails on any request or answer that
 * broke GitHub's OpenAPI description, and the server is closed either way.
 */
export function fakeGitHubPerTest(
  use: (gh: FakeGitHub) => void | Promise<void>,
  options: GitHubServerOptions = {},
): void {
  let current: FakeGitHub | undefined;
  beforeEach(async () => {
    current = await startGitHubServer(options);
    await use(current);
  });
  afterEach(async () => {
    try {
      current?.assertNoViolations();
    } finally {
      await current?.close();
      current = undefined;
    }
  });
}
