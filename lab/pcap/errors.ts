/** A capture file this lab cannot read: wrong container format, truncated or garbled. */
export class PcapFormatError extends Error {
  readonly code = 'LAB_ERR_PCAP_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'PcapFormatError';
  }
}

/** A classic pcap whose link-layer type the decoder does not understand. */
export class PcapLinkTypeError extends Error {
  readonly code = 'LAB_ERR_PCAP_LINKTYPE';
  constructor(readonly linkType: number) {
    super(
      `pcap link-layer type ${linkType} is not supported: only Ethernet (1), Linux cooked SLL (113) and SLL2 (276) are`,
    );
    this.name = 'PcapLinkTypeError';
  }
}
