/** A capture file this lab cannot read: not pcap or pcapng, or garbled. */
export class PcapFormatError extends Error {
  readonly code = 'LAB_ERR_PCAP_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'PcapFormatError';
  }
}

/** A capture file that is not there or cannot be opened. */
export class CaptureUnreadableError extends Error {
  readonly code = 'LAB_ERR_PCAP_UNREADABLE';
  constructor(source: string, reason: string) {
    super(`${source} cannot be read: ${reason}`);
    this.name = 'CaptureUnreadableError';
  }
}

/** A capture none of whose packets has a link-layer type the decoder understands. */
export class PcapLinkTypeError extends Error {
  readonly code = 'LAB_ERR_PCAP_LINKTYPE';
  constructor(readonly linkType: number) {
    super(
      `pcap link-layer type ${linkType} is not supported: only Ethernet (1), Linux cooked SLL (113) and SLL2 (276), BSD loopback (0, 108) and raw IP (101, 228) are`,
    );
    this.name = 'PcapLinkTypeError';
  }
}

/**
 * Packets of a capture were cut by the snap length inside the IP packet: their lengths and
 * contents are unknown, so the capture cannot be judged without reading wrong numbers into it.
 */
export class PcapTruncatedError extends Error {
  readonly code = 'LAB_ERR_PCAP_TRUNCATED';
  constructor(
    readonly source: string,
    readonly packets: number,
    readonly snapLength: number,
  ) {
    super(
      `${source}: ${packets} packet${packets === 1 ? ' was' : 's were'} cut short by the capture's snap length${snapLength ? ` (${snapLength} bytes)` : ''}, so their contents are unknown and the downloads cannot be judged: capture again with the whole packets (tcpdump -s 0, or Wireshark's default)`,
    );
    this.name = 'PcapTruncatedError';
  }
}
