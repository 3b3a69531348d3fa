import { randomBytes } from 'node:crypto';

/** Short, sortable, unique enough for two runs on one machine: `20261125-153012-a1b2c3`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
