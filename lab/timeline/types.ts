import type { DecodedCapture } from '../pcap/index.ts';

export interface TimelineInput {
  /** Capture on the router interface facing the server: datagrams before the loss. */
  sent: DecodedCapture;
  /** Capture on the interface facing the clients (or the client's own): what arrived. */
  received: DecodedCapture;
  /** Captures on the client hosts themselves: when each datagram reached the client (optional). */
  atClients?: DecodedCapture[];
  serverIp: string;
  /** The server's `--pause`; without it H is inferred from what was sent before `proceed`. */
  pausePercent?: number;
  /** Whose control lines to read: default the sent side, where the server reads them. */
  controlFrom?: 'sent' | 'received';
}

/** Where a packet is: its frame number in a capture file, as Wireshark numbers it. */
export interface FrameRef {
  frame: number;
}

/** A copy of a datagram seen at a capture point further on: when (seconds since start) and in which frame. */
export interface Sighting {
  t: number;
  frame: number;
}

/** Times `t` are seconds since the download's `download|<file>` line, to the microsecond. */
export type TimelineEvent =
  | ({ t: number; kind: 'download'; file: string } & FrameRef)
  | ({ t: number; kind: 'count'; n: number } & FrameRef)
  | ({ t: number; kind: 'udp-port'; port: number } & FrameRef)
  | ({
      t: number;
      kind: 'send' | 'resend';
      seq: number;
      attempt: number;
      dropped: boolean;
      /** On the received side (null when dropped), and on the client's own capture when there is one. */
      arrived: Sighting | null;
      atClient?: Sighting | null;
    } & FrameRef)
  | ({ t: number; kind: 'request'; seqs: number[] } & FrameRef)
  | { t: number; kind: 'pause-reached'; h: number }
  | ({ t: number; kind: 'proceed' | 'stop' } & FrameRef)
  | ({ t: number; kind: 'end'; outcome: 'completed' | 'stopped'; line: string } & FrameRef)
  | ({ t: number; kind: 'server-silent' } & FrameRef)
  /** Something the lab did to the network itself (a partition, a router restart), on the router's clock. */
  | { t: number; kind: 'network'; what: string; outage?: 'begins' | 'ends' };

export interface SeqSummary {
  seq: number;
  sent: number;
  dropped: number;
  received: number;
  requested: number;
}

export interface DownloadTimeline {
  client: { ip: string; tcpPort: number };
  server: { ip: string; tcpPort: number };
  file: string;
  udpPort: number | null;
  n: number;
  h: number;
  hSource: 'pause-percent' | 'observed';
  startedAt: string;
  startUs: number;
  outcome: 'completed' | 'stopped' | 'unfinished';
  finalLine: string | null;
  /** The capture files the frame numbers refer to (file names, beside timeline.json). */
  captures: { sent: string; received: string; atClient: string | null; control: string };
  /** File bytes the datagrams carried (each seq counted once); null when no datagram was seen. */
  bytes: number | null;
  /** File bytes of the largest datagram seen: the download's block (2043 unless `blksize|…` agreed another). */
  block?: number | null;
  /** Seconds since start, or null when it did not happen. */
  pauseReachedAt: number | null;
  proceedAt: number | null;
  stopAt: number | null;
  counts: { sent: number; dropped: number; resent: number; received: number; requests: number; requestedSeqs: number };
  perSeq: SeqSummary[];
  drops: { seq: number; attempt: number; t: number }[];
  requests: { t: number; seqs: number[]; frame: number }[];
  /** Things that do not fit the protocol or the capture setup, in words. */
  anomalies: string[];
  events: TimelineEvent[];
}
