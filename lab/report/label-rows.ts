export interface RowLabel {
  x: number;
  width: number;
}

export interface PlacedLabel {
  row: number;
  /** Where the text starts; the label reads leftwards from x when it would overflow on the right. */
  left: number;
  anchor: 'start' | 'end';
}

/**
 * Puts labels that hang from x positions into rows so that none overlap:
 * events close in time (pause reached and proceed are often 2 ms apart) then stack instead of colliding.
 */
export function placeInRows(labels: RowLabel[], maxX: number, gap = 8): PlacedLabel[] {
  const rowEnds: number[] = [];
  const order = labels.map((l, i) => ({ ...l, i })).sort((a, b) => a.x - b.x);
  const placed: PlacedLabel[] = new Array<PlacedLabel>(labels.length);
  for (const l of order) {
    const anchor = l.x + l.width > maxX ? 'end' : 'start';
    const left = anchor === 'start' ? l.x : l.x - l.width;
    let row = rowEnds.findIndex((end) => end + gap <= left);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = left + l.width;
    placed[l.i] = { row, left, anchor };
  }
  return placed;
}
