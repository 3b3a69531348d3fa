// Where the labels of the timeline's events go above the sequence chart.

export interface PlacedLabel {
  row: number;
  left: number;
  right: number;
}

/**
 * Each label right of its line at `xs[i]`, or left of it where it would run past `edge`; in the
 * first row where it overlaps no other label.
 */
export function placeEventLabels(xs: readonly number[], widths: readonly number[], edge: number): PlacedLabel[] {
  const taken: [number, number][][] = [];
  return xs.map((x, i) => {
    const width = widths[i];
    const left = x + 3 + width <= edge ? x + 3 : Math.max(2, x - 3 - width);
    const right = left + width;
    let row = taken.findIndex((spans) => spans.every(([a, b]) => right + 6 <= a || left >= b + 6));
    if (row < 0) row = taken.push([]) - 1;
    taken[row].push([left, right]);
    return { row, left, right };
  });
}
