/** `to-client` is downstream (server → client), `to-server` upstream. */
export type Direction = 'to-client' | 'to-server';

interface Scoped {
  /** Default: every client. */
  client?: string;
}

export interface SeqDrop extends Scoped {
  seq: number;
  /** Drop the first `times` transmissions of this seq; later ones pass. */
  times: number;
  /** Default `to-client`: downloads flow from the server. */
  direction?: Direction;
  /** The downloaded file's size; makes the last (short) datagram's drop exact too. */
  fileSize?: number;
}

export interface SeededLoss extends Scoped {
  percent: number;
  seed: number;
  /** Datagrams in the download; the plan covers seq 0 … datagrams-1. */
  datagrams: number;
  fileSize?: number;
  direction?: Direction;
  maxConsecutive?: number;
}

/** Random loss of TCP segments with nft numgen: NOT reproducible (no seed). */
export interface TcpLoss extends Scoped {
  percent: number;
  direction?: Direction;
}

export interface RateLimit extends Scoped {
  /** tc rate, e.g. `10mbit`. */
  rate: string;
  /**
   * How many packets may wait for the link; more are dropped, as at a real bottleneck.
   * Default: the interface's own queue (1000 packets), which delays rather than drops.
   */
  queuePackets?: number;
  direction?: Direction;
}

/** netem features; only where the Docker host's kernel has netem. */
export interface NetemSpec extends Scoped {
  delayMs?: number;
  jitterMs?: number;
  duplicatePercent?: number;
  reorderPercent?: number;
  corruptPercent?: number;
  direction?: Direction;
}

/**
 * Chosen datagrams held back on the way while the others pass: the lab's reordering. A late
 * lane beside the normal one; with netem its delay is exact, without it a token bucket makes it.
 */
export interface Reordering extends Scoped {
  /** The seqs held back (every copy of them). */
  seqs: number[];
  /** How long, in ms (5 unless said). */
  delayMs?: number;
  direction?: Direction;
}

export type Mechanism = 'nftables' | 'tbf' | 'htb' | 'pfifo' | 'netem';
