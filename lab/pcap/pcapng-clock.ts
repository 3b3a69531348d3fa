/**
 * Turns a pcapng timestamp (64 bits in the interface's units) into microseconds since the epoch.
 * `if_tsresol` gives the unit: 10^-v seconds, or 2^-v when its top bit is set; microseconds when absent.
 * `if_tsoffset` is a number of seconds to add.
 */
export type PcapngClock = (high: number, low: number) => number;

export function pcapngClock(tsresol: number | null, offsetSeconds = 0n): PcapngClock {
  const offsetUs = Number(offsetSeconds) * 1_000_000;
  const resol = tsresol ?? 6;
  // Microsecond timestamps of this century fit in a double exactly: no BigInt per packet for the common case.
  if (resol === 6) return (high, low) => high * 2 ** 32 + low + offsetUs;
  const binary = (resol & 0x80) !== 0;
  const power = BigInt(resol & 0x7f);
  const toUs = binary
    ? (ticks: bigint) => (ticks * 1_000_000n) >> power
    : power >= 6n
      ? (ticks: bigint) => ticks / 10n ** (power - 6n)
      : (ticks: bigint) => ticks * 10n ** (6n - power);
  return (high, low) => Number(toUs((BigInt(high) << 32n) | BigInt(low))) + offsetUs;
}
