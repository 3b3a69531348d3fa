import type { ControlLine, Endpoint } from '../pcap/index.ts';

export interface DownloadControl {
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

const COMPLETED = /^User .+ downloaded 100% out of file\. Last byte is: (\d+|none)$/;

/**
 * Finds the downloads in a capture's control lines: `download|f` answered by
 * `|N` starts one (a `Can't download.` answer discards the request), the
 * server's `download stopped` or `User … downloaded 100% …` line ends it.
 */
export function findDownloads(lines: ControlLine[], serverIp: string): DownloadControl[] {
  const found: DownloadControl[] = [];
  const requested = new Map<string, { file: string; tsUs: number }>();
  const active = new Map<string, DownloadControl>();
  for (const line of lines) {
    const fromClient = line.to.ip === serverIp;
    if (!fromClient && line.from.ip !== serverIp) continue;
    const client = fromClient ? line.from : line.to;
    const key = `${client.ip}:${client.port}`;
    const d = active.get(key);
    const text = line.text;
    if (fromClient) {
      if (text.startsWith('download|')) requested.set(key, { file: text.slice('download|'.length), tsUs: line.tsUs });
      else if (d) onClientLine(d, text, line.tsUs);
      continue;
    }
    const count = /^\|(\d+)$/.exec(text);
    const pending = requested.get(key);
    if (count && pending) {
      const started: DownloadControl = {
        client,
        server: line.from,
        file: pending.file,
        startUs: pending.tsUs,
        n: Number(count[1]),
        nAtUs: line.tsUs,
        udpPort: null,
        udpAtUs: null,
        requests: [],
        proceedUs: null,
        stopUs: null,
        end: null,
        anomalies: [],
      };
      found.push(started);
      active.set(key, started);
      requested.delete(key);
    } else if (text.startsWith("Can't download.")) requested.delete(key);
    else if (d && (text === 'download stopped' || COMPLETED.test(text))) {
      d.end = { tsUs: line.tsUs, outcome: text === 'download stopped' ? 'stopped' : 'completed', line: text };
      active.delete(key);
    }
  }
  return found;
}

function onClientLine(d: DownloadControl, text: string, tsUs: number): void {
  if (text.startsWith('udp|') && d.udpPort === null) {
    d.udpPort = Number(text.slice(4));
    d.udpAtUs = tsUs;
  } else if (text.startsWith('resend|')) {
    const fields = text.split('|').slice(1);
    const seqs = fields.filter((f) => /^\d+$/.test(f)).map(Number);
    if (seqs.length !== fields.length) d.anomalies.push(`malformed request line "${text}"`);
    d.requests.push({ tsUs, seqs, line: text });
  } else if (text === 'proceed' && d.proceedUs === null) d.proceedUs = tsUs;
  else if (text === 'stop' && d.stopUs === null) d.stopUs = tsUs;
}
