/**
 * Which reviews count, before any requirement is looked at: the latest decisive review of each
 * user, and for each approval whether it can count at all (not the author, a requester, a commit
 * author or committer, a bot, a ghost; given on the head commit, or on an older one whose content
 * is unchanged when the policy keeps approvals over unrelated pushes). One pass over the reviews.
 */
import type { ChangeFacts, ContentDigest, PullRequestFacts } from './facts.js';

/** What of a change decides who may not approve it: its id and requesters, now and in the base. */
export type Requesters = Pick<ChangeFacts, 'id' | 'requester'> & {
  base?: Pick<NonNullable<ChangeFacts['base']>, 'requester'>;
};
import { loginKey } from './principal.js';

/** The review states that decide a user's standing; COMMENTED and PENDING never do. */
const decisive = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);
const known = new Set([...decisive, 'COMMENTED', 'PENDING']);

/** A user's standing: their latest APPROVED, CHANGES_REQUESTED or DISMISSED review. */
export interface Decision {
  /** The login as GitHub shows it on the deciding review. */
  login: string;
  /** The comparison key (`@` + lowercase login). */
  key: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
  reviewId: number;
  commitId: string | null;
  /** Position in review order (submitted_at, then id): lower was earlier. */
  order: number;
  /** Why this user's reviews never count (a bot, not a user account); undefined for a person. */
  notAPerson?: string;
  /** For an APPROVED decision: why it cannot count for any requirement; undefined when it can. */
  ignoredBecause?: string;
  /** For an APPROVED decision that counts: it is of an older commit, kept as its content is unchanged. */
  kept?: boolean;
}

/** What the reviews say, with what makes the list untrustworthy. */
export interface ReviewReading {
  /** One per user with a decisive review, in review order. */
  decisions: Decision[];
  /** Approvals by deleted accounts, which never count. */
  ghosts: { reviewId: number }[];
  /** Sentences saying why the reviews or commits cannot be trusted (fails closed). */
  problems: string[];
  /** Commits whose author or committer has no GitHub account: they cannot be excluded by login. */
  anonymousCommits: number;
}

interface Dated {
  at: number;
  id: number;
}

/**
 * The latest decisive review of each user (ordered by submitted_at, then id; a later COMMENTED or
 * PENDING review changes nothing), and for each approval whether it can count at all.
 */
export function readReviews(
  pullRequest: PullRequestFacts,
  changes: readonly Requesters[],
  keepApprovalsOnUnrelatedPushes: boolean,
): ReviewReading {
  const problems: string[] = [];
  const untrusted = (why: string) => {
    if (problems.length < 5) problems.push(`the review list cannot be trusted: ${why}`);
  };
  const ghosts: { reviewId: number }[] = [];
  const seen = new Map<number, string>();
  const latest = new Map<string, { review: PullRequestFacts['reviews'][number] } & Dated>();

  for (const review of pullRequest.reviews) {
    const who = review.user ? String(review.user.login) : 'ghost';
    const fingerprint = `${who}|${review.state}|${review.commit_id}|${review.submitted_at}`;
    const before = seen.get(review.id);
    if (before !== undefined) {
      // Pages read while a review is added can repeat one: harmless when it is the same review.
      if (before !== fingerprint)
        untrusted(`review ${review.id} is listed twice with different contents`);
      continue;
    }
    seen.set(review.id, fingerprint);
    if (!known.has(review.state)) {
      untrusted(
        `review ${review.id} by ${who} has the state ${String(review.state).slice(0, 40)}, which GitHub does not report`,
      );
      continue;
    }
    if (!decisive.has(review.state)) continue;
    const at = Date.parse(review.submitted_at ?? '');
    if (!Number.isFinite(at)) {
      untrusted(`review ${review.id} by ${who} (${review.state}) has no submission time`);
      continue;
    }
    if (!review.user) {
      if (review.state === 'APPROVED') ghosts.push({ reviewId: review.id });
      continue;
    }
    const key = loginKey(review.user.login);
    const current = latest.get(key);
    if (!current || later({ at, id: review.id }, current))
      latest.set(key, { review, at, id: review.id });
  }

  const ordered = [...latest.entries()].sort(([, a], [, b]) =>
    later(a, b) ? 1 : later(b, a) ? -1 : 0,
  );
  const excluded = exclusions(pullRequest, changes);
  const freshness = freshnessJudge(pullRequest, keepApprovalsOnUnrelatedPushes);
  const decisions = ordered.map(([key, { review }], order): Decision => {
    const user = review.user!;
    const decision: Decision = {
      login: String(user.login),
      key,
      state: review.state as Decision['state'],
      reviewId: review.id,
      commitId: review.commit_id,
      order,
    };
    const notAPerson = personCheck(user);
    if (notAPerson) decision.notAPerson = notAPerson;
    if (decision.state !== 'APPROVED') return decision;
    const why = notAPerson ?? excluded.get(key) ?? freshness(review.commit_id);
    if (why === 'kept') decision.kept = true;
    else if (why !== undefined) decision.ignoredBecause = why;
    return decision;
  });
  if (pullRequest.commitsTruncated) {
    problems.push(
      'the commit list is incomplete: GitHub lists at most 250 commits of a pull request, so their authors cannot all be excluded from approving',
    );
  }
  const anonymousCommits = pullRequest.commits.filter(
    (commit) => typeof commit.author !== 'string' || typeof commit.committer !== 'string',
  ).length;
  return { decisions, ghosts, problems, anonymousCommits };
}

function later(a: Dated, b: Dated): boolean {
  return a.at > b.at || (a.at === b.at && a.id > b.id);
}

/** Why a review's user is not a person whose review counts: bots and Apps, other account types. */
function personCheck(user: { login: string; type?: string }): string | undefined {
  const type = typeof user.type === 'string' ? user.type : '';
  if (type.toLowerCase() === 'bot' || /\[bot\]$/i.test(String(user.login)))
    return 'bots never count';
  if (type.toLowerCase() !== 'user')
    return `not a user account (${type === '' ? 'no account type' : `type ${type.slice(0, 40)}`})`;
  return undefined;
}

/** The people who never count, by login key, with the first reason that applies. */
function exclusions(pullRequest: PullRequestFacts, changes: readonly Requesters[]) {
  const excluded = new Map<string, string>();
  const exclude = (login: string | null | undefined, reason: string) => {
    if (typeof login !== 'string' || login.trim() === '') return;
    const key = loginKey(login);
    if (!excluded.has(key)) excluded.set(key, reason);
  };
  exclude(pullRequest.author, 'the PR author');
  for (const change of changes) {
    exclude(change.requester, `the requester of ${change.id}`);
    exclude(change.base?.requester, `the requester of ${change.id} in the base`);
  }
  for (const commit of pullRequest.commits) exclude(commit.author, 'a commit author of this PR');
  for (const commit of pullRequest.commits) exclude(commit.committer, 'a committer of this PR');
  return excluded;
}

/**
 * Judges the commit an approval was given on: undefined (the head: counts), 'kept' (an older commit
 * whose content is unchanged, with keepApprovalsOnUnrelatedPushes), or why it does not count.
 * Digest comparisons are made once per reviewed commit.
 */
function freshnessJudge(pullRequest: PullRequestFacts, keep: boolean) {
  const head = pullRequest.headSha.toLowerCase();
  const inPr = new Set(pullRequest.commits.map((commit) => commit.sha.toLowerCase()));
  const digests = new Map<string, ContentDigest>();
  for (const [sha, digest] of Object.entries(pullRequest.digests ?? {}))
    digests.set(sha.toLowerCase(), digest);
  const cache = new Map<string, string | 'kept'>();
  return (commitId: string | null): string | 'kept' | undefined => {
    if (typeof commitId !== 'string' || commitId === '') return 'approved an unknown commit';
    const sha = commitId.toLowerCase();
    if (sha === head) return undefined;
    const short = sha.slice(0, 7);
    if (!inPr.has(sha))
      return `approved ${short}, which is no longer in this pull request (force-pushed away)`;
    if (!keep) return `approved an older commit ${short}`;
    let verdict = cache.get(sha);
    if (verdict === undefined) {
      verdict = compareDigests(digests.get(head), digests.get(sha), short, head.slice(0, 7));
      cache.set(sha, verdict);
    }
    return verdict;
  };
}

function compareDigests(
  head: ContentDigest | undefined,
  reviewed: ContentDigest | undefined,
  short: string,
  headShort: string,
): string | 'kept' {
  if (!head) return `approved an older commit ${short}, and the head's content digest is unknown`;
  if (!reviewed) return `approved an older commit ${short}, whose content digest is unknown`;
  const changed: string[] = [];
  for (const part of Object.keys(head)) {
    if (!Object.hasOwn(reviewed, part)) changed.push(`${part} added`);
    else if (reviewed[part] !== head[part]) changed.push(`${part} changed`);
  }
  for (const part of Object.keys(reviewed))
    if (!Object.hasOwn(head, part)) changed.push(`${part} removed`);
  if (changed.length === 0) return 'kept';
  const shown =
    changed.length > 3 ? [...changed.slice(0, 3), `${changed.length - 3} more`] : changed;
  return `invalidated by push of ${headShort}: ${shown.join(', ')}`;
}
