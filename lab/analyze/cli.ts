import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parsePausePercent } from '../../services/protocol/defaults.ts';
import { messageOf } from '../errors/lab-error.ts';
import { warningLine } from '../results/capture-warnings.ts';
import { newRunId } from '../topology/run-id.ts';
import { analyzeCaptures } from './analyze-captures.ts';
import { writeAnalysis } from './write-analysis.ts';

const program = new Command('analyze')
  .description(
    "Reads captures of this protocol (pcap or pcapng: one host's, or several hosts' for drops), finds every download, holds it to the protocol's invariants and writes the same report.html, timelines and summary.json as a lab run.",
  )
  .argument('<captures...>', 'capture files (tcpdump, Wireshark, dumpcap, editcap …)')
  .option('--out <dir>', 'where the results go (default lab-results/analyze-<time>)')
  .option('--pause <percent>', "the server's --pause, so that H is known rather than inferred", (v: string) => {
    const pause = parsePausePercent(v);
    if (!pause.ok) throw new InvalidArgumentError(pause.reason);
    return pause.percent;
  })
  .showHelpAfterError();

const files = program.parse().args;
const opts = program.opts<{ out?: string; pause?: number }>();
const started = { at: new Date(), ms: performance.now() };
try {
  const analysis = await analyzeCaptures(files, { pausePercent: opts.pause });
  const outDir = path.resolve(opts.out ?? path.join('lab-results', `analyze-${newRunId(started.at)}`));
  const { report } = await writeAnalysis(outDir, files, analysis, started);
  for (const w of analysis.warnings) console.log(warningLine(w));
  for (const t of analysis.timelines)
    console.log(
      `${t.file} by ${t.client.ip}: ${t.outcome}; N = ${t.n}, sent ${t.counts.sent}, dropped ${t.counts.dropped}, resent ${t.counts.resent}, ${t.counts.requests} resend requests`,
    );
  if (analysis.timelines.length === 0)
    console.log(
      analysis.serverIp ? 'no download in these captures' : 'no control connection of this protocol in these captures',
    );
  console.log(`report: ${report}`);
  if (analysis.broken !== undefined) {
    console.error(`broken promise: ${messageOf(analysis.broken)}`);
    process.exitCode = 1;
  } else console.log('every invariant holds');
} catch (err) {
  const e = err as Error & { code?: string };
  console.error(`analyze: ${e.message}${e.code ? ` (${e.code})` : ''}`);
  process.exitCode = 2;
}
