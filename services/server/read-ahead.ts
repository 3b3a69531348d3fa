import type { FileHandle } from 'node:fs/promises';
import { CHUNK_SIZE, HEADER_SIZE } from '../protocol/datagram.ts';
import { FileChangedError } from './errors.ts';

/** Datagrams read from the file in one call: fewer, larger reads cost the event loop far less than one per batch. */
export const BLOCK_DATAGRAMS = 128;

/**
 * The file as the sender walks through it in order: one block of BLOCK_DATAGRAMS read at a
 * time (256 KiB), each datagram's data copied from it into the buffer it is sent from.
 */
export class ReadAhead {
  private block: Buffer | null = null;
  private first = 0;
  private count = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly size: number,
  ) {}

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
      const start = (seq - this.first) * CHUNK_SIZE;
      const length = Math.min(CHUNK_SIZE, this.size - seq * CHUNK_SIZE);
      this.block!.copy(slots[i], HEADER_SIZE, start, start + length);
      lengths.push(length);
    }
    return lengths;
  }

  /** Reads one datagram's data on its own, for a resend. */
  async readOne(slot: Buffer, seq: number): Promise<number> {
    const length = Math.min(CHUNK_SIZE, this.size - seq * CHUNK_SIZE);
    const { bytesRead } = await this.file.read(slot, HEADER_SIZE, length, seq * CHUNK_SIZE);
    if (bytesRead !== length) throw new FileChangedError();
    return length;
  }

  private async load(seq: number, limit: number): Promise<void> {
    const offset = seq * CHUNK_SIZE;
    const length = Math.min(Math.min(BLOCK_DATAGRAMS, limit - seq) * CHUNK_SIZE, this.size - offset);
    this.block ??= Buffer.allocUnsafe(Math.min(this.size, BLOCK_DATAGRAMS * CHUNK_SIZE));
    this.count = 0;
    const { bytesRead } = await this.file.read(this.block, 0, length, offset);
    if (bytesRead !== length) throw new FileChangedError();
    this.first = seq;
    this.count = Math.ceil(length / CHUNK_SIZE);
  }
}
