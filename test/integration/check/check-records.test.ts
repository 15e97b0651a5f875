import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../../src/evaluate/check.js';
import { judgedBy } from '../../../src/evaluate/judged-by.js';
import { rules } from '../../../src/rules/registry.js';
import type { CheckFacts } from '../../../src/evaluate/facts.js';
import { loadBasePolicy, loadWorkspace } from '../../../src/app/load-workspace.js';
import { checkCommand } from '../../../src/cli/check.js';
import { UsageError } from '../../../src/cli/usage-error.js';
import { changeYaml, check, estate, NOW, remove, scratch, write } from './git-fixture.js';

// evaluateCheck without git: the facts an action would gather from the GitHub API.
let dir: string;
const file = 'changes/CHG-0002-search-reindex.yaml';
const closed = changeYaml('CHG-0002', {
  status: 'closed',
  cis: '[search]',
  start: '2030-06-11T22:00:00Z',
  end: '2030-06-11T23:00:00Z',
});

beforeAll(() => {
  dir = scratch();
  write(dir, { ...estate, [file]: closed });
});

afterAll(() => remove(dir));

function facts(base?: Partial<NonNullable<CheckFacts['base']>>): CheckFacts {
  return {
    workspace: loadWorkspace(dir),
    now: NOW,
    ...(base
      ? {
          base: {
            ref: 'main',
            sha: 'a'.repeat(40),
            mergeBase: 'b'.repeat(40),
            changedFiles: [{ status: 'modified', path: file }],
            files: [{ path: file, text: estate[file]! }],
            policyFile: { path: 'changeops.yaml', text: estate['changeops.yaml']! },
            policy: loadBasePolicy({
              policyFile: { path: 'changeops.yaml', text: estate['changeops.yaml']! },
            }),
            ...base,
          },
        }
      : {}),
  };
}

describe('evaluateCheck (facts passed in, no git)', () => {
  it('judges the transition from the base text it is given', () => {
    const outcome = evaluateCheck(facts({}));
    expect(outcome.ok).toBe(false);
    expect(outcome.changes.map((change) => change.id)).toEqual(['CHG-0002']);
    expect(outcome.changes[0]!.findings.map((finding) => finding.message)).toEqual([
      'the status cannot move from proposed to closed; from proposed a change may move to approved, rejected, cancelled or draft',
    ]);
    expect(outcome.base).toEqual({ ref: 'main', sha: 'a'.repeat(40), mergeBase: 'b'.repeat(40) });
    expect(outcome.changedFiles).toBe(1);
  });

  it('judges a record whose base file could not be read as new (fail closed)', () => {
    const outcome = evaluateCheck(facts({ files: [], unreadable: [file] }));
    expect(outcome.findings.map((finding) => finding.message)).toEqual([
      'a new normal change must start as draft or proposed, not closed',
    ]);
    expect(outcome.ok).toBe(false);
  });

  it('judges a record whose base file does not parse as new (fail closed)', () => {
    const outcome = evaluateCheck(facts({ files: [{ path: file, text: 'status: [proposed\n' }] }));
    expect(outcome.findings.map((finding) => finding.message)).toEqual([
      'a new normal change must start as draft or proposed, not closed',
    ]);
  });

  it("judges by the base's policy in the facts, and names what the branch's own changes", () => {
    const basePolicy = `${estate['changeops.yaml']!}  status-transition: off\n`;
    const outcome = evaluateCheck(
      facts({
        policyFile: { path: 'changeops.yaml', text: basePolicy },
        policy: loadBasePolicy({ policyFile: { path: 'changeops.yaml', text: basePolicy } }),
      }),
    );
    expect(outcome.policyFrom).toBe('base');
    expect(outcome.findings.map((finding) => `${finding.message} [${finding.rule}]`)).toEqual([
      "this pull request changes the policy: rules.status-transition off -> error; it takes effect after merge, and until then the base's policy is in force [policy-change]",
    ]);
    expect(outcome.ok).toBe(true);
  });

  it('gives the gate the same judgement: the base policy and the union CMDB', () => {
    const judged = judgedBy(facts({}), rules);
    expect(judged.estate.policy.id).toBe('test');
    expect(judged.policyUsable).toBe(true);
    expect(judged.cmdb.ci('payments-api')).toMatchObject({ environments: ['production'] });
    expect(judged.history?.changes.get('CHG-0002')?.status).toBe('proposed');
  });

  it('treats a record file that is not at the base as new', () => {
    const outcome = evaluateCheck(
      facts({ files: [], changedFiles: [{ status: 'added', path: file }] }),
    );
    expect(outcome.findings.map((finding) => finding.message)).toEqual([
      'a new normal change must start as draft or proposed, not closed',
    ]);
  });

  it('summarises each change with its risk and impact', () => {
    const outcome = evaluateCheck(facts({}));
    expect(outcome.changes[0]).toMatchObject({
      id: 'CHG-0002',
      title: 'Change CHG-0002',
      type: 'normal',
      status: 'closed',
      file,
      riskLevel: 'medium',
      impact: { level: 'medium', ids: ['search'] },
    });
  });

  it('links a change under evaluation to the change whose failure opened the problem it remediates', () => {
    const given = facts({});
    const { changes } = given.workspace.estate;
    const mine = changes.get('CHG-0002')!;
    const opener = changes.get('CHG-0001')!;
    changes.set('CHG-0002', { ...mine, data: { ...mine.data, problem: '#12' } });
    changes.set('CHG-0001', {
      ...opener,
      data: {
        ...opener.data,
        review: { outcome: 'failure', date: '2030-04-01', problemIssue: '#12' },
      },
    });
    expect(evaluateCheck(given).changes[0]!.problemLinks).toEqual([
      'CHG-0002 remediates #12, opened by the failure of CHG-0001',
    ]);
  });

  it('reads no other change for problem links when no change under evaluation has one', () => {
    const given = facts({});
    const { changes } = given.workspace.estate;
    const other = changes.get('CHG-0001')!;
    let reads = 0;
    changes.set('CHG-0001', {
      ...other,
      get data() {
        reads++;
        return other.data;
      },
    });
    const outcome = evaluateCheck(given);
    expect(outcome.changes[0]!.problemLinks).toBeUndefined();
    expect(reads).toBe(0);
  });

  it('without a base evaluates the pending changes only', () => {
    const outcome = evaluateCheck(facts());
    expect(outcome.changes.map((change) => change.id)).toEqual(['CHG-0001']);
    expect(outcome.changes[0]!.impact.ids).toEqual(['payments-api', 'pg-payments']);
  });

  it('runs no rule on an unusable policy, and the CLI exits 2', async () => {
    const broken = scratch();
    try {
      write(broken, { ...estate, 'changeops.yaml': 'apiVersion: changeops/v1\nkind: Policy\n' });
      const outcome = evaluateCheck({ workspace: loadWorkspace(broken), now: NOW });
      expect(outcome.policyUsable).toBe(false);
      expect(outcome.findings.every((finding) => finding.rule === 'schema')).toBe(true);
      const run = await check(broken);
      expect(run.code).toBe(2);
      expect(run.out).toContain('changeops.yaml cannot be used, so no evaluation rule ran');
    } finally {
      remove(broken);
    }
  });
});

describe('the check command entry', () => {
  it('passes --json and --now through', async () => {
    const out: string[] = [];
    const code = await checkCommand.run(
      {
        values: { json: true, now: '2030-05-01T00:00:00Z' },
        positionals: [],
        dir,
      },
      { out: (text) => out.push(text), err: () => undefined },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: true, base: null });
  });

  it('refuses a --now that is not a date, in the words of every date option', () => {
    expect(() =>
      checkCommand.run(
        { values: { now: 'tomorrow' }, positionals: [], dir },
        { out: () => undefined, err: () => undefined },
      ),
    ).toThrow(
      new UsageError(
        '--now "tomorrow" is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z',
      ),
    );
  });
});
