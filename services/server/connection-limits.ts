/** Why a new TCP connection is turned away; the line is what the client is told before the close. */
export type Refusal =
  { reason: 'port-full'; port: number } | { reason: 'address-limit'; address: string; limit: number };

/**
 * Counts the connections the server serves, per port and per client address, and decides
 * whether one more may join. Refused connections are never counted: a peer that does not
 * close after its refusal holds no place.
 */
export class ConnectionLimits {
  private readonly byPort = new Map<number, number>();
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly perPort: number,
    /** 0: no limit per address. */
    private readonly perAddress: number,
  ) {}

  /** Counts the connection and returns null, or returns why it may not join (and counts nothing). */
  admit(port: number, address: string): Refusal | null {
    // The address first: a host over its own limit is told so, not sent to another port.
    if (this.perAddress > 0 && (this.byAddress.get(address) ?? 0) >= this.perAddress)
      return { reason: 'address-limit', address, limit: this.perAddress };
    if ((this.byPort.get(port) ?? 0) >= this.perPort) return { reason: 'port-full', port };
    increment(this.byPort, port, 1);
    increment(this.byAddress, address, 1);
    return null;
  }

  release(port: number, address: string): void {
    increment(this.byPort, port, -1);
    increment(this.byAddress, address, -1);
  }

  /** Connections served from `address` right now. */
  fromAddress(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }
}

function increment<K>(counts: Map<K, number>, key: K, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
