import { describe, expect, it } from 'vitest';
import { commentAuthor, type CommentAuthor } from '../../../src/github/identity.js';
import { createClient } from '../../../src/github/octokit.js';
import { upsertStickyComment, type StickyComment } from '../../../src/github/sticky-comment.js';
import { reportMarker, reportMarkerFor } from '../../../src/render/comment.js';
import { TOKENS, type FakeGitHub } from '../../fakes/github-server.js';
import { fakeGitHubPerTest } from '../../fakes/per-test.js';

// The sticky comment against the OpenAPI-checked fake GitHub: real octokit, real HTTP.
let gh: FakeGitHub;
fakeGitHubPerTest((server) => {
  gh = server;
  gh.repo('acme/estate').addPullRequest({ number: 7, author: 'alice' });
});

const target = { owner: 'acme', repo: 'estate', issueNumber: 7 };
const actionsBot: CommentAuthor = {
  login: 'github-actions[bot]',
  type: 'Bot',
  source: 'bot-login',
};
const comment = (body: string, runId = 100, author = actionsBot): StickyComment => ({
  marker: reportMarker,
  body: `${reportMarker}\n${body}`,
  author,
  runId,
});
const client = (token: string = TOKENS.actions) =>
  createClient({ token, baseUrl: gh.url, retries: 0 });
const comments = () => gh.repo('acme/estate').commentsOn(7);

describe('upsertStickyComment', () => {
  it('creates the comment under the marker, with the run recorded in a hidden line', async () => {
    const outcome = await upsertStickyComment(client(), target, comment('## Change report'));
    expect(outcome).toMatchObject({ action: 'created', deleted: 0 });
    expect(comments()).toHaveLength(1);
    const lines = comments()[0]!.body.split('\n');
    expect(lines[0]).toBe(reportMarker);
    expect(lines[1]).toMatch(
      /^<!-- changeops:meta run=100 nonce=[a-z0-9]+ as=github-actions\[bot\] -->$/,
    );
    expect(lines[2]).toBe('## Change report');
  });

  it('updates it in place when the report changes, and leaves it alone when it does not', async () => {
    const first = await upsertStickyComment(client(), target, comment('one'));
    const same = await upsertStickyComment(client(), target, comment('one', 101));
    const changed = await upsertStickyComment(client(), target, comment('two', 102));
    expect([first.action, same.action, changed.action]).toEqual([
      'created',
      'unchanged',
      'updated',
    ]);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain('\ntwo');
  });

  it('never overwrites the report of a later run with an earlier one', async () => {
    await upsertStickyComment(client(), target, comment('newer', 200));
    const outcome = await upsertStickyComment(client(), target, comment('older', 199));
    expect(outcome.action).toBe('skipped-newer');
    expect(comments()[0]!.body).toContain('\nnewer');
  });

  it("never edits a person's comment that quotes the marker", async () => {
    gh.repo('acme/estate').addComment(7, { user: 'mallory', body: `${reportMarker}\nforged` });
    const outcome = await upsertStickyComment(client(), target, comment('ours'));
    expect(outcome.action).toBe('created');
    expect(comments().map((c) => [c.user, c.body.split('\n').at(-1)])).toEqual([
      ['mallory', 'forged'],
      ['github-actions[bot]', 'ours'],
    ]);
  });

  it('collapses the duplicates concurrent runs left to the oldest', async () => {
    const repo = gh.repo('acme/estate');
    repo.addComment(7, { user: 'github-actions[bot]', body: `${reportMarker}\nold` });
    repo.addComment(7, { user: 'github-actions[bot]', body: `${reportMarker}\nold` });
    const outcome = await upsertStickyComment(client(), target, comment('new'));
    expect(outcome).toMatchObject({ action: 'updated', deleted: 1 });
    expect(comments()).toHaveLength(1);
  });

  it('creates one comment when GitHub answers 502 after creating it', async () => {
    gh.injectFault({
      route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      status: 502,
      afterWrite: true,
    });
    const outcome = await upsertStickyComment(client(), target, comment('once'));
    expect(outcome.action).toBe('created');
    expect(comments()).toHaveLength(1);
  });

  it("reports a read-only token as refused, with GitHub's words, instead of throwing", async () => {
    const outcome = await upsertStickyComment(client(TOKENS.forkReadOnly), target, comment('x'));
    expect(outcome).toEqual({
      action: 'refused',
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
    expect(comments()).toHaveLength(0);
  });

  it('finds its comment again under a personal token, by the login the token reads as', async () => {
    const author = await commentAuthor(client(TOKENS.user), 'user', 'github-actions[bot]');
    expect(author).toEqual({ login: 'octocat', type: 'User', source: 'token' });
    const first = await upsertStickyComment(
      client(TOKENS.user),
      target,
      comment('one', 1, author as CommentAuthor),
    );
    const second = await upsertStickyComment(
      client(TOKENS.user),
      target,
      comment('two', 2, author as CommentAuthor),
    );
    expect([first.action, second.action]).toEqual(['created', 'updated']);
    expect(comments().map((c) => c.user)).toEqual(['octocat']);
  });

  it('creates one comment under an App token that bot-login does not name, and says whose it is', async () => {
    // The default bot-login with an App installation token: the comment is the App's.
    const first = await upsertStickyComment(client(TOKENS.app), target, comment('one', 1));
    expect(first).toMatchObject({ action: 'created', actualLogin: 'changeops-app[bot]' });
    const second = await upsertStickyComment(client(TOKENS.app), target, comment('two', 2));
    expect(second).toMatchObject({ action: 'updated', actualLogin: 'changeops-app[bot]' });
    expect(comments().map((c) => [c.user, c.body.split('\n').at(-1)])).toEqual([
      ['changeops-app[bot]', 'two'],
    ]);
  });

  it("never takes a person's comment for its own, even one that copies the hidden lines", async () => {
    gh.repo('acme/estate').addComment(7, {
      user: 'mallory',
      body: `${reportMarker}\n<!-- changeops:meta run=1 nonce=abc as=github-actions[bot] -->\nforged`,
    });
    const outcome = await upsertStickyComment(client(TOKENS.app), target, comment('ours'));
    expect(outcome.action).toBe('created');
    expect(comments().map((c) => c.user)).toEqual(['mallory', 'changeops-app[bot]']);
  });

  it('keeps one comment per folder: the marker names the dir', async () => {
    const forDir = (dir: string, body: string): StickyComment => ({
      ...comment(body),
      marker: reportMarkerFor(dir),
      body: `${reportMarkerFor(dir)}\n${body}`,
    });
    await upsertStickyComment(client(), target, forDir('services/a', 'a'));
    await upsertStickyComment(client(), target, forDir('services/b', 'b'));
    await upsertStickyComment(client(), target, forDir('./services/a/', 'a again'));
    expect(comments().map((c) => c.body.split('\n')[0] + ' ' + c.body.split('\n').at(-1))).toEqual([
      '<!-- changeops:report dir=services/a --> a again',
      '<!-- changeops:report dir=services/b --> b',
    ]);
  });
});
