import type { ChangeType } from '../records/policy.js';
import { show } from '../records/wording.js';
import type { Rule } from './rule.js';
import { parameter } from './rule-parameters.js';
import { aChangeOfType, changeType, isPending } from './status.js';

/** The fields required-content can ask for, with what each one is for. */
const contentFields = {
  reason: {
    path: ['reason'],
    what: 'a reason (why the change is needed, and what happens if it is not approved)',
  },
  'plan.implementation': {
    path: ['plan', 'implementation'],
    what: 'an implementation plan (the steps that carry out the change)',
  },
  'plan.test': {
    path: ['plan', 'test'],
    what: 'a test plan (how the change was tested before, and is verified after)',
  },
  'plan.backout': {
    path: ['plan', 'backout'],
    what: 'a back-out plan (how to undo the change if it goes wrong)',
  },
  schedule: {
    path: ['schedule'],
    what: 'a schedule (when it is carried out), such as schedule: {start: 2026-12-02T22:00:00Z, end: 2026-12-02T23:30:00Z}',
  },
} as const;

type ContentField = keyof typeof contentFields;

const defaultFields: Record<ChangeType, ContentField[]> = {
  normal: ['reason', 'plan.implementation', 'plan.test', 'plan.backout', 'schedule'],
  // An emergency is fixed first and tested and scheduled as it happens; those may follow.
  emergency: ['reason', 'plan.implementation', 'plan.backout'],
  // The template describes how a standard change is done, tested and undone.
  standard: ['reason', 'schedule'],
};

const defaultPlaceholders = [
  'tbd',
  'tba',
  'tbc',
  'todo',
  'to do',
  'fixme',
  'n/a',
  'na',
  'none',
  'nothing',
  'null',
  'nil',
  'xxx',
  'test',
  'see above',
  'see below',
  'see ticket',
  'see pr',
  'later',
  'will follow',
  'to follow',
];

/**
 * The text compared with the placeholders: lower case, spaces collapsed, and the punctuation
 * around it dropped, so "TBD.", "(todo)" and "N/A!" are caught as well.
 */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '');
}

/**
 * Whether a text's normal form (normalise) cannot be blank, one of the placeholders or hold
 * "lorem ipsum", settled without making it: every ASCII letter and digit survives normalising as
 * one character, so more of them than the longest placeholder has rules out blank and every
 * placeholder, and lorem ipsum needs "lorem" in the text. Most real texts are settled here after
 * a dozen characters; the rest are normalised (three passes of regular expressions each).
 */
function plainlyReal(text: string, longestPlaceholder: number): boolean {
  let solid = 0;
  for (let i = 0; i < text.length && solid <= longestPlaceholder; i++) {
    const code = text.charCodeAt(i);
    if (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39)
    )
      solid++;
  }
  return solid > longestPlaceholder && !/lorem/i.test(text);
}

/**
 * Whether a text has fewer than `least` code points: each is one or two UTF-16 units, so a text
 * of at least twice that many units is never counted.
 */
function fewerCodePoints(text: string, least: number): boolean {
  return text.length < 2 * least && [...text].length < least;
}

function isFieldList(value: unknown): value is ContentField[] {
  return Array.isArray(value) && value.every((item) => Object.hasOwn(contentFields, item));
}

function isFieldsByType(value: unknown): value is Partial<Record<ChangeType, ContentField[]>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([type, fields]) =>
      (type === 'standard' || type === 'normal' || type === 'emergency') && isFieldList(fields),
  );
}

function isLength(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 10_000;
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Required fields are present and say something, by change type. */
export const requiredContentRule: Rule = {
  id: 'required-content',
  description:
    'A proposed or approved change fills in the fields its type needs (by default normal: reason, ' +
    'plan.implementation, plan.test, plan.backout and schedule; emergency: reason, ' +
    'plan.implementation and plan.backout, as the test and the schedule may follow; standard: ' +
    'reason and schedule, as the template carries the rest) with real text: not blank, not a ' +
    'placeholder such as TBD, TODO, n/a, "-", "..." or lorem ipsum, and at least minLength ' +
    'characters. Drafts may be incomplete and finished changes are history, so neither is ' +
    "checked; an assessed risk is the risk-assessed rule's concern, so it is not asked for here.",
  defaultSeverity: 'error',
  parameters: {
    fields: {
      description:
        'The required fields by change type, each a list of: reason, plan.implementation, ' +
        'plan.test, plan.backout, schedule. Types left out keep their defaults.',
      default: defaultFields,
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          (['standard', 'normal', 'emergency'] as const).map((type) => [
            type,
            { type: 'array', uniqueItems: true, items: { enum: Object.keys(contentFields) } },
          ]),
        ),
      },
    },
    minLength: {
      description: 'The fewest characters (spaces at the ends not counted) a required text has.',
      default: 10,
      schema: { type: 'integer', minimum: 1, maximum: 10_000 },
    },
    placeholders: {
      description:
        'Texts that count as not filled in, compared without case and without the punctuation ' +
        'around them. Text made only of punctuation ("-", "...", "?") and text containing ' +
        '"lorem ipsum" always counts as a placeholder.',
      default: defaultPlaceholders,
      schema: { type: 'array', items: { type: 'string' } },
    },
  },
  check(context, report, parameters) {
    const id = requiredContentRule.id;
    const byType = {
      ...defaultFields,
      ...parameter(
        context,
        report,
        { rule: id, name: 'fields', value: parameters.fields, fallback: defaultFields },
        isFieldsByType,
        'a mapping from change types (standard, normal, emergency) to lists of: ' +
          Object.keys(contentFields).join(', '),
      ),
    };
    const minLength = parameter(
      context,
      report,
      { rule: id, name: 'minLength', value: parameters.minLength, fallback: 10 },
      isLength,
      'a whole number from 1 to 10000',
    );
    const placeholders = new Set(
      parameter(
        context,
        report,
        {
          rule: id,
          name: 'placeholders',
          value: parameters.placeholders,
          fallback: defaultPlaceholders,
        },
        isTextList,
        'a list of texts',
      ).map(normalise),
    );
    let longestPlaceholder = 0;
    for (const placeholder of placeholders)
      longestPlaceholder = Math.max(longestPlaceholder, placeholder.length);

    for (const record of context.changes) {
      const change = record.data;
      const type = changeType(change);
      if (!type || !isPending(change)) continue;
      const needs = `${aChangeOfType(type)} needs`;
      for (const name of byType[type]) {
        const { path, what } = contentFields[name];
        const value = valueAt(change, path);
        if (value === undefined) {
          report(record, path, `${name} is missing: ${needs} ${what}`);
          continue;
        }
        // Anything but text (or empty text) already fails the schema, which says so.
        if (name === 'schedule' || typeof value !== 'string' || value === '') continue;
        const text = value.trim();
        if (text === '') {
          report(record, path, `${name} is blank: ${needs} ${what}`);
        } else if (!plainlyReal(text, longestPlaceholder) && isPlaceholder(normalise(text))) {
          report(record, path, `${name} is ${show(text)}, a placeholder: ${needs} ${what}`);
        } else if (fewerCodePoints(text, minLength)) {
          report(
            record,
            path,
            `${name} is too short (${show(text)}, ${[...text].length} of at least ${minLength} characters): ${needs} ${what}`,
          );
        }
      }
    }
    function isPlaceholder(normal: string): boolean {
      return normal === '' || placeholders.has(normal) || normal.includes('lorem ipsum');
    }
  },
};

function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === undefined) return undefined;
    // A non-mapping on the way is a schema error; there is nothing more to say about it here.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
