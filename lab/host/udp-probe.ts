/**
 * Tiny UDP sender/receiver run with the repo's node inside lab hosts, to test
 * the network itself without the chat programs. They only ever address the
 * lab's own containers.
 */

/** Receives on `port`, prints `seq <n> <bytes> <ms since the first>` per datagram, exits after `idleMs` of silence (or 20 s). */
export function udpReceiver(port: number, idleMs = 1500): string[] {
  const js = `
const s = require('node:dgram').createSocket('udp4');
let t, t0; const idle = () => { clearTimeout(t); t = setTimeout(() => process.exit(0), ${idleMs}); };
s.on('message', (m) => { t0 ??= Date.now(); console.log('seq ' + m.readUInt32BE(0) + ' ' + m.length + ' ' + (Date.now() - t0)); idle(); });
s.bind(${port}, () => { console.log('ready'); idle(); });
setTimeout(() => process.exit(0), 20000);`;
  return ['node', '-e', js];
}

/** Sends one datagram of the download protocol (`seq:` + filler, `size` bytes) per entry of `seqs`, `gapMs` apart. */
export function udpSender(ip: string, port: number, seqs: readonly number[], size = 2048, gapMs = 2): string[] {
  const js = `
const s = require('node:dgram').createSocket('udp4');
const seqs = ${JSON.stringify(seqs)}; let i = 0;
const next = () => {
  if (i >= seqs.length) return s.close();
  const b = Buffer.alloc(${size}, 0x61); b.writeUInt32BE(seqs[i++], 0); b[4] = 0x3a;
  s.send(b, ${port}, ${JSON.stringify(ip)}, () => setTimeout(next, ${gapMs}));
};
next();`;
  return ['node', '-e', js];
}

/** `seq <n>` lines of a receiver's output, counted per seq. */
export function countSeqs(lines: readonly string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of lines) {
    const m = /^seq (\d+) /.exec(line);
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}

/** Milliseconds between the first and the last datagram a receiver got. */
export function arrivalSpanMs(lines: readonly string[]): number {
  const times = lines.flatMap((l) => /^seq \d+ \d+ (\d+)$/.exec(l)?.[1] ?? []).map(Number);
  return times.length ? Math.max(...times) : 0;
}
