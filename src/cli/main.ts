import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NoRecordsError } from '../app/errors/no-records-error.js';
import { SetupError } from '../app/errors/setup-error.js';
import { WriteError } from '../app/errors/write-error.js';
import { InputFileError } from '../fs/read-text.js';
import { GitError } from '../git/errors/git-error.js';
import { isDirectory } from '../fs/write-file.js';
import type { CommandEntry } from './command.js';
import { oneLine, workflowSafe } from '../render/terminal.js';
import { exitCodes, type Io } from './output.js';
import { CommandError, UsageError, type ErrorCode } from './usage-error.js';
import { version } from '../version.js';

const common = {
  dir: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * The subcommands, in the order `--help` lists them; later issues add to it. A command's module
 * is imported when it runs (validate's, check's, or the one of all the others): the bundle splits
 * them into chunks, so `validate` does not load the GitHub client, the templates or the approval
 * engine.
 */
export const commands: Record<string, CommandEntry> = {
  validate: {
    summary: 'check every record against its schema and check integrity',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  check: {
    summary:
      'evaluate changes and releases (changed since --base, or all pending) against the policy',
    load: async () => (await import('./check.js')).checkCommand,
  },
  gate: {
    summary:
      'simulate the CAB approval gate offline from a file of reviews: who must still approve',
    load: async () => (await import('./commands.js')).gateCommand,
  },
  impact: {
    summary: 'show the CIs a change to a CI (or a change) impacts, why, and the impact level',
    load: async () => (await import('./commands.js')).impactCommand,
  },
  schedule: {
    summary: 'show the forward schedule of change with collisions and freeze conflicts',
    load: async () => (await import('./commands.js')).scheduleCommand,
  },
  verify: {
    summary: 'run the post-implementation checks of changes and say whether they passed',
    load: async () => (await import('./commands.js')).verifyCommand,
  },
  release: {
    summary:
      'say whether a release is ready (its changes approved on the branch) and print its notes',
    load: async () => (await import('./commands.js')).releaseCommand,
  },
  report: {
    summary: 'compute the change KPIs of a window from the records and their git history',
    load: async () => (await import('./commands.js')).reportCommand,
  },
  evidence: {
    summary: 'write the evidence pack of a change for auditors, sealed by a digest',
    load: async () => (await import('./commands.js')).evidenceCommand,
  },
  init: {
    summary:
      'set up a repository: policy, folders, a first CI, schemas, the gate and verify workflows',
    load: async () => (await import('./commands.js')).initCommand,
  },
  new: {
    summary: 'write a new change record with the next free id (asks on a terminal)',
    load: async () => (await import('./commands.js')).newCommand,
  },
};

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return `Usage: changeops <command> [options]

ITIL change, release and configuration management as YAML records in Git.

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
  .join('\n')}

Every command takes --dir DIR (the repository root, default .) and --json (machine output:
one JSON document on stdout with "ok" true or false, the shape in schemas/output/; a command
that cannot answer prints {"ok": false, "error": {"code", "message"}}). Files named in options
(--ics, --out, --reviews, --members) are relative to the current directory, not to --dir.
Dates are a day (2027-02-01, UTC) or a date and time with its zone (2027-02-01T08:00:00Z), for
every option.
Run changeops <command> --help for a command's options.
Exit codes: 0 fine, 1 the records or change fail, 2 usage or configuration error.`;
}

/**
 * Runs the CLI on its arguments and returns the exit code; never throws. Everything it prints
 * goes through `workflowSafe` here, once, so no record can make a line a workflow command of the
 * runner a `run:` step prints to, whichever command or format printed it.
 */
export async function main(argv: readonly string[], raw: Io): Promise<number> {
  const io: Io = {
    out: (text) => raw.out(workflowSafe(text)),
    err: (text) => raw.err(workflowSafe(text)),
    // A question can quote a record too (a default taken from the CMDB): the same boundary.
    ...(raw.ask
      ? { ask: (question, completions) => raw.ask!(workflowSafe(question), completions) }
      : {}),
  };
  const [name, ...rest] = argv;
  // Asked for JSON: whatever goes wrong is one JSON document on stdout too, so a script that
  // parses stdout always gets one.
  const json = rest.includes('--json');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(mainHelp());
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version' || name === '-V') {
    io.out(version);
    return exitCodes.ok;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    if (json || name === '--json')
      printError(io, 'usage', `unknown command ${JSON.stringify(name)}`);
    io.err(`changeops: unknown command "${name}"\n\n${mainHelp()}`);
    return exitCodes.usage;
  }
  let help = '';
  try {
    const command = await entry.load();
    help = command.help;
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...common, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(argumentProblem(error));
    }
    if (parsed.values.help) {
      io.out(command.help);
      return exitCodes.ok;
    }
    const dir = resolve(typeof parsed.values.dir === 'string' ? parsed.values.dir : '.');
    if (!isDirectory(dir)) throw new UsageError(`--dir ${dir} is not a directory`);
    return await command.run({ values: parsed.values, positionals: parsed.positionals, dir }, io);
  } catch (error) {
    const { code, message } = failureOf(error);
    if (json) printError(io, code, message);
    // The usage follows a wrong command line, unless the output is for a script.
    io.err(
      `changeops ${name}: ${message}${code === 'usage' && !json && help ? `\n\n${help}` : ''}`,
    );
    if (code === 'internal' && process.env.CHANGEOPS_DEBUG) io.err(String((error as Error)?.stack));
    return exitCodes.usage;
  }
}

/** What went wrong, by kind: one line for stderr (no stack), and the code --json gives. */
function failureOf(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof CommandError) return { code: error.code, message: oneLine(error.message) };
  // Nothing to read there: one line (the command line is right, the folder is not).
  if (error instanceof NoRecordsError)
    return { code: 'no-records', message: oneLine(error.sentence('--dir')) };
  // A base or branch that cannot be resolved, or no repository: git cannot answer.
  if (error instanceof GitError) return { code: 'git', message: oneLine(error.message) };
  if (error instanceof SetupError) return { code: 'setup', message: oneLine(error.message) };
  if (error instanceof WriteError || error instanceof InputFileError)
    return { code: 'io', message: oneLine(error.message) };
  // Anything else is our bug or the environment's: one clear line, no stack unless asked.
  return { code: 'internal', message: oneLine((error as Error)?.message ?? String(error)) };
}

/** The --json answer of a command that could not answer (schemas/output/error.schema.json). */
function printError(io: Io, code: ErrorCode, message: string): void {
  io.out(JSON.stringify({ ok: false, error: { code, message } }, null, 2));
}

/** Node's parseArgs messages, in the words of the rest of the CLI. */
function argumentProblem(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^']*)'/.exec(message ?? '')?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return `the option ${option.split(' ')[0]} needs a value`;
  }
  return message ?? String(error);
}
