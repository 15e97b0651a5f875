import { checkPassed, describeCheckResult, type NamedCheckResult } from './check-result.js';

/** The result of the workflow's deploy step, as its `outcome` input gives it. */
export type DeployOutcome = 'success' | 'failure' | 'cancelled';

/** The values `outcome` may take, for the input parser. */
export const deployOutcomes: readonly DeployOutcome[] = ['success', 'failure', 'cancelled'];

/**
 * How a change fared after implementation: `success` (nothing failed), `failure` (a check or the
 * deploy failed: a problem issue), `cancelled` (the deploy was cancelled and no check failed:
 * not verified either way).
 */
export type VerifyOutcome = 'success' | 'failure' | 'cancelled';

/** What `assessOutcome` judges: one change's check results and the deploy step's outcome. */
export interface OutcomeFacts {
  changeId: string;
  /** The checks that ran, in the record's order. */
  checks: readonly NamedCheckResult[];
  /** The names of the record's checks that were not run (`run-checks: false`). */
  notRun?: readonly string[];
  /** The workflow's `outcome` input; undefined when it was not given. */
  deploy?: DeployOutcome | undefined;
}

/** One change's post-implementation outcome, with what decided it. */
export interface Assessment {
  changeId: string;
  outcome: VerifyOutcome;
  /** Every check that ran, in the record's order. */
  checks: readonly NamedCheckResult[];
  /** The deploy step's outcome as given; undefined when it was not. */
  deploy: DeployOutcome | undefined;
  /** The checks that failed, in the record's order. */
  failedChecks: NamedCheckResult[];
  /** The deploy step reported failure. */
  deployFailed: boolean;
  /** Why it failed, as phrases ("the deploy step failed", "db-ping exited with code 3"); empty unless it failed. */
  reasons: string[];
  /** What happened, in one or two sentences of plain text (names come from the record). */
  summary: string;
}

/**
 * Judges a change after its deploy. It failed when any check failed (non-zero exit, timeout,
 * signal, could not start) or the deploy's outcome is `failure`, even when every check passed.
 * A `cancelled` deploy with no failed check is `cancelled`: the change may be half done, so it is
 * neither a success (no green, no record moved to implemented) nor a problem (no issue for a run
 * that a newer deploy superseded); a check that fails after a cancelled deploy is a failure.
 */
export function assessOutcome(facts: OutcomeFacts): Assessment {
  const { changeId, checks } = facts;
  const failedChecks = checks.filter((check) => !checkPassed(check.result));
  const deployFailed = facts.deploy === 'failure';
  const outcome: VerifyOutcome =
    failedChecks.length > 0 || deployFailed
      ? 'failure'
      : facts.deploy === 'cancelled'
        ? 'cancelled'
        : 'success';
  const reasons = outcome === 'failure' ? failureReasons(facts, failedChecks) : [];
  return {
    changeId,
    outcome,
    checks,
    deploy: facts.deploy,
    failedChecks,
    deployFailed,
    reasons,
    summary: summarise(facts, outcome, reasons),
  };
}

function failureReasons(facts: OutcomeFacts, failed: readonly NamedCheckResult[]): string[] {
  const reasons = failed
    .slice(0, maxNamed)
    .map((check) => `${check.name} ${describeCheckResult(check.result)}`);
  if (failed.length > maxNamed) reasons.push(`${failed.length - maxNamed} more checks failed`);
  if (facts.deploy === 'failure') reasons.unshift('the deploy step failed');
  return reasons;
}

function summarise(
  facts: OutcomeFacts,
  outcome: VerifyOutcome,
  reasons: readonly string[],
): string {
  const { changeId, checks } = facts;
  const notRun = facts.notRun ?? [];
  if (outcome === 'failure')
    return `${changeId} failed after implementation: ${reasons.join('; ')}.`;
  if (outcome === 'cancelled') {
    const ran = checks.length > 0 ? ` (its ${plural(checks.length, 'check')} passed)` : '';
    return `${changeId} is not verified: the deploy step was cancelled${ran}; run verify again once the deploy has finished.`;
  }
  const deploy =
    facts.deploy === 'success' ? 'the deploy step succeeded' : 'no deploy outcome was given';
  const skipped =
    notRun.length > 0 ? `; ${plural(notRun.length, 'check')} not run (run-checks is off)` : '';
  if (checks.length === 0) {
    const none = notRun.length > 0 ? '' : ' has no post-implementation checks;';
    return `${changeId}${none || ':'} ${deploy}${skipped}.`;
  }
  return `${changeId} passed its post-implementation ${checks.length === 1 ? 'check' : 'checks'} (${named(checks)}); ${deploy}${skipped}.`;
}

// Sentences name at most this many checks; a record may list any number.
const maxNamed = 10;

function named(checks: readonly NamedCheckResult[]): string {
  const names = checks.slice(0, maxNamed).map((check) => check.name);
  if (checks.length > maxNamed) names.push(`${checks.length - maxNamed} more`);
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
