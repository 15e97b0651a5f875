/**
 * The approval gate's result tree, rendered three ways: the checklist in the sticky comment
 * (markdown), a line and a tree for the terminal (`changeops gate`), and the `--json` object.
 * All from the one tree, so they never disagree. Logins, CI ids, change ids, principals and error
 * texts are untrusted: in markdown every one of them goes through `escapeText` (no mention pings
 * anyone, nothing links, nothing becomes a heading or HTML), on a terminal through `oneLine`.
 */
import type {
  ApprovalOutcome,
  CommitState,
  GateResult,
  IgnoredApproval,
  NodeStatus,
  RequirementNode,
  ResultChild,
} from '../approvals/result.js';
import { listUpTo } from '../approvals/wording.js';
import { escapeText } from './markdown.js';
import { oneLine } from './terminal.js';

/** How much of a large tree the checklist shows; the JSON always has everything the tree has. */
export interface ChecklistOptions {
  /** Requirement lines at most (default 50). */
  maxRequirements?: number;
  /** Change and skipped-rule lines at most, each (default 20). */
  maxNotes?: number;
  /** Say that the gate is advisory (default true; the report says it once under its outcome). */
  advisoryNote?: boolean;
  /** Emergency changes that get a retrospective-review issue when the pull request merges. */
  retrospectives?: readonly string[];
  /** The pull request has merged: the retrospectives are opened now. */
  merged?: boolean;
}

const icons: Record<NodeStatus, string> = {
  approved: '✅',
  pending: '⏳',
  disapproved: '⛔',
  error: '❌',
  skipped: '➖',
};

/** What a terminal calls each status. */
const words: Record<NodeStatus, string> = {
  approved: 'approved',
  pending: 'pending',
  disapproved: 'blocked',
  error: 'error',
  skipped: 'skipped',
};

/**
 * The approval checklist for the sticky comment: the verdict, one line per requirement with who
 * approved, what is missing and which approvals were not counted, then how each change came to
 * its requirements and the rules that do not apply (greyed). No headings: the comment has its own.
 */
export function approvalChecklist(result: GateResult, options: ChecklistOptions = {}): string {
  const maxRequirements = options.maxRequirements ?? 50;
  const maxNotes = options.maxNotes ?? 20;
  const t = (text: string, maxLength?: number) =>
    escapeText(text, maxLength === undefined ? {} : { maxLength });
  const lines: string[] = [];
  lines.push(`${icons[result.status]} **${t(result.sentence)}**`);
  lines.push('');
  if (result.advisory && options.advisoryNote !== false) {
    lines.push(
      'ℹ️ **Advisory**: the gate runs without a GitHub App identity, so any workflow allowed to write statuses could post the same `changeops/cab` status. It informs; branch protection can only trust it when pinned to an App.',
    );
    lines.push('');
  }

  const holds = result.children.filter((c) => c.kind === 'hold');
  const problems = result.children.filter((c) => c.kind === 'problem');
  const requirements = result.children.filter((c) => c.kind === 'requirement');
  const changes = result.children.filter((c) => c.kind === 'change');
  const rules = result.children.filter((c) => c.kind === 'rule');
  const ignored = result.children.find((c) => c.kind === 'ignored');
  const notes = result.children.filter((c) => c.kind === 'note');

  for (const hold of holds) lines.push(`- ${icons[hold.status]} ${t(hold.sentence)}`);
  for (const problem of problems) lines.push(`- ${icons.error} ${t(problem.sentence)}`);
  for (const requirement of requirements.slice(0, maxRequirements)) {
    lines.push(
      `- ${icons[requirement.status]} **${t(requirement.name, 100)}** (${t(requirement.label, 100)}): ${t(requirement.sentence)}`,
    );
    if (requirement.ignored.length > 0)
      lines.push(`  - not counted: ${t(ignoredList(requirement.ignored))}`);
  }
  if (requirements.length > maxRequirements)
    lines.push(
      `- … and ${requirements.length - maxRequirements} more requirements (see the job summary or \`changeops gate --json\`)`,
    );
  if (ignored) lines.push(`- 🚫 ${t(ignored.sentence, 3000)}`);
  for (const note of notes) lines.push(`- ℹ️ ${t(note.sentence)}`);
  if (changes.length > 0) {
    lines.push('');
    lines.push('Why these approvals:');
    lines.push('');
    for (const change of changes.slice(0, maxNotes))
      lines.push(`- ${icons[change.status]} ${t(change.sentence)}`);
    if (changes.length > maxNotes) lines.push(`- … and ${changes.length - maxNotes} more changes`);
  }
  const retrospectives = options.retrospectives ?? [];
  if (retrospectives.length > 0) {
    lines.push('');
    lines.push(
      `📝 ${options.merged ? 'This pull request merged, so the gate opened' : 'When this pull request merges, the gate opens'} a retrospective-review issue for ${t(
        listSome(retrospectives),
      )} (emergency ${retrospectives.length === 1 ? 'change' : 'changes'}), listing the ECAB approvers, the impact and the back-out plan; it stays open until a CAB member closes it, which is the CAB's sign-off.`,
    );
  }
  if (rules.length > 0) {
    lines.push('');
    for (const rule of rules.slice(0, maxNotes))
      lines.push(`- ${icons.skipped} _${t(rule.name, 100)}: ${t(rule.sentence)}_`);
    if (rules.length > maxNotes)
      lines.push(`- _… and ${rules.length - maxNotes} more rules that do not apply_`);
  }
  return `${lines.join('\n')}\n`;
}

const listSome = (ids: readonly string[]) => listUpTo(ids, 5);

/** The approval checklist rendered for the report: only `renderedChecklist` makes one. */
export interface RenderedChecklist {
  readonly checklist: true;
}

const renderedChecklists = new WeakMap<RenderedChecklist, string>();

/**
 * The approval checklist as the report embeds it (without its own advisory paragraph: the report
 * warns once, under its outcome). Every part is escaped here, so the report's template prints it
 * through the `checklist` helper, which takes nothing else.
 */
export function renderedChecklist(
  result: GateResult,
  options: Omit<ChecklistOptions, 'advisoryNote'> = {},
): RenderedChecklist {
  const rendered: RenderedChecklist = Object.freeze({ checklist: true as const });
  renderedChecklists.set(rendered, approvalChecklist(result, { ...options, advisoryNote: false }));
  return rendered;
}

/** The markdown of a checklist that `renderedChecklist` made; '' for anything else. */
export function checklistMarkdown(value: unknown): string {
  return value && typeof value === 'object'
    ? (renderedChecklists.get(value as RenderedChecklist) ?? '').trimEnd()
    : '';
}

/** One line for a terminal, as GitHub shows the status: `changeops/cab (pending): 1 of 2 approvals …`. */
export function approvalsLine(result: GateResult): string {
  return oneLine(`${result.name} (${result.commitState}): ${result.sentence}`);
}

/** The tree for a terminal (what `changeops gate` prints): the line, then one line per node. */
export function approvalsText(result: GateResult): string {
  const lines = [approvalsLine(result)];
  for (const child of result.children) {
    const label =
      child.kind === 'requirement'
        ? `${child.name} (${child.label}): `
        : child.kind === 'rule'
          ? `${child.name}: `
          : '';
    const word = child.kind === 'note' ? 'note' : words[child.status];
    lines.push(oneLine(`  ${word.padEnd(8)} ${label}${child.sentence}`));
    if (child.kind === 'requirement' && child.ignored.length > 0)
      lines.push(oneLine(`      not counted: ${ignoredList(child.ignored)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The `--json` form of the gate's result. */
export interface ApprovalsJson {
  /** The action output `approval`. */
  approval: ApprovalOutcome;
  /** The commit status the gate posts (or would post). */
  status: { context: 'changeops/cab'; sha: string; state: CommitState; description: string };
  advisory: boolean;
  /** The whole result tree, every key there (a requirement's `error` is null when it has none). */
  tree: Omit<GateResult, 'children'> & {
    children: ReadonlyArray<
      | Exclude<ResultChild, RequirementNode>
      | (Omit<RequirementNode, 'error'> & { error: string | null })
    >;
  };
}

/** The `--json` form: the status the gate posts and the whole tree, plain data. */
export function approvalsJson(result: GateResult): ApprovalsJson {
  return {
    approval: result.outcome,
    status: {
      context: result.name,
      sha: result.headSha,
      state: result.commitState,
      description: result.sentence,
    },
    advisory: result.advisory,
    // Every key there: a requirement that could be evaluated has "error": null.
    tree: {
      ...result,
      children: result.children.map((child) =>
        child.kind === 'requirement' ? { ...child, error: child.error ?? null } : child,
      ),
    },
  };
}

function ignoredList(ignored: readonly IgnoredApproval[]): string {
  return ignored.map((i) => `${i.login}: ${i.reason}`).join('; ');
}
