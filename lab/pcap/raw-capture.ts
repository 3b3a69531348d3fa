/** One captured frame, whatever the file format it came from. */
export interface PcapRecord {
  /** Wireshark's frame number: 1 for the file's first packet, counting every packet of every interface. */
  frame: number;
  /** Capture time in microseconds since the Unix epoch (nanosecond files are cut to the microsecond). */
  tsUs: number;
  data: Buffer;
  /** The frame's length on the wire; more than `data.length` when the snap length cut it. */
  originalLength: number;
  linkType: number;
  /** Index of the interface it was captured on (always 0 in classic pcap). */
  interfaceId: number;
}

export interface CaptureInterface {
  linkType: number;
  /** 0 for no limit. */
  snapLength: number;
  /** The interface's name where the file records one (pcapng `if_name`). */
  name: string | null;
}

export interface RawCapture {
  source: string;
  format: 'pcap' | 'pcapng';
  /** The first interface's link type and snap length: a classic pcap has only that one. */
  linkType: number;
  snapLength: number;
  interfaces: CaptureInterface[];
  records: PcapRecord[];
  /** Bytes after the last whole record or block: a capturing process killed mid-write leaves some. */
  truncatedTailBytes: number;
  /** Records of which fewer bytes were captured than were on the wire (the snap length). */
  truncatedRecords: number;
  /** pcapng simple packet blocks carry no time: they are given the time of the packet before them. */
  untimedRecords: number;
}
