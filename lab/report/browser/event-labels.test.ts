import { describe, expect, it } from 'vitest';
import { placeEventLabels } from './event-labels.ts';

describe('labels of the events above the sequence chart', () => {
  it('puts a label that would overlap another in the next row, and one at the edge left of its line', () => {
    const placed = placeEventLabels([100, 110, 300, 590], [80, 80, 40, 60], 600);
    expect(placed.map((p) => p.row)).toEqual([0, 1, 0, 0]);
    expect(placed[0]).toEqual({ row: 0, left: 103, right: 183 });
    // 590 + 3 + 60 would pass the edge at 600: the label ends 3 px left of its line instead.
    expect(placed[3]).toEqual({ row: 0, left: 527, right: 587 });
  });

  it('keeps 6 px between labels of one row', () => {
    const [, second] = placeEventLabels([0, 85], [80, 10], 1000);
    expect(second.row).toBe(1);
    const [, third] = placeEventLabels([0, 86], [80, 10], 1000);
    expect(third.row).toBe(0);
  });
});
