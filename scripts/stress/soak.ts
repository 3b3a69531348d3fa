import path from 'node:path';
import { LineClient } from '../../services/test-support/line-client.ts';
import { openFds, rssOf } from '../../services/test-support/proc-stats.ts';
import { rawDownload } from '../../services/test-support/raw-download.ts';
import { ChatPeer } from './chat-peer.ts';
import { sha256 } from './fixtures.ts';
import { mib } from './stats-math.ts';
import type { Row } from './table.ts';

export interface SoakOptions {
  pid: number;
  ports: number[];
  minutes: number;
  file: string;
  expectedSha256: string;
  chatters: number;
  downloaders: number;
  onSample?: (line: string) => void;
}

/**
 * Chatting, downloading and abandoned downloads against one server process for a while,
 * sampling its RSS and open fds: after warm-up, memory must level off.
 */
export async function runSoak(opts: SoakOptions): Promise<Row[]> {
  const durationMs = opts.minutes * 60_000;
  const started = performance.now();
  const running = () => performance.now() - started < durationMs;
  const samples: Sample[] = [];
  const sample = async () => {
    const s = { t: (performance.now() - started) / 1000, rss: await rssOf(opts.pid), fds: await openFds(opts.pid) };
    samples.push(s);
    opts.onSample?.(`soak t=${s.t.toFixed(0)}s rss=${mib(s.rss)} fds=${s.fds}`);
  };
  const sampler = setInterval(() => void sample(), 5000);
  const tally: Tally = { sent: 0, received: 0, downloads: 0, intact: 0, abandoned: 0 };
  const peers = await Promise.all(
    Array.from({ length: opts.chatters }, async (_, i) => {
      const peer = await ChatPeer.connect(opts.ports[i % opts.ports.length], `127.0.40.${i + 1}`);
      await peer.request(`connect|soak${i}`, (l) => l === 'connected');
      return peer;
    }),
  );
  for (const p of peers) p.onLine = (l) => void (l.startsWith('msg_all|soak') && tally.received++);
  const chat = peers.map(async (peer, i) => {
    while (running()) {
      peer.send(`msg_all|soak message ${tally.sent++} from ${i} ${'x'.repeat(100)}`);
      await sleep(1000);
    }
  });
  await Promise.all([...chat, ...downloadLoad(opts, running, tally)]);
  await sleep(3000);
  clearInterval(sampler);
  await sample();
  for (const p of peers) p.close();
  return soakRows(opts, samples, tally);
}

interface Sample {
  t: number;
  rss: number;
  fds: number;
}

interface Tally {
  sent: number;
  received: number;
  downloads: number;
  intact: number;
  abandoned: number;
}

/** Downloaders that fetch the file now and then, and a client that vanishes mid-download over and over. */
function downloadLoad(opts: SoakOptions, running: () => boolean, tally: Tally): Promise<void>[] {
  const downloads = Array.from({ length: opts.downloaders }, async (_, i) => {
    const localAddress = `127.0.41.${i + 1}`;
    while (running()) {
      const control = await LineClient.connect(opts.ports[i % opts.ports.length], localAddress);
      await control.ask(`connect|soakdl${i}`);
      const result = await rawDownload(control, opts.file, { localAddress });
      tally.downloads++;
      if (sha256(result.data) === opts.expectedSha256) tally.intact++;
      control.close();
      // Users download now and then; back to back, this is the throughput test over again.
      await sleep(DOWNLOAD_GAP_MS);
    }
  });
  // What the vanished client held must be released.
  const churn = (async () => {
    while (running()) {
      const control = await LineClient.connect(opts.ports[0], '127.0.42.1');
      await control.ask('connect|soakchurn');
      control.send(`download|${path.basename(opts.file)}`, 'udp|9');
      await sleep(50);
      control.close();
      tally.abandoned++;
      await sleep(450);
    }
  })();
  return [...downloads, churn];
}

function soakRows(opts: SoakOptions, samples: Sample[], tally: Tally): Row[] {
  const durationMs = opts.minutes * 60_000;
  // V8 sizes its heap to the allocation rate during the first minute; the check starts after that.
  const warmupMs = Math.min(60_000, durationMs / 5);
  // RSS runs a saw-tooth with V8's garbage collection (measured: ~4.5 minutes between ~85 and
  // ~110 MiB), so one sample, or the mean of one minute, depends on where in the tooth it falls.
  // What must not grow is the tooth itself: compare the crest of the first half after warm-up
  // with the crest of the second half, each half as long as a whole tooth in a 10-minute soak.
  const halfS = (durationMs - warmupMs) / 2000;
  const firstHalf = samples.filter((x) => x.t >= warmupMs / 1000 && x.t < warmupMs / 1000 + halfS);
  const secondHalf = samples.filter((x) => x.t >= warmupMs / 1000 + halfS);
  const crest = (xs: Sample[]) => Math.max(...xs.map((x) => x.rss));
  const mean = (xs: Sample[]) => xs.reduce((sum, x) => sum + x.rss, 0) / Math.max(1, xs.length);
  const rss = samples.map((x) => x.rss);
  const growth = crest(secondHalf) / crest(firstHalf) - 1;
  const fdsWarm = firstHalf[0]?.fds ?? samples[0].fds;
  const fdsEnd = samples.at(-1)!.fds;
  const expected = tally.sent * (opts.chatters - 1);
  return [
    { figure: 'duration', value: `${opts.minutes} min (warm-up ${(warmupMs / 1000).toFixed(0)} s)` },
    {
      figure: 'broadcasts sent / deliveries',
      value: `${tally.sent} / ${tally.received} of ${expected}`,
      ok: tally.received === expected,
    },
    {
      figure: 'downloads completed, intact',
      value: `${tally.downloads}, ${tally.intact}`,
      ok: tally.downloads === tally.intact && tally.downloads > 0,
    },
    { figure: 'downloads abandoned mid-way', value: String(tally.abandoned) },
    {
      figure: `server RSS after warm-up, first ${(halfS / 60).toFixed(1)} min: crest / mean`,
      value: `${mib(crest(firstHalf))} / ${mib(mean(firstHalf))}`,
    },
    {
      figure: `server RSS, last ${(halfS / 60).toFixed(1)} min: crest / mean`,
      value: `${mib(crest(secondHalf))} / ${mib(mean(secondHalf))}`,
    },
    { figure: 'server RSS min / peak (whole soak)', value: `${mib(Math.min(...rss))} / ${mib(Math.max(...rss))}` },
    { figure: 'RSS crest, end vs after warm-up', value: `${(growth * 100).toFixed(1)} %`, ok: growth <= 0.1 },
    { figure: 'server fds after warm-up / end', value: `${fdsWarm} / ${fdsEnd}`, ok: fdsEnd <= fdsWarm },
  ];
}

const DOWNLOAD_GAP_MS = 500;
const sleep = (t: number) => new Promise<void>((resolve) => setTimeout(resolve, t));
