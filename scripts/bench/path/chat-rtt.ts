/**
 * Run inside the client namespace during a share row: two chat users on the real server; one
 * sends the other a message every 20 ms, the other sends it straight back, and the first times
 * the round trip. `chat-rtt SERVER PORT IP_A IP_B` runs until its stdin closes, then prints
 * `{"rtts":[…]}` (milliseconds).
 */
import { ChatPeer } from '../../stress/chat-peer.ts';

const [server, port, ipA, ipB] = process.argv.slice(2);
const a = await ChatPeer.connect(Number(port), ipA, server);
const b = await ChatPeer.connect(Number(port), ipB, server);
const tag = `${process.pid}`;
await a.request(`connect|ping-${tag}`, (l) => l === 'connected');
await b.request(`connect|pong-${tag}`, (l) => l === 'connected');
const sentAt = new Map<number, number>();
const rtts: number[] = [];
b.onLine = (line) => {
  const m = /^msg\|ping-\d+\|(\d+)$/.exec(line);
  if (m) b.send(`msg|${m[1]}|ping-${tag}`);
};
a.onLine = (line) => {
  const m = /^msg\|pong-\d+\|(\d+)$/.exec(line);
  const at = m && sentAt.get(Number(m[1]));
  if (at !== undefined && at !== null) rtts.push(performance.now() - at);
};
let n = 0;
const timer = setInterval(() => {
  sentAt.set(n, performance.now());
  a.send(`msg|${n++}|pong-${tag}`);
}, 20);
console.log('ready');
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(timer);
  console.log(JSON.stringify({ rtts, unanswered: n - rtts.length }));
  a.close();
  b.close();
  process.exit(0);
});
