export interface Point {
  x: number;
  y: number;
}

/**
 * An SVG path through many points in drawing order, keeping only points at least `resolution`
 * pixels from the last one kept: a 20,000-datagram ramp becomes a few hundred vertices and looks the same.
 * A jump longer than `breakAt` pixels (the pause, a stall) starts a new stroke instead of drawing
 * a line across time where nothing was sent.
 */
export function thinPath(points: Point[], resolution = 0.75, breakAt = 6): string {
  const parts: string[] = [];
  let last: Point | null = null;
  let pendingEnd: Point | null = null;
  const fmt = (p: Point) => `${p.x.toFixed(1)} ${p.y.toFixed(1)}`;
  for (const p of points) {
    if (last && (Math.abs(p.x - last.x) > breakAt || Math.abs(p.y - last.y) > breakAt)) {
      if (pendingEnd) parts.push(`L${fmt(pendingEnd)}`);
      last = null;
    }
    if (!last) {
      // A lone point still shows: a zero-length stroke with round caps is a dot.
      parts.push(`M${fmt(p)}h0`);
      last = p;
      pendingEnd = null;
    } else if (Math.abs(p.x - last.x) >= resolution || Math.abs(p.y - last.y) >= resolution) {
      parts.push(`L${fmt(p)}`);
      last = p;
      pendingEnd = null;
    } else {
      pendingEnd = p;
    }
  }
  if (pendingEnd) parts.push(`L${fmt(pendingEnd)}`);
  return parts.join('');
}
