/**
 * Who must approve: the union, over every change the PR adds or edits (and its governance edit),
 * of the base policy's approval rules that apply to it. Pure: the policy and the changes in, the
 * requirements out; which reviews satisfy them is reviews.ts's and evaluate.ts's business.
 *
 * Which rules apply to a change (every condition of `when` must hold):
 * - types: a normal change takes the rules that name `normal` and the rules without `types`. A
 *   standard change within its template is pre-approved: only rules that name `standard` apply. A
 *   standard change outside its template is approved like a normal change (fail closed): the rules
 *   that name `standard` or `normal` and those without `types`. An emergency change needs ECAB only:
 *   exactly the rules that name `emergency`. A change whose type is unknown takes every rule.
 * - risk: the change's level from the risk matrix is listed; a risk not assessed matches every
 *   level (the rules of every level apply).
 * - environments: a CI the change impacts runs in one of them (any environment either version of
 *   the CI names).
 * A change the PR edits is judged in both versions, the base's and the head's, and needs what
 * either needs: editing a change's type, risk or CIs can add approvals, never remove them.
 *
 * A PR that edits changeops.yaml, schemas/ or the CMDB is itself a change: it is judged like a
 * high-risk normal change whose CIs are the CIs it edits (an edit of the policy or the schemas
 * concerns every environment).
 *
 * Fail closed: a change that is not pre-approved always needs someone. When no rule asks anyone for
 * it, one approval from the board named `cab` is required (`ecab` for an emergency change); when
 * the policy has no such board, the requirement is an error that says what to add.
 */
import type { ApprovalRule } from '../records/types.generated.js';
import type {
  ChangeFacts,
  ChangeVersionFacts,
  CiFacts,
  GatePolicy,
  GovernanceEdits,
} from './facts.js';
import { parsePrincipal, type Principal } from './principal.js';
import { joinAnd, joinOr, listUpTo } from './wording.js';
import type { RequirementSource } from './result.js';

/** The subject id of a PR's governance edit in `Requirement.changes`-like lists. */
export const governanceSubject = 'governance';

/** One required approval before any review is looked at. */
export interface Requirement {
  /** Identity for the union: the same rule and approver set is one requirement. */
  key: string;
  /** Sort order: the rule's position in the policy (fallbacks after every rule). */
  order: number;
  rule: string;
  source: RequirementSource;
  label: string;
  principals: readonly Principal[];
  cis: string[];
  count: number;
  /** Change ids that need it, in the order the PR lists them. */
  changes: string[];
  /** The governance edit needs it. */
  governance: boolean;
  /** Why it cannot be evaluated (an unknown board, a CI without a known owner, no one named). */
  error?: string;
}

/** How one change (or the governance edit) came to its requirements. */
export interface SubjectNote {
  id: string;
  governance: boolean;
  /** Standard, within its template, in every version: needs no approval. */
  preApproved: boolean;
  /** The names of the rules it needs, in requirement order. */
  needs: string[];
  sentence: string;
}

/** A rule of the policy that produced no requirement, and why. */
export interface SkippedRule {
  name: string;
  sentence: string;
}

/** What the policy requires of this PR. */
export interface RequiredApprovals {
  requirements: Requirement[];
  subjects: SubjectNote[];
  skippedRules: SkippedRule[];
}

/** What `requiredApprovals` reads. */
export interface RequirementInput {
  policy: GatePolicy;
  changes: readonly ChangeFacts[];
  governance: GovernanceEdits;
}

interface Subject {
  id: string;
  governance: boolean;
  /** Head first, then the base version when the PR edits the change. */
  versions: ChangeVersionFacts[];
  /** `when.environments` always matches (an edit of the policy or schemas concerns every one). */
  everyEnvironment: boolean;
  /** How lists name it: "CHG-0042 (normal, risk high)". */
  describe: string;
  /** The base version differs from the head's in what the rules look at. */
  edited: boolean;
}

interface RuleTrack {
  applied: Set<string>;
  /** Subjects it applied to whose CIs gave it no owner to ask (ciOwners with maxCriticality). */
  empty: Set<string>;
  produced: boolean;
}

/**
 * The union of the base policy's approval rules over every change the PR adds or edits and its
 * governance edit, with the fail-closed fallback, the skipped rules and one note per change.
 */
export function requiredApprovals(input: RequirementInput): RequiredApprovals {
  const rules = input.policy.approvals;
  const subjects = subjectsOf(input.changes, input.governance);
  const merged = new Map<string, Requirement>();
  // Keyed by the subject itself: change ids come from the PR head and may repeat or look like ours.
  const bySubject = new Map<Subject, Set<string>>();
  const tracks: RuleTrack[] = rules.map(() => ({
    applied: new Set(),
    empty: new Set(),
    produced: false,
  }));

  // Sets beside the lists, so that a requirement many changes or CIs share is merged in linear time.
  const members = new Map<string, { cis: Set<string>; changes: Set<string> }>();
  const add = (subject: Subject, requirement: Omit<Requirement, 'changes' | 'governance'>) => {
    let existing = merged.get(requirement.key);
    let seen = members.get(requirement.key);
    if (!existing || !seen) {
      existing = { ...requirement, cis: [], changes: [], governance: false };
      seen = { cis: new Set(), changes: new Set() };
      merged.set(requirement.key, existing);
      members.set(requirement.key, seen);
    }
    existing.count = Math.max(existing.count, requirement.count);
    for (const ci of requirement.cis) {
      if (seen.cis.has(ci)) continue;
      seen.cis.add(ci);
      existing.cis.push(ci);
    }
    if (subject.governance) existing.governance = true;
    else if (!seen.changes.has(subject.id)) {
      seen.changes.add(subject.id);
      existing.changes.push(subject.id);
    }
    let keys = bySubject.get(subject);
    if (!keys) bySubject.set(subject, (keys = new Set()));
    keys.add(requirement.key);
  };

  for (const subject of subjects) {
    for (const version of subject.versions) {
      rules.forEach((rule, index) => {
        if (!applies(rule, version, subject)) return;
        const track = tracks[index]!;
        track.applied.add(subject.id);
        const produced = requirementsOf(rule, index, version, subject, input.policy);
        if (produced.length === 0) track.empty.add(subject.id);
        for (const requirement of produced) {
          track.produced = true;
          add(subject, requirement);
        }
      });
    }
    if (!bySubject.has(subject) && !isPreApproved(subject)) {
      add(subject, fallback(subject, rules.length, input.policy));
    }
  }

  const requirements = [...merged.values()]
    .map((requirement, insertion) => ({ requirement, insertion }))
    .sort((a, b) => a.requirement.order - b.requirement.order || a.insertion - b.insertion)
    .map(({ requirement }) => ({ ...requirement, label: labelOf(requirement) }));
  const position = new Map(requirements.map((r, i) => [r.key, i]));

  const notes = subjects.map((subject): SubjectNote => {
    const keys = [...(bySubject.get(subject) ?? [])].sort(
      (a, b) => position.get(a)! - position.get(b)!,
    );
    const needs = unique(keys.map((key) => requirements[position.get(key)!]!.rule));
    const preApproved = isPreApproved(subject);
    return {
      id: subject.id,
      governance: subject.governance,
      preApproved,
      needs,
      sentence: subjectSentence(subject, needs, preApproved, keys.includes(fallbackKey(subject))),
    };
  });

  const skippedRules = rules.flatMap((rule, index): SkippedRule[] => {
    const track = tracks[index]!;
    if (track.produced) return [];
    return [{ name: rule.name, sentence: skippedSentence(rule, track, subjects) }];
  });

  return { requirements, subjects: notes, skippedRules };
}

/** The team principals whose members the evaluation needs, lowercase, each once. */
export function teamsToRead(input: RequirementInput): string[] {
  const teams = new Set<string>();
  for (const requirement of requiredApprovals(input).requirements) {
    if (requirement.error !== undefined) continue;
    for (const principal of requirement.principals) if (principal.team) teams.add(principal.key);
  }
  return [...teams];
}

function subjectsOf(changes: readonly ChangeFacts[], governance: GovernanceEdits): Subject[] {
  const subjects: Subject[] = changes.map((change) => {
    const head = describeVersion(change);
    const base = change.base ? describeVersion(change.base) : head;
    return {
      id: change.id,
      governance: false,
      versions: change.base ? [change, change.base] : [change],
      everyEnvironment: false,
      describe: `${change.id} (${base === head ? head : `${head}; in the base: ${base}`})`,
      edited: base !== head || (change.base !== undefined && !sameCis(change, change.base)),
    };
  });
  if (governance.policy || governance.schemas || governance.cmdb || governance.cis.length > 0) {
    subjects.push({
      id: governanceSubject,
      governance: true,
      versions: [
        {
          type: 'normal',
          risk: 'high',
          cis: governance.cis.map((ci) => ci.id),
          impacted: governance.cis,
          withinTemplate: false,
        },
      ],
      everyEnvironment: governance.policy || governance.schemas,
      describe: `its edit of ${governanceParts(governance)}`,
      edited: false,
    });
  }
  return subjects;
}

/** "changeops.yaml, schemas/ and the CMDB (pg-payments, payments-api)". */
function governanceParts(governance: GovernanceEdits): string {
  const parts: string[] = [];
  if (governance.policy) parts.push('changeops.yaml');
  if (governance.schemas) parts.push('schemas/');
  if (governance.cmdb || governance.cis.length > 0) {
    const ids = governance.cis.map((ci) => ci.id);
    parts.push(ids.length > 0 ? `the CMDB (${listUpTo(ids, 3)})` : 'the CMDB');
  }
  return joinAnd(parts);
}

function isPreApproved(subject: Subject): boolean {
  return subject.versions.every((v) => v.type === 'standard' && v.withinTemplate);
}

function applies(rule: ApprovalRule, version: ChangeVersionFacts, subject: Subject): boolean {
  const when = rule.when ?? {};
  if (!typeMatches(when.types, version)) return false;
  if (when.risk && version.risk !== undefined && !when.risk.includes(version.risk)) return false;
  if (when.environments && !subject.everyEnvironment) {
    const wanted = new Set<string>(when.environments);
    if (!version.impacted.some((ci) => ci.environments.some((env) => wanted.has(env))))
      return false;
  }
  return true;
}

function typeMatches(types: readonly string[] | undefined, version: ChangeVersionFacts): boolean {
  switch (version.type) {
    case undefined:
      return true;
    case 'emergency':
      return types?.includes('emergency') ?? false;
    case 'standard':
      if (version.withinTemplate) return types?.includes('standard') ?? false;
      return !types || types.includes('standard') || types.includes('normal');
    case 'normal':
      return !types || types.includes('normal');
  }
}

type Draft = Omit<Requirement, 'changes' | 'governance'>;

function requirementsOf(
  rule: ApprovalRule,
  index: number,
  version: ChangeVersionFacts,
  subject: Subject,
  policy: GatePolicy,
): Draft[] {
  const from = rule.from ?? {};
  const count = countOf(rule.count);
  const base = { order: index, rule: rule.name, count, cis: [] as string[], label: '' };
  const drafts: Draft[] = [];
  if (from.board !== undefined) {
    const board = Object.hasOwn(policy.boards, from.board) ? policy.boards[from.board] : undefined;
    const principals = principalsOf(board?.members);
    drafts.push(
      !board
        ? erroneous(
            base,
            'board',
            `board|${from.board}`,
            `the rule ${rule.name} names the board ${from.board}, which the base policy does not have`,
          )
        : principals.length === 0
          ? erroneous(
              base,
              'board',
              `board|${from.board}`,
              `the board ${from.board} has no valid member`,
            )
          : {
              ...base,
              key: `${index}|board|${from.board}`,
              source: 'board',
              label: from.board,
              principals,
            },
    );
  }
  if (from.principals !== undefined) {
    const principals = principalsOf(from.principals);
    drafts.push(
      principals.length === 0
        ? erroneous(
            base,
            'principals',
            'principals',
            `the rule ${rule.name} names no valid principal`,
          )
        : {
            ...base,
            key: `${index}|principals|${principals
              .map((p) => p.key)
              .sort()
              .join(',')}`,
            source: 'principals',
            principals,
          },
    );
  }
  if (from.ciOwners !== undefined) {
    drafts.push(...ownerRequirements(rule, index, version, subject, base));
  }
  if (from.board === undefined && from.principals === undefined && from.ciOwners === undefined) {
    drafts.push(
      erroneous(
        base,
        'principals',
        'nobody',
        `the rule ${rule.name} names no approver (from needs a board, principals or ciOwners)`,
      ),
    );
  }
  return drafts.map((draft) => unmeetable(draft, rule.name) ?? draft);
}

/** A requirement only users can meet, needing more approvals than there are users, is an error. */
function unmeetable(draft: Draft, rule: string): Draft | undefined {
  const people = draft.principals.length;
  if (draft.error !== undefined || draft.principals.some((p) => p.team) || people >= draft.count)
    return undefined;
  const who =
    draft.source === 'ciOwners'
      ? `the owner of ${draft.cis[0]} (${draft.principals[0]!.text})`
      : draft.principals.map((p) => p.text).join(', ');
  return {
    ...draft,
    key: `${draft.order}|error|unmeetable|${draft.key}`,
    principals: [],
    error: `the rule ${rule} needs ${draft.count} approvals from ${who}, but only ${people} ${people === 1 ? 'person' : 'people'} can give them: it can never be met`,
  };
}

function ownerRequirements(
  rule: ApprovalRule,
  index: number,
  version: ChangeVersionFacts,
  subject: Subject,
  base: Omit<Draft, 'key' | 'source' | 'principals'>,
): Draft[] {
  const from = rule.from;
  const max = typeof from.maxCriticality === 'number' ? from.maxCriticality : undefined;
  const drafts: Draft[] = [];
  let cis: CiFacts[];
  if (from.ciOwners === 'impacted') {
    cis = [...version.impacted];
  } else {
    const known = new Map(version.impacted.map((ci) => [ci.id, ci]));
    cis = [];
    for (const id of version.cis) {
      const ci = known.get(id);
      if (ci) cis.push(ci);
      else
        drafts.push(
          erroneous(
            base,
            'ciOwners',
            `unknown-ci|${id}`,
            `${subject.governance ? 'the governance edit' : subject.id} names the CI ${id}, which is not in the CMDB: the owner who must approve it (rule ${rule.name}) is unknown`,
          ),
        );
    }
  }
  for (const ci of cis) {
    if (max !== undefined && criticalityOf(ci) > max) continue;
    const owner = parsePrincipal(ci.owner);
    if (!owner) {
      drafts.push(
        erroneous(
          base,
          'ciOwners',
          `owner|${ci.id}`,
          `the CI ${ci.id} has the owner ${String(ci.owner)}, which is not a @team or @user: nobody can approve for it`,
        ),
      );
      continue;
    }
    drafts.push({
      ...base,
      key: `${index}|owner|${owner.key}`,
      source: 'ciOwners',
      principals: [owner],
      cis: [ci.id],
    });
  }
  return drafts;
}

/** A criticality the gate can rank: anything but 1 to 4 counts as 1, the most critical. */
function criticalityOf(ci: CiFacts): number {
  const c = ci.criticality;
  return Number.isInteger(c) && c >= 1 && c <= 4 ? c : 1;
}

function countOf(count: unknown): number {
  return typeof count === 'number' && Number.isFinite(count) ? Math.max(1, Math.ceil(count)) : 1;
}

function principalsOf(members: readonly unknown[] | undefined): Principal[] {
  const seen = new Set<string>();
  const principals: Principal[] = [];
  for (const member of members ?? []) {
    const principal = parsePrincipal(member);
    if (!principal || seen.has(principal.key)) continue;
    seen.add(principal.key);
    principals.push(principal);
  }
  return principals;
}

function erroneous(
  base: Omit<Draft, 'key' | 'source' | 'principals'>,
  source: RequirementSource,
  key: string,
  error: string,
): Draft {
  return { ...base, key: `${base.order}|error|${key}`, source, principals: [], error };
}

function fallbackBoard(subject: Subject): 'cab' | 'ecab' {
  return subject.versions[0]!.type === 'emergency' ? 'ecab' : 'cab';
}

function fallbackKey(subject: Subject): string {
  return `fallback|${fallbackBoard(subject)}`;
}

function fallback(subject: Subject, order: number, policy: GatePolicy): Draft {
  const name = fallbackBoard(subject);
  const board = Object.hasOwn(policy.boards, name) ? policy.boards[name] : undefined;
  const principals = principalsOf(board?.members);
  const base = { order, rule: 'fallback', count: 1, cis: [], label: name };
  if (principals.length > 0) {
    return { ...base, key: fallbackKey(subject), source: 'fallback', principals };
  }
  const what = subject.governance
    ? subject.describe.replace(/^its edit/, 'the edit')
    : name === 'ecab'
      ? `the emergency change ${subject.id}`
      : subject.id;
  const error =
    name === 'ecab'
      ? `nobody can approve ${what}: the base policy has no rule naming emergency and no board named ecab (add one)`
      : `nobody can approve ${what}: the base policy has no rule for it and no board named cab (add one)`;
  return {
    ...base,
    key: fallbackKey(subject),
    source: 'fallback',
    principals: [],
    error,
  };
}

function labelOf(requirement: Requirement): string {
  if (requirement.error !== undefined) return requirement.rule;
  switch (requirement.source) {
    case 'board':
    case 'fallback':
      return requirement.label;
    case 'principals':
      return listUpTo(
        requirement.principals.map((p) => p.text),
        2,
        ' or ',
      );
    case 'ciOwners': {
      const [first, ...rest] = requirement.cis;
      return rest.length === 0
        ? `owner of ${first}`
        : `owner of ${first} and ${rest.length} more CI${rest.length === 1 ? '' : 's'}`;
    }
  }
}

function sameCis(a: ChangeVersionFacts, b: ChangeVersionFacts): boolean {
  const key = (v: ChangeVersionFacts) =>
    [...v.cis].sort().join(',') +
    '|' +
    v.impacted
      .map(
        (ci) => `${ci.id}:${ci.owner}:${ci.criticality}:${[...ci.environments].sort().join('+')}`,
      )
      .sort()
      .join(',');
  return key(a) === key(b);
}

function describeVersion(version: ChangeVersionFacts): string {
  const parts = [version.type ?? 'type unknown', `risk ${version.risk ?? 'not assessed'}`];
  if (version.type === 'standard')
    parts.push(version.withinTemplate ? 'within its template' : 'outside its template');
  return parts.join(', ');
}

function subjectSentence(
  subject: Subject,
  needs: readonly string[],
  preApproved: boolean,
  fellBack: boolean,
): string {
  const head = subject.versions[0]!;
  const clauses: string[] = [];
  if (subject.governance) {
    clauses.push(`this pull request edits ${subject.describe.replace(/^its edit of /, '')}`);
    clauses.push('it is itself a change, approved like a high-risk normal change');
  } else {
    clauses.push(subject.describe);
  }
  if (preApproved)
    return `${clauses.join(': ')}: pre-approved through its template, needs no approval`;
  if (!subject.governance) {
    if (subject.edited)
      clauses.push('the rules of both versions apply, so an edit cannot lower the bar');
    if (head.type === 'standard' && !head.withinTemplate)
      clauses.push('a standard change outside its template is approved like a normal change');
    if (head.type === 'emergency') clauses.push('an emergency change needs ECAB approval only');
    if (head.type === undefined) clauses.push('its type is unknown, so every rule applies');
    if (subject.versions.some((v) => v.risk === undefined))
      clauses.push('a risk not assessed takes the rules of every risk level');
  }
  if (fellBack)
    clauses.push(
      `no rule of the base policy asks anyone, so one approval from ${fallbackBoard(subject)} is required (fail closed)`,
    );
  const rules = needs.filter(
    (name, i) => !(fellBack && name === 'fallback' && i === needs.length - 1),
  );
  if (rules.length > 0) clauses.push(`needs ${listUpTo(rules, 6)}`);
  else if (!fellBack) clauses.push('needs no approval');
  return clauses.join('; ');
}

function skippedSentence(rule: ApprovalRule, track: RuleTrack, subjects: Subject[]): string {
  if (track.applied.size > 0) {
    const who = [...track.applied].map((id) =>
      id === governanceSubject ? 'the governance edit' : id,
    );
    const max = rule.from?.maxCriticality;
    const which = rule.from?.ciOwners === 'impacted' ? 'it impacts' : 'it names';
    const level =
      max === undefined ? '' : max === 1 ? ' at criticality 1' : ` at criticality 1 to ${max}`;
    return `applies to ${listUpTo(who, 3)}, but no CI ${which} is${level}: nobody to ask`;
  }
  if (subjects.length === 0)
    return 'does not apply: this pull request adds or edits no change record';
  return `does not apply: it is for ${whenText(rule)}, and this pull request has ${listUpTo(
    subjects.map((s) => s.describe),
    3,
  )}`;
}

function whenText(rule: ApprovalRule): string {
  const when = rule.when ?? {};
  let text = when.types
    ? `${joinOr([...when.types])} changes`
    : 'normal changes (and standard changes outside their template)';
  if (when.risk) text += ` at risk ${joinOr([...when.risk])}`;
  if (when.environments) text += ` impacting ${joinOr([...when.environments])}`;
  return text;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
