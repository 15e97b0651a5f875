import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/records/finding.js';
import { loadPolicy, loadRecords } from '../../../src/records/load.js';
import { SourceIndex } from '../../../src/records/locate.js';
import { changeText, ciText, releaseText } from '../../fixtures/estate.js';

/** Loads record files (path -> text) the way the workspace loader does: one shared index. */
function load(files: Record<string, string>, policy?: string) {
  const sources = new SourceIndex();
  const policyResult = loadPolicy(
    policy === undefined ? undefined : { path: 'changeops.yaml', text: policy },
    sources,
  );
  const list = Object.entries(files).map(([path, text]) => ({ path, text }));
  return loadRecords(policyResult, list, { sources });
}

/** Lines joined with newlines, ending in one: records written the way people write them. */
const lines = (...all: string[]) => `${all.join('\n')}\n`;

const policyWith = (...rest: string[]) =>
  lines('apiVersion: changeops/v1', 'kind: Policy', 'id: acme', ...rest);

describe('unique ids', () => {
  it('reports a second CI with the same id, naming where the first one is', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'cmdb/more.yaml': `${ciText('db')}---\n${ciText('web')}`,
    });
    expect(result.findings).toEqual([
      {
        file: 'cmdb/more.yaml',
        line: 11,
        column: 5,
        severity: 'error',
        rule: 'unique-id',
        message:
          'the ConfigurationItem id "web" is already used at cmdb/web.yaml:3; ids must be unique',
        field: 'id',
        kind: 'ConfigurationItem',
        id: 'web',
      },
    ]);
  });

  it('reports the same CI id twice in one file', () => {
    const result = load({ 'cmdb/web.yaml': `${ciText('web')}---\n${ciText('web')}` });
    expect(result.findings).toEqual([
      {
        file: 'cmdb/web.yaml',
        line: 11,
        column: 5,
        severity: 'error',
        rule: 'unique-id',
        message:
          'the ConfigurationItem id "web" is already used at cmdb/web.yaml:3; ids must be unique',
        field: 'id',
        kind: 'ConfigurationItem',
        id: 'web',
      },
    ]);
  });

  it('reports a Change id used by two change files', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
      'changes/CHG-0001-restart-again.yaml': changeText('CHG-0001', '[web]'),
    });
    expect(result.findings).toEqual([
      {
        file: 'changes/CHG-0001-restart-again.yaml',
        line: 3,
        column: 5,
        severity: 'error',
        rule: 'unique-id',
        message:
          'the Change id "CHG-0001" is already used at changes/CHG-0001-restart.yaml:3; ids must be unique',
        field: 'id',
        kind: 'Change',
        id: 'CHG-0001',
      },
    ]);
  });

  it('reports a Release id used by two release files', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
      'changes/REL-7-a.yaml': releaseText('REL-7', '[CHG-0001]'),
      'changes/REL-7-b.yaml': releaseText('REL-7', '[CHG-0001]'),
    });
    expect(result.findings).toEqual([
      {
        file: 'changes/REL-7-b.yaml',
        line: 3,
        column: 5,
        severity: 'error',
        rule: 'unique-id',
        message:
          'the Release id "REL-7" is already used at changes/REL-7-a.yaml:3; ids must be unique',
        field: 'id',
        kind: 'Release',
        id: 'REL-7',
      },
    ]);
  });

  it('keeps the first of two records with one id, so references to it still resolve', () => {
    const result = load({
      'cmdb/a.yaml': ciText('web'),
      'cmdb/b.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
    });
    expect(result.findings.map((f) => f.rule)).toEqual(['unique-id']);
    expect(result.estate.cis.get('web')?.source).toEqual({ file: 'cmdb/a.yaml', doc: 0 });
  });

  it('checks ids per kind: a CI that borrows a Change id does not clash with the Change', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'cmdb/odd.yaml': ciText('CHG-0001'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
    });
    // Only the CI's own id form is wrong; nothing says the id is taken.
    expect(result.findings.map((f) => [f.file, f.rule, f.field])).toEqual([
      ['cmdb/odd.yaml', 'schema', 'id'],
    ]);
    expect(result.estate.cis.has('CHG-0001')).toBe(true);
    expect(result.estate.changes.has('CHG-0001')).toBe(true);
  });

  it('lets a CI share its id with the policy', () => {
    const result = load({ 'cmdb/acme.yaml': ciText('acme') }, policyWith());
    expect(result.findings).toEqual([]);
  });
});

describe('file names of changes and releases', () => {
  const fileNameFinding = (file: string, kind: 'Change' | 'Release', id: string): Finding => ({
    file,
    line: 3,
    column: 5,
    severity: 'error',
    rule: 'file-name',
    message: `the file name "${file.slice(file.lastIndexOf('/') + 1)}" does not start with the ${kind} id "${id}"; name it like ${id}-short-title.yaml`,
    field: 'id',
    kind,
    id,
  });

  it('reports a change file whose name does not start with its id', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/upgrade-pg.yaml': changeText('CHG-0001', '[web]'),
    });
    expect(result.findings).toEqual([
      fileNameFinding('changes/upgrade-pg.yaml', 'Change', 'CHG-0001'),
    ]);
  });

  it('reports a release file whose name does not start with its id', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
      'changes/december.yaml': releaseText('REL-2026.12', '[CHG-0001]'),
    });
    expect(result.findings).toEqual([
      fileNameFinding('changes/december.yaml', 'Release', 'REL-2026.12'),
    ]);
  });

  it('reports a file named after a longer id that merely starts with the same digits', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-00011-restart.yaml': changeText('CHG-0001', '[web]'),
    });
    expect(result.findings).toEqual([
      fileNameFinding('changes/CHG-00011-restart.yaml', 'Change', 'CHG-0001'),
    ]);
  });

  it.each([
    'changes/CHG-0001.yaml',
    'changes/CHG-0001.yml',
    'changes/CHG-0001-restart-web.yaml',
    'changes/CHG-0001_restart.yaml',
    'changes/2026/q4/CHG-0001-restart.yaml',
  ])('accepts %s for CHG-0001', (path) => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      [path]: changeText('CHG-0001', '[web]'),
    });
    expect(result.findings).toEqual([]);
  });

  it('lets a CI file have any name', () => {
    const result = load({ 'cmdb/apps/the-web-thing.yaml': ciText('web') });
    expect(result.findings).toEqual([]);
  });
});

describe('references', () => {
  const reference = (
    file: string,
    at: [number, number],
    field: string,
    message: string,
    record: Pick<Finding, 'kind' | 'id'>,
  ): Finding => ({
    file,
    line: at[0],
    column: at[1],
    severity: 'error',
    rule: 'reference',
    message,
    field,
    ...record,
  });
  const web = { kind: 'ConfigurationItem', id: 'web' } as const;
  const chg = { kind: 'Change', id: 'CHG-0001' } as const;

  it('reports a misspelt dependsOn with a did-you-mean', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web', 'dependsOn: [pg-paymnets]\n'),
      'cmdb/pg.yaml': ciText('pg-payments'),
    });
    expect(result.findings).toEqual([
      reference(
        'cmdb/web.yaml',
        [8, 13],
        'dependsOn[0]',
        '"pg-paymnets" is not a known configuration item in the CMDB; did you mean "pg-payments"?',
        web,
      ),
    ]);
  });

  it('reports a partOf naming no CI at all, without a guess', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web', 'partOf: [online-shop, webshop]\n'),
      'cmdb/shop.yaml': ciText('online-shop'),
    });
    expect(result.findings).toEqual([
      reference(
        'cmdb/web.yaml',
        [8, 23],
        'partOf[1]',
        '"webshop" is not a known configuration item in the CMDB',
        web,
      ),
    ]);
  });

  it('reports a CI that depends on itself and is part of itself', () => {
    const result = load({ 'cmdb/web.yaml': ciText('web', 'dependsOn: [web]\npartOf: [web]\n') });
    expect(result.findings).toEqual([
      reference(
        'cmdb/web.yaml',
        [8, 13],
        'dependsOn[0]',
        '"web" names itself in dependsOn; a CI cannot depend on or be part of itself',
        web,
      ),
      reference(
        'cmdb/web.yaml',
        [9, 10],
        'partOf[0]',
        '"web" names itself in partOf; a CI cannot depend on or be part of itself',
        web,
      ),
    ]);
  });

  it.each([['dependsOn: 5\n'], ['partOf: {web: true}\n'], ['dependsOn: true\n']])(
    'reports a reference list that is no list (%s) as a schema error, and goes on',
    (field) => {
      const result = load({ 'cmdb/web.yaml': ciText('web', field) });
      expect(result.findings.map(({ rule, file }) => `${rule} ${file}`)).toEqual([
        'schema cmdb/web.yaml',
      ]);
    },
  );

  it('does not say a CI names itself when a one-id dependsOn only contains its id', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web', 'dependsOn: xweb\n'),
      'cmdb/xweb.yaml': ciText('xweb'),
    });
    expect(result.findings.map(({ rule, message }) => `${rule}: ${message}`)).toEqual([
      expect.stringMatching(/^schema: /),
    ]);
  });

  it('says a CI names itself when a one-id dependsOn is its own id', () => {
    const result = load({ 'cmdb/web.yaml': ciText('web', 'dependsOn: web\n') });
    expect(result.findings.map(({ rule, message }) => `${rule}: ${message}`)).toContain(
      'reference: "web" names itself in dependsOn; a CI cannot depend on or be part of itself',
    );
  });

  it('accepts a dependency cycle between two CIs', () => {
    const result = load({
      'cmdb/a.yaml': ciText('a', 'dependsOn: [b]\n'),
      'cmdb/b.yaml': ciText('b', 'dependsOn: [a]\n'),
    });
    expect(result.findings).toEqual([]);
  });

  it('reports a change touching a misspelt CI with a did-you-mean', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[wev]'),
    });
    expect(result.findings).toEqual([
      reference(
        'changes/CHG-0001-restart.yaml',
        [8, 7],
        'cis[0]',
        '"wev" is not a known configuration item in the CMDB; did you mean "web"?',
        chg,
      ),
    ]);
  });

  // Two swapped neighbours count as one edit, so the commonest typo of all gets a suggestion.
  it('suggests the CI when two letters of its id are swapped', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[wbe]'),
    });
    expect(result.findings).toMatchObject([
      { message: '"wbe" is not a known configuration item in the CMDB; did you mean "web"?' },
    ]);
  });

  it('reports a change naming a release that does not exist, with a did-you-mean', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]', 'release: REL-2026.13\n'),
      'changes/REL-2026.12-december.yaml': releaseText('REL-2026.12', '[CHG-0001]'),
    });
    expect(result.findings).toEqual([
      reference(
        'changes/CHG-0001-restart.yaml',
        [9, 10],
        'release',
        '"REL-2026.13" is not a known release; did you mean "REL-2026.12"?',
        chg,
      ),
    ]);
  });

  it('reports a release listing a change that does not exist, with a did-you-mean', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
      'changes/REL-7-july.yaml': releaseText('REL-7', '[CHG-0001, CHG-0002]'),
    });
    expect(result.findings).toEqual([
      reference(
        'changes/REL-7-july.yaml',
        [8, 21],
        'changes[1]',
        '"CHG-0002" is not a known change; did you mean "CHG-0001"?',
        { kind: 'Release', id: 'REL-7' },
      ),
    ]);
  });

  it('reports a standard change naming a misspelt template of the policy', () => {
    const policy = policyWith(
      'templates:',
      '  - id: std-restart-pod',
      '    title: Rolling restart of pods',
      '    maxRisk: low',
    );
    const result = load(
      {
        'cmdb/web.yaml': ciText('web'),
        'changes/CHG-0001-restart.yaml': changeText(
          'CHG-0001',
          '[web]',
          'template: std-restart-pd\n',
        ),
      },
      policy,
    );
    expect(result.findings).toEqual([
      reference(
        'changes/CHG-0001-restart.yaml',
        [9, 11],
        'template',
        '"std-restart-pd" is not a known standard-change template of the policy; did you mean "std-restart-pod"?',
        chg,
      ),
    ]);
  });

  it('reports a template reference when there is no policy, which has no templates', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText(
        'CHG-0001',
        '[web]',
        'template: std-restart-pod\n',
      ),
    });
    expect(result.findings).toEqual([
      reference(
        'changes/CHG-0001-restart.yaml',
        [9, 11],
        'template',
        '"std-restart-pod" is not a known standard-change template of the policy',
        chg,
      ),
    ]);
  });

  it('resolves references to a record that fails its schema, so one typo gives one finding', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web').replace('criticality: 3', 'criticality: 9'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web]'),
    });
    expect(result.findings.map((f) => [f.file, f.rule, f.field])).toEqual([
      ['cmdb/web.yaml', 'schema', 'criticality'],
    ]);
  });

  it('reports an approval rule naming a board the policy does not have, at the board name', () => {
    const policy = policyWith(
      'boards:',
      '  cab:',
      '    members: ["@acme/cab"]',
      'approvals:',
      '  - name: normal-changes',
      '    from: { board: cabs }',
    );
    const result = load({ 'cmdb/web.yaml': ciText('web') }, policy);
    expect(result.findings).toEqual([
      reference(
        'changeops.yaml',
        [9, 20],
        'approvals[0].from.board',
        'the approval rule "normal-changes" names the board "cabs", which is not under boards; did you mean "cab"?',
        { kind: 'Policy', id: 'acme' },
      ),
    ]);
  });

  it('reports a policy template naming a CI that is not in the CMDB', () => {
    const policy = policyWith(
      'templates:',
      '  - id: std-restart-pod',
      '    title: Rolling restart of pods',
      '    cis: [web, wev]',
      '    maxRisk: low',
    );
    const result = load({ 'cmdb/web.yaml': ciText('web') }, policy);
    expect(result.findings).toEqual([
      reference(
        'changeops.yaml',
        [7, 16],
        'templates[0].cis[1]',
        'the template "std-restart-pod" names "wev", which is not a known configuration item; did you mean "web"?',
        { kind: 'Policy', id: 'acme' },
      ),
    ]);
  });

  // The records' index learns the policy's text from the PolicyResult, so a policy finding
  // has its real position even when the two were loaded with separate indexes.
  it('points at the board name even when the policy was loaded on its own', () => {
    const policy = loadPolicy({
      path: 'changeops.yaml',
      text: policyWith('approvals:', '  - name: normal-changes', '    from: { board: cabs }'),
    });
    const result = loadRecords(policy, [{ path: 'cmdb/web.yaml', text: ciText('web') }]);
    expect(result.findings).toMatchObject([{ file: 'changeops.yaml', line: 6, column: 20 }]);
  });
});

describe('documents that are not records', () => {
  const at = (line: number, column: number, rule: string, message: string, field?: string) => ({
    file: 'cmdb/odd.yaml',
    line,
    column,
    severity: 'error',
    rule,
    message,
    ...(field ? { field } : {}),
  });

  it('reports a Policy among the records and says where it belongs', () => {
    const result = load({ 'cmdb/odd.yaml': policyWith() });
    expect(result.findings).toEqual([
      at(
        2,
        7,
        'policy',
        'a Policy belongs in changeops.yaml at the repository root, not among the records',
        'kind',
      ),
    ]);
    expect(result.records).toBe(0);
  });

  it('reports a record without a kind and lists the kinds', () => {
    const result = load({ 'cmdb/odd.yaml': lines('apiVersion: changeops/v1', 'id: web') });
    expect(result.findings).toEqual([
      at(
        1,
        1,
        'kind',
        'the record has no "kind"; write kind: ConfigurationItem, Change or Release',
      ),
    ]);
  });

  it('reports an unknown kind at the kind', () => {
    const result = load({
      'cmdb/odd.yaml': lines('apiVersion: changeops/v1', 'kind: Service', 'id: web'),
    });
    expect(result.findings).toEqual([
      at(
        2,
        7,
        'kind',
        '"kind" is "Service", which is not one of: ConfigurationItem, Change, Release',
        'kind',
      ),
    ]);
  });

  it('reports a document that is only a sentence', () => {
    const result = load({ 'cmdb/odd.yaml': 'just some text\n' });
    expect(result.findings).toEqual([
      at(
        1,
        1,
        'record',
        'expected a record (a mapping with apiVersion, kind and id), found "just some text"',
      ),
    ]);
  });

  it('reports a document that is a list', () => {
    const result = load({ 'cmdb/odd.yaml': lines('- web', '- db') });
    expect(result.findings).toEqual([
      at(
        1,
        1,
        'record',
        'expected a record (a mapping with apiVersion, kind and id), found a list',
      ),
    ]);
  });

  it('ignores an empty trailing --- document', () => {
    const result = load({ 'cmdb/odd.yaml': `${ciText('web')}---\n` });
    expect(result.findings).toEqual([]);
    expect(result.records).toBe(1);
  });

  it('ignores a document holding only a comment', () => {
    const result = load({
      'cmdb/odd.yaml': `${ciText('web')}---\n# retired: the old web tier\n---\n${ciText('db')}`,
    });
    expect(result.findings).toEqual([]);
    expect([...result.estate.cis.keys()]).toEqual(['web', 'db']);
  });

  it('reports a record without an id and does not count it', () => {
    const result = load({ 'cmdb/odd.yaml': ciText('web').replace('id: web\n', '') });
    expect(result.findings).toMatchObject([
      { file: 'cmdb/odd.yaml', line: 1, column: 1, rule: 'schema', field: 'id' },
    ]);
    expect(result.records).toBe(0);
  });
});

describe('files with several documents', () => {
  it('gives positions inside the second and third document', () => {
    const text = [
      ciText('a'),
      ciText('b', 'dependsOn: [cache-store]\n'),
      ciText('d').replace('criticality: 3', 'criticality: 9'),
    ].join('---\n');
    const result = load({ 'cmdb/many.yaml': text });
    expect(result.findings).toEqual([
      {
        file: 'cmdb/many.yaml',
        line: 24,
        column: 14,
        severity: 'error',
        rule: 'schema',
        message: '"criticality" is 9, which must be at most 4',
        field: 'criticality',
        kind: 'ConfigurationItem',
        id: 'd',
      },
      {
        file: 'cmdb/many.yaml',
        line: 16,
        column: 13,
        severity: 'error',
        rule: 'reference',
        message: '"cache-store" is not a known configuration item in the CMDB',
        field: 'dependsOn[0]',
        kind: 'ConfigurationItem',
        id: 'b',
      },
    ]);
    expect([...result.estate.cis.keys()]).toEqual(['a', 'b', 'd']);
  });

  // The documents before a broken one are kept: their ids stay known, so references to them
  // elsewhere get no extra "not a known" finding.
  it('still loads the first two documents when the third is broken YAML', () => {
    const text = `${ciText('a')}---\n${ciText('b')}---\nid: [c\n`;
    const result = load({
      'cmdb/many.yaml': text,
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[a, b]'),
    });
    expect(result.findings.map((f) => [f.file, f.rule])).toEqual([['cmdb/many.yaml', 'yaml']]);
    expect([...result.estate.cis.keys()]).toEqual(['a', 'b']);
  });
});

describe('"did you mean" offers only valid ids', () => {
  const seen = (result: ReturnType<typeof load>) =>
    result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.rule}]`);
  const ciForm =
    'a configuration item id: lowercase letters, digits and dashes, starting with a letter or digit (a slug), at most 63 characters';

  it('gives an invalid CI id the rule it breaks and the corrected form, and points a reference to that form at it', () => {
    const result = load({
      'cmdb/orders.yaml': ciText('Orders_API'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[orders-api]'),
    });
    expect(seen(result)).toEqual([
      `cmdb/orders.yaml:3:5 "id" is "Orders_API", which is not the expected form: ${ciForm}; write it as "orders-api" [schema]`,
      'changes/CHG-0001-restart.yaml:8:7 "orders-api" is not a known configuration item in the CMDB; cmdb/orders.yaml:3 has the id "Orders_API", which is not valid: write it as "orders-api" there [reference]',
    ]);
  });

  it('never suggests copying an invalid change id into a file name or a reference', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web'),
      'changes/CHG-0001-restart.yaml': changeText('chg-0001', '[web]'),
      'changes/REL-1-monthly.yaml': releaseText('REL-1', '[CHG-0001, CHG-0010]'),
    });
    expect(seen(result)).toEqual([
      'changes/CHG-0001-restart.yaml:3:5 "id" is "chg-0001", which is not the expected form: a change id: CHG- followed by digits; write it as "CHG-0001" [schema]',
      'changes/REL-1-monthly.yaml:8:11 "CHG-0001" is not a known change; changes/CHG-0001-restart.yaml:3 has the id "chg-0001", which is not valid: write it as "CHG-0001" there [reference]',
      'changes/REL-1-monthly.yaml:8:21 "CHG-0010" is not a known change [reference]',
    ]);
    expect(seen(result).join('\n')).not.toMatch(/did you mean "chg-0001"|name it like chg-0001/);
  });

  it('still suggests a valid id next to an invalid one', () => {
    const result = load({
      'cmdb/web.yaml': ciText('web-api'),
      'cmdb/bad.yaml': ciText('Web_Api2'),
      'changes/CHG-0001-restart.yaml': changeText('CHG-0001', '[web-apj]'),
    });
    expect(seen(result)).toContain(
      'changes/CHG-0001-restart.yaml:8:7 "web-apj" is not a known configuration item in the CMDB; did you mean "web-api"? [reference]',
    );
  });
});

describe('integrity under a policy that cannot be used', () => {
  it('does not report the templates and boards of a policy it could not read', () => {
    const policy = policyWith(
      'boards:',
      '  cab: {members: ["@acme/cab"]}',
      'approvals:',
      '  - {name: cab, from: {board: cab}}',
      'templates:',
      '  - {id: std-restart, title: Restart a pod, maxRisk: low, cis: [web]}',
      'freezes:',
      '  - {name: Year end, start: 2026-12-18T00:00:00Z, ends: 2027-01-04T06:00:00Z}',
    );
    const result = load(
      {
        'cmdb/web.yaml': ciText('web'),
        'changes/CHG-0001-restart.yaml': changeText(
          'CHG-0001',
          '[web]',
          'template: std-restart\n',
        ).replace('type: normal', 'type: standard'),
      },
      policy,
    );
    // The typo in freezes only: no "std-restart is not a known template" follows from it.
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.field}`)).toEqual([
      'changeops.yaml:11 schema freezes[0].end',
      'changeops.yaml:11 schema freezes[0].ends',
    ]);
    expect(result.policyUsable).toBe(false);
  });
});
