import type { FileHandle } from 'node:fs/promises';
import { HEADER_SIZE } from '../protocol/datagram.ts';
import { FileChangedError } from './errors.ts';

/** Bytes read from the file in one call: fewer, larger reads cost the event loop far less than one per batch. */
const READ_BYTES = 256 * 1024;

/** How many datagrams of `block` bytes one read of the file covers (128 of the seed's). */
export function datagramsPerRead(block: number): number {
  return Math.max(1, Math.floor(READ_BYTES / block));
}

/**
 * The file as the sender walks through it in order: about 256 KiB of whole blocks read at a
 * time, each datagram's data copied from it into the buffer it is sent from.
 */
export class ReadAhead {
  private buffer: Buffer | null = null;
  private first = 0;
  private count = 0;
  private readonly perRead: number;

  /** `block`: bytes of the file per datagram. */
  constructor(
    private readonly file: FileHandle,
    private readonly size: number,
    private readonly block: number,
  ) {
    this.perRead = datagramsPerRead(block);
  }

  /**
   * Copies the data of datagrams from..from+slots.length-1 behind each slot's header; returns
   * their lengths. Reads no further than `limit` (the pause): what lies past it is read when it is
   * sent, so a file that changes meanwhile is noticed then.
   */
  async fill(slots: Buffer[], from: number, limit: number): Promise<number[]> {
    const lengths: number[] = [];
    for (let i = 0; i < slots.length; i++) {
      const seq = from + i;
      if (seq < this.first || seq >= this.first + this.count) await this.load(seq, limit);
      const start = (seq - this.first) * this.block;
      const length = Math.min(this.block, this.size - seq * this.block);
      this.buffer!.copy(slots[i], HEADER_SIZE, start, start + length);
      lengths.push(length);
    }
    return lengths;
  }

  /** Reads one datagram's data on its own, for a resend. */
  async readOne(slot: Buffer, seq: number): Promise<number> {
    const length = Math.min(this.block, this.size - seq * this.block);
    const { bytesRead } = await this.file.read(slot, HEADER_SIZE, length, seq * this.block);
    if (bytesRead !== length) throw new FileChangedError();
    return length;
  }

  private async load(seq: number, limit: number): Promise<void> {
    const offset = seq * this.block;
    const length = Math.min(Math.min(this.perRead, limit - seq) * this.block, this.size - offset);
    this.buffer ??= Buffer.allocUnsafe(Math.min(this.size, this.perRead * this.block));
    this.count = 0;
    const { bytesRead } = await this.file.read(this.buffer, 0, length, offset);
    if (bytesRead !== length) throw new FileChangedError();
    this.first = seq;
    this.count = Math.ceil(length / this.block);
  }
}
