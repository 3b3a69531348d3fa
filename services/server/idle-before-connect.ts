/**
 * The deadline of a connection that has not taken a name: it must send a line at least
 * every `ms`, or it is closed. An idle connection holds one of a port's places that
 * somebody else could use; once a name is taken there is no deadline, since chat users
 * rightly sit silent for hours.
 */
export class IdleBeforeConnect {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    /** 0: never. */
    readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    this.restart();
  }

  /** A line came: the clock starts again. */
  restart(): void {
    if (this.ms <= 0 || this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stopped = true;
      this.onIdle();
    }, this.ms);
    this.timer.unref();
  }

  /** A name was taken, or the connection closed. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
