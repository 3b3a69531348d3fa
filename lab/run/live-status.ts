/** What the console shows while scenarios run, whatever the terminal. */
export interface RunConsole {
  started(name: string, title: string): void;
  note(name: string, message: string): void;
  finished(name: string, line: string): void;
  /** Plain output outside any live region (the header, the table). */
  print(text: string): void;
  close(): void;
}

/**
 * One scenario at a time: the story as it happens, every step indented under the scenario's
 * header, as a class watches it on a projector.
 */
export function storyConsole(write: (text: string) => void): RunConsole {
  return {
    started: (name, title) => write(`\n▶ ${name}: ${title}\n`),
    note: (_name, message) => write(`    ${message}\n`),
    finished: (_name, line) => write(`${line}\n`),
    print: (text) => write(`${text}\n`),
    close: () => undefined,
  };
}

/** Several at once into a log (CI, a pipe): every line carries its scenario's name, so interleaved lines stay readable. */
export function prefixedConsole(write: (text: string) => void): RunConsole {
  let width = 0;
  const prefix = (name: string) => `${name.padEnd(width)} │ `;
  return {
    started: (name, title) => {
      width = Math.max(width, name.length);
      write(`${prefix(name)}▶ ${title}\n`);
    },
    note: (name, message) => write(`${prefix(name)}  ${message}\n`),
    finished: (name, line) => write(`${prefix(name)}${line}\n`),
    print: (text) => write(`${text}\n`),
    close: () => undefined,
  };
}

interface Running {
  since: number;
  last: string;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * Several at once on a terminal: one live line per running scenario (its time so far and its
 * latest step), redrawn in place below the lines of the scenarios that finished.
 */
export function liveConsole(
  stream: { write(text: string): unknown; columns?: number },
  now: () => number = Date.now,
): RunConsole {
  const running = new Map<string, Running>();
  let drawn = 0;
  let frame = 0;
  const clear = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    const nameWidth = Math.max(0, ...[...running.keys()].map((n) => n.length));
    const spin = SPINNER[frame++ % SPINNER.length];
    const lines = [...running].map(([name, r]) => {
      const secs = `${((now() - r.since) / 1000).toFixed(0)} s`.padStart(5);
      return truncate(`${spin} ${name.padEnd(nameWidth)} ${secs}  ${r.last}`, width);
    });
    if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    started: (name) => {
      running.set(name, { since: now(), last: 'starting' });
      draw();
    },
    note: (name, message) => {
      const r = running.get(name);
      if (r) r.last = message.replace(/\s+/g, ' ');
    },
    finished: (name, line) => {
      running.delete(name);
      clear();
      stream.write(`${line}\n`);
      draw();
    },
    print: (text) => {
      clear();
      stream.write(`${text}\n`);
      draw();
    },
    close: () => {
      clearInterval(timer);
      clear();
    },
  };
}

function truncate(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`;
}
