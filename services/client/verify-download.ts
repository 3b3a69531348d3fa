import type { ServerMessage } from '../protocol/server-messages.ts';
import type { ControlConnection } from './control-connection.ts';
import type { DownloadReceiver } from './download-receiver.ts';
import { describeFile } from './save-download.ts';
import { waitForServer } from './server-wait.ts';
import type { TempFile } from './temp-file.ts';
import { until } from './until-aborted.ts';

export interface VerifyDeps {
  connection: ControlConnection;
  file: string;
  count: number;
  temp: TempFile;
  receiver: DownloadReceiver;
  print: (line: string) => void;
  replyMs: number;
  signal: AbortSignal;
  /** The file's SHA-256 once it matched the server's: saving it then needs no second pass over the file. */
  onVerified?: (sha256: string) => void;
  /** The answer to a `checksum|` asked already (askChecksum), while the last datagrams were still coming. */
  asked?: Promise<ChecksumAnswer | null>;
}

/**
 * verified: the bytes held are the server's; unverified: the server gave no checksum (one that
 * predates the line), so nobody can tell; corrupt: they are not the server's, even after asking
 * again; aborted: the download was cancelled meanwhile.
 */
export type Verdict = 'verified' | 'unverified' | 'corrupt' | 'aborted';

/** Rounds of fetching again the seqs known to be suspect, before the last resort of fetching all. */
const SUSPECT_ROUNDS = 3;

export type ChecksumAnswer = Extract<ServerMessage, { type: 'checksum' | 'error' }>;
const answersChecksum = (m: ServerMessage): m is ChecksumAnswer =>
  m.type === 'checksum' || (m.type === 'error' && /checksum/.test(m.reason));

/**
 * Checks the whole file against the server's digest (`checksum|<file>`) before the download is
 * called complete, while the server still resends: on a mismatch, the seqs seen twice with
 * different bytes are fetched again (then, if none is known, every seq once), and the digest is
 * compared again. Each outcome is told in one plain statement; nothing here asks the user.
 */
export async function verifyDownload(deps: VerifyDeps): Promise<Verdict> {
  const { print, receiver } = deps;
  const answer = await (deps.asked ?? askChecksum(deps));
  if (deps.signal.aborted) return 'aborted';
  if (answer?.type !== 'checksum' || answer.algorithm !== 'sha256') {
    const why = answer === null ? 'it did not answer checksum|' : `it answered ${formatAnswer(answer)}`;
    print(
      `Not verified: the server gave no checksum of ${deps.file} (${why}); the file may hold bytes that were never the server's.`,
    );
    return 'unverified';
  }
  let fetched = 0;
  let fetchedAll = false;
  for (let round = 0; ; round++) {
    await deps.temp.flush();
    // The first time, the digest hashed while the datagrams came; after fetching again, the file's.
    const mine = (round === 0 ? await receiver.digest() : null) ?? (await describeFile(deps.temp.path)).sha256;
    if (mine === answer.hex) {
      const after = fetched > 0 ? ` after fetching ${fetched} datagrams again` : '';
      print(`Verified${after}: sha256 ${mine} matches the server's.`);
      deps.onVerified?.(mine);
      return 'verified';
    }
    let seqs = round < SUSPECT_ROUNDS ? await receiver.conflicting() : [];
    const mismatch = `Checksum mismatch: the file's sha256 is ${mine}, the server's ${answer.hex}`;
    if (seqs.length > 0) {
      print(
        `${mismatch}; ${describeSeqs(seqs)} arrived twice with different bytes: fetching ${seqs.length === 1 ? 'it' : 'them'} again.`,
      );
    } else if (!fetchedAll) {
      fetchedAll = true;
      seqs = Array.from({ length: deps.count }, (_, seq) => seq);
      print(`${mismatch}, and no datagram is known to be wrong: fetching all ${deps.count} again.`);
    } else break;
    if (!(await until(receiver.fetchAgain(seqs), deps.signal))) return 'aborted';
    fetched += seqs.length;
  }
  print(
    `Download of ${deps.file} failed: its bytes still do not match the server's checksum after fetching ${fetched} datagrams again; nothing was saved.`,
  );
  return 'corrupt';
}

/**
 * Sends `checksum|<file>` and waits for its answer. Asked as the last datagrams arrive, the
 * answer travels while the last resends do, and a lost one is made up for meanwhile.
 */
export function askChecksum(
  deps: Pick<VerifyDeps, 'connection' | 'file' | 'replyMs' | 'signal'>,
): Promise<ChecksumAnswer | null> {
  deps.connection.send({ type: 'checksum', file: deps.file });
  return waitForServer(deps.connection, answersChecksum, deps.replyMs, deps.signal);
}

function formatAnswer(answer: ChecksumAnswer): string {
  return answer.type === 'error'
    ? `error|${answer.reason}`
    : `a ${answer.algorithm} checksum, which this client does not know`;
}

function describeSeqs(seqs: readonly number[]): string {
  const shown = seqs.slice(0, 12).join(', ');
  return seqs.length === 1 ? `seq ${shown}` : `${seqs.length} seqs (${shown}${seqs.length > 12 ? ', …' : ''})`;
}
