import {
  countSeverities,
  type Finding,
  type Severity,
  type SeverityCounts,
  type SourcePosition,
} from './finding.js';

/**
 * How many findings are listed: a hostile file can hold 100,000 mistakes, and listing them all
 * costs time, memory and every reader's patience. The rest are counted, never dropped: one
 * finding says how many more there are, of which severities, and the counts stay the totals.
 */
export const findingCaps = Object.freeze({ perFile: 100, perRun: 1_000 });

/** The rule of the finding that stands for the findings not listed. */
export const omittedRule = 'too-many-findings';

const rank: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** No findings of any severity: the start of a tally. */
export function noCounts(): SeverityCounts {
  return { errors: 0, warnings: 0, notices: 0 };
}

/**
 * The finding that stands for findings not listed, at the first of them. Its severity is the
 * worst among them, so a run whose errors were not listed still fails.
 */
export function omittedFinding(
  at: SourcePosition,
  omitted: SeverityCounts,
  scope: { files: number } | 'file',
): Finding {
  const total = omitted.errors + omitted.warnings + omitted.notices;
  const severity: Severity = omitted.errors ? 'error' : omitted.warnings ? 'warning' : 'notice';
  const where =
    scope === 'file'
      ? `in this file are not listed (${countWords(omitted)}): changeops lists at most ${findingCaps.perFile} a file`
      : `in ${scope.files} file${scope.files === 1 ? '' : 's'} are not listed (${countWords(omitted)}): changeops lists at most ${grouped(findingCaps.perRun)} a run`;
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    severity,
    rule: omittedRule,
    message: `${grouped(total)} more finding${total === 1 ? '' : 's'} ${where}; fix the ones listed and run it again`,
    omitted: { ...omitted },
  };
}

/**
 * Collects findings as a check makes them, at most `perFile` a file: past that a finding is only
 * counted, never built (no position looked up, no message worded), and `done` adds one finding
 * per such file that says how many more there are. capFindings folds these in later.
 */
export class FindingCollector {
  readonly #list: Finding[] = [];
  readonly #files = new Map<
    string,
    { listed: number; omitted: SeverityCounts; at?: SourcePosition }
  >();

  constructor(private readonly perFile: number = findingCaps.perFile) {}

  #file(file: string) {
    let entry = this.#files.get(file);
    if (!entry) this.#files.set(file, (entry = { listed: 0, omitted: noCounts() }));
    return entry;
  }

  /**
   * Adds the finding `build` makes on `file`, or, when the file has its fill, counts one of
   * `severity` there; `where` gives the position of the first one not listed.
   */
  add(file: string, severity: Severity, build: () => Finding, where: () => SourcePosition): void {
    const entry = this.#file(file);
    if (entry.listed < this.perFile) {
      entry.listed++;
      this.#list.push(build());
      return;
    }
    entry.at ??= where();
    if (severity === 'error') entry.omitted.errors++;
    else if (severity === 'warning') entry.omitted.warnings++;
    else entry.omitted.notices++;
  }

  /** The findings listed, then one per file that had more. */
  done(): Finding[] {
    const out = [...this.#list];
    for (const entry of this.#files.values())
      if (entry.at) out.push(omittedFinding(entry.at, entry.omitted, 'file'));
    return out;
  }
}

/**
 * Caps a list of findings: at most `perFile` a file and `perRun` in all, errors kept before
 * warnings and notices, then in the order given. What is left out becomes one finding per file
 * (and one for the run), merged with any such finding already in the list. Linear in the
 * findings; the order given is kept for those listed.
 */
export function capFindings<T extends Finding>(
  findings: readonly T[],
  caps: { perFile: number; perRun: number } = findingCaps,
): Finding[] {
  const byFile = new Map<string, { listed: Finding[]; cap?: Finding; omitted: SeverityCounts }>();
  const groups: Array<{ listed: Finding[]; cap?: Finding; omitted: SeverityCounts }> = [];
  for (const finding of findings) {
    let group = byFile.get(finding.file);
    if (!group) {
      group = { listed: [], omitted: noCounts() };
      byFile.set(finding.file, group);
      groups.push(group);
    }
    if (finding.omitted) {
      // An earlier cap (the loader caps each file as it reads it): fold it into this one.
      group.cap ??= finding;
      add(group.omitted, finding);
    } else group.listed.push(finding);
  }
  const entries: Finding[] = [];
  for (const group of groups) {
    let listed = group.listed;
    if (listed.length > caps.perFile) {
      const kept = mostSevere(listed, caps.perFile);
      const dropped = listed.filter((finding) => !kept.has(finding));
      for (const finding of dropped) add(group.omitted, finding);
      group.cap ??= dropped[0];
      listed = listed.filter((finding) => kept.has(finding));
    }
    for (const finding of listed) entries.push(finding);
    const { errors, warnings, notices } = group.omitted;
    if (group.cap && errors + warnings + notices > 0)
      entries.push(omittedFinding(group.cap, group.omitted, 'file'));
  }
  if (entries.length <= caps.perRun) return entries;
  const kept = mostSevere(entries, caps.perRun - 1);
  const omitted = noCounts();
  const files = new Set<string>();
  let first: Finding | undefined;
  const listed: Finding[] = [];
  for (const finding of entries) {
    if (kept.has(finding)) listed.push(finding);
    else {
      first ??= finding;
      files.add(finding.file);
      add(omitted, finding);
    }
  }
  listed.push(omittedFinding(first!, omitted, { files: files.size }));
  return listed;
}

/** The `count` most severe findings, the first of equals first, as a set. */
function mostSevere(findings: readonly Finding[], count: number): Set<Finding> {
  const kept = new Set<Finding>();
  for (const severity of ['error', 'warning', 'notice'] as const) {
    for (const finding of findings) {
      if (kept.size >= count) return kept;
      if (rank[finding.severity] === rank[severity]) kept.add(finding);
    }
  }
  return kept;
}

function countWords(counts: SeverityCounts): string {
  const parts: string[] = [];
  const plural = (n: number, word: string) => `${grouped(n)} ${word}${n === 1 ? '' : 's'}`;
  if (counts.errors) parts.push(plural(counts.errors, 'error'));
  if (counts.warnings) parts.push(plural(counts.warnings, 'warning'));
  if (counts.notices) parts.push(plural(counts.notices, 'notice'));
  return parts.join(', ');
}

function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function add(counts: SeverityCounts, finding: Finding): void {
  const more = countSeverities([finding]);
  counts.errors += more.errors;
  counts.warnings += more.warnings;
  counts.notices += more.notices;
}
