import { terminalAsk } from './ask.js';
import { main } from './main.js';

// A reader that stops early (`changeops check | head`) closes the pipe: that is not an error of
// ours, and must not end in a stack trace. Anything else on the streams is.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

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
