import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { StartedEmulatedPath } from './emulated-path.ts';
import { LineWatcher } from './lines.ts';
import { stopChild } from './project-peer.ts';

/** True when uftp and uftpd are on this machine (Debian package `uftp`). */
export async function uftpInstalled(): Promise<boolean> {
  try {
    await promisify(execFile)('sh', ['-c', 'command -v uftp && command -v uftpd']);
    return true;
  } catch {
    return false;
  }
}

/**
 * uftp (NACK-based, told a fixed rate) from the server namespace to uftpd in the client
 * namespace, unicast. Its time is the transfer time uftp reports for the client, which leaves
 * out its announce and registration phases.
 */
export async function uftpTransfer(
  net: StartedEmulatedPath,
  opts: { file: string; destDir: string; rateMbit: number; timeoutMs: number },
): Promise<{ ms: number }> {
  await mkdir(opts.destDir, { recursive: true });
  const daemon = net.client.spawn('uftpd', ['-d', '-q', '-x', '1', '-D', opts.destDir, '-B', '4194304']);
  daemon.stderr!.resume();
  daemon.stdout!.resume();
  try {
    // uftpd prints nothing we can wait for at log level 1; give it a moment to bind.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const blockSize = Math.min(8800, net.spec.mtu - 200);
    const sender = net.server.spawn('uftp', [
      '-M',
      net.clientIps[0],
      '-R',
      String(Math.round(opts.rateMbit * 1000)),
      '-b',
      String(blockSize),
      '-B',
      '4194304',
      '-Y',
      'none',
      '-x',
      '2',
      opts.file,
    ]);
    // uftp writes its log and its status report to different streams depending on the level.
    const status = /Status: \w+\s+time:\s+[\d.]+ seconds/;
    const streams = [new LineWatcher(sender.stdout!, sender), new LineWatcher(sender.stderr!, sender)];
    try {
      const line = await Promise.any(streams.map((s) => s.waitFor(status, opts.timeoutMs)));
      if (!/Completed/.test(line)) throw new Error(`uftp: ${line.trim()}`);
      return { ms: Number(/time:\s+([\d.]+)/.exec(line)![1]) * 1000 };
    } finally {
      await stopChild(sender);
    }
  } finally {
    await stopChild(daemon);
  }
}
