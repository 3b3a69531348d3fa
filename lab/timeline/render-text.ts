import type { DownloadTimeline, TimelineEvent } from './types.ts';

/**
 * A download's timeline as a story a person reads top to bottom: one line per event,
 * with runs of undisturbed first transmissions folded into one line.
 */
export function renderTimelineText(t: DownloadTimeline): string {
  const c = t.counts;
  const head = [
    `Download of ${t.file} by ${t.client.ip} from ${t.server.ip}:${t.server.tcpPort}, ${t.startedAt}: ${t.outcome}`,
    `N = ${t.n} datagrams, pause after H = ${t.h}; sent ${c.sent}, dropped by the link ${c.dropped}, resent ${c.resent}, ${c.requests} resend requests`,
    ...t.anomalies.map((a) => `! ${a}`),
    '',
    '   time (s)  event',
  ];
  const lines: string[] = [];
  let run: { from: number; to: number; t: number } | null = null;
  const flush = () => {
    if (run) lines.push(row(run.t, run.from === run.to ? `seq ${run.from} sent` : `seq ${run.from}–${run.to} sent`));
    run = null;
  };
  for (const e of t.events) {
    if (e.kind === 'send' && !e.dropped) {
      if (run && e.seq === run.to + 1) run.to = e.seq;
      else {
        flush();
        run = { from: e.seq, to: e.seq, t: e.t };
      }
      continue;
    }
    flush();
    lines.push(row(e.t, describe(e)));
  }
  flush();
  return [...head, ...lines, ''].join('\n');
}

function row(t: number, text: string): string {
  return `${t.toFixed(6).padStart(11)}  ${text}`;
}

function describe(e: TimelineEvent): string {
  switch (e.kind) {
    case 'download':
      return `client → server: download|${e.file}`;
    case 'count':
      return `server → client: |${e.n}`;
    case 'udp-port':
      return `client → server: udp|${e.port}`;
    case 'send':
      return `seq ${e.seq} sent — DROPPED by the link`;
    case 'resend':
      return `seq ${e.seq} resent (transmission ${e.attempt + 1})${e.dropped ? ' — DROPPED by the link' : ''}`;
    case 'request':
      return `client → server: resend of ${e.seqs.length === 1 ? `seq ${e.seqs[0]}` : `${e.seqs.length} seqs: ${e.seqs.join(', ')}`}`;
    case 'pause-reached':
      return `the client holds seq 0–${e.h - 1}: the pause`;
    case 'proceed':
      return 'client → server: proceed';
    case 'stop':
      return 'client → server: stop';
    case 'end':
      return `server → client: ${e.line}`;
    case 'server-silent':
      return 'the last packet from the server: it sent nothing more to this client';
    case 'network':
      return `network: ${e.what}`;
  }
}
