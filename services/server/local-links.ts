import { readFileSync } from 'node:fs';
import os from 'node:os';
import { linkBlockSize } from '../protocol/block-size.ts';

/** The largest block that leaves this machine's interface holding `address` as one frame (block-size.ts). */
export function localBlockSize(address: string): number | undefined {
  return linkBlockSize(address, { interfaces: os.networkInterfaces(), readText: (path) => readFileSync(path, 'utf8') });
}
