import cliProgress from 'cli-progress';
import type { TerminalOutput } from './terminal-output.ts';

/** How far a download got, shown while it runs. */
export interface Progress {
  update(held: number): void;
  /** Takes the bar off the screen, e.g. before a question. */
  suspend(): void;
  resume(): void;
  done(): void;
}

/** A bar on a TTY; on a pipe, a plain line each time another 10% arrived. */
export function createProgress(output: TerminalOutput, label: string, total: number): Progress {
  return output.isTty ? barProgress(output, label, total) : lineProgress(output, label, total);
}

function lineProgress(output: TerminalOutput, label: string, total: number): Progress {
  let shownDecile = 0;
  return {
    update(held) {
      const decile = total === 0 ? 10 : Math.floor((held * 10) / total);
      if (decile <= shownDecile) return;
      shownDecile = decile;
      output.line(`download ${label}: ${Math.floor((held * 100) / total)}% (${held}/${total} datagrams)`);
    },
    suspend() {},
    resume() {},
    done() {},
  };
}

function barProgress(output: TerminalOutput, label: string, total: number): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} datagrams`,
      stream: output.stream,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let value = 0;
  let running = false;
  const start = () => {
    bar.start(total, value);
    running = true;
  };
  start();
  return {
    update(held) {
      value = held;
      if (running) bar.update(held);
    },
    suspend() {
      if (running) bar.stop();
      running = false;
    },
    resume() {
      if (!running) start();
    },
    done() {
      if (running) bar.update(value);
      this.suspend();
    },
  };
}
