import { ChatPeer } from './chat-peer.ts';
import { ms, quantile } from './stats-math.ts';
import type { Row } from './table.ts';

export interface ChatLoadOptions {
  ports: number[];
  clientsPerPort: number;
  messagesPerClient: number;
  /** Gap between one client's broadcasts; clients start at staggered times. */
  intervalMs: number;
}

/**
 * Many clients on every port, each broadcasting numbered, timestamped messages. Each
 * receiver counts what it gets per (sender, number): every count must be exactly 1.
 */
export async function runChatLoad(opts: ChatLoadOptions): Promise<Row[]> {
  const { ports, clientsPerPort, messagesPerClient: m } = opts;
  const total = ports.length * clientsPerPort;
  const peers = await connectPeers(ports, clientsPerPort);

  const counts = peers.map(() => new Uint8Array(total * m));
  const latencies = new Float64Array(total * (total - 1) * m);
  let received = 0;
  let foreign = 0;
  peers.forEach((peer, me) => {
    peer.onLine = (line) => {
      const match = /^msg_all\|load(\d+)\|(\d+):([\d.]+)$/.exec(line);
      if (!match) return void (line.startsWith('msg_all|') && foreign++);
      const from = Number(match[1]);
      counts[me][from * m + Number(match[2])]++;
      if (received < latencies.length) latencies[received] = performance.now() - Number(match[3]);
      received++;
    };
  });

  const startedAt = performance.now();
  await Promise.all(
    peers.map(async (peer) => {
      await sleep(Math.random() * opts.intervalMs);
      for (let k = 0; k < m; k++) {
        peer.send(`msg_all|${k}:${performance.now().toFixed(3)}`);
        await sleep(opts.intervalMs);
      }
    }),
  );
  const expected = total * (total - 1) * m;
  // Wait for the stragglers until nothing has arrived for 2 s.
  for (
    let last = -1, quietSince = performance.now();
    received < expected && performance.now() - quietSince < 2000;
    await sleep(20)
  ) {
    if (received !== last) [last, quietSince] = [received, performance.now()];
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const { missing, duplicated } = misses(counts, m);
  const disconnected = peers.filter((p) => p.closed).length;
  for (const p of peers) p.close();
  const got = latencies.subarray(0, Math.min(received, latencies.length));
  return [
    { figure: 'clients (ports × per port)', value: `${total} (${ports.length} × ${clientsPerPort})` },
    { figure: 'broadcasts sent', value: String(total * m) },
    { figure: 'deliveries expected', value: String(expected) },
    { figure: 'deliveries received', value: String(received), ok: received === expected },
    {
      figure: 'missing / duplicated',
      value: `${missing} / ${duplicated}`,
      ok: missing === 0 && duplicated === 0 && foreign === 0,
    },
    { figure: 'clients dropped by the server', value: String(disconnected), ok: disconnected === 0 },
    { figure: 'delivery latency median', value: ms(quantile(got, 0.5)) },
    { figure: 'delivery latency p99', value: ms(quantile(got, 0.99)) },
    { figure: 'delivery latency max', value: ms(quantile(got, 1)) },
    { figure: 'deliveries per second', value: (received / seconds).toFixed(0) },
  ];
}

/** `clientsPerPort` named clients on every port, each from its own loopback address, all connected. */
async function connectPeers(ports: number[], clientsPerPort: number): Promise<ChatPeer[]> {
  const peers = await Promise.all(
    Array.from({ length: ports.length * clientsPerPort }, async (_, i) => {
      const port = Math.floor(i / clientsPerPort);
      const peer = await ChatPeer.connect(ports[port], `127.0.${10 + port}.${1 + (i % clientsPerPort)}`);
      const answer = await peer.request(`connect|load${i}`, (l) => l === 'connected' || l.startsWith("can't connect"));
      if (answer !== 'connected') throw new Error(`load${i}: ${answer}`);
      return peer;
    }),
  );
  // Let the flood of `x is connected` lines drain before counting.
  await Promise.all(peers.map((p) => p.request('get_users', (l) => l.startsWith('users|'))));
  return peers;
}

/** Deliveries that never came and those that came more than once: each receiver must see every other's k once. */
function misses(counts: Uint8Array[], m: number): { missing: number; duplicated: number } {
  const total = counts.length;
  let missing = 0;
  let duplicated = 0;
  for (let me = 0; me < total; me++) {
    for (let from = 0; from < total; from++) {
      for (let k = 0; k < m; k++) {
        const n = counts[me][from * m + k];
        const want = from === me ? 0 : 1;
        if (n < want) missing++;
        if (n > want) duplicated += n - want;
      }
    }
  }
  return { missing, duplicated };
}

const sleep = (t: number) => new Promise<void>((resolve) => setTimeout(resolve, t));
