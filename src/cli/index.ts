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

// Lines for stdout are written together at the end of the tick that printed them, not one
// write each: a check prints a line per change, and each write to a pipe is a system call.
// Anything for stderr and any question goes after what stdout has so far, in order.
let pending: string[] = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  process.stdout.write(text);
};

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => {
    pending.push(`${text}\n`);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  },
  err: (text) => {
    flush();
    process.stderr.write(`${text}\n`);
  },
  ...(terminal
    ? {
        ask: (...question: Parameters<typeof terminal.ask>) => {
          flush();
          return terminal.ask(...question);
        },
      }
    : {}),
});
flush();
terminal?.close();
