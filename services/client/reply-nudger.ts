/**
 * A line the server sends can be lost like any packet. TCP resends it, but a lost answer is
 * the last segment in flight, which Linux resends only after its minimum timeout of 200 ms,
 * doubling each time. On a path losing 30 % of what reaches the client, each of a download's
 * three awaited answers (`|N`, `checksum|…`, the final notice) then costs a fifth of a second
 * with a chance of one in three: more than the whole tail of resends.
 *
 * A question the server answers after the lost line gets it delivered sooner: its answer
 * arrives out of order, the client's TCP acknowledges it selectively, and the server's TCP
 * resends the gap at once. So while an answer is overdue the client asks `get_users` (answered
 * in any state, and in order), first after FIRST_NUDGE_MS, then at doubling intervals.
 */
export const FIRST_NUDGE_MS = 25;
/** 25 + 50 + … + 400 ms: by then TCP's own timeout has fired. */
export const MAX_NUDGES = 5;

export interface Nudgeable {
  nudge(): void;
}

/** Starts nudging; the returned function stops it (call it when the answer came or the wait ended). */
export function nudgeUntilStopped(connection: Nudgeable): () => void {
  let delay = FIRST_NUDGE_MS;
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      connection.nudge();
      sent++;
      delay *= 2;
      if (sent < MAX_NUDGES) schedule();
    }, delay);
  };
  schedule();
  return () => clearTimeout(timer);
}
