import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import {
  changeText,
  ciText,
  fixtureText,
  makeWorkspace,
  removeWorkspaces,
} from '../../fixtures/estate.js';

/**
 * Nothing passes silently: a --dir with nothing changeops reads, YAML records where changeops
 * does not read them, a policy that cannot be used and no policy at all each say so, in every
 * command that reads records.
 */
afterEach(removeWorkspaces);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (text) => out.push(...text.split('\n')),
    err: (text) => err.push(...text.split('\n')),
  });
  return { code, out, err };
}

const policy = 'apiVersion: changeops/v1\nkind: Policy\nid: acme\n';

describe('a --dir that holds nothing changeops reads', () => {
  it.each([['validate'], ['check'], ['impact', 'web'], ['schedule']])(
    'is a usage error for %s: exit 2 and "is --dir right?"',
    async (...command) => {
      const root = makeWorkspace(
        { 'README.md': '# docs\n', 'src/main.go': 'package main\n' },
        false,
      );
      const { code, out, err } = await run(...command, '--dir', root);
      expect(err).toEqual([
        `changeops ${command[0]}: ${root} holds no changeops.yaml, changes/ or cmdb/: is --dir right?`,
      ]);
      expect(out).toEqual([]);
      expect(code).toBe(2);
    },
  );

  it('names what it found there that changeops does not read', async () => {
    const root = makeWorkspace(
      {
        'Changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
        'CMDB/web.yaml': ciText('web'),
        'web.yaml': ciText('web'),
      },
      false,
    );
    const { code, err } = await run('validate', '--dir', root);
    expect(err).toEqual([
      `changeops validate: ${root} holds no changeops.yaml, changes/ or cmdb/ (only CMDB/, Changes/ and web.yaml, which changeops does not read): is --dir right?`,
    ]);
    expect(code).toBe(2);
  });
});

describe('YAML records where changeops does not read them', () => {
  const estate = () =>
    makeWorkspace(
      {
        'changeops.yaml': policy,
        'cmdb/web.yaml': ciText('web'),
        'Changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
        'Changes/more/CHG-0002-restart.yaml': changeText('CHG-0002', '[web]'),
        'change/CHG-0003-restart.yaml': changeText('CHG-0003', '[web]'),
        'CHG-0004-restart.yaml': changeText('CHG-0004', '[web]'),
        'changeops-next.yaml': policy,
        // Not near misses: a deliberate copy, a folder with no YAML, YAML that is no record.
        'cmdb-old/web.yaml': ciText('web'),
        'chnages/README.md': 'typo, but no YAML\n',
        'docker-compose.yml': 'services: {}\n',
      },
      false,
    );

  const warnings = [
    'CHG-0004-restart.yaml:1:1: warning: this file looks like a Change record, but changeops reads records only under changes/ and cmdb/; move it to changes/ [layout]',
    'Changes/CHG-0001-restart.yaml:1:1: warning: Changes/ is not a record folder, so changeops does not read the 2 YAML files in it: records go under changes/ and cmdb/, spelt exactly so; if these are records, move them to changes/ [layout]',
    'change/CHG-0003-restart.yaml:1:1: warning: change/ is not a record folder, so changeops does not read the 1 YAML file in it: records go under changes/ and cmdb/, spelt exactly so; if these are records, move them to changes/ [layout]',
    'changeops-next.yaml:1:1: warning: this file looks like a Policy, but the policy in force is changeops.yaml; changeops does not read this one [layout]',
  ];

  it('warns about each folder and file by name in validate, and validates the rest', async () => {
    const { code, out } = await run('validate', '--dir', estate());
    expect(out).toEqual([...warnings, '✓ 1 record in 2 files: valid (4 warnings)']);
    expect(code).toBe(0);
  });

  it('lists the same warnings in check', async () => {
    const { out } = await run('check', '--dir', estate());
    expect(out.filter((line) => line.includes('[layout]'))).toEqual(
      warnings.map((line) => `  ${line}`),
    );
  });

  it.each([['schedule'], ['impact', 'web']])(
    'notes them on stderr in %s, which prints no findings',
    async (...command) => {
      const { err } = await run(...command, '--dir', estate());
      expect(err).toEqual(warnings.map((line) => `note: ${line}`));
    },
  );
});

describe('"did you mean" in impact', () => {
  it('never offers an invalid id, and still offers a valid one', async () => {
    const root = makeWorkspace(
      {
        'changeops.yaml': policy,
        'cmdb/orders.yaml': ciText('Orders_API'),
        'cmdb/web.yaml': ciText('web-api'),
      },
      false,
    );
    expect((await run('impact', 'orders-api', '--dir', root)).err).toEqual([
      'changeops impact: "orders-api" is neither a CI of the CMDB nor a change',
    ]);
    expect((await run('impact', 'web-apj', '--dir', root)).err).toEqual([
      'changeops impact: "web-apj" is neither a CI of the CMDB nor a change; did you mean "web-api"?',
    ]);
  });
});

describe('the survey of the root, on hostile names', () => {
  it('never prints a root name that could pass for a workflow command at the start of a line', async () => {
    const root = makeWorkspace(
      {
        'changeops.yaml': policy,
        '::warning::pwned.yaml': changeText('CHG-0001', '[web]'),
        '::cmdb/web.yaml': ciText('web'),
      },
      false,
    );
    const { code, out } = await run('validate', '--dir', root);
    expect(out).toEqual(['✓ 0 records in 1 file: valid']);
    expect(code).toBe(0);
  });
});

describe('no changeops.yaml', () => {
  const notice =
    "changeops.yaml:1:1: notice: there is no changeops.yaml, so the default policy is in force: normal and emergency changes need one approval from the owners of the CIs they touch, normal changes 48 hours' lead time, there are no boards, templates, maintenance windows or freezes, and every evaluation rule runs at its default severity; add changeops.yaml to set your own [policy]";

  it('says in check that the default policy is in force', async () => {
    const root = makeWorkspace({ 'cmdb/web.yaml': ciText('web') }, false);
    const { code, out } = await run('check', '--dir', root);
    expect(out).toContain(`  ${notice}`);
    expect(out.at(-1)).toBe('✓ 0 changes and 0 releases evaluated: 0 errors, 1 notice');
    expect(code).toBe(0);
  });

  it('carries the notice in --json, among the findings on no record', async () => {
    const root = makeWorkspace({ 'cmdb/web.yaml': ciText('web') }, false);
    const { out } = await run('check', '--json', '--dir', root);
    expect(JSON.parse(out.join('\n')).repository).toMatchObject([
      { file: 'changeops.yaml', severity: 'notice', rule: 'policy' },
    ]);
  });
});

describe('one bad entry in the policy', () => {
  // A typo in freezes used to make the whole policy fall back to the defaults, whose empty
  // templates then reported the standard change's template as unknown.
  it('is reported at its line, with no follow-on finding from the defaults, and exits 2', async () => {
    const text = fixtureText('changeops.yaml').replace(
      '    end: 2027-01-04T06:00:00Z',
      '    ende: 2027-01-04T06:00:00Z',
    );
    const root = makeWorkspace({
      'changeops.yaml': text,
      'changes/CHG-0043-restart.yaml': changeText(
        'CHG-0043',
        '[payments-api]',
        'template: std-restart-pod\n',
      ).replace('type: normal', 'type: standard'),
    });
    for (const command of ['validate', 'check']) {
      const { code, out } = await run(command, '--dir', root);
      const findings = out.filter((line) => /: (error|warning|notice): /.test(line));
      expect(findings.map((line) => line.trim())).toEqual([
        'changeops.yaml:38:5: error: "freezes[0]" is missing the required field "end": when the freeze ends [schema]',
        'changeops.yaml:40:5: error: "freezes[0]" has no field "ende"; did you mean "end"? [schema]',
      ]);
      expect(code).toBe(2);
    }
  });

  it('is reported by validate just as check reports it: rules, parameters, zones, freezes', async () => {
    const text = `${policy}windows:
  - {name: Nights, days: [monday], from: "22:00", to: "02:00", timezone: Europe/Berln}
freezes:
  - {name: Year end, start: 2027-01-04T06:00:00Z, end: 2026-12-18T00:00:00Z}
rules:
  rouge-change: error
  required-content: {minLenght: 40}
  collision: {scope: everything}
`;
    const root = makeWorkspace({ 'changeops.yaml': text, 'cmdb/web.yaml': ciText('web') }, false);
    const validate = await run('validate', '--dir', root);
    const check = await run('check', '--dir', root);
    const policyLines = (lines: string[]) =>
      lines.map((line) => line.trim()).filter((line) => line.startsWith('changeops.yaml:'));
    expect(policyLines(validate.out)).toEqual([
      'changeops.yaml:5:27: error: "windows[0].days[0]" is "monday", which is not one of: mon, tue, wed, thu, fri, sat, sun; did you mean "mon"? [schema]',
      'changeops.yaml:9:3: error: "rules" has no rule "rouge-change"; did you mean "rogue-change"? [schema]',
      'changeops.yaml:10:22: error: "rules.required-content" has no parameter "minLenght"; did you mean "minLength"? [schema]',
      'changeops.yaml:11:22: error: "rules.collision.scope" is "everything", which is not one of: impacted, direct [schema]',
    ]);
    expect(policyLines(check.out)).toEqual(policyLines(validate.out));
    expect([validate.code, check.code]).toEqual([2, 2]);

    // With the schema errors fixed, the checks beyond the schema speak, in both commands.
    const fixed = text
      .replace('[monday]', '[mon]')
      .replace('rouge-change', 'rogue-change')
      .replace('minLenght', 'minLength')
      .replace('everything', 'direct');
    const next = makeWorkspace({ 'changeops.yaml': fixed, 'cmdb/web.yaml': ciText('web') }, false);
    const beyond = [
      'changeops.yaml:5:71: error: windows[0].timezone of the window "Nights" is "Europe/Berln", which is not an IANA time zone such as UTC or Europe/Berlin; did you mean "Europe/Berlin"? [policy]',
      'changeops.yaml:7:56: error: freezes[0].end (2026-12-18T00:00:00Z) of the freeze "Year end" is before its start (2027-01-04T06:00:00Z); a freeze must end after it starts: swap the dates, or fix the one that is wrong [policy]',
    ];
    expect(policyLines((await run('validate', '--dir', next)).out)).toEqual(beyond);
    expect(policyLines((await run('check', '--dir', next)).out)).toEqual(beyond);
  });
});

describe('a standard change', () => {
  it('must assess its risk: leaving risk out fails like an honest high impact does', async () => {
    const standard = (id: string, risk: string) =>
      changeText(id, '[payments-api]', `template: std-restart-pod\n${risk}`)
        .replace('type: normal', 'type: standard')
        .replace('status: draft', 'status: proposed')
        .concat(
          'reason: The pods leak memory until the fix ships next week.\n',
          'schedule: {start: 2026-12-08T09:00:00Z, end: 2026-12-08T09:30:00Z}\n',
        );
    const root = makeWorkspace({
      'changes/CHG-0043-restart.yaml': standard('CHG-0043', ''),
      'changes/CHG-0044-restart.yaml': standard(
        'CHG-0044',
        'risk: {likelihood: high, impact: high}\n',
      ),
    });
    const { code, out } = await run('check', '--now', '2026-12-01T09:00:00Z', '--dir', root);
    const errors = out.filter((line) => line.includes(': error: ')).map((line) => line.trim());
    expect(errors).toContain(
      "changes/CHG-0043-restart.yaml:1:1: error: risk is missing: a standard change needs an assessed risk, such as risk: {likelihood: medium, impact: high} (each low, medium or high); its level must be within the template's maxRisk, or the change is a normal one [risk-assessed]",
    );
    expect(errors.some((line) => line.startsWith('changes/CHG-0044-restart.yaml'))).toBe(true);
    expect(code).toBe(1);
  });
});
