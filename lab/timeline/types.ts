import type { DecodedCapture } from '../pcap/index.ts';

export interface TimelineInput {
  /** Capture on the router interface facing the server: datagrams before the loss. */
  sent: DecodedCapture;
  /** Capture on the interface facing the clients (or the client's own): what arrived. */
  received: DecodedCapture;
  serverIp: string;
  /** The server's `--pause`; without it H is inferred from what was sent before `proceed`. */
  pausePercent?: number;
  /** Whose control lines to read: default the sent side, where the server reads them. */
  controlFrom?: 'sent' | 'received';
}

/** Times `t` are seconds since the download's `download|<file>` line, to the microsecond. */
export type TimelineEvent =
  | { t: number; kind: 'download'; file: string }
  | { t: number; kind: 'count'; n: number }
  | { t: number; kind: 'udp-port'; port: number }
  | { t: number; kind: 'send' | 'resend'; seq: number; attempt: number; dropped: boolean }
  | { t: number; kind: 'request'; seqs: number[] }
  | { t: number; kind: 'pause-reached'; h: number }
  | { t: number; kind: 'proceed' | 'stop' }
  | { t: number; kind: 'end'; outcome: 'completed' | 'stopped'; line: string };

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
  /** Seconds since start, or null when it did not happen. */
  pauseReachedAt: number | null;
  proceedAt: number | null;
  stopAt: number | null;
  counts: { sent: number; dropped: number; resent: number; received: number; requests: number; requestedSeqs: number };
  perSeq: SeqSummary[];
  drops: { seq: number; attempt: number; t: number }[];
  requests: { t: number; seqs: number[] }[];
  /** Things that do not fit the protocol or the capture setup, in words. */
  anomalies: string[];
  events: TimelineEvent[];
}
