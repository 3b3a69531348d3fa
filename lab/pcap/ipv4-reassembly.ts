import type { Ipv4Packet } from './ipv4.ts';

interface Fragment {
  offset: number;
  data: Buffer;
}

interface Pending {
  fragments: Fragment[];
  /** Known once the last fragment (more-fragments flag clear) has been seen. */
  totalLength: number | null;
}

export interface Reassembled {
  packet: Ipv4Packet;
  fragmentCount: number;
}

/**
 * Joins IPv4 fragments back into whole packets, as Wireshark does, keyed by
 * (src, dst, protocol, id). Overlapping bytes keep the first copy seen.
 */
export class Ipv4Reassembler {
  private readonly pending = new Map<string, Pending>();

  /** Returns the whole packet when this fragment completes one, else null. */
  push(fragment: Ipv4Packet): Reassembled | null {
    const key = `${fragment.src}>${fragment.dst}/${fragment.protocol}/${fragment.id}`;
    const entry = this.pending.get(key) ?? { fragments: [], totalLength: null };
    this.pending.set(key, entry);
    entry.fragments.push({ offset: fragment.fragmentOffset, data: fragment.payload });
    if (!fragment.moreFragments) entry.totalLength = fragment.fragmentOffset + fragment.payload.length;
    if (entry.totalLength === null || !covers(entry.fragments, entry.totalLength)) return null;
    this.pending.delete(key);
    const payload = Buffer.alloc(entry.totalLength);
    // Write in reverse arrival order so the first copy of an overlapped byte wins.
    for (const f of [...entry.fragments].reverse())
      f.data.copy(payload, f.offset, 0, Math.max(0, entry.totalLength - f.offset));
    return {
      packet: { ...fragment, fragmentOffset: 0, moreFragments: false, payload },
      fragmentCount: entry.fragments.length,
    };
  }

  /** Packets still missing a fragment when the capture ended. */
  get incomplete(): number {
    return this.pending.size;
  }
}

function covers(fragments: Fragment[], total: number): boolean {
  let reached = 0;
  for (const f of [...fragments].sort((a, b) => a.offset - b.offset)) {
    if (f.offset > reached) return false;
    reached = Math.max(reached, f.offset + f.data.length);
  }
  return reached >= total;
}
