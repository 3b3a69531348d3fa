import { describe, expect, it } from 'vitest';
import { RESEND_WINDOW_MS, ResendQueue } from './resend-queue.ts';

describe('the resend queue', () => {
  it('refuses seqs not sent yet and counts each seq of a request once', () => {
    const queue = new ResendQueue();
    const outcome = queue.accept([3, 3, 3, 9, 10, 12], 10, 0);
    expect(outcome).toEqual({ accepted: [3, 9], refused: 2, suppressed: 0 });
    expect(queue.take(10)).toEqual([3, 9]);
  });

  it('suppresses a seq still waiting, and one resent within the window', () => {
    const queue = new ResendQueue();
    queue.accept([1, 2], 5, 0);
    expect(queue.accept([1, 2], 5, 1).suppressed).toBe(2);
    expect(queue.take(1)).toEqual([1]);
    // 1 left the queue but went out less than a window ago; 2 still waits.
    expect(queue.accept([1, 2], 5, RESEND_WINDOW_MS - 1)).toEqual({ accepted: [], refused: 0, suppressed: 2 });
    expect(queue.accept([1], 5, RESEND_WINDOW_MS).accepted).toEqual([1]);
  });

  it('gives seqs back in the order asked and never holds one twice', () => {
    const queue = new ResendQueue();
    queue.accept([7, 2, 5], 10, 0);
    // Past the window 2 may be resent again, but it still waits: it is not queued a second time.
    expect(queue.accept([2, 4], 10, RESEND_WINDOW_MS + 1)).toEqual({ accepted: [4], refused: 0, suppressed: 1 });
    expect(queue.length).toBe(4);
    expect(queue.take(2)).toEqual([7, 2]);
    expect(queue.take(5)).toEqual([5, 4]);
    expect(queue.length).toBe(0);
  });
});
