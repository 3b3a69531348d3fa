import dgram from 'node:dgram';
import { once } from 'node:events';
import { decodeDatagram, pauseBoundary } from '../protocol/datagram.ts';
import type { LineClient } from './line-client.ts';

export interface RawDownloadResult {
  data: Buffer;
  count: number;
  /** Resend lines sent, and seqs they listed. */
  resendLines: number;
  resendSeqs: number;
  duplicates: number;
  lastByteLine: string;
  ms: number;
}

export class RawDownloadError extends Error {
  readonly code = 'TEST_ERR_RAW_DOWNLOAD';
}

// Lines stay well under the server's 64 KiB line cap.
const SEQS_PER_LINE = 5000;

/**
 * Downloads a file the way the real client does (100 ms timeout growing by 100 ms while
 * something of the current part is missing, then `resend|…` for all of it; `proceed` at
 * the pause; `stop` at the end) with a bare UDP socket, holding the file in memory.
 * The control client must be connected already.
 */
export async function rawDownload(
  control: LineClient,
  file: string,
  opts: { localAddress: string; pausePercent?: number; timeoutMs?: number },
): Promise<RawDownloadResult> {
  const started = performance.now();
  const from = control.lines.length;
  control.send(`download|${file}`);
  const answer = await control.waitFor((l) => /^\|\d+$/.test(l) || l.startsWith("Can't download"), 5000, from);
  if (!answer.startsWith('|')) throw new RawDownloadError(answer);
  const count = Number(answer.slice(1));
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  socket.bind(0, opts.localAddress);
  await once(socket, 'listening');
  const chunks = new Array<Buffer | undefined>(count);
  let held = 0;
  let duplicates = 0;
  let waiter: (() => void) | undefined;
  let part = { from: 0, to: 0 };
  const partHeld = () => {
    for (let s = part.from; s < part.to; s++) if (!chunks[s]) return false;
    return true;
  };
  socket.on('message', (msg) => {
    const d = decodeDatagram(msg);
    if (!d || d.seq >= count) return;
    if (chunks[d.seq]) return void duplicates++;
    chunks[d.seq] = Buffer.from(d.data);
    held++;
    if (waiter && d.seq >= part.from && d.seq < part.to) waiter();
  });
  let resendLines = 0;
  let resendSeqs = 0;
  const receivePart = async (p: { from: number; to: number }) => {
    part = p;
    let timeout = opts.timeoutMs ?? 100;
    while (!partHeld()) {
      const progressed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeout);
        waiter = () => (clearTimeout(timer), resolve(true));
      });
      waiter = undefined;
      if (progressed || partHeld()) continue;
      if (control.closed) throw new RawDownloadError('control connection closed mid-download');
      timeout += 100;
      const missing: number[] = [];
      for (let s = part.from; s < part.to; s++) if (!chunks[s]) missing.push(s);
      for (let i = 0; i < missing.length; i += SEQS_PER_LINE) {
        control.send(['resend', ...missing.slice(i, i + SEQS_PER_LINE)].join('|'));
        resendLines++;
      }
      resendSeqs += missing.length;
    }
  };
  try {
    control.send(`udp|${socket.address().port}`);
    const pauseAt = pauseBoundary(count, opts.pausePercent ?? 50);
    await receivePart({ from: 0, to: pauseAt });
    if (pauseAt < count) {
      control.send('proceed');
      await receivePart({ from: pauseAt, to: count });
    }
    const before = control.lines.length;
    control.send('stop');
    const lastByteLine = await control.waitFor(
      (l) => l.startsWith('User ') || l.startsWith("Can't download") || l.startsWith('error|'),
      5000,
      before,
    );
    if (held !== count) throw new RawDownloadError(`held ${held} of ${count}`);
    const data = Buffer.concat(chunks as Buffer[]);
    return { data, count, resendLines, resendSeqs, duplicates, lastByteLine, ms: performance.now() - started };
  } finally {
    socket.close();
  }
}
