import { describe, expect, it } from 'vitest';
import type { ControlLine } from '../pcap/index.ts';
import { findDownloads } from './control-sessions.ts';

const server = { ip: '10.0.0.2', port: 55000 };
const client = { ip: '10.0.1.11', port: 40000 };
let t = 0;
const up = (text: string): ControlLine => ({ tsUs: (t += 1000), frame: t / 1000, from: client, to: server, text });
const down = (text: string): ControlLine => ({ tsUs: (t += 1000), frame: t / 1000, from: server, to: client, text });

describe('findDownloads reads control lines with the protocol parsers', () => {
  it('follows a download from its request to its end, with its port, requests and pause answers', () => {
    t = 0;
    const [d, ...more] = findDownloads(
      [
        up('download|q.txt'),
        down('|6'),
        up('udp|50123'),
        up('resend|1|4'),
        up('proceed'),
        up('ack|6|5|123456'),
        down('User alice downloaded 100% out of file. Last byte is: 10'),
      ],
      server.ip,
    );
    expect(more).toEqual([]);
    expect(d).toMatchObject({ file: 'q.txt', n: 6, udpPort: 50123, proceedUs: 5000, anomalies: [] });
    expect(d.requests).toEqual([{ tsUs: 4000, seqs: [1, 4], line: 'resend|1|4' }]);
    expect(d.end).toEqual({
      tsUs: 7000,
      outcome: 'completed',
      line: 'User alice downloaded 100% out of file. Last byte is: 10',
    });
  });

  it('takes a malformed resend line as an anomaly and no request, as the server refuses it whole', () => {
    t = 0;
    const [d] = findDownloads([up('download|q.txt'), down('|6'), up('resend|3|x'), up('udp|0')], server.ip);
    expect(d.requests).toEqual([]);
    expect(d.udpPort).toBeNull();
    expect(d.anomalies).toEqual(['malformed request line "resend|3|x"']);
  });

  it('drops a request the server refused and starts nothing without |N', () => {
    t = 0;
    expect(findDownloads([up('download|nope'), down("Can't download. File not found"), down('|3')], server.ip)).toEqual(
      [],
    );
  });
});
