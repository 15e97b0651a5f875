import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/records/finding.js';
import type { RecordKind } from '../../../src/records/kinds.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { fixtureText, replaceOnce, validSources, type RecordFile } from '../../fixtures/estate.js';

/**
 * One changed field per case (house style, practice 9): the valid fixture with a single edit,
 * loaded with the rest of the valid estate, must give exactly one finding, with the sentence,
 * rule, field and position a change initiator sees.
 */
interface Case {
  name: string;
  from: string;
  to: string;
  /** line:column of the finding. */
  at: `${number}:${number}`;
  field: string;
  message: string;
  /** The record id the finding carries, when the edit changes it (null: none). */
  id?: string | null;
}

const files = {
  ConfigurationItem: { file: 'cmdb/payments-api.yaml', id: 'payments-api' },
  Change: { file: 'changes/CHG-0042-upgrade-pg.yaml', id: 'CHG-0042' },
  Release: { file: 'changes/REL-2026.12-december.yaml', id: 'REL-2026.12' },
  Policy: { file: 'changeops.yaml', id: 'acme' },
} as const satisfies Record<RecordKind, { file: string; id: string }>;

const lowercaseName = 'a short lowercase name: letters, digits and dashes';
const ciIdForm =
  'a configuration item id: lowercase letters, digits and dashes, starting with a letter or digit (a slug), at most 63 characters';
const principalForm = 'a GitHub team as @org/team-slug, or a GitHub user as @login';
const dateTime =
  'which is not a date and time with a time zone; write it like 2026-12-02T22:00:00Z';
const changeStatuses =
  'draft, proposed, approved, implemented, failed, backed-out, closed, rejected, cancelled';
const releaseStatuses = 'planned, testing, approved, deployed, failed, rolled-back, closed';

const cases: Record<RecordKind, Case[]> = {
  ConfigurationItem: [
    {
      name: 'criticality above 4 says the highest allowed',
      from: 'criticality: 1',
      to: 'criticality: 5',
      at: '9:14',
      field: 'criticality',
      message: '"criticality" is 5, which must be at most 4',
    },
    {
      name: 'criticality 0 says the lowest allowed',
      from: 'criticality: 1',
      to: 'criticality: 0',
      at: '9:14',
      field: 'criticality',
      message: '"criticality" is 0, which must be at least 1',
    },
    {
      name: 'a fractional criticality asks for a whole number',
      from: 'criticality: 1',
      to: 'criticality: 1.5',
      at: '9:14',
      field: 'criticality',
      message: '"criticality" must be a whole number, not the number 1.5',
    },
    {
      name: 'a criticality written as a word asks for a whole number',
      from: 'criticality: 1',
      to: 'criticality: high',
      at: '9:14',
      field: 'criticality',
      message: '"criticality" must be a whole number, not the text "high"',
    },
    {
      name: 'a quoted criticality is text, not a number',
      from: 'criticality: 1',
      to: 'criticality: "1"',
      at: '9:14',
      field: 'criticality',
      message: '"criticality" must be a whole number, not the text "1"',
    },
    {
      name: 'an owner without @ is not a team or user',
      from: 'owner: "@acme/payments"',
      to: 'owner: acme/payments',
      at: '8:8',
      field: 'owner',
      message: `"owner" is "acme/payments", which is not the expected form: ${principalForm}; write it as "@acme/payments"`,
    },
    {
      name: 'an owner with a space is not a team or user',
      from: 'owner: "@acme/payments"',
      to: 'owner: "@acme/pay ments"',
      at: '8:8',
      field: 'owner',
      message: `"owner" is "@acme/pay ments", which is not the expected form: ${principalForm}`,
    },
    {
      name: 'an id with an underscore is not a slug',
      from: 'id: payments-api',
      to: 'id: payments_api',
      at: '4:5',
      field: 'id',
      id: 'payments_api',
      message: `"id" is "payments_api", which is not the expected form: ${ciIdForm}; write it as "payments-api"`,
    },
    {
      name: 'an id with capitals is not a slug',
      from: 'id: payments-api',
      to: 'id: Payments-API',
      at: '4:5',
      field: 'id',
      id: 'Payments-API',
      message: `"id" is "Payments-API", which is not the expected form: ${ciIdForm}; write it as "payments-api"`,
    },
    {
      name: 'an id with a Cyrillic а (U+0430) names the look-alike character',
      from: 'id: payments-api',
      to: 'id: p\u0430yments-api',
      at: '4:5',
      field: 'id',
      id: 'p\u0430yments-api',
      message: `"id" is "p\u0430yments-api", which contains the non-ASCII character "\u0430" (U+0430), which may look like a Latin letter; ids must be plain ASCII: ${ciIdForm}`,
    },
    {
      name: 'a dependency listed twice',
      from: 'dependsOn: [pg-payments]',
      to: 'dependsOn: [pg-payments, pg-payments]',
      at: '11:26',
      field: 'dependsOn[1]',
      message: '"dependsOn" lists "pg-payments" twice (items 1 and 2); list each once',
    },
    {
      name: 'a wrongly cased field name gets a did-you-mean',
      from: 'dependsOn: [pg-payments]',
      to: 'dependson: [pg-payments]',
      at: '11:1',
      field: 'dependson',
      message: 'a ConfigurationItem has no field "dependson"; did you mean "dependsOn"?',
    },
    {
      name: 'a snake_case field name gets a did-you-mean',
      from: 'dependsOn: [pg-payments]',
      to: 'depends_on: [pg-payments]',
      at: '11:1',
      field: 'depends_on',
      message: 'a ConfigurationItem has no field "depends_on"; did you mean "dependsOn"?',
    },
    {
      name: 'a misspelt list field gets a did-you-mean',
      from: 'paths:\n',
      to: 'pathz:\n',
      at: '13:1',
      field: 'pathz',
      message: 'a ConfigurationItem has no field "pathz"; did you mean "paths"?',
    },
    {
      name: 'a missing name points at the record and says what the field is',
      from: 'name: Payments API\n',
      to: '',
      at: '2:1',
      field: 'name',
      message:
        'the ConfigurationItem record is missing the required field "name": the CI\'s human name',
    },
    {
      name: 'a class with capitals is not a lowercase name',
      from: 'class: application',
      to: 'class: Application',
      at: '7:8',
      field: 'class',
      message: `"class" is "Application", which is not the expected form: ${lowercaseName}; write it as "application"`,
    },
    {
      name: 'an empty path pattern',
      from: '  - "services/payments/**"',
      to: '  - ""',
      at: '14:5',
      field: 'paths[0]',
      message: '"paths[0]" is empty; write some text',
    },
    {
      name: 'partOf written as one value instead of a list shows the list form',
      from: 'partOf: [online-shop]',
      to: 'partOf: online-shop',
      at: '12:9',
      field: 'partOf',
      message:
        '"partOf" must be a list, not the text "online-shop"; write a list, such as ["online-shop"]',
    },
    {
      name: 'a description left empty',
      from: 'description: Authorises, captures and refunds card payments through Stripe; PCI DSS scope.',
      to: 'description:',
      at: '6:13',
      field: 'description',
      message: '"description" must be text, not empty',
    },
  ],
  Change: [
    {
      name: 'a misspelt status gets a did-you-mean',
      from: 'status: proposed',
      to: 'status: aproved',
      at: '7:9',
      field: 'status',
      message: `"status" is "aproved", which is not one of: ${changeStatuses}; did you mean "approved"?`,
    },
    {
      name: 'a capitalised status gets a did-you-mean',
      from: 'status: proposed',
      to: 'status: Proposed',
      at: '7:9',
      field: 'status',
      message: `"status" is "Proposed", which is not one of: ${changeStatuses}; did you mean "proposed"?`,
    },
    {
      name: 'status: yes stays the text "yes" in YAML 1.2',
      from: 'status: proposed',
      to: 'status: yes',
      at: '7:9',
      field: 'status',
      message: `"status" is "yes", which is not one of: ${changeStatuses}`,
    },
    {
      name: 'a misspelt type gets a did-you-mean',
      from: 'type: normal\n',
      to: 'type: norml\n',
      at: '6:7',
      field: 'type',
      message:
        '"type" is "norml", which is not one of: standard, normal, emergency; did you mean "normal"?',
    },
    {
      name: 'an unknown risk level lists the levels',
      from: 'impact: high',
      to: 'impact: severe',
      at: '14:37',
      field: 'risk.impact',
      message: '"risk.impact" is "severe", which is not one of: low, medium, high',
    },
    {
      name: 'a missing requester points at the record and explains the field',
      from: 'requester: octocat\n',
      to: '',
      at: '2:1',
      field: 'requester',
      message:
        'the Change record is missing the required field "requester": the GitHub login of the change initiator (without @)',
    },
    {
      name: 'a risk without impact points at the risk mapping',
      from: 'risk: { likelihood: medium, impact: high }',
      to: 'risk: { likelihood: medium }',
      at: '14:7',
      field: 'risk.impact',
      message:
        '"risk" is missing the required field "impact": how bad a failure would be: low, medium or high',
    },
    {
      name: 'a check without a command',
      from: '    run: ./scripts/check-payments.sh\n',
      to: '',
      at: '25:5',
      field: 'checks[0].run',
      message:
        '"checks[0]" is missing the required field "run": the command that runs the check; exit 0 means it passed',
    },
    {
      name: 'a misspelt field gets a did-you-mean, at the key',
      from: 'requester: octocat\n',
      to: 'requester: octocat\nrequestor: octocat\n',
      at: '9:1',
      field: 'requestor',
      message: 'a Change has no field "requestor"; did you mean "requester"?',
    },
    {
      name: 'a misspelt nested field gets a did-you-mean, at the key',
      from: '  backout:',
      to: '  back-out:',
      at: '20:3',
      field: 'plan.back-out',
      message: '"plan" has no field "back-out"; did you mean "backout"?',
    },
    {
      name: 'a problem written as a bare number asks for quotes',
      from: 'problem: "#123"',
      to: 'problem: 123',
      at: '23:10',
      field: 'problem',
      message:
        '"problem" must be text, not the number 123; put it in quotes so YAML keeps it as text: problem: "123"',
    },
    {
      name: 'a problem written as #123 without quotes is a YAML comment, so empty',
      from: 'problem: "#123"',
      to: 'problem: #123',
      at: '23:10',
      field: 'problem',
      message:
        '"problem" must be text, not empty: # starts a comment in YAML, so write problem: "#123"',
    },
    {
      name: 'a release id that YAML reads as a number asks for quotes',
      from: 'release: REL-2026.12',
      to: 'release: 2026.12',
      at: '22:10',
      field: 'release',
      message:
        '"release" must be text, not the number 2026.12; put it in quotes so YAML keeps it as text: release: "2026.12"',
    },
    {
      name: 'a start with a space instead of T shows the expected form',
      from: 'start: 2026-12-02T22:00:00Z',
      to: 'start: 2026-12-02 22:00',
      at: '21:20',
      field: 'schedule.start',
      message: `"schedule.start" is "2026-12-02 22:00", ${dateTime}`,
    },
    {
      name: 'a start without a time zone shows the expected form',
      from: 'start: 2026-12-02T22:00:00Z',
      to: 'start: 2026-12-02T22:00:00',
      at: '21:20',
      field: 'schedule.start',
      message: `"schedule.start" is "2026-12-02T22:00:00", ${dateTime}`,
    },
    {
      name: 'an empty list of CIs',
      from: 'cis: [pg-payments]',
      to: 'cis: []',
      at: '10:6',
      field: 'cis',
      message: '"cis" must list at least 1 item',
    },
    {
      name: 'a CI listed twice',
      from: 'cis: [pg-payments]',
      to: 'cis: [pg-payments, pg-payments]',
      at: '10:20',
      field: 'cis[1]',
      message: '"cis" lists "pg-payments" twice (items 1 and 2); list each once',
    },
    {
      name: 'one CI written without brackets shows the list form',
      from: 'cis: [pg-payments]',
      to: 'cis: pg-payments',
      at: '10:6',
      field: 'cis',
      message:
        '"cis" must be a list, not the text "pg-payments"; write a list, such as ["pg-payments"]',
    },
    {
      name: 'a requester written with @ is not a login',
      from: 'requester: octocat',
      to: 'requester: "@octocat"',
      at: '8:12',
      field: 'requester',
      message:
        '"requester" is "@octocat", which is not the expected form: a GitHub user login, without the @; write it as "octocat"',
    },
    {
      name: 'a stakeholder without @ is not a team or user',
      from: 'stakeholders: ["@acme/support", "@acme/payments"]',
      to: 'stakeholders: ["acme/support", "@acme/payments"]',
      at: '9:16',
      field: 'stakeholders[0]',
      message: `"stakeholders[0]" is "acme/support", which is not the expected form: ${principalForm}; write it as "@acme/support"`,
    },
    {
      name: 'an empty test plan',
      from: '  test: Rehearsed on staging with a restored production snapshot; payments suites passed.',
      to: '  test: ""',
      at: '19:9',
      field: 'plan.test',
      message: '"plan.test" is empty; write some text',
    },
    {
      name: 'a two-letter title',
      from: 'title: Upgrade the payments database to PostgreSQL 17',
      to: 'title: PG',
      at: '5:8',
      field: 'title',
      message: '"title" is too short: at least 3 characters',
    },
    {
      name: 'an unknown apiVersion names the one that works',
      from: 'apiVersion: changeops/v1',
      to: 'apiVersion: changeops/v2',
      at: '2:13',
      field: 'apiVersion',
      message: '"apiVersion" must be "changeops/v1", not "changeops/v2"',
    },
    {
      name: 'a check name with spaces and capitals',
      from: '  - name: payments-health',
      to: '  - name: Payments Health',
      at: '25:11',
      field: 'checks[0].name',
      message: `"checks[0].name" is "Payments Health", which is not the expected form: ${lowercaseName}; write it as "payments-health"`,
    },
  ],
  Release: [
    {
      name: 'version: 1.10 is read as the number 1.1 and asks for quotes',
      from: 'version: "2026.12.0"',
      to: 'version: 1.10',
      at: '6:10',
      field: 'version',
      message:
        '"version" must be text, not the number 1.1; put it in quotes so YAML keeps it as text: version: "1.10"',
    },
    {
      name: 'an unknown release type lists the types',
      from: 'type: minor',
      to: 'type: hotfix',
      at: '7:7',
      field: 'type',
      message: '"type" is "hotfix", which is not one of: major, minor, patch, emergency',
    },
    {
      name: 'a status with a space instead of a dash gets a did-you-mean',
      from: 'status: planned',
      to: 'status: rolled back',
      at: '8:9',
      field: 'status',
      message: `"status" is "rolled back", which is not one of: ${releaseStatuses}; did you mean "rolled-back"?`,
    },
    {
      name: 'a change listed twice',
      from: 'changes: [CHG-0042]',
      to: 'changes: [CHG-0042, CHG-0042]',
      at: '9:21',
      field: 'changes[1]',
      message: '"changes" lists "CHG-0042" twice (items 1 and 2); list each once',
    },
    {
      name: 'a release without its changes',
      from: 'changes: [CHG-0042]\n',
      to: '',
      at: '2:1',
      field: 'changes',
      message:
        'the Release record is missing the required field "changes": the changes in the release (change ids)',
    },
    {
      name: 'a window without an end points at the window',
      from: 'schedule: { start: 2026-12-03T20:00:00Z, end: 2026-12-03T22:00:00Z }',
      to: 'schedule: { start: 2026-12-03T20:00:00Z }',
      at: '10:11',
      field: 'schedule.end',
      message:
        '"schedule" is missing the required field "end": when the period ends; after the start',
    },
    {
      name: 'an unknown field with no near miss lists the fields',
      from: 'end: 2026-12-03T22:00:00Z }',
      to: 'end: 2026-12-03T22:00:00Z, duration: 2h }',
      at: '10:69',
      field: 'schedule.duration',
      message: '"schedule" has no field "duration"; the fields are: start, end',
    },
    {
      name: 'month 13 is not a date',
      from: 'end: 2026-12-03T22:00:00Z',
      to: 'end: 2026-13-03T22:00:00Z',
      at: '10:47',
      field: 'schedule.end',
      message: `"schedule.end" is "2026-13-03T22:00:00Z", ${dateTime}`,
    },
    {
      name: 'note instead of notes gets a did-you-mean',
      from: 'notes: |',
      to: 'note: |',
      at: '11:1',
      field: 'note',
      message: 'a Release has no field "note"; did you mean "notes"?',
    },
    {
      name: 'a title YAML reads as a number asks for quotes',
      from: 'title: December release',
      to: 'title: 2026',
      at: '5:8',
      field: 'title',
      message:
        '"title" must be text, not the number 2026; put it in quotes so YAML keeps it as text: title: "2026"',
    },
  ],
  Policy: [
    {
      name: 'a board without members',
      from: '    members: ["@acme/ecab"]',
      to: '    members: []',
      at: '10:14',
      field: 'boards.ecab.members',
      message: '"boards.ecab.members" must list at least 1 item',
    },
    {
      name: 'an approval count of 0',
      from: '    from: { board: cab }\n    count: 1',
      to: '    from: { board: cab }\n    count: 0',
      at: '21:12',
      field: 'approvals[0].count',
      message: '"approvals[0].count" is 0, which must be at least 1',
    },
    {
      name: 'an approval rule that names no approver',
      from: '    from: { board: ecab }',
      to: '    from: {}',
      at: '27:11',
      field: 'approvals[2].from',
      message: '"approvals[2].from" is empty; it needs at least 1 field',
    },
    {
      name: 'an approval rule with three sources of approvers',
      from: '    from: { ciOwners: direct, maxCriticality: 2 }',
      to: '    from: { ciOwners: direct, maxCriticality: 2, board: cab }',
      at: '24:11',
      field: 'approvals[1].from',
      message: '"approvals[1].from" has too many fields: at most 2',
    },
    {
      name: 'an unknown ciOwners mode lists the modes',
      from: 'ciOwners: direct',
      to: 'ciOwners: owners',
      at: '24:23',
      field: 'approvals[1].from.ciOwners',
      message: '"approvals[1].from.ciOwners" is "owners", which is not one of: direct, impacted',
    },
    {
      name: 'a day of the week spelt out lists the days and suggests the short one',
      from: '    days: [mon, tue, wed, thu]',
      to: '    days: [mon, tue, wed, thurs]',
      at: '44:27',
      field: 'windows[0].days[3]',
      message:
        '"windows[0].days[3]" is "thurs", which is not one of: mon, tue, wed, thu, fri, sat, sun; did you mean "thu"?',
    },
    {
      name: 'a window time not in HH:MM',
      from: '    from: "22:00"',
      to: '    from: "22h"',
      at: '45:11',
      field: 'windows[0].from',
      message:
        '"windows[0].from" is "22h", which is not the expected form: opening time, HH:MM (24 hours)',
    },
    {
      name: 'a freeze that ends on a date without a time',
      from: '    end: 2027-01-04T06:00:00Z',
      to: '    end: 2027-01-04',
      at: '40:10',
      field: 'freezes[0].end',
      message: `"freezes[0].end" is "2027-01-04", ${dateTime}`,
    },
    {
      name: 'a template maxRisk misspelt gets a did-you-mean',
      from: '    maxRisk: low',
      to: '    maxRisk: lw',
      at: '36:14',
      field: 'templates[0].maxRisk',
      message:
        '"templates[0].maxRisk" is "lw", which is not one of: low, medium, high; did you mean "low"?',
    },
    {
      name: 'gate settings take true or false, and no stays the text "no"',
      from: '  keepApprovalsOnUnrelatedPushes: false',
      to: '  keepApprovalsOnUnrelatedPushes: no',
      at: '29:35',
      field: 'gate.keepApprovalsOnUnrelatedPushes',
      message: '"gate.keepApprovalsOnUnrelatedPushes" must be true or false, not the text "no"',
    },
    {
      name: 'a risk matrix without its high row',
      from: '  high: { low: medium, medium: high, high: high }\n',
      to: '',
      at: '12:3',
      field: 'riskMatrix.high',
      message:
        '"riskMatrix" is missing the required field "high": levels when the likelihood is high',
    },
    {
      name: 'a negative lead time',
      from: 'normal: 72',
      to: 'normal: -1',
      at: '50:39',
      field: 'leadTimeHours.normal',
      message: '"leadTimeHours.normal" is -1, which must be at least 0',
    },
    {
      name: 'a nesting cap below the floor',
      from: '  maxDepth: 64',
      to: '  maxDepth: 2',
      at: '56:13',
      field: 'limits.maxDepth',
      message: '"limits.maxDepth" is 2, which must be at least 4',
    },
    {
      name: 'a misspelt limit gets a did-you-mean',
      from: '  maxDepth: 64',
      to: '  maxDepht: 64',
      at: '56:3',
      field: 'limits.maxDepht',
      message: '"limits" has no field "maxDepht"; did you mean "maxDepth"?',
    },
    {
      name: 'a policy without an id',
      from: 'id: acme\n',
      to: '',
      at: '2:1',
      field: 'id',
      id: null,
      message: 'the Policy record is missing the required field "id": a name for the policy',
    },
    {
      name: 'a misspelt kind names the kind the file must hold',
      from: 'kind: Policy',
      to: 'kind: Polcy',
      at: '3:7',
      field: 'kind',
      message: '"kind" must be "Policy", not "Polcy"',
    },
  ],
};

function expected(kind: RecordKind, c: Case): Finding {
  const [line, column] = c.at.split(':').map(Number) as [number, number];
  const id = c.id === undefined ? files[kind].id : c.id;
  return {
    file: files[kind].file,
    line,
    column,
    severity: 'error',
    rule: 'schema',
    message: c.message,
    field: c.field,
    kind,
    ...(id === null ? {} : { id }),
  };
}

/** Loads the valid estate with one record file edited, under the default policy. */
function loadWithEdit(file: RecordFile, from: string, to: string) {
  const sources = validSources().map((source) =>
    source.path === file ? { ...source, text: replaceOnce(source.text, from, to) } : source,
  );
  return loadRecords(loadPolicy(undefined), sources);
}

/** Loads the fixture policy with one edit, as changeops.yaml. */
function loadPolicyWithEdit(from: string, to: string) {
  return loadPolicy({
    path: 'changeops.yaml',
    text: replaceOnce(fixtureText('changeops.yaml'), from, to),
  });
}

describe('the valid fixtures', () => {
  it('load without a single finding under the default policy', () => {
    const result = loadRecords(loadPolicy(undefined), validSources());
    expect(result.findings).toEqual([]);
    expect(result.records).toBe(5);
    expect([...result.estate.cis.keys()].sort()).toEqual([
      'online-shop',
      'payments-api',
      'pg-payments',
    ]);
    expect([...result.estate.changes.keys()]).toEqual(['CHG-0042']);
    expect([...result.estate.releases.keys()]).toEqual(['REL-2026.12']);
  });

  it('load without a single finding under their own policy', () => {
    const policy = loadPolicy({ path: 'changeops.yaml', text: fixtureText('changeops.yaml') });
    expect(policy.findings).toEqual([]);
    expect(policy.usable).toBe(true);
    expect(policy.policy.id).toBe('acme');
    const result = loadRecords(policy, validSources());
    expect(result.findings).toEqual([]);
  });
});

describe.each(['ConfigurationItem', 'Change', 'Release'] as const)(
  'a %s with one bad field',
  (kind) => {
    it.each(cases[kind])('reports $name', (c) => {
      const result = loadWithEdit(files[kind].file as RecordFile, c.from, c.to);
      expect(result.findings).toEqual([expected(kind, c)]);
    });
  },
);

describe('a Policy with one bad field', () => {
  it.each(cases.Policy)('reports $name, and the policy is unusable', (c) => {
    const result = loadPolicyWithEdit(c.from, c.to);
    expect(result.findings).toEqual([expected('Policy', c)]);
    expect(result.usable).toBe(false);
  });

  it('accepts an unquoted 22:00, which YAML 1.2 keeps as text', () => {
    const result = loadPolicyWithEdit('    from: "22:00"', '    from: 22:00');
    expect(result.findings).toEqual([]);
    expect(result.policy.windows[0]?.from).toBe('22:00');
  });

  // Of an anyOf (severity word | {severity}), the branch whose type matches the value explains
  // the error, so a misspelt severity gets the enum's did-you-mean.
  it('reports a misspelt rule severity as a severity word, with a did-you-mean', () => {
    const result = loadPolicyWithEdit('  rogue-change: warning', '  rogue-change: warn');
    expect(result.findings).toMatchObject([
      {
        line: 52,
        column: 17,
        field: 'rules.rogue-change',
        message:
          '"rules.rogue-change" is "warn", which is not one of: error, warning, notice, off; did you mean "warning"?',
      },
    ]);
  });

  // A bad key under boards (propertyNames) is reported at that key, not at the first board.
  it('points at a board name with capitals, not at the first board', () => {
    const result = loadPolicyWithEdit('  ecab:\n', '  ECAB:\n');
    expect(result.findings).toMatchObject([{ line: 9, column: 3, field: 'boards.ECAB' }]);
  });

  // A one-character word is never "close" to another one: "5" is not a typo of "1".
  it('does not suggest criticality key "1" for a key "5"', () => {
    const result = loadPolicyWithEdit('4: low }', '5: low }');
    expect(result.findings).toMatchObject([
      {
        line: 15,
        column: 52,
        field: 'impactByCriticality.5',
        message: '"impactByCriticality" has no field "5"; the fields are: 1, 2, 3, 4',
      },
    ]);
  });
});

describe('a record with several bad fields', () => {
  it('reports every one of them, not just the first', () => {
    let text = fixtureText('changes/CHG-0042-upgrade-pg.yaml');
    text = replaceOnce(text, 'status: proposed', 'status: aproved');
    text = replaceOnce(text, 'type: normal\n', 'type: norml\n');
    text = replaceOnce(text, 'title: Upgrade the payments database to PostgreSQL 17', 'title: PG');
    const sources = validSources().map((source) =>
      source.path === 'changes/CHG-0042-upgrade-pg.yaml' ? { ...source, text } : source,
    );
    const result = loadRecords(loadPolicy(undefined), sources);
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.field} ${f.rule}`).sort()).toEqual(
      ['5:8 title schema', '6:7 type schema', '7:9 status schema'],
    );
  });
});

describe('a look-alike id in a reference', () => {
  it('names the Cyrillic а in a CI reference and suggests the real CI', () => {
    const result = loadWithEdit(
      'changes/CHG-0042-upgrade-pg.yaml',
      'cis: [pg-payments]',
      'cis: [pg-p\u0430yments]',
    );
    const at = {
      file: 'changes/CHG-0042-upgrade-pg.yaml',
      line: 10,
      column: 7,
      severity: 'error',
      field: 'cis[0]',
      kind: 'Change',
      id: 'CHG-0042',
    } as const;
    // Two findings for one typo: the schema names the character, integrity suggests the CI.
    expect(result.findings).toEqual([
      {
        ...at,
        rule: 'schema',
        message: `"cis[0]" is "pg-p\u0430yments", which contains the non-ASCII character "\u0430" (U+0430), which may look like a Latin letter; ids must be plain ASCII: ${ciIdForm}`,
      },
      {
        ...at,
        rule: 'reference',
        message:
          '"pg-p\u0430yments" is not a known configuration item in the CMDB; did you mean "pg-payments"?',
      },
    ]);
  });
});
