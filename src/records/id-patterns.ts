/**
 * The forms of ids and principals, as schemas/common.schema.json defines them (a unit test
 * keeps them equal): for values that reach a command line or a link before any schema has
 * seen them, such as `changeops new --cis` in a finding, or `init --cab-team`.
 */

/** A CI id: a lowercase slug of at most 63 characters (common.schema.json#/definitions/ciId). */
export const ciIdPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A team as @org/team or a user as @login (common.schema.json#/definitions/principal). */
export const principalPattern =
  /^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99})?$/;

/** Whether a value is a CI id as the schema allows one. */
export function isCiId(value: unknown): value is string {
  return typeof value === 'string' && ciIdPattern.test(value);
}

/** A GitHub login without the @ (common.schema.json#/definitions/login). */
export const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
