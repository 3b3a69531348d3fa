import { encodeDatagram, expectedPayloadLength } from '../../services/protocol/datagram.ts';

/** What an injected datagram carries instead of the file: easy to spot in a hex dump. */
const FORGED = Buffer.from('FORGED BY THE ATTACKER ');

/**
 * Datagrams for `seqs` of a file of `fileSize` bytes that look right to every check but the
 * content: the right header, the right length for their seq (the last one short), wrong bytes.
 */
export function forgedDatagrams(fileSize: number, seqs: readonly number[]): Buffer[] {
  return seqs.map((seq) => {
    const length = expectedPayloadLength(seq, fileSize);
    if (length === 0) throw new RangeError(`seq ${seq} is past the end of a ${fileSize}-byte file`);
    const data = Buffer.alloc(length);
    for (let i = 0; i < length; i += FORGED.length) FORGED.copy(data, i);
    return encodeDatagram(seq, data);
  });
}
