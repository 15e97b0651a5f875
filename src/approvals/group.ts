/**
 * The status of a merge group: every pull request in it must pass the gate, so the group's
 * status is the worst of theirs, and its description names the pull requests that hold it.
 */
import { fitDescription } from './description.js';
import {
  allOf,
  commitStateOf,
  outcomeOf,
  type ApprovalOutcome,
  type CommitState,
  type GateResult,
  type NodeStatus,
} from './result.js';

/** The gate's verdict on a merge group, from the verdicts on each of its pull requests. */
export interface GroupVerdict {
  status: NodeStatus;
  commitState: CommitState;
  outcome: ApprovalOutcome;
  /** At most 140 characters: "#12: Missing: cab; #13 approved". */
  sentence: string;
}

const advisoryPrefix = 'Advisory: ';

/**
 * Combines the verdicts on a merge group's pull requests (oldest first): error, then blocked,
 * then pending wins; the description leads with the pull requests that hold the group.
 */
export function groupVerdict(
  results: readonly { number: number; result: GateResult }[],
  advisory: boolean,
): GroupVerdict {
  const status =
    results.length === 0 ? ('error' as const) : allOf(results.map(({ result }) => result.status));
  const strip = (sentence: string) =>
    sentence.startsWith(advisoryPrefix) ? sentence.slice(advisoryPrefix.length) : sentence;
  let text: string;
  if (results.length === 0) text = 'Error: the merge group names no pull request';
  else if (results.length === 1) text = strip(results[0]!.result.sentence);
  else {
    const holding = results.filter(({ result }) => commitStateOf(result.status) !== 'success');
    const passing = results.length - holding.length;
    const parts = holding.map(({ number, result }) => `#${number}: ${strip(result.sentence)}`);
    if (holding.length === 0) parts.push(`All ${results.length} pull requests approved`);
    else if (passing > 0) parts.push(`${passing} more approved`);
    text = parts.join('; ');
  }
  return {
    status,
    commitState: commitStateOf(status),
    outcome: outcomeOf(status),
    sentence: fitDescription(advisory ? `${advisoryPrefix}${text}` : text),
  };
}
