import type { ReviewFacts, TeamMembership } from '../approvals/facts.js';
import { decideGate, planGate, type GateDecision } from '../evaluate/gate.js';
import type { CheckFacts } from '../evaluate/facts.js';
import { InputFileError, readTextFile } from '../fs/read-text.js';
import { readBaseFacts } from '../git/facts.js';
import { openRepository, verifyCommit } from '../git/repository.js';
import type { PolicyResult } from '../records/load.js';
import { loadBasePolicy, loadWorkspace } from './load-workspace.js';

/** What to simulate: the records on disk against a base, and who reviewed them. */
export interface SimulateGateRequest {
  root: string;
  base: string;
  /** A JSON file of reviews in GitHub's REST shape (GET /repos/{o}/{r}/pulls/{n}/reviews). */
  reviewsFile: string;
  /** A JSON file of team members: {"@org/team": ["login", ...]} or {"@org/team": {"active": [...], "pending": [...]}}. */
  membersFile?: string;
  /** The pull request's author, who never counts. */
  author?: string;
  now?: Date;
  fetch?: boolean;
}

/** What the simulation decided, and the head it took the reviews to be about. */
export interface SimulatedGate {
  decision: GateDecision;
  headSha: string;
  /** Teams a requirement needs that the members file does not list. */
  missingTeams: string[];
}

const maxInputBytes = 16 * 1024 * 1024;

/**
 * `changeops gate` offline: the check's facts as `check --base` gathers them (the working tree
 * against the merge base, the base's policy in force), the reviews and team members from files,
 * and the same core as the action's gate. No GitHub: the commits' authors are not known, so only
 * the author given, the requesters, bots and the reviews' commits are judged. Throws an
 * InputFileError for a file that cannot be read or is not what it should be, a GitError when git
 * cannot answer.
 */
export async function simulateGate(request: SimulateGateRequest): Promise<SimulatedGate> {
  let basePolicy: PolicyResult | undefined;
  const read = await readBaseFacts(request.root, request.base, {
    ...(request.fetch !== undefined ? { fetch: request.fetch } : {}),
    maxFileBytes(policy) {
      basePolicy = loadBasePolicy(policy);
      return basePolicy.policy.limits.maxFileBytes;
    },
  });
  const workspace = loadWorkspace(request.root, { limits: basePolicy!.policy.limits });
  const facts: CheckFacts = {
    workspace,
    now: request.now ?? new Date(),
    base: { ...read, policy: basePolicy! },
  };
  const repo = await openRepository(request.root);
  const headSha = (await verifyCommit(repo, 'HEAD')) ?? '';
  const reviews = parseReviews(
    readTextFile(request.reviewsFile, maxInputBytes, '--reviews'),
    request.reviewsFile,
    headSha,
  );
  const members = request.membersFile
    ? parseMembers(
        readTextFile(request.membersFile, maxInputBytes, '--members'),
        request.membersFile,
      )
    : {};
  const plan = planGate(facts);
  const known = new Map(Object.keys(members).map((team) => [team.toLowerCase(), team]));
  const teams: Record<string, TeamMembership> = {};
  const missingTeams: string[] = [];
  for (const team of plan.teams) {
    const listed = known.get(team);
    if (listed !== undefined) teams[team] = members[listed]!;
    else missingTeams.push(team);
  }
  const decision = decideGate(plan, {
    pullRequest: {
      number: 0,
      author: request.author ?? '',
      headSha,
      commits: [],
      reviews,
    },
    teams,
    // The simulation shows what the gate would post as its App.
    appIdentity: true,
  });
  return { decision, headSha, missingTeams };
}

/** Reviews as GitHub lists them; one without commit_id (written by hand) is taken to be of HEAD. */
function parseReviews(text: string, file: string, headSha: string): ReviewFacts[] {
  const data = parseJson(text, file, '--reviews');
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { reviews?: unknown }).reviews)
      ? (data as { reviews: unknown[] }).reviews
      : undefined;
  if (!list)
    throw new InputFileError(
      `--reviews ${file} is not a list of reviews (GitHub's GET /repos/{owner}/{repo}/pulls/{n}/reviews)`,
    );
  return list.map((raw, index): ReviewFacts => {
    const review = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const user = review.user as { login?: unknown; type?: unknown } | null | undefined;
    if (user !== null && (typeof user?.login !== 'string' || user.login === ''))
      throw new InputFileError(`--reviews ${file}: review ${index + 1} has no user.login`);
    if (typeof review.state !== 'string')
      throw new InputFileError(`--reviews ${file}: review ${index + 1} has no state`);
    return {
      id: typeof review.id === 'number' ? review.id : index + 1,
      user: user
        ? { login: user.login as string, type: typeof user.type === 'string' ? user.type : 'User' }
        : null,
      state: review.state.toUpperCase(),
      commit_id: typeof review.commit_id === 'string' ? review.commit_id : headSha,
      submitted_at:
        typeof review.submitted_at === 'string'
          ? review.submitted_at
          : new Date(Date.UTC(2000, 0, 1) + index * 1000).toISOString(),
    };
  });
}

function parseMembers(text: string, file: string): Record<string, TeamMembership> {
  const data = parseJson(text, file, '--members');
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new InputFileError(
      `--members ${file} is not an object of teams: {"@org/team": ["login", ...]}`,
    );
  const teams: Record<string, TeamMembership> = {};
  for (const [team, value] of Object.entries(data as Record<string, unknown>)) {
    const logins = (list: unknown, what: string): string[] => {
      if (!Array.isArray(list) || list.some((login) => typeof login !== 'string'))
        throw new InputFileError(`--members ${file}: ${team}${what} is not a list of logins`);
      return list as string[];
    };
    teams[team.startsWith('@') ? team : `@${team}`] = Array.isArray(value)
      ? { active: logins(value, ''), pending: [] }
      : {
          active: logins((value as { active?: unknown } | null)?.active ?? [], '.active'),
          pending: logins((value as { pending?: unknown } | null)?.pending ?? [], '.pending'),
        };
  }
  return teams;
}

function parseJson(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputFileError(
      `${what} ${file} is not JSON (${(error as Error).message.slice(0, 120)})`,
      {
        cause: error,
      },
    );
  }
}
