/**
 * The environment a post-implementation check runs with: ours, less what would let the check act
 * as changeops or write into this step. A check is code from the default branch, but it runs
 * against a live system and prints whatever that system says; it needs none of these, and the
 * workflow can hand one back on purpose (`passed`).
 */

/**
 * Withheld from every check unless passed explicitly:
 * - `INPUT_*`: the action's own inputs, among them `token` and an App's private key;
 * - `GITHUB_TOKEN`, `GH_TOKEN`: the tokens a workflow often sets for the whole job;
 * - `ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_*`: the runner's cache/artifact token and
 *   the OIDC token request, which mints cloud credentials;
 * - `GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_PATH`, `GITHUB_STATE`, `GITHUB_STEP_SUMMARY`: the
 *   files of this step, through which a check could set our `outcome` output, change later
 *   steps' environment, or write into our job summary.
 */
export const withheldVariables: readonly RegExp[] = [
  /^INPUT_/i,
  /^GITHUB_TOKEN$/i,
  /^GH_TOKEN$/i,
  /^ACTIONS_RUNTIME_TOKEN$/i,
  /^ACTIONS_ID_TOKEN_REQUEST_(TOKEN|URL)$/i,
  /^GITHUB_(OUTPUT|ENV|PATH|STATE|STEP_SUMMARY)$/i,
];

/** Whether a variable is withheld from checks by default. */
export function isWithheld(name: string): boolean {
  return withheldVariables.some((pattern) => pattern.test(name));
}

/**
 * The inherited environment without the withheld variables, then the `passed` ones on top (a
 * caller that passes `GITHUB_TOKEN` gets it through: that is a decision, not an accident).
 */
export function checkEnvironment(
  inherited: Readonly<Record<string, string | undefined>>,
  passed: Readonly<Record<string, string>> = {},
): Record<string, string> {
  // No prototype: a variable named __proto__ stays a variable.
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(inherited)) {
    if (value !== undefined && !isWithheld(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(passed)) env[name] = value;
  return env;
}
