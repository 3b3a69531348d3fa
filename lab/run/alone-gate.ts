/**
 * Who may start on one engine: any number of ordinary scenario runs at once, or one that must run
 * alone. A run waiting to be alone is let in as soon as the engine is empty, and no ordinary run
 * starts there meanwhile, so it is never starved by a stream of short ones.
 */
export class AloneGate {
  private running = 0;
  private aloneRunning = false;
  private aloneWaiting = 0;
  private wakers: Array<() => void> = [];

  async enter(alone: boolean): Promise<void> {
    if (alone) this.aloneWaiting++;
    while (!(alone ? this.running === 0 : !this.aloneRunning && this.aloneWaiting === 0))
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    if (alone) {
      this.aloneWaiting--;
      this.aloneRunning = true;
    }
    this.running++;
  }

  leave(alone: boolean): void {
    this.running--;
    if (alone) this.aloneRunning = false;
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}
