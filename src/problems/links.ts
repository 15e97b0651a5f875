/**
 * Links between problems and changes, as the records hold them: a change's `problem` (the problem
 * issue it remediates) and `review.problemIssue` (the problem issue its failure opened). Plain
 * text: a renderer escapes it (`escapeText`) where record text must stay inert.
 */

/** The parts of a change that link it to problems (a `Change` fits). */
export interface ProblemLinkedChange {
  id: string;
  /** The problem issue this change remediates, "#123". */
  problem?: string;
  review?: { problemIssue?: string };
}

/** One sentence's facts: a change that remediates a problem, and the change whose failure opened it. */
export interface ProblemLinkFacts {
  changeId: string;
  /** The problem issue it remediates, "#123". */
  problem: string;
  /** The changes whose failure opened that issue (normally one). */
  openedBy?: readonly string[];
}

/**
 * "CHG-0051 remediates #123, opened by the failure of CHG-0042"; without an opener, "CHG-0051
 * remediates #123".
 */
export function problemLinkSentence(facts: ProblemLinkFacts): string {
  const openers = (facts.openedBy ?? []).filter((id) => id !== facts.changeId);
  const base = `${facts.changeId} remediates ${facts.problem}`;
  return openers.length === 0 ? base : `${base}, opened by the failure of ${joinIds(openers)}`;
}

/**
 * "The failure of CHG-0042 opened #123, which CHG-0051 remediates"; without a remediation,
 * "The failure of CHG-0042 opened #123".
 */
export function openedProblemSentence(facts: {
  changeId: string;
  problemIssue: string;
  remediatedBy?: readonly string[];
}): string {
  const fixers = (facts.remediatedBy ?? []).filter((id) => id !== facts.changeId);
  const base = `The failure of ${facts.changeId} opened ${facts.problemIssue}`;
  return fixers.length === 0
    ? base
    : `${base}, which ${joinIds(fixers)} ${fixers.length === 1 ? 'remediates' : 'remediate'}`;
}

/**
 * Whether a change names a problem it remediates or one its failure opened: problemLinks gives a
 * change sentences only then, so without one no other change needs reading.
 */
export function namesProblem(change: ProblemLinkedChange): boolean {
  return typeof change.problem === 'string' || typeof change.review?.problemIssue === 'string';
}

/** The problem links of every change that has one, by change id, from one pass over the records. */
export function problemLinks(changes: readonly ProblemLinkedChange[]): Map<string, string[]> {
  const openedBy = new Map<string, string[]>();
  const remediatedBy = new Map<string, string[]>();
  for (const change of changes) {
    const opened = change.review?.problemIssue;
    if (typeof opened === 'string') push(openedBy, opened, change.id);
    if (typeof change.problem === 'string') push(remediatedBy, change.problem, change.id);
  }
  const links = new Map<string, string[]>();
  for (const change of changes) {
    const sentences: string[] = [];
    if (typeof change.problem === 'string')
      sentences.push(
        problemLinkSentence({
          changeId: change.id,
          problem: change.problem,
          openedBy: openedBy.get(change.problem) ?? [],
        }),
      );
    const opened = change.review?.problemIssue;
    if (typeof opened === 'string')
      sentences.push(
        openedProblemSentence({
          changeId: change.id,
          problemIssue: opened,
          remediatedBy: remediatedBy.get(opened) ?? [],
        }),
      );
    if (sentences.length > 0) links.set(change.id, sentences);
  }
  return links;
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

// A few ids by name, then a count: a problem linked from thousands of changes stays one line.
function joinIds(ids: readonly string[]): string {
  const few = 5;
  const shown = ids.slice(0, few);
  if (ids.length > few) return `${shown.join(', ')} and ${ids.length - few} more`;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}
