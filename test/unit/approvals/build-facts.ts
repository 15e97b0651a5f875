/**
 * Facts for the approval gate's tests: the acme policy of this repository's changeops.yaml (read
 * from disk, through the same defaults the gate applies), a pull request whose head is `head`,
 * and small builders for changes, reviews and teams. Every builder takes overrides, so each test
 * states only what it is about.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type {
  ApprovalFacts,
  ChangeFacts,
  CiFacts,
  ReviewFacts,
  TeamMembership,
} from '../../../src/approvals/facts.js';
import { noGovernanceEdits } from '../../../src/approvals/facts.js';
import { effectivePolicy, type EffectivePolicy } from '../../../src/records/policy.js';
import type { Policy } from '../../../src/records/types.generated.js';

/** The policy of this repository (boards cab and ecab; rules cab-low-risk, cab-elevated-risk, critical-ci-owners, ecab). */
export const acmePolicy: EffectivePolicy = effectivePolicy(
  yaml.load(readFileSync(new URL('../../../changeops.yaml', import.meta.url), 'utf8')) as Policy,
);

/** A policy record with defaults filled in, for tests about one rule. */
export function policyOf(record: Partial<Policy>): EffectivePolicy {
  return effectivePolicy({ apiVersion: 'changeops/v1', kind: 'Policy', id: 'test', ...record });
}

export const head = 'c0ffee0000000000000000000000000000000042';
export const older = '1a2b3c4000000000000000000000000000000001';
export const gone = 'dead0000000000000000000000000000000000ff';

export const pgPayments: CiFacts = {
  id: 'pg-payments',
  owner: '@acme/dba',
  criticality: 1,
  environments: ['production'],
};
export const paymentsApi: CiFacts = {
  id: 'payments-api',
  owner: '@acme/payments',
  criticality: 1,
  environments: ['production'],
};
export const reporting: CiFacts = {
  id: 'reporting',
  owner: '@acme/bi',
  criticality: 4,
  environments: ['staging'],
};

/** A normal change on pg-payments (impacting payments-api), requested by olivia. */
export function aChange(overrides: Partial<ChangeFacts> = {}): ChangeFacts {
  return {
    id: 'CHG-0042',
    file: 'changes/CHG-0042-upgrade-pg.yaml',
    type: 'normal',
    risk: 'low',
    requester: 'olivia',
    cis: ['pg-payments'],
    impacted: [pgPayments, paymentsApi],
    withinTemplate: false,
    ...overrides,
  };
}

let nextId = 1000;
let clock = Date.parse('2026-11-02T09:00:00Z');

/** A review by a user, submitted a minute after the previous one, on the head commit by default. */
export function review(
  login: string | null,
  state: string,
  overrides: Partial<ReviewFacts> & { type?: string } = {},
): ReviewFacts {
  const { type, ...rest } = overrides;
  clock += 60_000;
  return {
    id: nextId++,
    user:
      login === null ? null : { login, type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User') },
    state,
    commit_id: head,
    submitted_at: new Date(clock).toISOString(),
    ...rest,
  };
}

export const approve = (login: string, overrides: Partial<ReviewFacts> & { type?: string } = {}) =>
  review(login, 'APPROVED', overrides);

/** Team members: every team of the acme policy readable, with these active members. */
export const acmeTeams: Record<string, TeamMembership> = {
  '@acme/cab': { active: ['bob', 'carla', 'dan', 'alice'], pending: ['carol'] },
  '@acme/change-managers': { active: ['mona'], pending: [] },
  '@acme/ecab': { active: ['ella', 'ed'], pending: [] },
  '@acme/dba': { active: ['erin', 'dave'], pending: [] },
  '@acme/payments': { active: ['paul'], pending: [] },
  '@acme/bi': { active: ['bea'], pending: [] },
};

/** Facts of PR #7 by alice with one commit by alice, the acme policy, an App identity. */
export function facts(overrides: {
  policy?: EffectivePolicy;
  changes?: ChangeFacts[];
  governance?: ApprovalFacts['governance'];
  reviews?: ReviewFacts[];
  commits?: ApprovalFacts['pullRequest']['commits'];
  pullRequest?: Partial<ApprovalFacts['pullRequest']>;
  teams?: ApprovalFacts['teams'];
  appIdentity?: boolean;
}): ApprovalFacts {
  return {
    policy: overrides.policy ?? acmePolicy,
    changes: overrides.changes ?? [aChange()],
    governance: overrides.governance ?? noGovernanceEdits,
    pullRequest: {
      number: 7,
      author: 'alice',
      headSha: head,
      commits: overrides.commits ?? [
        { sha: older, author: 'alice', committer: 'alice' },
        { sha: head, author: 'alice', committer: 'web-flow' },
      ],
      reviews: overrides.reviews ?? [],
      ...overrides.pullRequest,
    },
    teams: overrides.teams ?? acmeTeams,
    appIdentity: overrides.appIdentity ?? true,
  };
}
