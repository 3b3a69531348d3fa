import { LineClient } from '../../services/test-support/line-client.ts';
import { rawDownload } from '../../services/test-support/raw-download.ts';
import { sha256 } from './fixtures.ts';
import { mib, quantile } from './stats-math.ts';
import type { Row } from './table.ts';

export interface DownloadLoadOptions {
  ports: number[];
  downloads: number;
  file: string;
  bytes: number;
  expectedSha256: string;
}

/** Downloads one file many times at once, each from its own address and port, and checks every copy. */
export async function runDownloadLoad(opts: DownloadLoadOptions): Promise<Row[]> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: opts.downloads }, async (_, i) => {
      const localAddress = `127.0.30.${i + 1}`;
      const control = await LineClient.connect(opts.ports[i % opts.ports.length], localAddress);
      try {
        if ((await control.ask(`connect|dl${i}`)) !== 'connected') throw new Error(`dl${i} could not connect`);
        const result = await rawDownload(control, opts.file, { localAddress });
        return {
          ...result,
          intact:
            sha256(result.data) === opts.expectedSha256 &&
            result.lastByteLine.startsWith(`User dl${i} downloaded 100%`),
        };
      } finally {
        control.close();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const intact = results.filter((r) => r.intact).length;
  const times = results.map((r) => r.ms / 1000);
  return [
    {
      figure: 'downloads at once',
      value: `${opts.downloads} × ${mib(opts.bytes)} (${results[0]?.count} datagrams each)`,
    },
    { figure: 'intact (SHA-256 equal)', value: `${intact} of ${opts.downloads}`, ok: intact === opts.downloads },
    { figure: 'wall time, all downloads', value: `${seconds.toFixed(1)} s` },
    {
      figure: 'time per download median / max',
      value: `${quantile(times, 0.5).toFixed(1)} s / ${quantile(times, 1).toFixed(1)} s`,
    },
    {
      figure: 'aggregate throughput',
      value: `${((opts.downloads * opts.bytes) / 1024 / 1024 / seconds).toFixed(1)} MiB/s`,
    },
    { figure: 'seqs asked again (all downloads)', value: String(results.reduce((n, r) => n + r.resendSeqs, 0)) },
    { figure: 'duplicate datagrams received', value: String(results.reduce((n, r) => n + r.duplicates, 0)) },
  ];
}
