import { pauseBoundary } from '../protocol/datagram.ts';
import type { ControlConnection } from './control-connection.ts';
import { DownloadReceiver } from './download-receiver.ts';
import { ClientError, reasonOf } from './errors.ts';
import type { Progress } from './progress.ts';
import type { RecoveryOptions } from './recovery.ts';
import { lastByteReport, saveLoop } from './save-prompt.ts';
import { isType, waitForServer } from './server-wait.ts';
import { TempFile } from './temp-file.ts';
import { until } from './until-aborted.ts';
import { verifyDownload } from './verify-download.ts';

export interface DownloadDeps {
  connection: ControlConnection;
  /** Asks the user; a download's questions go ahead of the command loop. */
  ask: (prompt: string, signal: AbortSignal) => Promise<string | null>;
  print: (line: string) => void;
  progress: (label: string, total: number) => Progress;
  downloadsDir: string;
  /** Must match the server's --pause: the client has to know where the first part ends. */
  pausePercent: number;
  /** `adaptive` (default): early loss detection and progress reports; `seed`: the original timeout rounds. */
  recovery?: RecoveryOptions;
  /** Check the whole file against the server's checksum before calling it complete (default true). */
  verify?: boolean;
  /** Ctrl-C or `disconnect`: give up, removing the temp file. */
  signal?: AbortSignal;
  initialTimeoutMs?: number;
  serverReplyMs?: number;
}

/** `corrupt`: the bytes were not the server's, even after fetching again; nothing was saved. */
export type DownloadOutcome = 'saved' | 'discarded' | 'stopped' | 'aborted' | 'corrupt';

/** One download from `|N` to the saved file: UDP receive, the pause question, the end check, the save. */
export async function runDownload(deps: DownloadDeps, file: string, count: number): Promise<DownloadOutcome> {
  const { connection, print } = deps;
  const replyMs = deps.serverReplyMs ?? 10_000;
  const cancel = new AbortController();
  const abort = () => cancel.abort();
  let ending = false;
  const offClose = connection.onClose(abort);
  // The server may end the download on its own; only our own `stop` expects it.
  const offMessage = connection.onMessage((m) => {
    if (m.type === 'cant_download' || (m.type === 'download_stopped' && !ending)) abort();
    if (m.type === 'error' && /\back\b/.test(m.reason)) receiver?.serverIgnoresReports();
  });
  deps.signal?.addEventListener('abort', abort, { once: true });
  if (deps.signal?.aborted) abort();
  let temp: TempFile | null = null;
  let receiver: DownloadReceiver | null = null;
  try {
    print(`Downloading ${file}: ${count} datagrams.`);
    try {
      temp = await TempFile.create(deps.downloadsDir, file);
    } catch (error) {
      print(error instanceof ClientError ? error.message : reasonOf(error));
      ending = true;
      connection.send({ type: 'stop' });
      await waitForServer(connection, isType('download_stopped', 'download_done'), replyMs, cancel.signal);
      return 'aborted';
    }
    if (count > 0) {
      const progress = deps.progress(file, count);
      receiver = await DownloadReceiver.open({
        count,
        localAddress: connection.localAddress,
        serverAddress: connection.remoteAddress,
        file: temp,
        sendLine: (line) => connection.sendLine(line),
        recovery: deps.recovery,
        // The seed's rounds are few and worth watching; adaptive requests come by the hundred and are summed up at the end.
        onResend: (k, t) => {
          if (t !== undefined) print(`Requested resend of ${k} datagrams (timeout ${t} ms).`);
        },
        onProgress: (held) => progress.update(held),
        initialTimeoutMs: deps.initialTimeoutMs,
      });
      connection.send({ type: 'udp', port: receiver.port });
      const pauseAt = pauseBoundary(count, deps.pausePercent);
      if (!(await until(receiver.receivePart(0, pauseAt), cancel.signal))) return cancelled(print, file);
      if (pauseAt < count) {
        progress.suspend();
        const percent = Math.floor((pauseAt * 100) / count);
        const prompt = `Download reached ${percent}% (${pauseAt}/${count} datagrams). Type proceed to continue, anything else to stop: `;
        const answer = await deps.ask(prompt, cancel.signal);
        if (cancel.signal.aborted) return cancelled(print, file);
        if (answer?.trim() !== 'proceed') {
          ending = true;
          connection.send({ type: 'stop' });
          await waitForServer(connection, isType('download_stopped', 'download_done'), replyMs, cancel.signal);
          return 'stopped';
        }
        connection.send({ type: 'proceed' });
        progress.resume();
        if (!(await until(receiver.receivePart(pauseAt, count), cancel.signal))) return cancelled(print, file);
      }
      progress.done();
      if (deps.verify !== false) {
        const verdict = await verifyDownload({
          connection,
          file,
          count,
          temp,
          receiver,
          print,
          replyMs,
          signal: cancel.signal,
        });
        if (verdict === 'aborted') return cancelled(print, file);
        // Known to be wrong: never saved under the user's name; the temp file goes in `finally`.
        if (verdict === 'corrupt') {
          ending = true;
          connection.send({ type: 'stop' });
          await waitForServer(connection, isType('download_done', 'download_stopped'), replyMs, cancel.signal);
          return 'corrupt';
        }
      }
    }
    ending = true;
    connection.send({ type: 'stop' });
    const done = await waitForServer(connection, isType('download_done'), replyMs, cancel.signal);
    if (cancel.signal.aborted) return cancelled(print, file);
    await temp.flush();
    await temp.close();
    const stats = receiver?.stats;
    print(
      `Download complete: ${count} datagrams, ${stats?.resendRequested ?? 0} resent, ${receiver?.ignored ?? 0} ignored.`,
    );
    print(lastByteReport(done?.lastByte, receiver?.lastByte ?? null));
    receiver?.close();
    const outcome = await saveLoop(deps, temp.path);
    if (outcome === 'saved') temp = null;
    return outcome;
  } catch (error) {
    print(`Download of ${file} failed: ${reasonOf(error)}`);
    return 'aborted';
  } finally {
    offClose();
    offMessage();
    deps.signal?.removeEventListener('abort', abort);
    receiver?.close();
    await temp?.remove();
  }
}

function cancelled(print: (line: string) => void, file: string): DownloadOutcome {
  print(`Download of ${file} cancelled.`);
  return 'aborted';
}
