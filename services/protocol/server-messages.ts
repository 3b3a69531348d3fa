/** Every line the server sends, byte for byte as the protocol fixes them. */
export const serverLine = {
  connected: 'connected',
  nameTaken: "can't connect. Name is taken. Try another",
  cantConnect: (reason: string) => `can't connect. ${reason}`,
  portFull: (port: number) => `can't connect. Port ${port} is full. Try another port`,
  tooManyFromAddress: (address: string, limit: number) =>
    `can't connect. Too many connections from ${address} (at most ${limit}). Try again later`,
  idleBeforeConnect: (seconds: number) => `can't connect. Idle for ${seconds} s without connect. Connection closed`,
  userConnected: (name: string) => `${name} is connected`,
  userDisconnected: (name: string) => `${name} is disconnected`,
  disconnected: 'disconnected',
  users: (names: readonly string[]) => ['users', ...names].join('|'),
  files: (names: readonly string[]) => ['files', ...names].join('|'),
  msgAll: (from: string, text: string) => `msg_all|${from}|${text}`,
  msg: (from: string, text: string) => `msg|${from}|${text}`,
  cantSend: (reason: string) => `can't send. ${reason}`,
  fileNotFound: "Can't download. File not found",
  cantDownload: (reason: string) => `Can't download. ${reason}`,
  downloadStart: (count: number) => `|${count}`,
  downloadStopped: 'download stopped',
  downloadDone: (name: string, lastByte: number | null) =>
    `User ${name} downloaded 100% out of file. Last byte is: ${lastByte ?? 'none'}`,
  error: (reason: string) => `error|${reason}`,
  /** The answer to `checksum|<file>`: the whole file's SHA-256, lowercase hex. */
  checksum: (sha256: string) => `checksum|sha256|${sha256}`,
  /** The answer to `blksize|<bytes>`: the block this connection's downloads use from now on. */
  blockSize: (bytes: number) => `blksize|${bytes}`,
} as const;

export type ServerMessage =
  | { type: 'connected' }
  | { type: 'connect_refused'; reason: string; nameTaken: boolean }
  | { type: 'user_connected'; name: string }
  | { type: 'user_disconnected'; name: string }
  | { type: 'disconnected' }
  | { type: 'users'; names: string[] }
  | { type: 'files'; names: string[] }
  | { type: 'msg_all'; from: string; text: string }
  | { type: 'msg'; from: string; text: string }
  | { type: 'cant_send'; reason: string }
  | { type: 'cant_download'; reason: string; notFound: boolean }
  | { type: 'download_start'; count: number }
  | { type: 'download_stopped' }
  | { type: 'download_done'; name: string; lastByte: number | null }
  | { type: 'error'; reason: string }
  | { type: 'checksum'; algorithm: string; hex: string }
  | { type: 'blksize'; bytes: number }
  | { type: 'unknown'; line: string };

const DONE = /^User (.+) downloaded 100% out of file\. Last byte is: (none|\d{1,3})$/;
const START = /^\|(\d+)$/;
const CHECKSUM = /^checksum\|([a-z0-9-]{1,16})\|([0-9a-f]{16,128})$/;
const BLKSIZE = /^blksize\|(\d{1,5})$/;

/** Never throws: a line the protocol does not know comes back as `unknown`. */
export function parseServerLine(line: string): ServerMessage {
  if (line === serverLine.connected) return { type: 'connected' };
  if (line === serverLine.disconnected) return { type: 'disconnected' };
  if (line === serverLine.downloadStopped) return { type: 'download_stopped' };
  if (line === 'users' || line.startsWith('users|')) return { type: 'users', names: fields(line) };
  if (line === 'files' || line.startsWith('files|')) return { type: 'files', names: fields(line) };
  if (line.startsWith('msg_all|') || line.startsWith('msg|')) {
    const [kind, from, ...text] = line.split('|');
    if (text.length > 0) return { type: kind as 'msg' | 'msg_all', from, text: text.join('|') };
  }
  const start = START.exec(line);
  if (start) return { type: 'download_start', count: Number(start[1]) };
  const done = DONE.exec(line);
  if (done) return { type: 'download_done', name: done[1], lastByte: done[2] === 'none' ? null : Number(done[2]) };
  if (line.startsWith("can't connect. ")) {
    return { type: 'connect_refused', reason: line.slice(15), nameTaken: line === serverLine.nameTaken };
  }
  if (line.startsWith("can't send. ")) return { type: 'cant_send', reason: line.slice(12) };
  if (line.startsWith("Can't download. ")) {
    return { type: 'cant_download', reason: line.slice(16), notFound: line === serverLine.fileNotFound };
  }
  if (line.startsWith('error|')) return { type: 'error', reason: line.slice(6) };
  const checksum = CHECKSUM.exec(line);
  if (checksum) return { type: 'checksum', algorithm: checksum[1], hex: checksum[2] };
  const blksize = BLKSIZE.exec(line);
  if (blksize) return { type: 'blksize', bytes: Number(blksize[1]) };
  if (line.endsWith(' is connected')) return { type: 'user_connected', name: line.slice(0, -13) };
  if (line.endsWith(' is disconnected')) return { type: 'user_disconnected', name: line.slice(0, -16) };
  return { type: 'unknown', line };
}

function fields(line: string): string[] {
  return line.split('|').slice(1);
}
