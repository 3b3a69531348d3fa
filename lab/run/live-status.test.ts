import { describe, expect, it } from 'vitest';
import { liveConsole, prefixedConsole } from './live-status.ts';

/** What a terminal shows after the console's writes: text, cursor-up (ESC [ n A) and clear-below (ESC [ J). */
function terminal() {
  let screen: string[] = [''];
  let row = 0;
  const stream = {
    columns: 60,
    write(text: string) {
      for (const part of text.split(/(\x1b\[\d*A|\x1b\[J)/)) {
        const up = /^\x1b\[(\d*)A$/.exec(part);
        if (up) row = Math.max(0, row - Number(up[1] || 1));
        else if (part === '\x1b[J') screen = [...screen.slice(0, row), ''];
        else
          for (const [i, piece] of part.split('\n').entries()) {
            if (i > 0) {
              row++;
              if (screen.length <= row) screen.push('');
            }
            screen[row] += piece;
          }
      }
    },
  };
  return { stream, shown: () => screen.filter((l, i) => l !== '' || i < row) };
}

describe('the console of a parallel run on a terminal', () => {
  it('shows one live line per running scenario, below the lines of those that finished', () => {
    let now = 0;
    const t = terminal();
    const out = liveConsole(t.stream, () => now);
    out.started('walkthrough', 'a title');
    out.started('random-loss', 'another');
    now = 3000;
    out.note('random-loss', 'alice » download');
    out.note('walkthrough', 'bob « connected');
    out.finished('walkthrough', '✔ walkthrough passed in 3.0 s');
    expect(t.shown()).toEqual([
      '✔ walkthrough passed in 3.0 s',
      expect.stringMatching(/^. random-loss {3}3 s {2}alice » download$/),
    ]);
    out.started('chosen-drops', 'third');
    out.finished('random-loss', '✘ random-loss FAILED in 3.0 s: why');
    out.close();
    expect(t.shown()).toEqual(['✔ walkthrough passed in 3.0 s', '✘ random-loss FAILED in 3.0 s: why']);
  });

  it('cuts a long step to the width of the terminal', () => {
    const t = terminal();
    const out = liveConsole(t.stream, () => 0);
    out.started('walkthrough', '');
    out.note('walkthrough', 'x'.repeat(200));
    out.print('header');
    expect(t.shown()[1]).toHaveLength(59);
    expect(t.shown()[1].endsWith('…')).toBe(true);
    out.close();
  });
});

describe('the console of a parallel run in a log', () => {
  it("puts each scenario's name before each of its lines", () => {
    const lines: string[] = [];
    const out = prefixedConsole((text) => lines.push(text));
    out.started('walkthrough', 'The walkthrough');
    out.started('random-loss', 'Seeded loss');
    out.note('walkthrough', 'alice » connect');
    out.finished('random-loss', '✔ random-loss passed in 1.0 s');
    expect(lines.join('')).toBe(
      [
        'walkthrough │ ▶ The walkthrough',
        'random-loss │ ▶ Seeded loss',
        'walkthrough │   alice » connect',
        'random-loss │ ✔ random-loss passed in 1.0 s',
        '',
      ].join('\n'),
    );
  });
});
