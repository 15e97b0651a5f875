// The base decides: a pull request cannot change the rules it is judged by. Each scenario is a
// branch of one real repository that tries a way around a control, checked with
// `changeops check --base` as a runner or a laptop would.
import { symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, checkJson, commit, initRepository, remove, scratch, write } from './git-fixture.js';

let root: string;
let origin: string;
let git: SimpleGit;

const days = '[mon, tue, wed, thu, fri, sat, sun]';
const basePolicy = `apiVersion: changeops/v1
kind: Policy
id: test
windows:
  - name: Production nights
    days: ${days}
    from: '22:00'
    to: '02:00'
    environments: [production]
  - name: Staging any time
    days: ${days}
    from: '00:00'
    to: '24:00'
    environments: [staging]
rules:
  rogue-change: error
`;

function ci(id: string, criticality: number, environment: string, extra = ''): string {
  return `apiVersion: changeops/v1
kind: ConfigurationItem
id: ${id}
name: ${id}
class: application
owner: "@acme/team"
criticality: ${criticality}
environment: ${environment}
${extra}`;
}

/** A complete normal change that passes every rule at NOW (2030-05-01), on the night of 4 June. */
function change(
  id: string,
  fields: {
    status?: string;
    type?: string;
    cis?: string;
    impact?: string;
    start?: string;
    end?: string;
    title?: string;
    backout?: string;
  } = {},
  comment = '',
): string {
  return `apiVersion: changeops/v1
kind: Change
id: ${id}
title: ${fields.title ?? `Change ${id}`}
type: ${fields.type ?? 'normal'}
status: ${fields.status ?? 'proposed'}
requester: octocat
${comment}cis: ${fields.cis ?? '[search]'}
reason: It is needed.
risk: {likelihood: low, impact: ${fields.impact ?? 'high'}}
plan:
  implementation: Roll out the new version with the usual pipeline.
  test: Tested on staging with production data.
  backout: ${fields.backout ?? 'Roll back to the previous version with the pipeline.'}
schedule: {start: ${fields.start ?? '2030-06-04T22:00:00Z'}, end: ${fields.end ?? '2030-06-04T23:30:00Z'}}
`;
}

const paymentsPaths = 'dependsOn: [pg-payments]\npaths: ["services/payments/**"]\n';

const estate: Record<string, string> = {
  'changeops.yaml': basePolicy,
  'cmdb/pg-payments.yaml': ci('pg-payments', 2, 'production'),
  'cmdb/payments-api.yaml': ci('payments-api', 1, 'production', paymentsPaths),
  'cmdb/search.yaml': ci('search', 3, 'production', 'paths: ["services/search/**"]\n'),
  'changes/CHG-0001-payments-rollout.yaml': change(
    'CHG-0001',
    {
      status: 'implemented',
      cis: '[payments-api]',
      start: '2030-04-01T22:00:00Z',
      end: '2030-04-01T23:00:00Z',
    },
    '# The payments-api rollout of April.\n',
  ),
  'changes/CHG-0002-search-reindex.yaml': change('CHG-0002', {
    status: 'closed',
    title: 'Reindex search',
    start: '2030-04-08T22:00:00Z',
    end: '2030-04-08T23:00:00Z',
  }),
  'changes/CHG-0003-search-synonyms.yaml': change('CHG-0003', {
    start: '2030-06-11T22:00:00Z',
    end: '2030-06-11T23:00:00Z',
  }),
  'services/payments/api.ts': 'export const api = 1;\n',
  'services/search/index.ts': 'export const index = 1;\n',
};

async function branch(
  name: string,
  files: Record<string, string>,
  options: { from?: string; remove?: string[] } = {},
): Promise<void> {
  await git.raw(['checkout', '--quiet', '-b', name, options.from ?? 'main']);
  write(origin, files);
  if (options.remove?.length) await git.raw(['rm', '--quiet', ...options.remove]);
  await commit(git, name);
}

async function on(name: string): Promise<void> {
  await git.raw(['checkout', '--force', name]);
}

/** The findings of `check --base <base>` on a branch, as `rule id: message` lines. */
async function findings(name: string, base = 'main') {
  await on(name);
  const run = await checkJson(origin, base);
  return {
    ...run,
    rules: run.findings.map((line) => line.replace(/^.*\[([^\]]+)\]$/, '$1')),
  };
}

/** A change with every plan missing: required-content's errors, which a PR wants gone. */
const unplanned = `apiVersion: changeops/v1
kind: Change
id: CHG-0010
title: Tune the search cluster
type: normal
status: proposed
requester: octocat
cis: [search]
risk: {likelihood: low, impact: medium}
`;

beforeAll(async () => {
  root = scratch();
  origin = join(root, 'origin');
  write(origin, estate);
  git = await initRepository(origin);
  await commit(git, 'estate');

  await branch('policy-off', {
    'changeops.yaml': basePolicy.replace(
      'rules:\n  rogue-change: error\n',
      'rules:\n  required-content: off\n  rogue-change: off\nlimits:\n  maxAliases: 10000\n',
    ),
    'changes/CHG-0010-tune-search.yaml': unplanned,
  });
  await branch('policy-invalid', {
    'changeops.yaml': `${basePolicy}leadTimeHours: {normal: lots}\n`,
    'changes/CHG-0010-tune-search.yaml': unplanned,
  });
  await branch('policy-comment', {
    'changeops.yaml': `# Reviewed in March.\n${basePolicy}`,
  });
  await branch('raise-limits', {
    'changeops.yaml': `${basePolicy}limits:\n  maxAliases: 10000\n`,
    'cmdb/aliases.yaml': `${ci('aliases', 4, 'staging', `tags: &t [a]\nlabels: [${Array(150).fill('*t').join(', ')}]\n`)}`,
  });
  await branch('broken-main', { 'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\n' });
  await branch(
    'fix-policy',
    { 'changeops.yaml': basePolicy, 'changes/CHG-0010-tune-search.yaml': unplanned },
    { from: 'broken-main' },
  );

  // The CMDB attack: the reachable CIs lowered to criticality 4 and moved to staging, with a
  // change that understates its impact and runs in the afternoon.
  await branch('lower-cmdb', {
    'cmdb/pg-payments.yaml': ci('pg-payments', 4, 'staging'),
    'cmdb/payments-api.yaml': ci('payments-api', 4, 'staging', paymentsPaths),
    'changes/CHG-0010-pg-tuning.yaml': change('CHG-0010', {
      cis: '[pg-payments]',
      impact: 'low',
      start: '2030-06-04T14:00:00Z',
      end: '2030-06-04T15:00:00Z',
    }),
  });
  await branch('edit-cmdb-covered', {
    'cmdb/search.yaml': ci('search', 2, 'production', 'paths: ["services/search/**"]\n'),
    'changes/CHG-0010-search-criticality.yaml': change('CHG-0010', {
      start: '2030-06-18T22:00:00Z',
      end: '2030-06-18T23:00:00Z',
    }),
  });
  await branch('reformat-cmdb', {
    'cmdb/search.yaml': `# Search, reformatted.\n${ci('search', 3, 'production', "paths: ['services/search/**']\n")}`,
  });

  // Rogue-change coverage, each way it could be faked.
  const code = { 'services/payments/api.ts': 'export const api = 2;\n' };
  await branch('rogue-no-paths', {
    ...code,
    'cmdb/payments-api.yaml': ci('payments-api', 1, 'production', 'dependsOn: [pg-payments]\n'),
  });
  await branch('rogue-negated', {
    ...code,
    'cmdb/payments-api.yaml': ci(
      'payments-api',
      1,
      'production',
      'dependsOn: [pg-payments]\npaths: ["services/payments/**", "!services/payments/**"]\n',
    ),
  });
  await branch('rogue-comment', {
    ...code,
    'changes/CHG-0001-payments-rollout.yaml': estate[
      'changes/CHG-0001-payments-rollout.yaml'
    ]!.replace(
      '# The payments-api rollout of April.',
      '# The payments-api rollout of April, and its follow-up.',
    ),
  });
  await branch('rogue-draft', {
    ...code,
    'changes/CHG-0011-payments-draft.yaml': change('CHG-0011', {
      status: 'draft',
      cis: '[payments-api]',
    }),
  });
  await branch('rogue-covered', {
    ...code,
    'changes/CHG-0011-payments-fix.yaml': change('CHG-0011', {
      cis: '[payments-api]',
      start: '2030-06-18T22:00:00Z',
      end: '2030-06-18T23:00:00Z',
    }),
  });

  // The history is the audit trail.
  await branch('delete-closed', {}, { remove: ['changes/CHG-0002-search-reindex.yaml'] });
  await branch('rewrite-closed', {
    'changes/CHG-0002-search-reindex.yaml': change('CHG-0002', {
      status: 'closed',
      title: 'Reindex search',
      backout: 'Nothing to undo.',
      start: '2030-04-08T22:00:00Z',
      end: '2030-04-08T23:00:00Z',
    }),
  });
  await branch(
    'repeat-closed',
    {
      'changes/CHG-0012-search-reindex.yaml': change('CHG-0012', {
        title: 'Reindex  search',
        start: '2030-06-25T22:00:00Z',
        end: '2030-06-25T23:00:00Z',
      }),
    },
    { remove: ['changes/CHG-0002-search-reindex.yaml'] },
  );
  await branch('emergency-jump', {
    'changes/CHG-0003-search-synonyms.yaml': change('CHG-0003', {
      type: 'emergency',
      status: 'approved',
      start: '2030-06-11T22:00:00Z',
      end: '2030-06-11T23:00:00Z',
    }),
  });

  // A change record that is a symbolic link: editing its target changes the record without
  // the record's file showing in the diff.
  await git.raw(['checkout', '--quiet', '-b', 'linked-main', 'main']);
  write(origin, {
    'records/CHG-0003.yaml': estate['changes/CHG-0003-search-synonyms.yaml']!,
  });
  unlinkSync(join(origin, 'changes/CHG-0003-search-synonyms.yaml'));
  symlinkSync('../records/CHG-0003.yaml', join(origin, 'changes/CHG-0003-search-synonyms.yaml'));
  await commit(git, 'linked-main');
  await branch(
    'edit-link-target',
    {
      'records/CHG-0003.yaml': estate['changes/CHG-0003-search-synonyms.yaml']!.replace(
        'status: proposed',
        'status: closed',
      ),
    },
    { from: 'linked-main' },
  );
  await git.raw(['checkout', '--quiet', '-b', 'replace-link', 'linked-main']);
  unlinkSync(join(origin, 'changes/CHG-0003-search-synonyms.yaml'));
  write(origin, {
    'changes/CHG-0003-search-synonyms.yaml': estate[
      'changes/CHG-0003-search-synonyms.yaml'
    ]!.replace('status: proposed', 'status: closed'),
  });
  await commit(git, 'replace-link');

  // A CMDB folder that is a symbolic link inside the repository: the CIs live under shared/,
  // so an edit of them shows in the diff as shared/..., never as a CMDB edit, and the base's
  // tree holds a link where the CMDB's files should be.
  await git.raw(['checkout', '--quiet', '-b', 'linked-cmdb-main', 'main']);
  write(origin, {
    'shared/cmdb/pg-payments.yaml': estate['cmdb/pg-payments.yaml']!,
    'shared/cmdb/payments-api.yaml': estate['cmdb/payments-api.yaml']!,
  });
  await git.raw(['rm', '--quiet', 'cmdb/pg-payments.yaml', 'cmdb/payments-api.yaml']);
  symlinkSync('../shared/cmdb', join(origin, 'cmdb/shared'));
  await commit(git, 'linked-cmdb-main');
  await branch(
    'lower-linked-cmdb',
    {
      'shared/cmdb/pg-payments.yaml': ci('pg-payments', 4, 'staging'),
      'shared/cmdb/payments-api.yaml': ci('payments-api', 4, 'staging', paymentsPaths),
      'changes/CHG-0010-pg-tuning.yaml': change('CHG-0010', {
        cis: '[pg-payments]',
        impact: 'low',
        start: '2030-06-04T14:00:00Z',
        end: '2030-06-04T15:00:00Z',
      }),
    },
    { from: 'linked-cmdb-main' },
  );
});

afterAll(() => remove(root));

describe('check --base judges a branch by the policy of the base', () => {
  it('keeps the errors when the branch turns the rules off in its own changeops.yaml, and names the policy edit', async () => {
    const run = await findings('policy-off');
    expect(run.rules.filter((rule) => rule === 'required-content')).toHaveLength(5);
    expect(run.findings).toContain(
      "changeops.yaml:16:21: warning: this pull request changes the policy: rules.required-content error -> off; rules.rogue-change error -> off; limits.maxAliases 100 -> 10000; it takes effect after merge, and until then the base's policy is in force [policy-change]",
    );
    expect(run.code).toBe(1);
  });

  it('reports the errors of the proposed policy and still evaluates under the base policy', async () => {
    const run = await findings('policy-invalid');
    expect(run.findings).toContain(
      'changeops.yaml:17:25: error: "leadTimeHours.normal" must be a number, not the text "lots" [schema]',
    );
    expect(run.findings).toContain(
      "changeops.yaml:1:1: warning: this pull request changes the policy, but the changeops.yaml it proposes cannot be used (see its errors); the base's policy stays in force, and a policy that cannot be used must not be merged [policy-change]",
    );
    expect(run.rules.filter((rule) => rule === 'required-content')).toHaveLength(5);
    expect(run.code).toBe(1);
  });

  it('says nothing about a policy edit that changes only comments', async () => {
    const run = await findings('policy-comment');
    expect(run.findings).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('reads the records of the branch under the limits of the base policy', async () => {
    const run = await findings('raise-limits');
    expect(run.findings).toContain(
      'cmdb/aliases.yaml:10:410: error: the file expands YAML aliases (*name) more than 100 times; records do not need aliases, write the values out [yaml-aliases]',
    );
    expect(run.code).toBe(1);
  });

  it('fails closed with exit 2 when the policy of the base cannot be used, whatever the branch says', async () => {
    await on('fix-policy');
    const run = await check(origin, { base: 'broken-main' });
    expect(run.code).toBe(2);
    expect(run.out).toContain(
      "the base's changeops.yaml cannot be used, so no evaluation rule ran; fix it on the base branch first",
    );
  });

  it('says which policy is in force', async () => {
    await on('policy-off');
    const withBase = await check(origin, { base: 'main' });
    expect(withBase.out.split('\n')[0]).toMatch(
      /^Checking against main \(merge base [0-9a-f]{12}\): 2 files changed; the base's policy is in force$/,
    );
    const withoutBase = await check(origin);
    expect(withoutBase.out.split('\n')[0]).toBe(
      "Checking every pending change and open release (no --base: the working tree's policy is in force)",
    );
  });
});

describe('check --base computes impact on the union of the base and head CMDB', () => {
  it('keeps the impact and the production window when the branch lowers its CIs to criticality 4 / staging', async () => {
    const run = await findings('lower-cmdb');
    expect(run.findings.filter((line) => !line.endsWith('[cmdb-change]'))).toEqual([
      'changes/CHG-0010-pg-tuning.yaml:10:33: error: risk.impact is low, but the change reaches payments-api (criticality 1) through pg-payments -> payments-api; the CMDB puts its impact at high, so assess it as high [impact-understated]',
      'changes/CHG-0010-pg-tuning.yaml:15:11: error: no maintenance window of the policy applies to a normal change on production and staging CIs, and changes may only be scheduled inside one; the windows are: Production nights (mon, tue, wed, thu, fri, sat, sun 22:00-02:00 UTC, for production); Staging any time (mon, tue, wed, thu, fri, sat, sun 00:00-24:00 UTC, for staging). Ask for a window that covers it, or split the change by environment [maintenance-window]',
    ]);
    expect(run.outcome.changes).toMatchObject([
      { id: 'CHG-0010', impact: { level: 'high', ids: ['payments-api', 'pg-payments'] } },
    ]);
    expect(run.code).toBe(1);
  });

  it('reports a CMDB edit that no change of the branch names', async () => {
    const run = await findings('lower-cmdb');
    // pg-payments is edited too, and CHG-0010 names it.
    expect(run.findings.filter((line) => line.endsWith('[cmdb-change]'))).toEqual([
      'cmdb/payments-api.yaml:7:14: warning: a CMDB edit is a change too: this branch edits payments-api in the CMDB (criticality and environment), but no change of this branch (CHG-0010) names payments-api in its cis; add payments-api to the cis of the change that covers this edit, or add a change for it [cmdb-change]',
    ]);
  });

  it('passes a CMDB edit that a pending change of the branch names', async () => {
    const run = await findings('edit-cmdb-covered');
    expect(run.findings).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('takes a CMDB file that only changed its comments and quotes as unchanged', async () => {
    const run = await findings('reformat-cmdb');
    expect(run.findings).toEqual([]);
  });
});

describe('rogue-change coverage cannot be faked', () => {
  it.each([
    {
      how: "deleting the CI's paths in the branch",
      branch: 'rogue-no-paths',
      expected: [
        'cmdb/payments-api.yaml:3:5: error: code of payments-api changed (services/payments/api.ts), which its paths at the base cover, but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one) [rogue-change]',
        'cmdb/payments-api.yaml:3:5: warning: a CMDB edit is a change too: this branch edits payments-api in the CMDB (paths), but this branch carries no change record; add a change that names payments-api in its cis [cmdb-change]',
      ],
    },
    {
      how: 'adding a negated glob',
      branch: 'rogue-negated',
      expected: [
        'cmdb/payments-api.yaml:10:8: error: code of payments-api changed (services/payments/api.ts), which its paths at the base cover, but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one) [rogue-change]',
        'cmdb/payments-api.yaml:10:8: warning: a CMDB edit is a change too: this branch edits payments-api in the CMDB (paths), but this branch carries no change record; add a change that names payments-api in its cis [cmdb-change]',
      ],
    },
    {
      how: 'editing a comment of an old implemented change that names the CI',
      branch: 'rogue-comment',
      expected: [
        'cmdb/payments-api.yaml:10:9: error: code of payments-api changed (services/payments/api.ts), but this branch adds or edits no proposed or approved change that names payments-api (CHG-0001 is implemented, and only a proposed or approved change that the branch adds or edits counts); add a change that names payments-api in its cis (changeops new --cis payments-api writes one) [rogue-change]',
      ],
    },
    {
      how: 'adding a draft change that names the CI',
      branch: 'rogue-draft',
      expected: [
        'cmdb/payments-api.yaml:10:9: error: code of payments-api changed (services/payments/api.ts), but this branch adds or edits no proposed or approved change that names payments-api (CHG-0011 is a draft, and only a proposed or approved change that the branch adds or edits counts); add a change that names payments-api in its cis (changeops new --cis payments-api writes one) [rogue-change]',
      ],
    },
  ])('reports code changed under a CI when $how', async ({ branch: name, expected }) => {
    const run = await findings(name);
    expect(run.findings).toEqual(expected);
    expect(run.code).toBe(1);
  });

  it('passes code that a proposed change of the branch names', async () => {
    const run = await findings('rogue-covered');
    expect(run.findings).toEqual([]);
  });
});

describe('the history is the audit trail', () => {
  it.each([
    {
      what: 'deleting a closed change',
      branch: 'delete-closed',
      expected: [
        'changes/CHG-0002-search-reindex.yaml:1:1: error: CHG-0002 was closed at the base, and this branch deletes it: a change record is the audit trail and is never deleted; restore changes/CHG-0002-search-reindex.yaml [audit-trail]',
      ],
    },
    {
      what: 'rewriting the plan of a closed change',
      branch: 'rewrite-closed',
      expected: [
        'changes/CHG-0002-search-reindex.yaml:12:3: error: CHG-0002 was closed at the base, and the record of a finished change is history: its plan cannot be rewritten; restore it, and raise a new change for new work [audit-trail]',
      ],
    },
    {
      what: 'bringing a closed change back under a new id',
      branch: 'repeat-closed',
      expected: [
        'changes/CHG-0012-search-reindex.yaml:3:5: error: CHG-0012 repeats CHG-0002, which was closed at the base (the same title, cis and plan): a finished change does not come back under a new id; plan the new change in its own words [audit-trail]',
        'changes/CHG-0002-search-reindex.yaml:1:1: error: CHG-0002 was closed at the base, and this branch deletes it: a change record is the audit trail and is never deleted; restore changes/CHG-0002-search-reindex.yaml [audit-trail]',
      ],
    },
    {
      what: 'moving a proposed normal change to an approved emergency',
      branch: 'emergency-jump',
      expected: [
        'changes/CHG-0003-search-synonyms.yaml:5:7: error: the type cannot move from normal to emergency: CHG-0003 was proposed at the base, and a change keeps its type once proposed (an emergency change is approved by the ECAB alone, so a normal change made emergency would skip the CAB); raise a new emergency change, or set status: draft to plan this one again [audit-trail]',
      ],
    },
  ])('refuses $what', async ({ branch: name, expected }) => {
    const run = await findings(name);
    expect(run.findings).toEqual(expected);
    expect(run.code).toBe(1);
  });

  it('refuses a change record that is a symbolic link, so editing its target cannot escape', async () => {
    const run = await findings('edit-link-target', 'linked-main');
    expect(run.findings).toEqual([
      "changes/CHG-0003-search-synonyms.yaml:1:1: error: the file is a symbolic link; a record file must be a regular file, so that every edit of the record shows in the pull request's diff [symlink]",
    ]);
    expect(run.code).toBe(1);
  });

  it('refuses a CMDB folder linked elsewhere in the repository, so lowering its CIs there cannot pass', async () => {
    const run = await findings('lower-linked-cmdb', 'linked-cmdb-main');
    expect(run.findings).toContain(
      "cmdb/shared:1:1: error: the folder is a symbolic link; changeops does not follow folder links, so that every edit of a record shows in the pull request's diff under the record's own path: move the records here, or point --dir at the folder that holds them [symlink]",
    );
    expect(run.code).toBe(1);
  });

  it('judges a record that was a symbolic link at the base as new', async () => {
    const run = await findings('replace-link', 'linked-main');
    expect(run.findings).toContain(
      'changes/CHG-0003-search-synonyms.yaml:6:9: error: a new normal change must start as draft or proposed, not closed [status-transition]',
    );
  });
});
