import { impact, impactAt } from '../app/impact.js';
import type { ImpactOutcome, ImpactSubject } from '../evaluate/impact.js';
import { shortPaths, type ImpactAssessment } from '../impact/impact.js';
import { show } from '../records/wording.js';
import { renderImpactMermaid } from '../render/impact-mermaid.js';
import { renderImpactText } from '../render/impact-text.js';
import { renderImpactTree } from '../render/impact-tree.js';
import type { Command } from './command.js';
import { oneLine } from '../render/terminal.js';
import { exitCodes, formatFinding, printJson, type Io } from './output.js';
import { CommandError, UsageError } from './usage-error.js';

/** Help for `changeops impact`. */
export const impactHelp = `Usage: changeops impact <ci-id | change-id> [--at REF] [--format text|tree|mermaid] [--dir DIR] [--json]

Shows the blast radius of a change: for a CI id, every CI that changing it impacts; for a change
id (CHG-...), every CI the change's cis impact. A CI is impacted when it depends on (dependsOn)
or is part of (partOf) an impacted CI, transitively. Each impacted CI is listed with its depth
(hops from a named CI) and the path that explains it (past five CIs only its first and last
hop: a > b > … > y > z), then the impact level (from the policy's impactByCriticality, set by
the most critical CI reached) overall and per environment. For a change, last, the problems it
is linked with: "CHG-0051 remediates #123, opened by the failure of CHG-0042" (its problem
field, and the review.problemIssue a failed change records).

Options:
  --at REF    answer from the records as they were at a commit (a branch, tag or sha), read
              through git, instead of the working tree: the CMDB of a past change. changeops
              evidence uses the commit that approved the change
  --format F  text (default): a table of the impacted CIs, then the levels
              tree: the same as an indented tree of explanations, then the levels
              mermaid: a mermaid flowchart only, bare (starting with "graph LR", no fence), so
              it can be written into a Markdown file inside a \`\`\`mermaid fence, which GitHub draws
  --dir DIR   the repository root (default: the current directory)
  --json      print {"ok", "subject" (with "problemLinks" for a change), "impacted": [{"id",
              "name", "depth", "via", "through", "relation", "criticality", "environment"}],
              "level", "mostCritical", "environments", "unknown", "recordErrors", "at"} ("at":
              {"ref", "sha"} with --at, else null; schemas/output/impact.schema.json); not with
              --format. "via" is the path from a named CI, past five CIs only its first and last
              hop (["a", "b", "…", "y", "z"]); "through" the CI before it (null when named)

The records are not judged here: when they have errors (run changeops validate), a note on
stderr says the impact may be incomplete, and the exit code does not change.

Exit codes: 0 the impact was shown, 2 no id, an id that is neither a CI nor a change (with the
closest known id), a --at that is not a commit, or a usage error.`;

const formats = ['text', 'tree', 'mermaid'] as const;
type Format = (typeof formats)[number];

/** The `impact` entry of the CLI's command table. */
export const impactCommand: Command = {
  help: impactHelp,
  options: { format: { type: 'string' }, at: { type: 'string' } },
  run: ({ values, positionals, dir }, io) => {
    if (positionals.length === 0) throw new UsageError('give a CI id or a change id (CHG-...)');
    if (positionals.length > 1)
      throw new UsageError(`give one id, not ${positionals.length}: ${positionals.join(' ')}`);
    const format = values.format;
    if (format !== undefined && !(formats as readonly unknown[]).includes(format))
      throw new UsageError(`--format is ${show(format)}; use text, tree or mermaid`);
    if (format !== undefined && values.json === true)
      throw new UsageError('--json and --format exclude each other; give one of them');
    if (values.at === '') throw new UsageError('--at needs a ref');
    return runImpact(
      {
        dir,
        id: positionals[0]!,
        json: values.json === true,
        format: (format as Format) ?? 'text',
        ...(typeof values.at === 'string' ? { at: values.at } : {}),
      },
      io,
    );
  },
};

/** Runs `changeops impact`: prints the impact (or JSON) and returns the exit code. */
export async function runImpact(
  options: { dir: string; id: string; json: boolean; format: Format; at?: string },
  io: Io,
): Promise<number> {
  // A --at that git cannot resolve throws a GitError: main says so (exit 2).
  const outcome: ImpactOutcome & { at?: { ref: string; sha: string } } =
    options.at !== undefined
      ? await impactAt(options.dir, options.id, options.at)
      : impact(options.dir, options.id);
  if (!outcome.found) {
    const hint = outcome.suggestion ? `; did you mean "${oneLine(outcome.suggestion)}"?` : '';
    const what = outcome.release
      ? 'is a release; give a CI id or a change id (CHG-...)'
      : options.id.startsWith('CHG-')
        ? `is not a known change${hint}`
        : `is neither a CI of the CMDB nor a change${hint}`;
    const when = outcome.at ? ` at ${outcome.at.sha.slice(0, 12)}` : '';
    throw new CommandError('not-found', `${oneLine(show(options.id))} ${what}${when}`);
  }

  // The note goes to stderr so that JSON and mermaid output stay whole on stdout.
  const note = incompleteNote(outcome);
  if (note) io.err(note);
  for (const finding of outcome.unread) io.err(`note: ${formatFinding(finding)}`);
  if (options.json) {
    printJson(io, toJson(outcome));
    return exitCodes.ok;
  }
  if (options.format === 'mermaid') {
    io.out(renderImpactMermaid(outcome.impact).trimEnd());
    return exitCodes.ok;
  }
  if (outcome.at) {
    const sha = outcome.at.sha.slice(0, 12);
    // A sha given as the ref is said once.
    io.out(
      outcome.at.sha.startsWith(outcome.at.ref.toLowerCase())
        ? `As of commit ${sha}:`
        : `As of ${oneLine(outcome.at.ref)} (commit ${sha}):`,
    );
  }
  io.out(subjectLine(outcome.subject));
  const body =
    options.format === 'tree' ? renderImpactTree(outcome.impact) : renderImpactText(outcome.impact);
  io.out(body.trimEnd());
  io.out('');
  io.out(levelLines(outcome.assessment, outcome).join('\n'));
  const links = outcome.subject.kind === 'change' ? (outcome.subject.problemLinks ?? []) : [];
  if (links.length > 0) io.out(['', ...links.map(oneLine)].join('\n'));
  return exitCodes.ok;
}

function incompleteNote(outcome: ImpactOutcome): string | undefined {
  if (outcome.recordErrors === 0 && outcome.policyUsable) return undefined;
  const parts: string[] = [];
  if (outcome.recordErrors > 0)
    parts.push(
      `the records have ${outcome.recordErrors} error${outcome.recordErrors === 1 ? '' : 's'}, so the impact may be incomplete`,
    );
  if (!outcome.policyUsable)
    parts.push(
      'changeops.yaml cannot be used, so the levels follow the default impactByCriticality',
    );
  return `note: ${parts.join('; ')} (run changeops validate)`;
}

function subjectLine(subject: ImpactSubject): string {
  if (subject.kind === 'change') {
    return oneLine(`${subject.id}  ${subject.title} (${subject.type} change, ${subject.status})`);
  }
  const facts = [
    subject.class,
    subject.criticality !== null ? `criticality ${subject.criticality}` : '',
    subject.environment ?? '',
  ].filter(Boolean);
  // A CI without a name of its own is named by its id: say it once.
  const name = subject.name !== subject.id ? `  ${subject.name}` : '';
  return oneLine(`${subject.id}${name}${facts.length ? ` (${facts.join(', ')})` : ''}`);
}

function levelLines(
  assessment: ImpactAssessment,
  outcome: Extract<ImpactOutcome, { found: true }>,
): string[] {
  if (assessment.mostCritical === null) return ['Impact level: low (no CI of the CMDB is reached)'];
  const position = outcome.impact.impacted.findIndex((ci) => ci.id === assessment.mostCritical);
  const via = position >= 0 ? shortPaths(outcome.impact)(position) : [];
  const lines = [
    oneLine(
      `Impact level: ${assessment.level}, set by ${assessment.mostCritical} (criticality ${assessment.criticality}${via.length > 1 ? `, via ${via.join(' > ')}` : ''})`,
    ),
    'By environment:',
  ];
  const names = assessment.byEnvironment.map((env) => env.environment ?? '(none)');
  // One environment per CI at worst: no spread into Math.max, whose arguments go on the stack.
  const width = names.reduce((most, name) => Math.max(most, name.length), 0);
  const levelWidth = assessment.byEnvironment.reduce(
    (most, env) => Math.max(most, env.level.length),
    0,
  );
  assessment.byEnvironment.forEach((env, k) => {
    lines.push(
      oneLine(
        `  ${names[k]!.padEnd(width)}  ${env.level.padEnd(levelWidth)}  ${env.mostCritical} (criticality ${env.criticality})`,
      ),
    );
  });
  return lines;
}

/**
 * The --json shape. `via` is the path from a named CI, shortened past five CIs to its first and
 * last hop (`["a", "b", "…", "y", "z"]`; ids never contain "…"); `through` is the CI it is
 * reached through (null for a named CI), so the full path of any CI can be followed back.
 * Both keep the output linear in the CIs however deep the CMDB goes.
 */
function toJson(
  outcome: Extract<ImpactOutcome, { found: true }> & { at?: { ref: string; sha: string } },
) {
  const { assessment, impact: result } = outcome;
  const position = result.impacted.findIndex((ci) => ci.id === assessment.mostCritical);
  const pathOf = shortPaths(result);
  return {
    ok: true,
    subject:
      outcome.subject.kind === 'change'
        ? { ...outcome.subject, problemLinks: outcome.subject.problemLinks ?? [] }
        : outcome.subject,
    impacted: result.impacted.map((ci, p) => ({
      id: ci.id,
      name: ci.name ?? null,
      depth: ci.depth,
      via: pathOf(p),
      through: (result.parents[p] ?? -1) >= 0 ? result.impacted[result.parents[p]!]!.id : null,
      relation: ci.relation,
      criticality: ci.criticality ?? null,
      environment: ci.environment ?? null,
    })),
    level: assessment.level,
    mostCritical:
      position >= 0
        ? {
            id: assessment.mostCritical,
            criticality: assessment.criticality,
            via: pathOf(position),
          }
        : null,
    environments: assessment.byEnvironment,
    unknown: result.unknown,
    recordErrors: outcome.recordErrors,
    at: outcome.at ?? null,
  };
}
