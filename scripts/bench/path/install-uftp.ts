import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { uftpInstalled } from './uftp-peer.ts';

const run = promisify(execFile);

/** Installs Debian's uftp where it is missing, as .ci/run installs tshark; says so when it cannot. */
export async function ensureUftp(say: (line: string) => void): Promise<boolean> {
  if (await uftpInstalled()) return true;
  say('uftp is not installed: installing Debian package uftp…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['install', '-y', '-qq', 'uftp'], { env }).catch(async () => {
      await run('apt-get', ['update', '-qq'], { env });
      await run('apt-get', ['install', '-y', '-qq', 'uftp'], { env });
    });
  } catch (error) {
    say(`could not install uftp (${(error as Error).message.split('\n')[0]}): its column stays empty`);
    return false;
  }
  return uftpInstalled();
}
