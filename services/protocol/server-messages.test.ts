import { describe, expect, it } from 'vitest';
import { parseServerLine, serverLine } from './server-messages.ts';

describe('server lines', () => {
  it('keeps the protocol strings byte for byte', () => {
    expect(serverLine.nameTaken).toBe("can't connect. Name is taken. Try another");
    expect(serverLine.portFull(55003)).toBe("can't connect. Port 55003 is full. Try another port");
    expect(serverLine.tooManyFromAddress('10.0.1.7', 8)).toBe(
      "can't connect. Too many connections from 10.0.1.7 (at most 8). Try again later",
    );
    expect(serverLine.idleBeforeConnect(60)).toBe("can't connect. Idle for 60 s without connect. Connection closed");
    expect(serverLine.fileNotFound).toBe("Can't download. File not found");
    expect(serverLine.checksum('ab'.repeat(32))).toBe(`checksum|sha256|${'ab'.repeat(32)}`);
    expect(serverLine.downloadDone('bob', 10)).toBe('User bob downloaded 100% out of file. Last byte is: 10');
    expect(serverLine.downloadDone('bob', null)).toBe('User bob downloaded 100% out of file. Last byte is: none');
    expect(serverLine.users(['a', 'b'])).toBe('users|a|b');
    expect(serverLine.downloadStart(12)).toBe('|12');
  });

  it('parses what it formats', () => {
    expect(parseServerLine(serverLine.msg('alice', 'a|b'))).toEqual({ type: 'msg', from: 'alice', text: 'a|b' });
    expect(parseServerLine(serverLine.msgAll('alice', ''))).toEqual({ type: 'msg_all', from: 'alice', text: '' });
    expect(parseServerLine(serverLine.userConnected('a b'))).toEqual({ type: 'user_connected', name: 'a b' });
    expect(parseServerLine(serverLine.userDisconnected('x'))).toEqual({ type: 'user_disconnected', name: 'x' });
    expect(parseServerLine(serverLine.downloadDone('a b', 255))).toEqual({
      type: 'download_done',
      name: 'a b',
      lastByte: 255,
    });
    expect(parseServerLine('users')).toEqual({ type: 'users', names: [] });
    expect(parseServerLine('|7')).toEqual({ type: 'download_start', count: 7 });
    expect(parseServerLine(serverLine.nameTaken)).toMatchObject({ type: 'connect_refused', nameTaken: true });
    expect(parseServerLine(serverLine.idleBeforeConnect(2))).toMatchObject({
      type: 'connect_refused',
      nameTaken: false,
    });
    expect(parseServerLine(serverLine.fileNotFound)).toMatchObject({ type: 'cant_download', notFound: true });
  });

  it('parses a checksum answer, and takes anything malformed for an unknown line', () => {
    const hex = '0123456789abcdef'.repeat(4);
    expect(parseServerLine(serverLine.checksum(hex))).toEqual({ type: 'checksum', algorithm: 'sha256', hex });
    for (const line of ['checksum|sha256|', 'checksum|sha256|XYZ', `checksum|sha256|${hex}|more`, 'checksum|sha256'])
      expect(parseServerLine(line)).toEqual({ type: 'unknown', line });
  });

  it('parses the answer to blksize|, and nothing like it', () => {
    expect(serverLine.blockSize(8967)).toBe('blksize|8967');
    expect(parseServerLine(serverLine.blockSize(8967))).toEqual({ type: 'blksize', bytes: 8967 });
    for (const line of ['blksize|', 'blksize|x', 'blksize|123456', 'blksize|1|2'])
      expect(parseServerLine(line)).toEqual({ type: 'unknown', line });
  });

  it('returns unknown lines as they are', () => {
    expect(parseServerLine('hello there')).toEqual({ type: 'unknown', line: 'hello there' });
    expect(parseServerLine('|x')).toEqual({ type: 'unknown', line: '|x' });
  });
});
