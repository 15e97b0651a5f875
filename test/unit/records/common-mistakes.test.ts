import { describe, expect, it } from 'vitest';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { quoteReservedStarts } from '../../../src/records/yaml-mistakes.js';
import { fixtureText, replaceOnce, validSources, type RecordFile } from '../../fixtures/estate.js';

// The mistakes everyone makes in a record, each as one edit of the valid estate: the finding a
// change initiator reads (file:line:column and the sentence), and no follow-on finding anywhere
// else in the estate.

/** The valid estate with the edits applied, loaded; every finding as `file:line:col: message`. */
function findingsAfter(edits: Partial<Record<RecordFile | 'changeops.yaml', string>>): string[] {
  const policyText = edits['changeops.yaml'] ?? fixtureText('changeops.yaml');
  const policy = loadPolicy({ path: 'changeops.yaml', text: policyText });
  const files = validSources().map((file) => ({
    path: file.path,
    text: edits[file.path as RecordFile] ?? file.text,
  }));
  const result = loadRecords(policy, files);
  return result.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`);
}

const ci = 'cmdb/payments-api.yaml';
const change = 'changes/CHG-0042-upgrade-pg.yaml';
const release = 'changes/REL-2026.12-december.yaml';
const neighbours = 'cmdb/neighbours.yaml';

describe('values that start with @, unquoted', () => {
  const cases: Array<{ name: string; file: RecordFile; from: string; to: string; seen: string }> = [
    {
      name: 'an owner team',
      file: ci,
      from: 'owner: "@acme/payments"',
      to: 'owner: @acme/payments',
      seen: `${ci}:8:8: values that start with @ must be quoted: owner: "@acme/payments"`,
    },
    {
      name: 'an owner team followed by a comment',
      file: ci,
      from: 'owner: "@acme/payments"',
      to: 'owner: @acme/payments   # the payments squad',
      seen: `${ci}:8:8: values that start with @ must be quoted: owner: "@acme/payments"`,
    },
    {
      name: 'stakeholders in a flow list, one line for both',
      file: change,
      from: 'stakeholders: ["@acme/support", "@acme/payments"]',
      to: 'stakeholders: [@acme/support, @acme/payments]',
      seen: `${change}:9:16: values that start with @ must be quoted: stakeholders: ["@acme/support", "@acme/payments"]`,
    },
    {
      name: 'one stakeholder in a flow list beside a quoted one',
      file: change,
      from: 'stakeholders: ["@acme/support", "@acme/payments"]',
      to: 'stakeholders: ["@acme/support", @acme/payments]',
      seen: `${change}:9:33: values that start with @ must be quoted: stakeholders: ["@acme/support", "@acme/payments"]`,
    },
    {
      name: 'stakeholders in a block list',
      file: change,
      from: 'stakeholders: ["@acme/support", "@acme/payments"]',
      to: 'stakeholders:\n  - "@acme/support"\n  - @acme/payments',
      seen: `${change}:11:5: values that start with @ must be quoted: - "@acme/payments"`,
    },
    {
      name: 'the owner of the second CI of a file',
      file: neighbours,
      from: 'owner: "@acme/shop-owners"',
      to: 'owner: @acme/shop-owners',
      seen: `${neighbours}:17:8: values that start with @ must be quoted: owner: "@acme/shop-owners"`,
    },
    {
      name: 'a value that starts with a backtick',
      file: ci,
      from: 'name: Payments API',
      to: 'name: `Payments` API',
      seen: `${ci}:5:7: values that start with a backtick (\`) must be quoted: name: "\`Payments\` API"`,
    },
  ];

  it.each(cases)(
    'says to quote $name, at its line, and nothing else',
    ({ file, from, to, seen }) => {
      expect(findingsAfter({ [file]: replaceOnce(fixtureText(file), from, to) })).toEqual([seen]);
    },
  );

  it('gives one finding a line for each line, and the rest of the file still loads', () => {
    const text = replaceOnce(
      replaceOnce(fixtureText(ci), 'owner: "@acme/payments"', 'owner: @acme/payments'),
      'partOf: [online-shop]',
      'partOf: [online-shop]\nnotes: @later',
    );
    expect(findingsAfter({ [ci]: text })).toEqual([
      `${ci}:8:8: values that start with @ must be quoted: owner: "@acme/payments"`,
      `${ci}:13:8: values that start with @ must be quoted: notes: "@later"`,
      // The record loaded as if quoted, so its schema is checked as usual.
      `${ci}:13:1: a ConfigurationItem has no field "notes"; the fields are: apiVersion, kind, id, name, description, class, owner, criticality, environment, dependsOn, partOf, paths`,
    ]);
  });

  it('leaves an @ in a block scalar, in quotes and in a comment alone', () => {
    const text = replaceOnce(
      fixtureText(change),
      'reason: >-\n',
      'reason: |\n  @acme/support asked for it: key: @value\n# owner: @acme/nobody\ntitle2: "@quoted"\nreason2: >-\n',
    );
    const quoted = quoteReservedStarts(text);
    expect(quoted.found).toEqual([]);
    expect(quoted.text).toBe(text);
  });

  it('says the same in the policy, which it leaves unusable', () => {
    const policy = replaceOnce(fixtureText('changeops.yaml'), '"@acme/cab"', '@acme/cab');
    const found = loadPolicy({ path: 'changeops.yaml', text: policy });
    expect(found.usable).toBe(false);
    expect(found.findings.map((f) => `${f.line}:${f.column}: ${f.message}`)).toEqual([
      expect.stringMatching(/^\d+:\d+: values that start with @ must be quoted: .*"@acme\/cab"/),
    ]);
  });

  it('stays linear on a file of 20,000 unquoted owners', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `k${i}: @acme/t${i}`).join('\n');
    const started = performance.now();
    const quoted = quoteReservedStarts(text);
    expect(quoted.found).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('other mistakes everyone makes', () => {
  it('places a missing field of the second record of a file at that record, not at 1:1', () => {
    const text = replaceOnce(fixtureText(neighbours), 'name: Online shop\n', '');
    expect(findingsAfter({ [neighbours]: text })).toEqual([
      `${neighbours}:12:1: the ConfigurationItem record is missing the required field "name": the CI's human name`,
    ]);
  });

  it('places a missing field of a nested mapping at that mapping', () => {
    const text = replaceOnce(
      fixtureText(change),
      'risk: { likelihood: medium, impact: high }',
      'risk: { likelihood: medium }',
    );
    expect(findingsAfter({ [change]: text })).toEqual([
      `${change}:14:7: "risk" is missing the required field "impact": how bad a failure would be: low, medium or high`,
    ]);
  });

  it('says # starts a comment when problem: #123 left the value empty', () => {
    const text = replaceOnce(fixtureText(change), 'problem: "#123"', 'problem: #123');
    expect(findingsAfter({ [change]: text })).toEqual([
      `${change}:23:10: "problem" must be text, not empty: # starts a comment in YAML, so write problem: "#123"`,
    ]);
  });

  it('gives no comment hint for a real comment after an empty value', () => {
    const text = replaceOnce(fixtureText(change), 'problem: "#123"', 'problem: # to be filed');
    expect(findingsAfter({ [change]: text })).toEqual([
      `${change}:23:10: "problem" must be text, not empty`,
    ]);
  });

  it('says version: 1.10 once, with the line to write', () => {
    const text = replaceOnce(fixtureText(release), 'version: "2026.12.0"', 'version: 1.10');
    expect(findingsAfter({ [release]: text })).toEqual([
      `${release}:6:10: "version" must be text, not the number 1.1; put it in quotes so YAML keeps it as text: version: "1.10"`,
    ]);
  });

  it('says a tab indents the line, and to use spaces', () => {
    const text = replaceOnce(fixtureText(change), '  test: ', '\ttest: ');
    // A tab's width is a guess, so the file is not read as if repaired: its change is missing
    // for the release that names it (a finding after this one).
    expect(findingsAfter({ [change]: text })[0]).toBe(
      `${change}:19:1: the file is not valid YAML: a tab indents this line, and YAML indents with spaces only; replace the tab with spaces`,
    );
  });
});
