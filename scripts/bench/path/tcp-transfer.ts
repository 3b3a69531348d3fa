/**
 * The TCP reference transfer, run inside a namespace: `send PORT FILE` serves the file to
 * one connection; `receive HOST PORT OUT [LOCAL_ADDRESS]` fetches it and prints `{"bytes":…,"ms":…}` with
 * the time from connect to the last byte. Plain Node `net`, Linux's default congestion control.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'send') {
  const [port, file] = args;
  const server = net.createServer((socket) => {
    void pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), socket).finally(() => server.close());
  });
  server.listen(Number(port), () => console.log('listening'));
} else if (mode === 'receive') {
  const [host, port, out, localAddress] = args;
  const started = performance.now();
  const socket = net.connect({ host, port: Number(port), localAddress });
  let bytes = 0;
  socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(socket, createWriteStream(out));
  console.log(JSON.stringify({ bytes, ms: performance.now() - started }));
} else {
  console.error('usage: tcp-transfer send PORT FILE | receive HOST PORT OUT');
  process.exit(2);
}
