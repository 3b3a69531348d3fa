import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, encodeDatagram } from '../protocol/datagram.ts';
import { DatagramGate } from './datagram-gate.ts';

const full = (seq: number) => Buffer.from(encodeDatagram(seq, Buffer.alloc(CHUNK_SIZE, seq)));
const SERVER = '10.0.0.1';

describe('the datagram gate of a download', () => {
  it('takes only well-formed datagrams of the file, of the right length, from the server', () => {
    const gate = new DatagramGate(3, SERVER);
    gate.openUpTo(3);
    expect(gate.admit(full(0), '10.0.0.9', 5000)).toBeNull();
    expect(gate.admit(Buffer.from('no colon'), SERVER, 5000)).toBeNull();
    expect(gate.admit(full(3), SERVER, 5000)).toBeNull();
    expect(gate.admit(Buffer.from(encodeDatagram(1, Buffer.from('short'))), SERVER, 5000)).toBeNull();
    expect(gate.admit(Buffer.from(encodeDatagram(2, Buffer.alloc(0))), SERVER, 5000)).toBeNull();
    expect(gate.admit(Buffer.from(encodeDatagram(2, Buffer.from('end'))), SERVER, 5000)?.seq).toBe(2);
    expect(gate.admit(full(0), `::ffff:${SERVER}`, 5000)?.seq).toBe(0);
    expect(gate.counts).toEqual({ foreign: 1, otherPort: 0, early: 0, malformed: 1, badLength: 2, outOfRange: 1 });
    expect(gate.turnedAway).toBe(5);
  });

  it('pins the port of the first datagram it takes, not of one it turned away', () => {
    const gate = new DatagramGate(4, SERVER);
    gate.openUpTo(4);
    expect(gate.admit(Buffer.from('forged'), SERVER, 6666)).toBeNull();
    expect(gate.admit(full(0), SERVER, 5000)?.seq).toBe(0);
    expect(gate.admit(full(1), SERVER, 6666)).toBeNull();
    expect(gate.admit(full(1), SERVER, 5000)?.seq).toBe(1);
    expect(gate.counts.otherPort).toBe(1);
  });

  it('turns away what lies past the parts asked for, until they are asked for', () => {
    const gate = new DatagramGate(4, SERVER);
    gate.openUpTo(2);
    expect(gate.admit(full(2), SERVER, 5000)).toBeNull();
    expect(gate.counts.early).toBe(1);
    gate.openUpTo(4);
    expect(gate.admit(full(2), SERVER, 5000)?.seq).toBe(2);
  });
});
