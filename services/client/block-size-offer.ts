import { readFileSync } from 'node:fs';
import os from 'node:os';
import { linkBlockSize } from '../protocol/block-size.ts';
import { CHUNK_SIZE } from '../protocol/datagram.ts';
import type { ServerMessage } from '../protocol/server-messages.ts';
import type { ControlConnection } from './control-connection.ts';

/** `--block-size`: `auto` fits a datagram to the link's frame; a number asks for exactly that. */
export type BlockSizeChoice = 'auto' | number;

/**
 * The block of a connection's downloads. Before its first download the client asks for a
 * larger one when its link carries larger frames (a 9000-byte MTU: 8,967 bytes a datagram, a
 * quarter of the datagrams the seed's block needs, which is what lets a Node sender and
 * receiver keep up with 1 Gbit/s). The seed's block stays on a 1500-byte link, on loopback, in
 * seed mode, and with a server that answers `error|…`.
 */
export class BlockSizeOffer {
  private agreed = CHUNK_SIZE;
  private asked = false;
  private awaiting = false;

  constructor(
    private readonly connection: ControlConnection,
    private readonly choice: BlockSizeChoice,
  ) {}

  /** Bytes of the file per datagram, as the server last agreed. */
  get bytes(): number {
    return this.agreed;
  }

  /** Called before `download|…`: asks once per connection, when there is something to ask for. */
  beforeDownload(): void {
    if (this.asked) return;
    this.asked = true;
    const wanted = this.choice === 'auto' ? this.fitted() : this.choice;
    if (wanted === undefined || wanted === CHUNK_SIZE) return;
    this.awaiting = true;
    this.connection.send({ type: 'blksize', bytes: wanted });
  }

  /** True for the server's answer to our `blksize|…`: nothing for the user to see. */
  take(message: ServerMessage): boolean {
    if (!this.awaiting) return false;
    if (message.type === 'blksize') this.agreed = message.bytes;
    else if (!(message.type === 'error' && /\bblksize\b/.test(message.reason))) return false;
    this.awaiting = false;
    return true;
  }

  private fitted(): number | undefined {
    const links = { interfaces: os.networkInterfaces(), readText: (path: string) => readFileSync(path, 'utf8') };
    return linkBlockSize(this.connection.localAddress, links);
  }
}
