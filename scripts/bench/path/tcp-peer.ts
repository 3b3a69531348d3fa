import path from 'node:path';
import { REPO } from '../processes.ts';
import type { StartedEmulatedPath } from './emulated-path.ts';
import { LineWatcher } from './lines.ts';
import { stopChild } from './project-peer.ts';

const PORT = 5001;
const SCRIPT = path.join(REPO, 'scripts/bench/path/tcp-transfer.ts');

/** The same file over one plain TCP connection: the reference every row is compared with. */
export async function tcpTransfer(
  net: StartedEmulatedPath,
  opts: { file: string; out: string; clientIndex?: number; timeoutMs: number },
): Promise<{ ms: number; bytes: number }> {
  const sender = net.server.spawn(process.execPath, ['--import', 'tsx', SCRIPT, 'send', String(PORT), opts.file]);
  try {
    await new LineWatcher(sender.stdout!, sender).waitFor(/^listening$/, 20_000);
    const receiver = net.client.spawn(process.execPath, [
      '--import',
      'tsx',
      SCRIPT,
      'receive',
      net.serverIp,
      String(PORT),
      opts.out,
      net.clientIps[opts.clientIndex ?? 0],
    ]);
    try {
      const line = await new LineWatcher(receiver.stdout!, receiver).waitFor(/^\{/, opts.timeoutMs);
      return JSON.parse(line) as { ms: number; bytes: number };
    } finally {
      await stopChild(receiver);
    }
  } finally {
    await stopChild(sender);
  }
}

/** The congestion control a TCP socket in the server namespace gets by default. */
export async function tcpCongestionControl(net: StartedEmulatedPath): Promise<string> {
  return (await net.server.exec('sysctl', ['-n', 'net.ipv4.tcp_congestion_control'])).trim();
}
