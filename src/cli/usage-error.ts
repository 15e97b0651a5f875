import { ChangeopsError } from '../errors/changeops-error.js';

/**
 * Why a command could not answer (exit 2), by kind, as `--json` gives it in
 * `{"ok": false, "error": {"code", "message"}}` (schemas/output/error.schema.json):
 * `usage` a wrong command line; `no-records` a --dir with nothing changeops reads; `not-found`
 * an id, release or change the records do not have; `git` a ref or history git cannot give;
 * `setup` what a command needs from outside (GitHub, a token); `refused` a file it will not
 * replace; `io` a file it cannot read or write; `internal` anything else (a bug: please report it).
 */
export type ErrorCode =
  'usage' | 'no-records' | 'not-found' | 'git' | 'setup' | 'refused' | 'io' | 'internal';

/** A command that cannot answer: a sentence for stderr, a code for --json, exit 2. */
export class CommandError extends ChangeopsError {
  override name = 'CommandError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A wrong command line: printed with the usage, exit 2. */
export class UsageError extends CommandError {
  override name = 'UsageError';

  constructor(message: string) {
    super('usage', message);
  }
}
