import { CHUNK_SIZE, HEADER_SIZE } from '../../services/protocol/datagram.ts';
import type { DecodedCapture } from '../pcap/index.ts';
import type { DownloadTimeline } from '../timeline/index.ts';
import { download, seqList } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

/** A datagram of a download, with the server's address as its source, whose bytes are not the file's. */
export interface ForgedDatagram {
  seq: number;
  /** Microseconds, capture clock. */
  tsUs: number;
  frame: number;
  /** Where it came from, as the packet says: the server's address, maybe its port too. */
  srcPort: number;
}

/** Every datagram of this download in `capture` whose data differs from the file's bytes at its seq. */
export function forgedDatagrams(capture: DecodedCapture, t: DownloadTimeline, file: Buffer): ForgedDatagram[] {
  return capture.udp.flatMap((p) => {
    if (!p.datagram || p.src.ip !== t.server.ip || p.dst.ip !== t.client.ip || p.dst.port !== t.udpPort) return [];
    const { seq } = p.datagram;
    const original = file.subarray(seq * CHUNK_SIZE, (seq + 1) * CHUNK_SIZE);
    if (seq < t.n && original.equals(p.payload.subarray(HEADER_SIZE))) return [];
    return [{ seq, tsUs: p.tsUs, frame: p.frame, srcPort: p.src.port }];
  });
}

/**
 * Datagrams with the server's address and wrong bytes reached the client's network (at least
 * `atLeast` of them), and the server never sent one: somebody else did.
 */
export function sawForgedDatagrams(
  received: DecodedCapture,
  sent: DecodedCapture,
  t: DownloadTimeline,
  file: Buffer,
  atLeast: number,
): ForgedDatagram[] {
  const forged = forgedDatagrams(received, t, file);
  if (forged.length < atLeast)
    throw new ExpectationFailed(
      'sawForgedDatagrams',
      `${download(t)}: ${forged.length} datagrams with the server's address and wrong bytes reached the client's network (${received.source}), expected at least ${atLeast}`,
    );
  const fromServer = forgedDatagrams(sent, t, file);
  if (fromServer.length > 0)
    throw new ExpectationFailed(
      'sawForgedDatagrams',
      `${download(t)}: the server itself sent wrong bytes for seqs ${seqList(fromServer.map((f) => f.seq))} (${sent.source})`,
    );
  return forged;
}
