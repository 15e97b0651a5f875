import { describe, expect, it } from 'vitest';
import { isRecordPath } from '../../../src/records/layout.js';
import { rogueChangeRule } from '../../../src/rules/rogue-change.js';
import { cmdbUnion } from '../../../src/impact/cmdb-union.js';
import type { RuleContext } from '../../../src/rules/rule.js';
import { evaluate } from '../../../src/rules/rule.js';
import {
  changeYaml,
  ciYaml,
  crossContext,
  files,
  run,
  seen,
  type Seen,
} from '../../fixtures/estate.js';

const payments = ciYaml('payments-api', {
  paths: ['services/payments/**', 'deploy/payments.yaml'],
});
const checkout = ciYaml('checkout-api', { paths: ['services/checkout/**'] });
const warning = (id: string, field: string, message: string): Seen => ({
  id,
  field,
  severity: 'warning',
  message,
});

describe('rogue-change', () => {
  const cases: Array<{
    name: string;
    records?: string[];
    changedPaths: string[];
    evaluate?: string[];
    expected: Seen[];
  }> = [
    {
      name: 'reports code of a CI changed in a branch without any change record',
      changedPaths: ['services/payments/api.ts'],
      evaluate: [],
      expected: [
        warning(
          'payments-api',
          'paths[0]',
          'code of payments-api changed (services/payments/api.ts), but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one)',
        ),
      ],
    },
    {
      name: 'passes code covered by a change of the branch that names the CI',
      records: [changeYaml('CHG-0001', { cis: ['payments-api'] })],
      changedPaths: ['services/payments/api.ts', 'changes/CHG-0001.yaml'],
      expected: [],
    },
    {
      name: 'names the changes of the branch when none of them names the CI',
      records: [changeYaml('CHG-0001', { cis: ['checkout-api'] })],
      changedPaths: [
        'services/checkout/cart.ts',
        'services/payments/a.ts',
        'services/payments/b.ts',
        'deploy/payments.yaml',
        'services/payments/c.ts',
      ],
      expected: [
        warning(
          'payments-api',
          'paths[0]',
          'code of payments-api changed (deploy/payments.yaml, services/payments/a.ts, services/payments/b.ts and 1 more), but no change of this branch (CHG-0001) names payments-api in its cis; add payments-api to the cis of the change that covers this code, or add a change for it (changeops new --cis payments-api writes one)',
        ),
      ],
    },
    {
      name: 'points at the glob that matched',
      changedPaths: ['deploy/payments.yaml'],
      evaluate: [],
      expected: [
        warning(
          'payments-api',
          'paths[1]',
          'code of payments-api changed (deploy/payments.yaml), but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one)',
        ),
      ],
    },
    {
      name: 'does not count a change of the estate that the branch does not touch',
      records: [changeYaml('CHG-0001', { cis: ['payments-api'] })],
      changedPaths: ['services/payments/api.ts'],
      evaluate: [],
      expected: [
        warning(
          'payments-api',
          'paths[0]',
          'code of payments-api changed (services/payments/api.ts), but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one)',
        ),
      ],
    },
    ...(['cancelled', 'draft', 'implemented'] as const).map((status) => ({
      name: `does not count a ${status} change as cover`,
      records: [changeYaml('CHG-0001', { cis: ['payments-api'], status })],
      changedPaths: ['services/payments/api.ts'],
      expected: [
        warning(
          'payments-api',
          'paths[0]',
          `code of payments-api changed (services/payments/api.ts), but this branch adds or edits no proposed or approved change that names payments-api (CHG-0001 is ${status === 'draft' ? 'a draft' : status}, and only a proposed or approved change that the branch adds or edits counts); add a change that names payments-api in its cis (changeops new --cis payments-api writes one)`,
        ),
      ],
    })),
    {
      name: 'ignores record files and the policy',
      records: [ciYaml('records', { paths: ['**'] })],
      changedPaths: ['changes/CHG-0001.yaml', 'cmdb/apps/x.yml', 'changeops.yaml'],
      evaluate: [],
      expected: [],
    },
    {
      name: 'ignores code under no CI',
      changedPaths: ['README.md', 'services/search/index.ts'],
      evaluate: [],
      expected: [],
    },
    {
      name: 'matches dotfiles, literal directories, root globs and braces',
      records: [
        ciYaml('a-dot', { paths: ['services/a/**'] }),
        ciYaml('b-dir', { paths: ['./services/b/'] }),
        ciYaml('c-root', { paths: ['**/*.tf'] }),
        ciYaml('d-brace', { paths: ['services/{d,e}/*.go'] }),
      ],
      changedPaths: [
        'services/a/.env',
        'services/b/deep/file.py',
        'infra/net/main.tf',
        'services/e/main.go',
        'services/e/sub/main.go',
      ],
      evaluate: [],
      expected: ['a-dot', 'b-dir', 'c-root', 'd-brace'].map((id) =>
        expect.objectContaining({ id }),
      ),
    },
    {
      name: 'leaves out paths a negated glob excludes',
      records: [ciYaml('docs', { paths: ['docs/**', '!docs/drafts/**'] })],
      changedPaths: ['docs/drafts/idea.md'],
      evaluate: [],
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ records, changedPaths, evaluate: chosen, expected }) => {
    expect(
      seen(rogueChangeRule, {
        files: files(payments, checkout, ...(records ?? [])),
        changedPaths,
        ...(chosen ? { evaluate: chosen } : {}),
      }),
    ).toEqual(expected);
  });

  it('counts a renamed file at both its old and new path (the use case passes both)', () => {
    expect(
      seen(rogueChangeRule, {
        files: files(payments, checkout, changeYaml('CHG-0001', { cis: ['checkout-api'] })),
        changedPaths: ['services/payments/old.ts', 'services/checkout/new.ts'],
      }).map((finding) => finding.id),
    ).toEqual(['payments-api']);
  });

  it('does not count a pending change whose data the branch leaves as it was', () => {
    const change = changeYaml('CHG-0001', { cis: ['payments-api'] });
    expect(
      seen(rogueChangeRule, {
        files: files(payments, `# Edited comment.\n${change}`),
        base: files(payments, change),
        changedPaths: ['services/payments/api.ts', 'changes/CHG-0001.yaml'],
      }).map((finding) => finding.message),
    ).toEqual([
      'code of payments-api changed (services/payments/api.ts), but this branch adds or edits no proposed or approved change that names payments-api (CHG-0001 changed only in comments or layout, and only a proposed or approved change that the branch adds or edits counts); add a change that names payments-api in its cis (changeops new --cis payments-api writes one)',
    ]);
  });

  it.each([
    ['deletes the glob', ciYaml('payments-api', { paths: undefined })],
    ['negates it', ciYaml('payments-api', { paths: ['services/payments/**', '!services/**'] })],
    ['moves it elsewhere', ciYaml('payments-api', { paths: ['elsewhere/**'] })],
  ])('takes the paths of the base when the branch %s', (_, edited) => {
    const [finding] = seen(rogueChangeRule, {
      files: files(edited, checkout),
      base: files(payments),
      changedPaths: ['services/payments/api.ts', 'cmdb/payments-api.yaml'],
      evaluate: [],
    });
    expect(finding?.message).toBe(
      'code of payments-api changed (services/payments/api.ts), which its paths at the base cover, but this branch carries no change record; add a change that names payments-api in its cis (changeops new --cis payments-api writes one)',
    );
  });

  it('takes the paths of the branch too: a glob it adds counts', () => {
    const moved = ciYaml('checkout-api', { paths: ['services/checkout/**', 'services/cart/**'] });
    expect(
      seen(rogueChangeRule, {
        files: files(payments, moved),
        base: files(checkout),
        changedPaths: ['services/cart/a.ts', 'cmdb/checkout-api.yaml'],
        evaluate: [],
      }).map((finding) => [finding.id, finding.field]),
    ).toEqual([['checkout-api', 'paths[1]']]);
  });

  it('says nothing without a base (no changed paths)', () => {
    expect(seen(rogueChangeRule, { files: files(payments), evaluate: [] })).toEqual([]);
  });

  it('is raised to an error by the policy', () => {
    const [finding] = run(rogueChangeRule, {
      policy: 'apiVersion: changeops/v1\nkind: Policy\nid: t\nrules:\n  rogue-change: error\n',
      files: files(payments),
      changedPaths: ['services/payments/api.ts'],
      evaluate: [],
    });
    expect(finding).toMatchObject({
      file: 'cmdb/payments-api.yaml',
      line: 9,
      column: 5,
      severity: 'error',
    });
  });

  it('tells record files from code', () => {
    expect(
      [
        'changes/CHG-1.yaml',
        'cmdb/a/b.yml',
        'changeops.yml',
        'changes/README.md',
        'x/cmdb/a.yaml',
      ].map(isRecordPath),
    ).toEqual([true, true, true, false, false]);
  });

  it('compiles only the globs that could match, for a large CMDB', () => {
    // 20,000 CIs: compiling every glob would take seconds; the prefix filter leaves two to compile.
    const { context: small } = crossContext({ files: files(payments) });
    const template = small.estate.cis.get('payments-api')!;
    const cis = new Map(small.estate.cis);
    for (let i = 0; i < 20_000; i++) {
      const id = `svc-${i}`;
      cis.set(id, {
        ...template,
        id,
        data: { ...template.data, id, paths: [`services/svc-${i}/**`, `deploy/svc-${i}/*.yaml`] },
      });
    }
    const estate = { ...small.estate, cis };
    const context: RuleContext = {
      ...small,
      estate,
      cmdb: cmdbUnion(estate),
      changes: [],
      changedPaths: ['services/svc-17/main.go', 'deploy/svc-19999/app.yaml', 'README.md'],
    };
    const found = evaluate([rogueChangeRule], context);
    expect(found.map((finding) => finding.id)).toEqual(['svc-17', 'svc-19999']);
  });
});
