import type { DownloadTimeline } from '../timeline/index.ts';
import { download, problems, seqList } from './describe.ts';
import { ExpectationFailed } from './expectation-failed.ts';

function ended(t: DownloadTimeline): string {
  return t.finalLine === null ? 'the server sent no final line' : `the server's last line was "${t.finalLine}"`;
}

/** The server confirmed the whole file, and every seq reached the client at least once. */
export function downloadCompleted(t: DownloadTimeline): { finalLine: string; lastByte: string } {
  if (t.outcome !== 'completed' || t.finalLine === null) {
    throw new ExpectationFailed('downloadCompleted', `${download(t)} did not complete: ${ended(t)}`);
  }
  const missing = t.perSeq.filter((s) => s.seq < t.n && s.received === 0).map((s) => s.seq);
  if (missing.length) {
    throw new ExpectationFailed(
      'downloadCompleted',
      `${download(t)} ended with "${t.finalLine}" but seqs ${problems([seqList(missing)])} never reached the client`,
    );
  }
  return { finalLine: t.finalLine, lastByte: t.finalLine.slice(t.finalLine.lastIndexOf(' ') + 1) };
}

/** The client sent `stop` and the server answered `download stopped`. */
export function downloadStopped(t: DownloadTimeline): { stopAt: number } {
  if (t.outcome !== 'stopped' || t.stopAt === null) {
    throw new ExpectationFailed(
      'downloadStopped',
      `${download(t)} was not stopped: ${ended(t)}${t.stopAt === null ? ' and the client sent no `stop`' : ''}`,
    );
  }
  return { stopAt: t.stopAt };
}
