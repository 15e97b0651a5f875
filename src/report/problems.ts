import { headerMarkers, type ListedIssue } from '../problems/markers.js';
import type { Timelines } from './timeline.js';

/** A problem issue a change's failure opened, as a record or GitHub says. */
export interface ProblemIssueRef {
  change: string;
  /** The issue reference, "#124". */
  issue: string;
}

/**
 * The problem issues the records say each change's failure opened: the `review.problemIssue`
 * that verify writes back into the record, from every version on the branch (an issue once
 * recorded stays counted when a later edit drops the field), each change and issue once, by
 * change id.
 */
export function recordedProblemIssues(timelines: Timelines): ProblemIssueRef[] {
  const found: ProblemIssueRef[] = [];
  const ids = [...timelines.changes.keys()].sort();
  for (const id of ids) {
    const seen = new Set<string>();
    for (const version of timelines.changes.get(id)!.versions) {
      const issue = version.facts.review?.problemIssue;
      if (issue === undefined || seen.has(issue)) continue;
      seen.add(issue);
      found.push({ change: id, issue });
    }
  }
  return found;
}

const markerPattern = /^<!-- changeops:problem change=(CHG-[0-9]{1,8}) -->$/;

/**
 * The problem issues among issues GitHub listed: opened by our bot (a person's issue that quotes
 * the marker never counts), not a pull request, with our marker on the body's first line, which
 * names the change whose failure opened it. Open and closed issues alike: a closed problem was
 * still caused. Each issue once, by change id.
 */
export function problemIssuesOpenedBy(
  listed: readonly ListedIssue[],
  botLogin: string,
): ProblemIssueRef[] {
  const found = new Map<number, ProblemIssueRef>();
  const bot = botLogin.toLowerCase();
  for (const issue of listed) {
    if (issue.pull_request !== undefined || !Number.isSafeInteger(issue.number)) continue;
    if (bot === '' || issue.user?.login.toLowerCase() !== bot) continue;
    const change = markerPattern.exec(headerMarkers(issue.body)[0] ?? '')?.[1];
    if (change) found.set(issue.number, { change, issue: `#${issue.number}` });
  }
  return [...found.values()].sort(byChangeThenIssue);
}

/** Problem issues from several sources, each change and issue once, by change id. */
export function mergeProblemIssues(
  ...sources: ReadonlyArray<readonly ProblemIssueRef[]>
): ProblemIssueRef[] {
  const seen = new Map<string, ProblemIssueRef>();
  for (const source of sources)
    for (const ref of source) seen.set(`${ref.change}\0${ref.issue}`, ref);
  return [...seen.values()].sort(byChangeThenIssue);
}

function byChangeThenIssue(a: ProblemIssueRef, b: ProblemIssueRef): number {
  if (a.change !== b.change) return a.change < b.change ? -1 : 1;
  return Number(a.issue.slice(1)) - Number(b.issue.slice(1));
}
