import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/records/load.js';
import { rules } from '../../../src/rules/registry.js';

/**
 * A policy is checked against the rule registry (the schema's `rules` part is generated from it)
 * and beyond its schema (time zones, freeze dates) when it is loaded, so `validate` reports each
 * problem as `check` does: at its line, and the policy is unusable (the run fails closed).
 */

const head = 'apiVersion: changeops/v1\nkind: Policy\nid: acme\n';

/** Loads `changeops.yaml` made of the head and `body`; what a user reads of each finding. */
function load(body: string) {
  const result = loadPolicy({ path: 'changeops.yaml', text: head + body });
  return {
    usable: result.usable,
    seen: result.findings.map((f) => `${f.line}:${f.column} ${f.message} [${f.rule}]`),
  };
}

const window = (extra: string) =>
  `windows:\n  - {name: Nights, days: [mon], from: "22:00", to: "02:00"${extra}}\n`;

describe('a policy checked against the rule registry', () => {
  it.each<[string, string, string]>([
    [
      'an unknown rule id gets the rule it most likely means',
      'rules:\n  rouge-change: error\n',
      '5:3 "rules" has no rule "rouge-change"; did you mean "rogue-change"? [schema]',
    ],
    [
      'a rule id nothing is close to lists the rules',
      'rules:\n  approvals: error\n',
      `5:3 "rules" has no rule "approvals"; the rules are: ${rules.map((rule) => rule.id).join(', ')} [schema]`,
    ],
    [
      'an unknown parameter gets the parameter it most likely means',
      'rules:\n  required-content: {minLenght: 40}\n',
      '5:22 "rules.required-content" has no parameter "minLenght"; did you mean "minLength"? [schema]',
    ],
    [
      'a parameter of a rule that has none',
      'rules:\n  freeze: {severity: warning, allow: [normal]}\n',
      '5:31 "rules.freeze" has no parameter "allow"; the parameters are: severity [schema]',
    ],
    [
      'an enum parameter outside its enum lists the values',
      'rules:\n  collision: {scope: everything}\n',
      '5:22 "rules.collision.scope" is "everything", which is not one of: impacted, direct [schema]',
    ],
    [
      'a misspelt severity in the mapping form',
      'rules:\n  collision: {severity: eror, scope: direct}\n',
      '5:25 "rules.collision.severity" is "eror", which is not one of: error, warning, notice, off; did you mean "error"? [schema]',
    ],
    [
      'a whole number written as text',
      'rules:\n  required-content: {minLength: "ten"}\n',
      '5:33 "rules.required-content.minLength" must be a whole number, not the text "ten" [schema]',
    ],
    [
      'a whole number out of range',
      'rules:\n  required-content: {minLength: 0}\n',
      '5:33 "rules.required-content.minLength" is 0, which must be at least 1 [schema]',
    ],
    [
      'a required field that does not exist',
      'rules:\n  required-content: {fields: {normal: [plan.rollback]}}\n',
      '5:40 "rules.required-content.fields.normal[0]" is "plan.rollback", which is not one of: reason, plan.implementation, plan.test, plan.backout, schedule [schema]',
    ],
    [
      'placeholders that are not a list',
      'rules:\n  required-content: {placeholders: TBD}\n',
      '5:36 "rules.required-content.placeholders" must be a list, not the text "TBD"; write a list, such as ["TBD"] [schema]',
    ],
    [
      'a change type that does not exist',
      'rules:\n  risk-assessed: {types: [minor]}\n',
      '5:27 "rules.risk-assessed.types[0]" is "minor", which is not one of: standard, normal, emergency [schema]',
    ],
    [
      'exempt types given as one word',
      'rules:\n  maintenance-window: {exempt: emergency}\n',
      '5:32 "rules.maintenance-window.exempt" must be a list, not the text "emergency"; write a list, such as ["emergency"] [schema]',
    ],
    [
      'an initial status that does not exist',
      'rules:\n  status-transition: {initial: {normal: [aproved]}}\n',
      '5:42 "rules.status-transition.initial.normal[0]" is "aproved", which is not one of: draft, proposed, approved, implemented, failed, backed-out, closed, rejected, cancelled; did you mean "approved"? [schema]',
    ],
  ])('refuses %s, at its line', (_name, body, expected) => {
    expect(load(body)).toEqual({ usable: false, seen: [expected] });
  });

  it('accepts every rule at every severity, and every parameter at its default', () => {
    const lines = rules.map((rule) => {
      const parameters = Object.entries(rule.parameters ?? {}).map(
        ([name, parameter]) => `, ${name}: ${JSON.stringify(parameter.default)}`,
      );
      return `  ${rule.id}: {severity: notice${parameters.join('')}}`;
    });
    expect(load(`rules:\n${lines.join('\n')}\n`)).toEqual({ usable: true, seen: [] });
    for (const severity of ['error', 'warning', 'notice', 'off']) {
      const body = `rules:\n${rules.map((rule) => `  ${rule.id}: ${severity}`).join('\n')}\n`;
      expect(load(body)).toEqual({ usable: true, seen: [] });
    }
  });

  it('reports every bad rule entry, each once', () => {
    expect(
      load('rules:\n  rogue: error\n  collision: {scope: all}\n  freeze: {severity: warn}\n').seen,
    ).toEqual([
      '5:3 "rules" has no rule "rogue"; did you mean "rogue-change"? [schema]',
      '7:22 "rules.freeze.severity" is "warn", which is not one of: error, warning, notice, off; did you mean "warning"? [schema]',
      '6:22 "rules.collision.scope" is "all", which is not one of: impacted, direct [schema]',
    ]);
  });
});

describe('a policy checked beyond its schema', () => {
  it.each<[string, string, string]>([
    ['a misspelt zone', 'Europe/Berln', 'did you mean "Europe/Berlin"?'],
    ['a city without its region', 'New York', 'did you mean "America/New_York"?'],
    ['an offset, whose Etc zone has the sign inverted', 'UTC+1', 'did you mean "Etc/GMT-1"?'],
  ])('refuses a window time zone Intl does not know: %s', (_name, zone, guess) => {
    expect(load(window(`, timezone: "${zone}"`))).toEqual({
      usable: false,
      seen: [
        `5:71 windows[0].timezone of the window "Nights" is "${zone}", which is not an IANA time zone such as UTC or Europe/Berlin; ${guess} [policy]`,
      ],
    });
  });

  it('refuses a zone nothing is close to, without a guess', () => {
    expect(load(window(', timezone: Mars/Olympus')).seen).toEqual([
      '5:71 windows[0].timezone of the window "Nights" is "Mars/Olympus", which is not an IANA time zone such as UTC or Europe/Berlin [policy]',
    ]);
  });

  it('accepts a known zone', () => {
    expect(load(window(', timezone: Europe/Berlin'))).toEqual({ usable: true, seen: [] });
  });

  it.each<[string, string, string]>([
    ['before', '2026-11-26T00:00:00Z', 'is before its start (2026-12-01T06:00:00Z)'],
    ['when', '2026-12-01T06:00:00Z', 'is its start'],
  ])('refuses a freeze that ends %s it starts', (_name, end, what) => {
    const body = `freezes:\n  - name: Black Friday\n    start: 2026-12-01T06:00:00Z\n    end: ${end}\n`;
    expect(load(body)).toEqual({
      usable: false,
      seen: [
        `7:10 freezes[0].end (${end}) of the freeze "Black Friday" ${what}; a freeze must end after it starts: swap the dates, or fix the one that is wrong [policy]`,
      ],
    });
  });

  it.each([
    ['monday', 'mon'],
    ['Thursday', 'thu'],
    ['thurs', 'thu'],
    ['Sun', 'sun'],
  ])('refuses the day %s, suggesting %s', (day, short) => {
    expect(
      load(`windows:\n  - {name: Nights, days: [${day}], from: "22:00", to: "02:00"}\n`),
    ).toEqual({
      usable: false,
      seen: [
        `5:27 "windows[0].days[0]" is "${day}", which is not one of: mon, tue, wed, thu, fri, sat, sun; did you mean "${short}"? [schema]`,
      ],
    });
  });
});
