import type { ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { makePatternFile } from '../../stress/fixtures.ts';
import { quantile } from '../../stress/stats-math.ts';
import { REPO } from '../processes.ts';
import { EmulatedPath, type StartedEmulatedPath } from './emulated-path.ts';
import { flowBins, jainIndex, mbitIn, overlap } from './flow-bytes.ts';
import { LineWatcher } from './lines.ts';
import { ProjectServer, projectDownload, stopChild } from './project-peer.ts';
import { tcpTransfer } from './tcp-peer.ts';

export type ShareKind = 'two-downloads' | 'tcp-and-download' | 'chat';
export const SHARE_KINDS: readonly ShareKind[] = ['two-downloads', 'tcp-and-download', 'chat'];

export interface ShareResult {
  kind: ShareKind;
  rateMbit: number;
  /** Mbit/s of each flow while all of them ran. */
  flows: Array<{ label: string; mbit: number }>;
  overlapSeconds: number;
  jain?: number;
  chat?: { messages: number; unanswered: number; p50Ms: number; p99Ms: number };
}

const DOWNLOADS_FOR_CHAT = 4;

/**
 * Flows sharing one bottleneck: two downloads (are they fair to each other?), a TCP transfer
 * and a download (does the download leave TCP its share?), and chat while four downloads fill
 * the path (does a message still come back fast?). Each flow goes to its own address in the
 * client namespace, and a capture there (headers only) counts what each received over time.
 */
export async function runShareRow(
  kind: ShareKind,
  opts: { rateMbit: number; sizeBytes: number; workDir: string; timeoutMs: number },
): Promise<ShareResult> {
  const dir = path.join(opts.workDir, `share-${kind}`);
  const filesDir = path.join(dir, 'files');
  await mkdir(path.join(dir, 'downloads'), { recursive: true });
  const { file } = await makePatternFile(filesDir, 'share.bin', opts.sizeBytes);
  const addresses = kind === 'chat' ? DOWNLOADS_FOR_CHAT + 2 : 2;
  await using net = await new EmulatedPath().withRate(opts.rateMbit).withClientAddresses(addresses).start();
  const server = await ProjectServer.start(net, filesDir, ['--pause', '100']);
  const pcap = path.join(dir, 'client.pcap');
  const capture = await startCapture(net, pcap);
  try {
    const download = (index: number, hooks: DownloadHooks = {}) =>
      projectDownload(net, server, {
        ...hooks,
        file: 'share.bin',
        clientIndex: index,
        downloadsDir: path.join(dir, 'downloads'),
        clientArgs: ['--pause', '100'],
        timeoutMs: opts.timeoutMs,
        name: `share${index}`,
      });
    let chat: ShareResult['chat'];
    let labels: string[];
    if (kind === 'two-downloads') {
      await Promise.all([download(0), download(1)]);
      labels = ['download 1', 'download 2'];
    } else if (kind === 'tcp-and-download') {
      const tcp = { file, out: path.join(dir, 'tcp.bin'), clientIndex: 1, timeoutMs: opts.timeoutMs };
      await Promise.all([download(0), tcpTransfer(net, tcp)]);
      labels = ['download', 'TCP'];
    } else {
      chat = await chatDuringDownloads(net, (i, hooks) => download(i, hooks));
      labels = Array.from({ length: DOWNLOADS_FOR_CHAT }, (_, i) => `download ${i + 1}`);
    }
    await stopChild(capture);
    const bins = await flowBins(pcap);
    const ips = labels.map((_, i) => net.clientIps[i]);
    const { from, to } = overlap(bins, ips);
    const flows = labels.map((label, i) => ({ label, mbit: mbitIn(bins, ips[i], from, to) }));
    return {
      kind,
      rateMbit: opts.rateMbit,
      flows,
      overlapSeconds: ((to - from + 1) * bins.binMs) / 1000,
      jain: kind === 'two-downloads' ? jainIndex(flows.map((f) => f.mbit)) : undefined,
      chat,
    };
  } finally {
    await stopChild(capture);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function startCapture(net: StartedEmulatedPath, file: string): Promise<ChildProcess> {
  const child = net.client.spawn('tcpdump', ['-i', 'eth0', '-s', '64', '-U', '-w', file, 'ip', 'src', net.serverIp]);
  await new LineWatcher(child.stderr!, child).waitFor(/listening on/, 10_000);
  return child;
}

/** What a share row may hook into one of its downloads. */
type DownloadHooks = Pick<Parameters<typeof projectDownload>[2], 'beforeFileName' | 'onComplete'>;

/**
 * Chat is timed while the downloads run: the clients start and log in first, the chat starts,
 * then all of them are given the file name at once, and the chat stops when the last says
 * `Download complete`. Four Node processes starting at once take two cores for a moment
 * whatever the protocol does; that is not what this row measures.
 */
async function chatDuringDownloads(
  net: StartedEmulatedPath,
  download: (index: number, hooks: DownloadHooks) => Promise<unknown>,
): Promise<NonNullable<ShareResult['chat']>> {
  const ready = countdown(DOWNLOADS_FOR_CHAT);
  const complete = countdown(DOWNLOADS_FOR_CHAT);
  const pinger = ready.reached.then(() => startChat(net));
  const downloads = Promise.all(
    Array.from({ length: DOWNLOADS_FOR_CHAT }, (_, i) =>
      download(i, {
        beforeFileName: async () => {
          ready.arrive();
          await pinger;
        },
        onComplete: complete.arrive,
      }),
    ),
  );
  // A download that fails rejects the row instead of leaving it waiting for the others.
  await Promise.race([complete.reached, downloads]);
  const chat = await (await pinger).finish();
  await downloads;
  return chat;
}

function countdown(n: number): { arrive: () => void; reached: Promise<void> } {
  let resolve!: () => void;
  const reached = new Promise<void>((done) => (resolve = done));
  let left = n;
  return { arrive: () => void (--left === 0 && resolve()), reached };
}

async function startChat(net: StartedEmulatedPath) {
  const [ipA, ipB] = net.clientIps.slice(-2);
  const child = net.client.spawn(process.execPath, [
    '--import',
    'tsx',
    path.join(REPO, 'scripts/bench/path/chat-rtt.ts'),
    net.serverIp,
    '55000',
    ipA,
    ipB,
  ]);
  const out = new LineWatcher(child.stdout!, child);
  await out.waitFor(/^ready$/, 20_000);
  return {
    async finish(): Promise<NonNullable<ShareResult['chat']>> {
      child.stdin!.end();
      const { rtts, unanswered } = JSON.parse(await out.waitFor(/^\{/, 10_000)) as {
        rtts: number[];
        unanswered: number;
      };
      return { messages: rtts.length, unanswered, p50Ms: quantile(rtts, 0.5), p99Ms: quantile(rtts, 0.99) };
    },
  };
}
