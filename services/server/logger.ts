/** One readable line per event on stderr: `<time> <peer> <event> <details>`. */
export interface Logger {
  event(peer: string, event: string, details?: string): void;
}

export function stderrLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  return {
    event(peer, event, details) {
      stream.write(`${new Date().toISOString()} ${peer} ${event}${details ? ` ${details}` : ''}\n`);
    },
  };
}

export const silentLogger: Logger = { event() {} };
