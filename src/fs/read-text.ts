import { readFileSync, statSync } from 'node:fs';
import { ChangeopsError } from '../errors/changeops-error.js';

/** A file given on the command line cannot be read: said with its path, never a stack. */
export class InputFileError extends ChangeopsError {
  override name = 'InputFileError';
}

/** Reads a UTF-8 text file of at most `maxBytes`; throws an InputFileError that names it. */
export function readTextFile(path: string, maxBytes: number, what: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputFileError(`${what} ${path} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(
      `${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        cause: error,
      },
    );
  }
  if (size > maxBytes)
    throw new InputFileError(`${what} ${path} is ${size} bytes, over the limit of ${maxBytes}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    throw new InputFileError(`${what} ${path} is not UTF-8 text`, { cause: error });
  }
}
