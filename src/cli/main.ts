import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NoRecordsError } from '../app/errors/no-records-error.js';
import { isDirectory } from '../fs/write-file.js';
import type { Command } from './command.js';
import { oneLine } from '../render/terminal.js';
import { exitCodes, type Io } from './output.js';
import { UsageError } from './usage-error.js';
import { workflowSafe } from '../render/terminal.js';
import { checkCommand } from './check.js';
import { gateCommand } from './gate.js';
import { impactCommand } from './impact.js';
import { releaseCommand } from './release.js';
import { reportCommand } from './report.js';
import { evidenceCommand } from './evidence.js';
import { scheduleCommand } from './schedule.js';
import { runValidate, validateHelp } from './validate.js';
import { verifyCommand } from './verify.js';

const common = {
  dir: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The subcommands, in the order `--help` lists them; later issues add to it. */
export const commands: Record<string, Command> = {
  validate: {
    summary: 'check every record against its schema and check integrity',
    help: validateHelp,
    options: { 'no-cache': { type: 'boolean' } },
    run: ({ values, positionals, dir }, io) => {
      if (positionals.length > 0) {
        throw new UsageError(`validate takes no arguments, not ${positionals.join(' ')}`);
      }
      return runValidate(
        { dir, json: values.json === true, cache: values['no-cache'] !== true },
        io,
      );
    },
  },
  check: checkCommand,
  gate: gateCommand,
  impact: impactCommand,
  schedule: scheduleCommand,
  verify: verifyCommand,
  release: releaseCommand,
  report: reportCommand,
  evidence: evidenceCommand,
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

Every command takes --dir DIR (the repository root, default .) and --json (machine output).
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
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(mainHelp());
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version' || name === '-V') {
    io.out(process.env.CHANGEOPS_VERSION ?? '0.1.0');
    return exitCodes.ok;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`changeops: unknown command "${name}"\n\n${mainHelp()}`);
    return exitCodes.usage;
  }
  try {
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
    if (error instanceof UsageError) {
      io.err(`changeops ${name}: ${error.message}\n\n${command.help}`);
      return exitCodes.usage;
    }
    // Nothing to read there: one line (the command line is right, the folder is not).
    if (error instanceof NoRecordsError) {
      io.err(`changeops ${name}: ${oneLine(error.sentence('--dir'))}`);
      return exitCodes.usage;
    }
    // Anything else is our bug or the environment's: one clear line, no stack unless asked.
    io.err(`changeops ${name}: ${(error as Error)?.message ?? String(error)}`);
    if (process.env.CHANGEOPS_DEBUG) io.err(String((error as Error)?.stack));
    return exitCodes.usage;
  }
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
