import { LabError } from '../errors/lab-error.ts';

/** A capture file this lab cannot read: not pcap or pcapng, or garbled. */
export class PcapFormatError extends LabError {
  constructor(message: string) {
    super('LAB_ERR_PCAP_FORMAT', message);
  }
}

/** A capture file that is not there or cannot be opened. */
export class CaptureUnreadableError extends LabError {
  constructor(source: string, reason: string) {
    super('LAB_ERR_PCAP_UNREADABLE', `${source} cannot be read: ${reason}`);
  }
}

/** A capture none of whose packets has a link-layer type the decoder understands. */
export class PcapLinkTypeError extends LabError {
  constructor(readonly linkType: number) {
    super(
      'LAB_ERR_PCAP_LINKTYPE',
      `pcap link-layer type ${linkType} is not supported: only Ethernet (1), Linux cooked SLL (113) and SLL2 (276), BSD loopback (0, 108) and raw IP (101, 228) are`,
    );
  }
}

/**
 * Packets of a capture were cut by the snap length inside the IP packet: their lengths and
 * contents are unknown, so the capture cannot be judged without reading wrong numbers into it.
 */
export class PcapTruncatedError extends LabError {
  constructor(
    readonly source: string,
    readonly packets: number,
    readonly snapLength: number,
  ) {
    super(
      'LAB_ERR_PCAP_TRUNCATED',
      `${source}: ${packets} packet${packets === 1 ? ' was' : 's were'} cut short by the capture's snap length${snapLength ? ` (${snapLength} bytes)` : ''}, so their contents are unknown and the downloads cannot be judged: capture again with the whole packets (tcpdump -s 0, or Wireshark's default)`,
    );
  }
}
