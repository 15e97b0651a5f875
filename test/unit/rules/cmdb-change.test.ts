import { describe, expect, it } from 'vitest';
import { cmdbChangeRule } from '../../../src/rules/cmdb-change.js';
import { changeYaml, ciYaml, files, run, seen, type Seen } from '../../fixtures/estate.js';

const api = ciYaml('payments-api', { criticality: 1, environment: 'production' });
const warning = (id: string, field: string | undefined, message: string): Seen => ({
  id,
  ...(field === undefined ? {} : { field }),
  severity: 'warning',
  message,
});

describe('cmdb-change: a CMDB edit is a change too', () => {
  it.each<{
    name: string;
    head: string[];
    base: string[];
    added?: string[];
    expected: Seen[];
  }>([
    {
      name: 'reports a CI the branch lowers without a change that names it',
      head: [ciYaml('payments-api', { criticality: 4, environment: 'staging' })],
      base: [api],
      expected: [
        warning(
          'payments-api',
          'criticality',
          'a CMDB edit is a change too: this branch edits payments-api in the CMDB (criticality and environment), but this branch carries no change record; add a change that names payments-api in its cis',
        ),
      ],
    },
    {
      name: 'reports a CI the branch adds, at its id',
      head: [api, ciYaml('cache')],
      base: [api],
      added: ['cmdb/cache.yaml'],
      expected: [
        warning(
          'cache',
          'id',
          'a CMDB edit is a change too: this branch adds cache to the CMDB, but this branch carries no change record; add a change that names cache in its cis',
        ),
      ],
    },
    {
      name: 'reports a CI the branch removes, and a draft does not cover it',
      head: [changeYaml('CHG-0001', { status: 'draft', cis: ['payments-api'] })],
      base: [api],
      expected: [
        warning(
          'payments-api',
          undefined,
          'a CMDB edit is a change too: this branch removes payments-api from the CMDB, but this branch adds or edits no proposed or approved change that names payments-api (CHG-0001 is a draft, and only a proposed or approved change that the branch adds or edits counts); add a change that names payments-api in its cis',
        ),
      ],
    },
    {
      name: 'passes an edit that a proposed change of the branch names',
      head: [
        ciYaml('payments-api', { criticality: 2, environment: 'production' }),
        changeYaml('CHG-0001', { cis: ['payments-api'] }),
      ],
      base: [api],
      expected: [],
    },
    {
      name: 'names the changes that do not cover the edit',
      head: [
        ciYaml('payments-api', { criticality: 2, environment: 'production' }),
        changeYaml('CHG-0001', { cis: ['pg-payments'] }),
      ],
      base: [api],
      expected: [
        warning(
          'payments-api',
          'criticality',
          'a CMDB edit is a change too: this branch edits payments-api in the CMDB (criticality), but no change of this branch (CHG-0001) names payments-api in its cis; add payments-api to the cis of the change that covers this edit, or add a change for it',
        ),
      ],
    },
    {
      name: 'takes a file that changed only in comments and layout as no edit',
      head: [`# Reviewed.\n${api.replace('criticality: 1', 'criticality:   1')}`],
      base: [api],
      expected: [],
    },
  ])('$name', ({ head, base, added, expected }) => {
    expect(
      seen(cmdbChangeRule, {
        files: files(...head),
        base: files(...base),
        ...(added ? { changedPaths: added } : {}),
      }),
    ).toEqual(expected);
  });

  it('is raised to an error by the policy in force', () => {
    const [finding] = run(cmdbChangeRule, {
      policy: 'apiVersion: changeops/v1\nkind: Policy\nid: t\nrules:\n  cmdb-change: error\n',
      files: files(ciYaml('payments-api', { criticality: 4 })),
      base: files(api),
    });
    expect(finding).toMatchObject({ file: 'cmdb/payments-api.yaml', severity: 'error' });
  });

  it('says nothing without a base', () => {
    expect(seen(cmdbChangeRule, { files: files(api) })).toEqual([]);
  });
});
