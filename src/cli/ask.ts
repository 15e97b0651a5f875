import { createInterface, type Interface } from 'node:readline';
import type { Io } from './output.js';

/**
 * Questions on the terminal with node:readline: one interface for the whole run, made on the
 * first question and closed by `close` (an open one keeps the process alive). Tab completes the
 * last item of a comma-separated answer from the question's completions.
 */
export function terminalAsk(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): { ask: NonNullable<Io['ask']>; close: () => void } {
  let readline: Interface | undefined;
  let completions: readonly string[] = [];
  const completer = (line: string): [string[], string] => {
    const last = line.slice(line.lastIndexOf(',') + 1).trimStart();
    return [completions.filter((word) => word.startsWith(last)), last];
  };
  return {
    ask: (question, offered = []) => {
      completions = offered;
      readline ??= createInterface({ input, output, completer, terminal: true });
      const asking = readline;
      return new Promise((resolve, reject) => {
        const closed = () => reject(new Error('no answer: the input closed'));
        asking.once('close', closed);
        asking.question(question, (answer) => {
          asking.off('close', closed);
          resolve(answer.trim());
        });
      });
    },
    close: () => readline?.close(),
  };
}
