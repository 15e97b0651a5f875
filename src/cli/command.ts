import type { ParseArgsConfig } from 'node:util';
import type { Io } from './output.js';

/** One subcommand: its options, its help and what it runs. */
export interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(
    args: {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
      dir: string;
    },
    io: Io,
  ): number | Promise<number>;
}

/**
 * A subcommand as the top-level help lists it: its one-line summary, and its module loaded only
 * when it runs (or its help is asked for), so a run loads the code of one command, not all.
 */
export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}
