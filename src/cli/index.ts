import { terminalAsk } from './ask.js';
import { main } from './main.js';

// Questions only when a person is at a terminal: a script, a pipe or CI is never asked anything.
const terminal =
  process.stdin.isTTY && process.stdout.isTTY
    ? terminalAsk(process.stdin, process.stdout)
    : undefined;

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  ...(terminal ? { ask: terminal.ask } : {}),
});
terminal?.close();
