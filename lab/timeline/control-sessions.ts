import { parseClientCommand } from '../../services/protocol/client-commands.ts';
import { parseServerLine } from '../../services/protocol/server-messages.ts';
import type { ControlLine, Endpoint } from '../pcap/index.ts';

/** A download as the control lines of a capture show it: who asked for which file, and every line of its course. */
export interface ObservedDownload {
  client: Endpoint;
  server: Endpoint;
  file: string;
  startUs: number;
  /** From the server's `|<N>` line. */
  n: number;
  nAtUs: number;
  udpPort: number | null;
  udpAtUs: number | null;
  requests: { tsUs: number; seqs: number[]; line: string }[];
  proceedUs: number | null;
  stopUs: number | null;
  end: { tsUs: number; outcome: 'completed' | 'stopped'; line: string } | null;
  anomalies: string[];
}

/**
 * Finds the downloads in a capture's control lines, read with the protocol's own parsers:
 * `download|f` answered by `|N` starts one (a `Can't download.` answer discards the request),
 * the server's `download stopped` or `User … downloaded 100% …` line ends it.
 */
export function findDownloads(lines: ControlLine[], serverIp: string): ObservedDownload[] {
  const found: ObservedDownload[] = [];
  const requested = new Map<string, { file: string; tsUs: number }>();
  const active = new Map<string, ObservedDownload>();
  for (const line of lines) {
    const fromClient = line.to.ip === serverIp;
    if (!fromClient && line.from.ip !== serverIp) continue;
    const client = fromClient ? line.from : line.to;
    const key = `${client.ip}:${client.port}`;
    const d = active.get(key);
    if (fromClient) {
      const file = onClientLine(d, line);
      if (file !== null) requested.set(key, { file, tsUs: line.tsUs });
      continue;
    }
    const m = parseServerLine(line.text);
    const pending = requested.get(key);
    if (m.type === 'download_start' && pending) {
      const started = startedDownload(client, line, pending, m.count);
      found.push(started);
      active.set(key, started);
      requested.delete(key);
    } else if (m.type === 'cant_download') requested.delete(key);
    else if (d && (m.type === 'download_stopped' || m.type === 'download_done')) {
      d.end = { tsUs: line.tsUs, outcome: m.type === 'download_stopped' ? 'stopped' : 'completed', line: line.text };
      active.delete(key);
    }
  }
  return found;
}

function startedDownload(
  client: Endpoint,
  line: ControlLine,
  pending: { file: string; tsUs: number },
  n: number,
): ObservedDownload {
  return {
    client,
    server: line.from,
    file: pending.file,
    startUs: pending.tsUs,
    n,
    nAtUs: line.tsUs,
    udpPort: null,
    udpAtUs: null,
    requests: [],
    proceedUs: null,
    stopUs: null,
    end: null,
    anomalies: [],
  };
}

/**
 * Applies a client's line to its download in progress; returns the file of a `download|` request.
 * A malformed `resend|…` is an anomaly and no request: the server refuses the whole line.
 */
function onClientLine(d: ObservedDownload | undefined, line: ControlLine): string | null {
  const { text, tsUs } = line;
  const parsed = parseClientCommand(text);
  if (!parsed.ok) {
    if (d && parsed.verb === 'resend') d.anomalies.push(`malformed request line "${text}"`);
    return null;
  }
  const c = parsed.command;
  if (c.type === 'download') return c.file;
  if (!d) return null;
  if (c.type === 'udp' && d.udpPort === null) {
    d.udpPort = c.port;
    d.udpAtUs = tsUs;
  } else if (c.type === 'resend') d.requests.push({ tsUs, seqs: c.seqs, line: text });
  else if (c.type === 'proceed' && d.proceedUs === null) d.proceedUs = tsUs;
  else if (c.type === 'stop' && d.stopUs === null) d.stopUs = tsUs;
  return null;
}
