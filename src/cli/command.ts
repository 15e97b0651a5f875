import type { ParseArgsConfig } from 'node:util';
import type { Io } from './output.js';

/** One subcommand: its options, its help and what it runs. */
export interface Command {
  summary: string;
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
