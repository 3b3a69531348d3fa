import { describe, expect, it } from 'vitest';
import { renderTable } from './console-table.ts';
import type { ScenarioResult } from './types.ts';

const rows: ScenarioResult[] = [
  {
    name: 'walkthrough',
    passed: true,
    durationMs: 1500,
    datagrams: { sent: 12, dropped: 0, resent: 0 },
    failure: null,
  },
  {
    name: 'random-loss-30',
    passed: false,
    durationMs: 12345,
    datagrams: { sent: 1432, dropped: 301, resent: 301 },
    failure: { message: 'seq 7 was dropped by the link at 1.234 s but never resent', code: 'LAB_ERR_EXPECTATION' },
  },
];

describe('renderTable', () => {
  it('renders aligned plain text without colour', () => {
    expect(renderTable(rows, { color: false })).toBe(
      [
        'scenario        result    time  sent  dropped  resent',
        '--------------  ------  ------  ----  -------  ------',
        'walkthrough     PASS     1.5 s    12        0       0',
        'random-loss-30  FAIL    12.3 s  1432      301     301',
        '',
        '1 passed, 1 failed, 13.8 s',
        'FAIL random-loss-30: seq 7 was dropped by the link at 1.234 s but never resent',
        '',
      ].join('\n'),
    );
  });

  it('colours only the result column when asked', () => {
    const out = renderTable(rows, { color: true });
    expect(out).toContain('\x1b[32mPASS  \x1b[0m');
    expect(out).toContain('\x1b[31mFAIL  \x1b[0m');
    expect(out.replace(/\x1b\[\d+m/g, '')).toBe(renderTable(rows, { color: false }));
  });

  it('ends with each capture warning, so a capture cut short is seen at the end of the run', () => {
    const warned: ScenarioResult[] = [
      {
        ...rows[0],
        captureWarnings: [
          { file: 'server-killed/server.pcap', kind: 'cut-short', message: 'cut short: tcpdump was killed (exit 137)' },
        ],
      },
    ];
    expect(renderTable(warned, { color: false }).split('\n').slice(-2)).toEqual([
      'capture warning: server-killed/server.pcap: cut short: tcpdump was killed (exit 137)',
      '',
    ]);
  });
});
