import type { Logger } from './logger.ts';

/**
 * Logs the first event of a kind at once and folds the repeats of the next `intervalMs`
 * into one summary line, so a flood of refused connections cannot flood the log too.
 */
export class ThrottledLog {
  private readonly windows = new Map<string, { peer: string; event: string; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  /** `key` says which events are repeats of one another, e.g. the reason and the address. */
  event(key: string, peer: string, event: string, details: string): void {
    const open = this.windows.get(key);
    if (open) {
      open.suppressed++;
      open.peer = peer;
      return;
    }
    this.log.event(peer, event, details);
    const window = { peer, event, suppressed: 0 };
    this.windows.set(key, window);
    setTimeout(() => {
      this.windows.delete(key);
      if (window.suppressed > 0)
        this.log.event(window.peer, window.event, `${window.suppressed} more (${key}) within ${this.intervalMs} ms`);
    }, this.intervalMs).unref();
  }
}
