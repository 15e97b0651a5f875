import { validateRepository } from '../app/validate.js';
import type { Command } from './command.js';
import {
  countSummary,
  exitCodes,
  findingJson,
  formatFinding,
  printJson,
  type Io,
} from './output.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops validate`. */
export const validateHelp = `Usage: changeops validate [--dir DIR] [--json]

Checks every record (changeops.yaml, changes/, cmdb/) against its schema and checks integrity:
unique ids, file names that match ids, references that resolve. The policy is checked as check
uses it: rule ids and parameters against the rules changeops has, time zones, freeze dates.
Warns about YAML that looks like records where changeops does not read it (Changes/, change/,
a change file at the root), and notes when there is no changeops.yaml and the defaults apply.
Needs no git and no GitHub. Inside a git repository it keeps an estate snapshot in
.git/changeops/ and, on the next run, parses only the record files changed since; the output is
the same either way.

Options:
  --dir DIR   the repository root (default: the current directory)
  --json      print {"ok", "valid", "policyUsable", "errors", "warnings", "counts", "files",
              "records"} instead of text (schemas/output/validate.schema.json)
  --no-cache  read and parse every record file; no snapshot is read or written

Exit codes: 0 valid, 1 a record is invalid, 2 usage or configuration error (DIR holds no
changeops.yaml, changes/ or cmdb/; changeops.yaml unusable).`;

/** Runs `changeops validate`: prints findings like a compiler and returns the exit code. */
export async function runValidate(
  options: { dir: string; json: boolean; cache?: boolean },
  io: Io,
): Promise<number> {
  const outcome = await validateRepository(
    options.dir,
    options.cache === false ? { cache: false } : {},
  );
  const errors = outcome.findings.filter((f) => f.severity === 'error');
  const others = outcome.findings.filter((f) => f.severity !== 'error');
  const { counts } = outcome;
  if (options.json) {
    printJson(io, {
      ok: outcome.valid && outcome.policyUsable,
      valid: outcome.valid,
      policyUsable: outcome.policyUsable,
      errors: errors.map(findingJson),
      warnings: others.map(findingJson),
      counts,
      files: outcome.files,
      records: outcome.records,
    });
  } else {
    for (const finding of outcome.findings) io.out(formatFinding(finding));
    const files = `${outcome.records} record${outcome.records === 1 ? '' : 's'} in ${outcome.files} file${outcome.files === 1 ? '' : 's'}`;
    io.out(
      outcome.valid
        ? `✓ ${files}: valid${others.length ? ` (${countSummary({ ...counts, errors: 0 }).replace(/^0 errors, /, '')})` : ''}`
        : `✗ ${files}: ${countSummary(counts)}`,
    );
  }
  if (!outcome.policyUsable) return exitCodes.usage;
  return outcome.valid ? exitCodes.ok : exitCodes.failed;
}

/** `changeops validate`: its options and what it runs. */
export const validateCommand: Command = {
  help: validateHelp,
  options: { 'no-cache': { type: 'boolean' } },
  run: ({ values, positionals, dir }, io) => {
    if (positionals.length > 0) {
      throw new UsageError(`validate takes no arguments, not ${positionals.join(' ')}`);
    }
    return runValidate({ dir, json: values.json === true, cache: values['no-cache'] !== true }, io);
  },
};
