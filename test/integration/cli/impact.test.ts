import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { ciText, makeWorkspace, removeWorkspaces } from '../../fixtures/estate.js';

/** `changeops impact` on workspaces written to a temporary folder, and on this repository. */
afterEach(removeWorkspaces);

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the CLI in-process and captures what it prints, one entry per printed line. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    // A loop, not push(...lines): 20,000 CIs print more lines than a call has room for arguments.
    out: (text) => text.split('\n').forEach((line) => out.push(line)),
    err: (text) => text.split('\n').forEach((line) => err.push(line)),
  });
  return { code, out, err };
}

const policy = `apiVersion: changeops/v1
kind: Policy
id: test
impactByCriticality: { 1: high, 2: medium, 3: low, 4: low }
`;

function ci(id: string, lines: string): string {
  return `apiVersion: changeops/v1
kind: ConfigurationItem
id: ${id}
class: service
owner: "@acme/ops"
${lines}`;
}

function change(cis: string): string {
  return `apiVersion: changeops/v1
kind: Change
id: CHG-0042
title: Upgrade the payments database
type: normal
status: proposed
requester: octocat
cis: [${cis}]
`;
}

/** CHG-0042 naming a CI the CMDB lacks too: an integrity error. */
const withGhost = { 'changes/CHG-0042-upgrade-pg.yaml': change('pg-payments, ghost-ci') };

/** The payments estate: a database, the API on it, the shop it is part of, two more readers. */
function estate(extra: Record<string, string> = {}): string {
  return makeWorkspace(
    {
      'changeops.yaml': policy,
      'cmdb/online-shop.yaml': ci(
        'online-shop',
        'name: Online Shop\ncriticality: 1\nenvironment: production\n',
      ),
      'cmdb/payments-api.yaml': ci(
        'payments-api',
        'name: Payments API\ncriticality: 1\nenvironment: production\ndependsOn: [pg-payments]\npartOf: [online-shop]\n',
      ),
      'cmdb/pg-payments.yaml': ci(
        'pg-payments',
        'name: Payments DB\ncriticality: 2\nenvironment: production\n',
      ),
      'cmdb/reporting.yaml': ci(
        'reporting',
        'name: Reporting\ncriticality: 3\nenvironment: staging\ndependsOn: [pg-payments]\n',
      ),
      'cmdb/ledger.yaml': ci(
        'ledger',
        'name: Ledger export\ncriticality: 4\ndependsOn: [pg-payments]\n',
      ),
      'changes/CHG-0042-upgrade-pg.yaml': change('pg-payments'),
      ...extra,
    },
    false,
  );
}

const table = [
  'Impact of pg-payments: 5 CIs',
  'ID            DEPTH  CRIT  VIA',
  'pg-payments   0      2     pg-payments',
  'ledger        1      4     pg-payments > ledger',
  'payments-api  1      1     pg-payments > payments-api',
  'reporting     1      3     pg-payments > reporting',
  'online-shop   2      1     pg-payments > payments-api > online-shop',
];

const levels = [
  '',
  'Impact level: high, set by payments-api (criticality 1, via pg-payments > payments-api)',
  'By environment:',
  '  production  high  payments-api (criticality 1)',
  '  staging     low   reporting (criticality 3)',
  '  (none)      low   ledger (criticality 4)',
];

describe('changeops impact, text', () => {
  it('lists the CIs a change to a CI impacts, why, and the levels per environment', async () => {
    const { code, out, err } = await run('impact', 'pg-payments', '--dir', estate());
    expect(out).toEqual([
      'pg-payments  Payments DB (service, criticality 2, production)',
      ...table,
      ...levels,
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });

  it("shows a change's impact from the CIs it names, and the ones the CMDB lacks", async () => {
    // The unknown CI is an integrity error: the impact still shows, with a note, and exit 0.
    const { code, out, err } = await run('impact', 'CHG-0042', '--dir', estate(withGhost));
    expect(out).toEqual([
      'CHG-0042  Upgrade the payments database (normal change, proposed)',
      ...table,
      'Not in the CMDB: ghost-ci',
      ...levels,
    ]);
    expect(err).toEqual([
      'note: the records have 1 error, so the impact may be incomplete (run changeops validate)',
    ]);
    expect(code).toBe(0);
  });

  it('draws the explanation as a tree with --format tree', async () => {
    const { code, out } = await run('impact', 'pg-payments', '--format', 'tree', '--dir', estate());
    expect(out).toEqual([
      'pg-payments  Payments DB (service, criticality 2, production)',
      'pg-payments (Payments DB)',
      '├── is depended on by ledger (Ledger export)',
      '├── is depended on by payments-api (Payments API) [critical]',
      '│   └── is part of online-shop (Online Shop) [critical]',
      '└── is depended on by reporting (Reporting)',
      '',
      '5 CIs',
      ...levels,
    ]);
    expect(code).toBe(0);
  });

  it('prints a bare mermaid graph with --format mermaid, ready for a ```mermaid fence', async () => {
    const { code, out } = await run(
      'impact',
      'online-shop',
      '--format',
      'mermaid',
      '--dir',
      estate(),
    );
    expect(out).toEqual([
      'graph LR',
      '  n0(["online-shop<br/>Online Shop<br/>critical"])',
      '  classDef start stroke-width:3px,stroke:#0969da',
      '  classDef critical fill:#ffebe9,stroke:#cf222e,color:#82071e',
      '  class n0 start',
      '  class n0 critical',
    ]);
    expect(code).toBe(0);
  });
});

describe('changeops impact --json', () => {
  it('prints the subject, every impacted CI with its path, the level and the environments', async () => {
    const { code, out, err } = await run('impact', 'pg-payments', '--json', '--dir', estate());
    expect(JSON.parse(out.join('\n'))).toEqual({
      ok: true,
      at: null,
      subject: {
        kind: 'ci',
        id: 'pg-payments',
        name: 'Payments DB',
        class: 'service',
        criticality: 2,
        environment: 'production',
      },
      impacted: [
        {
          id: 'pg-payments',
          name: 'Payments DB',
          depth: 0,
          via: ['pg-payments'],
          through: null,
          relation: 'direct',
          criticality: 2,
          environment: 'production',
        },
        {
          id: 'ledger',
          name: 'Ledger export',
          depth: 1,
          via: ['pg-payments', 'ledger'],
          through: 'pg-payments',
          relation: 'dependsOn',
          criticality: 4,
          environment: null,
        },
        {
          id: 'payments-api',
          name: 'Payments API',
          depth: 1,
          via: ['pg-payments', 'payments-api'],
          through: 'pg-payments',
          relation: 'dependsOn',
          criticality: 1,
          environment: 'production',
        },
        {
          id: 'reporting',
          name: 'Reporting',
          depth: 1,
          via: ['pg-payments', 'reporting'],
          through: 'pg-payments',
          relation: 'dependsOn',
          criticality: 3,
          environment: 'staging',
        },
        {
          id: 'online-shop',
          name: 'Online Shop',
          depth: 2,
          via: ['pg-payments', 'payments-api', 'online-shop'],
          through: 'payments-api',
          relation: 'partOf',
          criticality: 1,
          environment: 'production',
        },
      ],
      level: 'high',
      mostCritical: { id: 'payments-api', criticality: 1, via: ['pg-payments', 'payments-api'] },
      environments: [
        { environment: 'production', level: 'high', mostCritical: 'payments-api', criticality: 1 },
        { environment: 'staging', level: 'low', mostCritical: 'reporting', criticality: 3 },
        { environment: null, level: 'low', mostCritical: 'ledger', criticality: 4 },
      ],
      unknown: [],
      recordErrors: 0,
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });

  it('describes a change as the subject and lists the ids the CMDB lacks', async () => {
    const { code, out, err } = await run(
      'impact',
      'CHG-0042',
      '--json',
      '--dir',
      estate(withGhost),
    );
    const json = JSON.parse(out.join('\n'));
    expect(json.subject).toEqual({
      kind: 'change',
      id: 'CHG-0042',
      title: 'Upgrade the payments database',
      type: 'normal',
      status: 'proposed',
      cis: ['pg-payments', 'ghost-ci'],
      problemLinks: [],
    });
    expect(json.unknown).toEqual(['ghost-ci']);
    expect(json.recordErrors).toBe(1);
    // The note is on stderr, so stdout stays parseable JSON.
    expect(err).toHaveLength(1);
    expect(code).toBe(0);
  });

  it('says the level is low when a change reaches no CI of the CMDB', async () => {
    const root = estate({
      'changes/CHG-0050-ghost.yaml': `apiVersion: changeops/v1
kind: Change
id: CHG-0050
title: Touch a ghost
type: normal
status: draft
requester: octocat
cis: [ghost-ci]
`,
    });
    const { code, out } = await run('impact', 'CHG-0050', '--dir', root);
    expect(out).toEqual([
      'CHG-0050  Touch a ghost (normal change, draft)',
      'No CI of the CMDB is impacted.',
      'Not in the CMDB: ghost-ci',
      '',
      'Impact level: low (no CI of the CMDB is reached)',
    ]);
    expect(code).toBe(0);
  });
});

describe('changeops impact, usage errors', () => {
  it.each([
    [
      'pg-paymnts',
      'changeops impact: "pg-paymnts" is neither a CI of the CMDB nor a change; did you mean "pg-payments"?',
    ],
    ['CHG-042', 'changeops impact: "CHG-042" is not a known change; did you mean "CHG-0042"?'],
    ['CHG-9999', 'changeops impact: "CHG-9999" is not a known change'],
    [
      'nothing-like-it',
      'changeops impact: "nothing-like-it" is neither a CI of the CMDB nor a change',
    ],
  ])('exits 2 for the unknown id %s, with the closest known id', async (id, message) => {
    const { code, out, err } = await run('impact', id, '--dir', estate());
    expect(err).toEqual([message]);
    expect(out).toEqual([]);
    expect(code).toBe(2);
  });

  it('says a release id is not something impact takes', async () => {
    const root = estate({
      'changes/REL-2027.02-tuning.yaml': `apiVersion: changeops/v1
kind: Release
id: REL-2027.02
title: Tuning
version: "1.0.0"
type: minor
status: planned
changes: [CHG-0042]
`,
    });
    const { code, err } = await run('impact', 'REL-2027.02', '--dir', root);
    expect(err).toEqual([
      'changeops impact: "REL-2027.02" is a release; give a CI id or a change id (CHG-...)',
    ]);
    expect(code).toBe(2);
  });

  it.each([
    [[], 'changeops impact: give a CI id or a change id (CHG-...)'],
    [['a', 'b'], 'changeops impact: give one id, not 2: a b'],
    [['a', '--format', 'dot'], 'changeops impact: --format is "dot"; use text, tree or mermaid'],
    [
      ['a', '--format', 'tree', '--json'],
      'changeops impact: --json and --format exclude each other; give one of them',
    ],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const { code, out, err } = await run('impact', ...args, '--dir', estate());
    expect(err[0]).toBe(message);
    if (args.includes('--json')) {
      // A script gets the error as JSON on stdout, and no usage text to skip.
      expect(JSON.parse(out.join('\n'))).toEqual({
        ok: false,
        error: { code: 'usage', message: message.replace('changeops impact: ', '') },
      });
      expect(err).toHaveLength(1);
    } else {
      expect(err).toContain(
        'Usage: changeops impact <ci-id | change-id> [--at REF] [--format text|tree|mermaid] [--dir DIR] [--json]',
      );
      expect(out).toEqual([]);
    }
    expect(code).toBe(2);
  });

  it('documents the bare mermaid output in --help', async () => {
    const { code, out } = await run('impact', '--help');
    expect(out.join('\n')).toContain('bare (starting with "graph LR", no fence)');
    expect(code).toBe(0);
  });
});

describe('changeops impact --json on a 20,000-CI chain', () => {
  it('stays linear: each CI with its depth, the CI before it, and its path shortened', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) =>
      ciText(`ci-${i}`, i === 0 ? '' : `dependsOn: [ci-${i - 1}]\n`),
    );
    const dir = makeWorkspace(
      Object.fromEntries(
        Array.from({ length: 4 }, (_, f) => [
          `cmdb/chain-${f}.yaml`,
          text.slice(f * 5_000, (f + 1) * 5_000).join('---\n'),
        ]),
      ),
      false,
    );
    const { code, out, err } = await run('impact', 'ci-0', '--json', '--dir', dir);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const printed = out.join('\n');
    expect(printed.length).toBeLessThan(20_000 * 400);
    const json = JSON.parse(printed) as { impacted: Array<Record<string, unknown>> };
    expect(json.impacted).toHaveLength(20_000);
    expect(json.impacted[1]).toMatchObject({
      id: 'ci-1',
      depth: 1,
      through: 'ci-0',
      via: ['ci-0', 'ci-1'],
    });
    expect(json.impacted.at(-1)).toMatchObject({
      id: 'ci-19999',
      depth: 19_999,
      through: 'ci-19998',
      via: ['ci-0', 'ci-1', '…', 'ci-19998', 'ci-19999'],
    });
  });
});

describe('changeops impact on this repository', () => {
  it('finds payments-api and the shop behind the payments database', async () => {
    const { code, out } = await run('impact', 'pg-payments', '--json', '--dir', repoRoot);
    const json = JSON.parse(out.join('\n'));
    const byId = new Map(
      (json.impacted as Array<{ id: string; via: string[]; depth: number }>).map((ci) => [
        ci.id,
        ci,
      ]),
    );
    expect(byId.get('payments-api')).toMatchObject({
      depth: 1,
      via: ['pg-payments', 'payments-api'],
      relation: 'dependsOn',
    });
    expect(byId.get('online-shop')?.via).toEqual(['pg-payments', 'payments-api', 'online-shop']);
    expect(json.level).toBe('high');
    expect(json.subject).toMatchObject({ kind: 'ci', id: 'pg-payments', criticality: 1 });
    expect(code).toBe(0);
  });

  it('works out the impact of CHG-0007 from the two CIs it names', async () => {
    const { code, out } = await run('impact', 'CHG-0007', '--dir', repoRoot);
    expect(out[0]).toMatch(/^CHG-0007 {2}.+ \(normal change, \w+\)$/);
    expect(out[1]).toMatch(/^Impact of payments-api, pg-payments: \d+ CIs$/);
    expect(out).toContain('Impact level: high, set by payments-api (criticality 1)');
    expect(code).toBe(0);
  });
});
