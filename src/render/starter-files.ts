import { schemaModeline } from './change-record.js';

/**
 * The files `changeops init` writes into a repository, as text: the policy, a first CI, the
 * changes/ folder's README, and the gate's and verify's workflows (the ones docs/action.md
 * documents). Every value put in was checked by the caller (principals, a CI id, globs, a
 * folder), and each is quoted as YAML needs. Pure.
 */

/** What `init` was told (or asked). */
export interface StarterOptions {
  /** The policy's id: a slug. */
  policyId: string;
  /** The CAB's and the ECAB's members (@org/team or @login); none gives a placeholder validate refuses. */
  cab: readonly string[];
  ecab: readonly string[];
  /** The first CI of the CMDB. */
  ci: { id: string; name: string; owner?: string; paths: readonly string[] };
  /** The changeops root relative to the repository's top, POSIX, '' when they are one. */
  dir: string;
  /** The default branch, which verify runs on after a push. */
  branch: string;
  /** What the workflows' `uses:` names after the @: a release tag or a commit sha. */
  actionRef: string;
  version: string;
}

/** A starter file: where it goes (relative to the changeops root, or to the repository's top). */
export interface StarterFile {
  path: string;
  from: 'root' | 'top';
  text: string;
}

/** The action's repository, as the README's `uses:` line names it. */
export const actionRepository = 'changeops/changeops';

/** A value validate refuses (not a principal), so nobody gates on a team that was never set. */
const placeholder = (what: string, example: string) => `"TODO: ${what}, such as ${example}"`;

const list = (items: readonly string[]) => items.map((item) => `'${item}'`).join(', ');

/** The starter files, in the order `init` lists them. */
export function starterFiles(options: StarterOptions): StarterFile[] {
  const schemas = '.changeops/schemas';
  return [
    {
      path: 'changeops.yaml',
      from: 'root',
      text: policyYaml(options, `${schemas}/policy.schema.json`),
    },
    { path: 'changes/README.md', from: 'root', text: changesReadme() },
    {
      path: `cmdb/${options.ci.id}.yaml`,
      from: 'root',
      text: ciYaml(options, `../${schemas}/configuration-item.schema.json`),
    },
    { path: '.github/workflows/changeops.yml', from: 'top', text: gateWorkflow(options) },
    { path: '.github/workflows/changeops-verify.yml', from: 'top', text: verifyWorkflow(options) },
  ];
}

function policyYaml(options: StarterOptions, schema: string): string {
  const members = (principals: readonly string[], what: string, example: string) =>
    principals.length ? `[${list(principals)}]` : `[${placeholder(what, example)}]`;
  return `${schemaModeline(schema)}
#
# The change policy of this repository, written by changeops init ${options.version}: edit it.
# In a pull request the base branch's copy is in force, never the pull request's own: an edit
# of this file takes effect once merged, and is itself a change that needs the CAB's approval.
# Everything but apiVersion, kind and id may be left out; what is left out takes the default
# named in its comment. The reference: docs/policy.md of changeops.
apiVersion: changeops/v1
kind: Policy
id: ${options.policyId}

# Who approves. Members are GitHub teams (@org/team) or users (@login), in quotes: YAML reads a
# bare @ as an error. Only active team members count; the gate reads the teams through the
# GitHub API, which needs its GitHub App (see the workflow .github/workflows/changeops.yml).
boards:
  cab:
    description: Change Advisory Board, approves normal changes.
    members: ${members(options.cab, 'your CAB team', '@acme/cab')}
  ecab:
    description: Emergency CAB, approves emergency changes; the CAB reviews them afterwards.
    members: ${members(options.ecab, 'your ECAB team', '@acme/ecab')}

# Every rule whose "when" matches a change applies, and all that apply must be met. The pull
# request's author and the change's requester never count, nor do bots. Standard changes
# (pre-approved through a template below) match none of these.
approvals:
  - name: cab
    description: A normal change needs one CAB member.
    when: { types: [normal] }
    from: { board: cab }
    count: 1
  - name: cab-high-risk
    description: A high-risk normal change needs two CAB members.
    when: { types: [normal], risk: [high] }
    from: { board: cab }
    count: 2
  - name: ecab
    description: An emergency change needs one ECAB member.
    when: { types: [emergency] }
    from: { board: ecab }
    count: 1

# The risk level of a change is looked up from its likelihood (rows) and impact (columns).
riskMatrix:
  low: { low: low, medium: low, high: medium }
  medium: { low: low, medium: medium, high: high }
  high: { low: medium, medium: high, high: high }

# The least impact a change may state: that of the most critical CI it touches or reaches
# through dependsOn and partOf (criticality 1 is business critical, 4 low).
impactByCriticality:
  1: high
  2: high
  3: medium
  4: low

# Pre-approved standard changes: "type: standard" names one, touches only its CIs or classes
# and stays at or below its maxRisk; no approval is needed.
templates:
  - id: std-restart
    title: Rolling restart of an application, same version and configuration
    classes: [application]
    maxRisk: low

# Changes are scheduled inside a window that applies to them (emergencies are exempt): here
# working hours, Monday to Thursday, never into a Friday. Times are local to the timezone.
windows:
  - name: Working hours
    days: [mon, tue, wed, thu]
    from: '09:00'
    to: '17:00'
    timezone: UTC

# No change but an emergency may be scheduled inside a freeze. For example:
# freezes:
#   - name: Year end
#     start: 2027-12-18T00:00:00Z
#     end: 2028-01-04T06:00:00Z
#     allow: [emergency]

# Hours between proposing a change and its start, by type.
leadTimeHours:
  standard: 0
  normal: 48
  emergency: 0

# Evaluation rules by id: error (fails the check), warning, notice or off. Left out: the
# rule's default. These two start as warnings while the teams get used to change records.
rules:
  rogue-change: warning # code under a CI's paths changed without a change that names the CI
  cmdb-change: warning # a CI added, edited or removed without a change that names it
`;
}

function ciYaml(options: StarterOptions, schema: string): string {
  const { ci } = options;
  const owner = ci.owner ? `'${ci.owner}'` : placeholder('the team that owns it', '@acme/payments');
  const paths = ci.paths.length
    ? `paths:\n${ci.paths.map((glob) => `  - ${JSON.stringify(glob)}\n`).join('')}`
    : `# The code that belongs to it: a pull request that changes it needs a change that names\n# this CI (the rogue-change rule). For example:\n# paths:\n#   - "services/${ci.id}/**"\n`;
  return `${schemaModeline(schema)}
# A configuration item of the CMDB: one file per CI (or several, separated by ---), in any
# sub-folder of cmdb/. The reference: docs/records.md of changeops.
apiVersion: changeops/v1
kind: ConfigurationItem
id: ${ci.id}
name: ${JSON.stringify(ci.name)}
class: application
owner: ${owner}
criticality: 3 # 1 business critical, 2 high, 3 medium, 4 low
environment: production
# dependsOn: [a-database]  # a change to a-database impacts this CI
# partOf: [a-business-service]  # a change to this CI impacts a-business-service
${paths}`;
}

function changesReadme(): string {
  return `# Change records

One file per change, named after its id: \`CHG-0042-upgrade-pg.yaml\`. Write one with

\`\`\`sh
npx changeops new
\`\`\`

which asks for what it needs (or takes every answer as an option), picks the next free id and
the first slot the policy allows, and checks the record before writing it. Release records
(\`REL-2027.01-spring.yaml\`) live here too.
`;
}

/** `dir: ...` under `with:` when the changeops root is not the repository's top. */
function dirInput(options: StarterOptions): string {
  return options.dir ? `\n          dir: ${JSON.stringify(options.dir)}` : '';
}

function uses(options: StarterOptions): string {
  const sha = /^[0-9a-f]{40}$/.test(options.actionRef);
  return `${actionRepository}@${options.actionRef} # ${sha ? `changeops ${options.version}` : `pin it to the commit sha of the ${options.actionRef} tag`}`;
}

const checkout = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

function gateWorkflow(options: StarterOptions): string {
  const group = options.dir
    ? `changeops-gate-${options.dir.replace(/[^A-Za-z0-9]+/g, '-')}-`
    : 'changeops-gate-';
  return `# The CAB approval gate (changeops gate): the check of every pull request, the approval
# checklist in its comment, and the commit status changeops/cab that a ruleset requires. It
# runs as a GitHub App (vars.CHANGEOPS_APP_ID, secrets.CHANGEOPS_APP_PRIVATE_KEY), so that the
# ruleset can require changeops/cab from that App; without it the gate is advisory.
# Written by changeops init ${options.version}.
name: changeops gate
on:
  pull_request:
    types: [opened, synchronize, reopened, edited, closed]
  pull_request_review:
    types: [submitted, edited, dismissed]
  merge_group:
permissions:
  contents: read
jobs:
  gate:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    # One run at a time per pull request (or merge group), the latest event last.
    concurrency:
      group: ${group}\${{ github.event.pull_request.number || github.ref }}
      cancel-in-progress: false
    permissions:
      contents: read # the App's installation token does the reading and writing
    steps:
      - uses: ${checkout}
        with:
          fetch-depth: 0 # the base commit, the merge base, the merge queue's history
      - uses: ${uses(options)}
        with:
          command: gate${dirInput(options)}
          app-id: \${{ vars.CHANGEOPS_APP_ID }}
          app-private-key: \${{ secrets.CHANGEOPS_APP_PRIVATE_KEY }}
`;
}

function verifyWorkflow(options: StarterOptions): string {
  return `# After a deploy (changeops verify): each change the push to the default branch deployed gets
# its post-implementation checks (checks[].run in its record) run; a failure opens one problem
# issue per change. Put your deploy step before it (or move this step into your deploy job),
# and pass its outcome: a failed deploy fails the change even when its checks pass.
# Written by changeops init ${options.version}.
name: changeops verify
on:
  push:
    branches: [${JSON.stringify(options.branch)}]
  workflow_dispatch:
    inputs:
      changes:
        description: The changes to verify again (CHG-0042, CHG-0043)
        required: true
permissions:
  contents: read
concurrency:
  group: changeops-verify
  cancel-in-progress: false
jobs:
  verify:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
      issues: write # the problem issue
      pull-requests: write # the note on the change's pull request
    steps:
      - uses: ${checkout}
        with:
          fetch-depth: 2 # the pushed commit and the one before it
          persist-credentials: false
      # - id: deploy
      #   run: ./deploy.sh production
      - uses: ${uses(options)}
        if: always()
        with:
          command: verify${dirInput(options)}
          changes: \${{ inputs.changes }} # empty on push: the changes the push adds or edits
          check-timeout: 300
          # outcome: \${{ steps.deploy.outcome }}
`;
}
