import { parseCliOptions } from './cli-options.ts';
import { ClientSession } from './client-session.ts';
import { reasonOf } from './errors.ts';
import { LineInput } from './line-input.ts';
import { TerminalOutput } from './terminal-output.ts';

const options = parseCliOptions(process.argv);
// Plain lines whenever a program is on either end, so the same client can be driven by it.
// isTTY is undefined, not false, on a pipe, though typed boolean.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
const output = new TerminalOutput(process.stdout, Boolean(process.stdout.isTTY && process.stdin.isTTY));
const input = new LineInput(process.stdin, output);
const session = new ClientSession(input, output, options);

// Either signal removes the temp file of a running download before the process goes.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    void session.interrupt().finally(() => process.exit(code));
  });
}

session.run().then(
  (code) => {
    input.close();
    process.exit(code);
  },
  (error: unknown) => {
    output.line(`Client error: ${reasonOf(error)}`);
    process.exit(1);
  },
);
