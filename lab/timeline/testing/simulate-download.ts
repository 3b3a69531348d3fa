import { pauseBoundary } from '../../../services/protocol/datagram.ts';
import { TwoSidedCapture } from './two-sided-capture.ts';

export interface SimulatedDownload {
  n: number;
  pausePercent: number;
  /** seq → how many of its first transmissions the link drops. */
  drops?: Record<number, number>;
  atPause?: 'proceed' | 'stop';
  file?: string;
  /** When the `download|` line is sent (ms); later lines follow it. */
  startMs?: number;
}

/**
 * Test support: a well-behaved server and client over a lossy link, written
 * as two captures: datagrams 0.1 ms apart, a request after each 100 ms+
 * timeout naming every missing seq of the current part, one resend each.
 */
export function simulateDownload(spec: SimulatedDownload, capture = new TwoSidedCapture()): TwoSidedCapture {
  const { n, pausePercent } = spec;
  const h = pauseBoundary(n, pausePercent);
  const dropsLeft = new Map(Object.entries(spec.drops ?? {}).map(([k, v]) => [Number(k), v]));
  const send = (seq: number) => {
    const left = dropsLeft.get(seq) ?? 0;
    dropsLeft.set(seq, left - 1);
    capture.datagram(now, seq, { dropped: left > 0 });
    now += 0.1;
    return left <= 0;
  };
  const start = spec.startMs ?? 1;
  let now = start + 9;
  capture
    .fromClient(start, `download|${spec.file ?? 'q.txt'}`)
    .fromServer(start + 1, `|${n}`)
    .fromClient(start + 2, `udp|50123`);
  const part = (from: number, to: number) => {
    let missing = [...Array(to - from).keys()].map((i) => i + from).filter((seq) => !send(seq));
    for (let timeout = 100; missing.length > 0; timeout += 100) {
      now += timeout;
      capture.fromClient(now, `resend|${missing.join('|')}`);
      now += 1;
      missing = missing.filter((seq) => !send(seq));
    }
  };
  part(0, h);
  if (h < n) {
    now += 50;
    if (spec.atPause === 'stop') {
      capture.fromClient(now, 'stop').fromServer(now + 1, 'download stopped');
      return capture;
    }
    capture.fromClient(now, 'proceed');
    now += 1;
    part(h, n);
  }
  now += 5;
  return capture
    .fromClient(now, 'stop')
    .fromServer(now + 1, 'User alice downloaded 100% out of file. Last byte is: 42');
}
